// The test-control routes under `/{org}/_test/`: throttling, flaky failures, slow-down advice,
// revoked tokens, redirects, echo, lists, concurrency statistics and a non-JSON 200.
import { startEmulator } from '../index.js';
import { callDevOps, send } from '../test-client.js';

/** @type {Awaited<ReturnType<typeof startEmulator>>} */
let emu;
/** @type {string} */
let token;
beforeAll(async () => {
  emu = await startEmulator();
  token = emu.issueAccessToken();
});
afterAll(async () => {
  await emu?.close();
});
afterEach(() => {
  emu.reset();
});

/**
 * @param {string} path
 * @param {Parameters<typeof callDevOps>[3]} [options]
 */
const ado = (path, options) => callDevOps(emu, token, path, options);
const sleep = (/** @type {number} */ ms) => new Promise((resolve) => setTimeout(resolve, ms));
const lastDevOpsRecord = () => emu.requestsFor('devops').at(-1);

describe('throttling', () => {
  it('answers 429 with Retry-After and X-RateLimit-* the first `times` requests, then 200', async () => {
    const first = await ado('/_test/throttled?key=t1&times=2&retryAfter=0.3');
    expect(first.status).toBe(429);
    expect(first.headers).toMatchObject({
      'retry-after': '0.3',
      'x-ratelimit-resource': 'Core',
      'x-ratelimit-delay': '0.3',
      'x-ratelimit-limit': '200',
      'x-ratelimit-remaining': '0',
      'x-ratelimit-reset': expect.stringMatching(/^\d{10}$/)
    });
    expect(first.json.typeKey).toBe('RequestBlockedException');
    expect(first.json.message).toMatch(/^TF400733: The request has been canceled: Request was blocked/);
    expect(lastDevOpsRecord()?.note).toBe('throttled: 429 (1 of 2), Retry-After 0.3');
    await sleep(320);
    expect((await ado('/_test/throttled?key=t1&times=2&retryAfter=0.3')).status).toBe(429);
    await sleep(320);
    const ok = await ado('/_test/throttled?key=t1&times=2&retryAfter=0.3');
    expect([ok.status, ok.json]).toEqual([200, { ok: true, attempts: 3 }]);
    const log = emu.devops.throttleLog('t1');
    expect(log.map((entry) => [entry.status, entry.retryAfterMs])).toEqual([
      [429, 300],
      [429, 300],
      [200, null]
    ]);
    for (const [index, entry] of log.slice(1).entries()) {
      expect(entry.time - (log[index]?.time ?? 0)).toBeGreaterThanOrEqual(log[index]?.retryAfterMs ?? 0);
    }
    expect(emu.devops.throttleLog('other')).toEqual([]);
  });

  it('advises slowing down with X-RateLimit-Remaining 0 while answering 200', async () => {
    const res = await ado('/_test/slowdown?key=s1');
    expect(res.status).toBe(200);
    expect(res.headers).toMatchObject({ 'x-ratelimit-remaining': '0', 'x-ratelimit-delay': '0.2' });
    expect(Number(res.headers['x-ratelimit-reset'])).toBeGreaterThanOrEqual(Math.floor(Date.now() / 1000));
    await ado('/_test/slowdown?key=s1&delay=0.05');
    expect(emu.devops.throttleLog('s1').map((entry) => entry.retryAfterMs)).toEqual([200, 50]);
  });
});

describe('flaky and revoked', () => {
  it('fails the first `failures` requests per key with the status asked for', async () => {
    const first = await ado('/_test/flaky?key=f1&failures=2', { method: 'POST', body: {} });
    expect([first.status, first.json.typeKey]).toEqual([503, 'VssServiceUnavailableException']);
    const second = await ado('/_test/flaky?key=f1&failures=2&status=500&retryAfter=1', { method: 'DELETE' });
    expect([second.status, second.headers['retry-after']]).toEqual([500, '1']);
    expect((await ado('/_test/flaky?key=f1&failures=2', { method: 'PUT', body: {} })).json).toEqual({
      ok: true,
      attempts: 3
    });
    expect((await ado('/_test/flaky?key=f2')).status).toBe(503);
    expect(emu.requestsFor('devops').map((record) => record.note)).toEqual([
      'flaky: 503 (1 of 2)',
      'flaky: 500 (2 of 2)',
      'flaky: 200 after 2 failures',
      'flaky: 503 (1 of 1)'
    ]);
  });

  it('revokes the first token seen per key and accepts a different one', async () => {
    const revoked = await ado('/_test/revoke-once?key=r1');
    expect([revoked.status, revoked.json.message]).toEqual([
      401,
      'TF400813: Resource not available for anonymous access. Client authentication required.'
    ]);
    expect(String(revoked.headers['www-authenticate'])).toContain(
      `Bearer authorization_uri=https://login.microsoftonline.com/${emu.tenantId}`
    );
    expect((await ado('/_test/revoke-once?key=r1')).status).toBe(401);
    const fresh = emu.issueAccessToken();
    const ok = await callDevOps(emu, fresh, '/_test/revoke-once?key=r1');
    expect([ok.status, ok.json]).toEqual([200, { ok: true }]);
    const records = emu.requestsFor('devops');
    const prints = records.map((record) => record.tokenFingerprint);
    expect(prints[0]).toBe(prints[1]);
    expect(prints[2]).not.toBe(prints[0]);
    expect(records.map((record) => record.note ?? '')).toEqual([
      expect.stringMatching(/^revoke-once: 401/),
      expect.stringMatching(/^revoke-once: 401/),
      expect.stringMatching(/^revoke-once: 200/)
    ]);
    // Only the request headers carry the token; everything else recorded is free of it.
    expect(JSON.stringify(records.map((record) => ({ ...record, headers: {} })))).not.toContain(fresh);
  });
});

