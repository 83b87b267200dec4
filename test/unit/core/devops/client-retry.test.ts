import { afterEach, beforeEach, describe, expect, jest, test } from '@jest/globals';
import { EndpointTimeoutError } from '../../../../src/core/errors.js';
import { createDevOpsClient } from '../../../../src/core/devops/client.js';
import { createHostPolicy } from '../../../../src/core/devops/host-policy.js';
import { NetworkError } from '../../../../src/core/http/transport.js';
import { createThrottle } from '../../../../src/core/http/throttle.js';
import { createClientHarness, createFakeClock, createFakeTokens, IDENTITY, ORG } from '../../devops-fakes.js';
import { createFakeTransport, createTestGuard, json, rejectionOf, type TransportStep } from '../../fakes.js';

const URL_TEXT = 'https://dev.azure.com/contoso/_apis/items?api-version=7.1';
/** How log lines and errors show it: without the query. */
const SHOWN = 'https://dev.azure.com/contoso/_apis/items';
const send = (h: ReturnType<typeof createClientHarness>, method = 'GET', refreshOn401?: boolean) =>
  h.client.send({ method, url: new URL(URL_TEXT), ...(refreshOn401 === undefined ? {} : { refreshOn401 }) });
const status = (code: number, headers: Record<string, string> = {}): TransportStep => json(code, {}, headers);
const offline = (): NetworkError =>
  new NetworkError('Could not reach the Azure DevOps host (x): reset.', 'ECONNRESET');

// Backoff jitter is Math.random; 0 makes it base·2^(n-1)·0.5: 250, 500, 1000, 2000, 4000 ms.
beforeEach(() => {
  jest.spyOn(Math, 'random').mockReturnValue(0);
});
afterEach(() => {
  jest.restoreAllMocks();
});

describe('DevOpsClient: rate limits', () => {
  test.each([
    ['GET', 429, { 'retry-after': '2' }, 2000, ' (Retry-After 2)'],
    ['POST', 429, { 'retry-after': '2' }, 2000, ' (Retry-After 2)'],
    ['PATCH', 503, { 'x-ratelimit-delay': '1.5' }, 1500, ''],
    ['POST', 429, {}, 250, '']
  ])(
    '%s answered %i %j: the shared throttle holds for %i ms, then it is retried',
    async (method, code, headers, ms, said) => {
      const h = createClientHarness([status(code, headers), json(200, { ok: true })]);
      const response = await send(h, method);
      expect([response.status, response.retries]).toEqual([200, 1]);
      expect(h.clock.delays).toEqual([ms]);
      expect(h.throttle.waitedMs).toBe(ms);
      expect(h.stats).toEqual({ requests: 2, retries: 1 });
      expect(h.platform.lines('info')).toEqual([
        `${method} ${SHOWN} answered ${code}${said}: holding requests for ${(ms / 1000).toFixed(1)} s.`,
        `Retrying ${method} ${SHOWN} after HTTP ${code} (attempt 2 of 6).`
      ]);
      expect(h.logged).toEqual([expect.stringMatching(/ -> 200 \(\d+ ms, 1 retry\)$/)]);
    }
  );

  test.each([
    [{ 'x-ratelimit-remaining': '0', 'x-ratelimit-delay': '3' }, 3000],
    [{ 'x-ratelimit-remaining': '0' }, 1000],
    [{ 'x-ratelimit-remaining': '0', 'retry-after': '600' }, 30_000],
    [{ 'x-ratelimit-remaining': '5', 'x-ratelimit-delay': '3' }, 0]
  ])('a success with %j holds the next request for %i ms', async (headers, ms) => {
    const h = createClientHarness([json(200, { n: 1 }, headers), json(200, { n: 2 })]);
    expect((await send(h)).data).toEqual({ n: 1 });
    expect(h.clock.delays).toEqual([]);
    expect((await send(h)).data).toEqual({ n: 2 });
    expect(h.clock.delays).toEqual(ms ? [ms] : []);
    expect(h.throttle.waitedMs).toBe(ms);
    if (ms)
      expect(h.platform.lines('info')).toContain(
        `Azure DevOps reports the rate limit for dev.azure.com is used up (X-RateLimit-Remaining: 0): holding requests for ${(ms / 1000).toFixed(1)} s.`
      );
  });

  test.each([429, 503])(
    'a %i that also says X-RateLimit-Remaining: 0 holds requests once, for its own Retry-After',
    async (code) => {
      const h = createClientHarness([
        status(code, { 'x-ratelimit-remaining': '0', 'retry-after': '2' }),
        json(200, {})
      ]);
      expect((await send(h)).status).toBe(200);
      expect(h.platform.lines('info')).toEqual([
        `GET ${SHOWN} answered ${code} (Retry-After 2): holding requests for 2.0 s.`,
        `Retrying GET ${SHOWN} after HTTP ${code} (attempt 2 of 6).`
      ]);
      expect(h.clock.delays).toEqual([2000]);
    }
  );

  test('a Retry-After of exactly the 120 s budget is waited for', async () => {
    const h = createClientHarness([status(429, { 'retry-after': '120' }), json(200, {})]);
    const response = await send(h);
    expect([response.status, response.retries]).toEqual([200, 1]);
    expect(h.clock.delays).toEqual([120_000]);
  });

  test('a Retry-After beyond the 120 s budget is not waited for: the 429 comes back', async () => {
    const h = createClientHarness([status(429, { 'retry-after': '121' }), json(200, {})]);
    expect((await send(h)).status).toBe(429);
    expect(h.transport.requests).toHaveLength(1);
  });

  test('waits add up against the budget: 100 s, then another 100 s is too much', async () => {
    const h = createClientHarness([status(429, { 'retry-after': '100' })]);
    const response = await send(h);
    expect([response.status, response.retries, h.transport.requests.length]).toEqual([429, 1, 2]);
    expect(h.clock.delays).toEqual([100_000]);
  });
});

describe('DevOpsClient: retries', () => {
  test.each(['GET', 'HEAD', 'PUT', 'DELETE'])(
    '%s is retried after 500, 502 and 408 with backoff',
    async (method) => {
      const h = createClientHarness([status(500), status(502), status(408), json(200, {})]);
      const response = await send(h, method);
      expect([response.status, response.retries]).toEqual([200, 3]);
      expect(h.clock.delays).toEqual([250, 500, 1000]);
      expect(h.platform.lines('info')).toEqual([
        `Retrying ${method} ${SHOWN} after HTTP 500 (attempt 2 of 6).`,
        `Retrying ${method} ${SHOWN} after HTTP 502 (attempt 3 of 6).`,
        `Retrying ${method} ${SHOWN} after HTTP 408 (attempt 4 of 6).`
      ]);
      expect(h.logged).toEqual([expect.stringMatching(/ -> 200 \(\d+ ms, 3 retries\)$/)]);
    }
  );

  test.each(['POST', 'PATCH'])('%s is not retried after a 500 or a network error', async (method) => {
    const h = createClientHarness([status(500), json(200, {})]);
    expect((await send(h, method)).status).toBe(500);
    const down = createClientHarness([offline(), json(200, {})]);
    expect(await rejectionOf(send(down, method))).toBeInstanceOf(NetworkError);
    expect([h.transport.requests.length, down.transport.requests.length]).toEqual([1, 1]);
  });

  test('network errors and timeouts are retried for GET', async () => {
    const timeout = new EndpointTimeoutError('Azure DevOps host dev.azure.com', URL_TEXT, 60);
    const h = createClientHarness([offline(), timeout, json(200, { up: 1 })]);
    expect((await send(h)).data).toEqual({ up: 1 });
    expect(h.platform.lines('info')[0]).toBe(
      `Retrying GET ${SHOWN} after Could not reach the Azure DevOps host (x): reset. (attempt 2 of 6).`
    );
    expect(h.clock.delays).toEqual([250, 500]);
  });

  test('attempts stop at 6: the last answer or error comes back', async () => {
    const h = createClientHarness([status(503)]);
    const response = await send(h);
    expect([response.status, response.retries, h.stats.retries]).toEqual([503, 5, 5]);
    expect(h.clock.delays).toEqual([250, 500, 1000, 2000, 4000]);
    const down = createClientHarness([offline()]);
    expect((await rejectionOf(send(down))).message).toContain('Could not reach the Azure DevOps host');
    expect(down.transport.requests).toHaveLength(6);
  });

  test('other errors from the transport are not retried', async () => {
    const h = createClientHarness([new TypeError('bad header'), json(200, {})]);
    expect((await rejectionOf(send(h))).message).toBe('bad header');
    expect(h.transport.requests).toHaveLength(1);
  });
});

describe('DevOpsClient: the default sleep', () => {
  afterEach(() => {
    jest.useRealTimers();
  });

  test('without a sleep of its own, a retry waits its backoff on the real timers', async () => {
    jest.useFakeTimers();
    const { guard } = createTestGuard();
    const clock = createFakeClock();
    const transport = createFakeTransport([status(500), json(200, { ok: 1 })]);
    const client = createDevOpsClient({
      transport,
      tokens: createFakeTokens(['t-0001']),
      hosts: createHostPolicy(ORG, []),
      throttle: createThrottle(guard, clock.sleep, clock.now),
      guard,
      identity: IDENTITY,
      organizationName: 'contoso',
      logRequest: () => undefined
    });
    const pending = client.send({ method: 'GET', url: new URL(URL_TEXT) });
    await jest.advanceTimersByTimeAsync(249);
    expect(transport.requests).toHaveLength(1);
    await jest.advanceTimersByTimeAsync(1);
    expect(transport.requests).toHaveLength(2);
    expect((await pending).data).toEqual({ ok: 1 });
  });
});

describe('DevOpsClient: 401', () => {
  test('gets a new token once and retries with it', async () => {
    const h = createClientHarness([status(401), json(200, { ok: 1 })]);
    const response = await send(h, 'POST');
    expect([response.status, response.retries, h.tokens.refreshes]).toEqual([200, 1, 1]);
    expect(h.transport.requests.map((r) => r.headers?.authorization)).toEqual([
      'Bearer first-access-token-0001',
      'Bearer second-access-token-0002'
    ]);
    expect(h.platform.lines('info')).toEqual([
      `POST ${SHOWN} answered 401: getting a new access token and trying once more.`,
      `Retrying POST ${SHOWN} after a token refresh (attempt 2 of 6).`
    ]);
    expect(h.clock.delays).toEqual([]);
  });

  test('a second 401 is returned, after only one refresh', async () => {
    const h = createClientHarness([status(401)]);
    expect((await send(h)).status).toBe(401);
    expect([h.transport.requests.length, h.tokens.refreshes]).toEqual([2, 1]);
  });

  test('refreshOn401: false returns the first 401 as it is', async () => {
    const h = createClientHarness([status(401), json(200, {})]);
    expect((await send(h, 'GET', false)).status).toBe(401);
    expect([h.transport.requests.length, h.tokens.refreshes]).toEqual([1, 0]);
  });
});