describe('echo, lists, redirects and HTML', () => {
  it('echoes the request without its authorization header', async () => {
    const res = await ado('/_test/echo?x=1', {
      headers: { 'user-agent': 'release-tool/1.0', accept: 'application/json' }
    });
    expect(res.json).toMatchObject({
      method: 'GET',
      path: '/contoso/_test/echo',
      query: { x: '1', 'api-version': '7.1' },
      headers: {
        'user-agent': 'release-tool/1.0',
        accept: 'application/json',
        'x-tfs-fedauthredirect': 'Suppress'
      }
    });
    expect(res.json.headers.authorization).toBeUndefined();
    expect(res.text).not.toContain(token);
  });

  it('lists items and serves each one', async () => {
    expect((await ado('/_test/items?count=3')).json).toEqual({
      count: 3,
      value: [
        { id: 1, name: 'item-1' },
        { id: 2, name: 'item-2' },
        { id: 3, name: 'item-3' }
      ]
    });
    expect((await ado('/_test/items?count=200')).json.value).toHaveLength(200);
    expect((await ado('/_test/item/17')).json).toEqual({ id: 17, name: 'item-17' });
    expect((await ado('/_test/item/17?delayMs=x')).status).toBe(400);
  });

  it('counts concurrent in-flight requests per route, fault delays included', async () => {
    // 200 ms each, so the four overlap even on a loaded machine (the default 5 ms did not always).
    await Promise.all(Array.from({ length: 4 }, (_, i) => ado(`/_test/item/${i + 1}?delayMs=200`)));
    expect(emu.devops.maxConcurrency('item')).toBeGreaterThan(1);
    emu.devops.resetStats();
    emu.fault('devops', { delayMs: 200, always: true });
    await Promise.all(Array.from({ length: 6 }, (_, i) => ado(`/_test/item/${i + 1}?delayMs=0`)));
    emu.clearFaults();
    expect(emu.devops.maxConcurrency('/_test/item/{id}')).toBeGreaterThan(1);
    expect(Math.max(...emu.requestsFor('devops').map((record) => record.inFlight ?? 0))).toBe(
      emu.devops.maxConcurrency('/_test/item/{id}')
    );
    emu.devops.resetStats();
    expect(emu.devops.maxConcurrency('/_test/item/{id}')).toBe(0);
    for (const id of [1, 2, 3]) await ado(`/_test/item/${id}`);
    expect(emu.devops.maxConcurrency('/_test/item/{id}')).toBe(1);
    expect(emu.devops.maxConcurrency()).toBe(1);
    expect(emu.devops.maxConcurrency('item')).toBe(1);
    expect(emu.devops.maxConcurrency('nothing')).toBe(0);
  });

  it('redirects to an absolute URL or a relative path', async () => {
    const to = `${emu.trap.url}/collect?x=1`;
    const res = await ado(`/_test/redirect?to=${encodeURIComponent(to)}`);
    expect([res.status, res.headers.location]).toEqual([302, to]);
    const relative = await ado('/_test/redirect?to=%2Fcontoso%2F_test%2Fecho');
    expect(relative.headers.location).toBe('/contoso/_test/echo');
    expect((await ado('/_test/redirect')).status).toBe(400);
  });

  it('answers 200 text/html for the html route, and requires a token and an api-version', async () => {
    const html = await ado('/_test/html');
    expect([html.status, html.headers['content-type'], html.json]).toEqual([
      200,
      'text/html; charset=utf-8',
      undefined
    ]);
    expect(html.text).toContain('Sign In');
    expect((await send(emu, `${emu.devops.orgUrl}/_test/items?api-version=7.1`)).status).toBe(203);
    const missing = await ado('/_test/items', { apiVersion: false });
    expect([missing.status, missing.json.typeKey]).toEqual([400, 'VssVersionNotSpecifiedException']);
  });
});
