import { jest } from '@jest/globals';
import { EndpointTimeoutError } from '../../../../src/core/errors.js';
import {
  backoffMs,
  DEFAULT_RETRY_POLICY,
  retryAfterMs,
  sendWithRetry,
  type RetryContext
} from '../../../../src/core/http/retry.js';
import {
  createFakeSleep,
  createFakeTransport,
  createRecordingLogger,
  fixedDeadline,
  rejectionOf,
  type TransportStep
} from '../../fakes.js';

describe('retryAfterMs', () => {
  const now = Date.parse('Wed, 21 Oct 2026 07:28:00 GMT');

  test.each([
    [{ 'retry-after': '3' }, 3000],
    [{ 'retry-after': '1.5' }, 1500],
    [{ 'retry-after': '-4' }, 0],
    [{ 'retry-after': 'Wed, 21 Oct 2026 07:28:05 GMT' }, 5000],
    [{ 'retry-after': 'Wed, 21 Oct 2026 07:27:00 GMT' }, 0],
    [{ 'x-ratelimit-delay': '2' }, 2000],
    [{ 'retry-after': '1', 'x-ratelimit-delay': '9' }, 1000]
  ])('%j → %i ms', (headers, expected) => {
    expect(retryAfterMs(headers, now)).toBe(expected);
  });

  test.each([[{}], [{ 'retry-after': 'soon' }]])('%j → undefined', (headers) => {
    expect(retryAfterMs(headers, now)).toBeUndefined();
  });
});

describe('backoffMs', () => {
  const policy = { maxAttempts: 4, baseDelayMs: 500, maxDelayMs: 8000 };

  test.each([
    [1, 0, 250],
    [1, 0.999999, 500],
    [2, 0, 500],
    [3, 0.5, 1500],
    [4, 0, 2000],
    [10, 0, 4000],
    [10, 0.999999, 8000]
  ])('attempt %i with random %f → %i ms', (attempt, random, expected) => {
    expect(backoffMs(attempt, policy, () => random)).toBe(expected);
  });

  test('stays within [half, all] of the capped exponential for any random value', () => {
    for (let attempt = 1; attempt <= 8; attempt++) {
      const cap = Math.min(8000, 500 * 2 ** (attempt - 1));
      for (const r of [0, 0.1, 0.5, 0.9, 0.999]) {
        const delay = backoffMs(attempt, policy, () => r);
        expect(delay).toBeGreaterThanOrEqual(cap / 2);
        expect(delay).toBeLessThanOrEqual(cap);
      }
    }
  });
});

function setup(steps: TransportStep[], remainingMs = 60_000) {
  const transport = createFakeTransport(steps);
  const sleep = createFakeSleep();
  const logger = createRecordingLogger();
  const context: RetryContext = {
    transport,
    sleep,
    logger,
    deadline: fixedDeadline(remainingMs),
    policy: { maxAttempts: 4, baseDelayMs: 1000, maxDelayMs: 8000 },
    random: () => 0
  };
  const send = () =>
    sendWithRetry({ method: 'GET', url: 'https://x.test/a?b=c', endpoint: 'Test endpoint' }, context);
  return { transport, sleep, logger, send };
}

describe('sendWithRetry', () => {
  test.each([429, 500, 502, 503, 408])('retries HTTP %i with backoff and logs each retry', async (status) => {
    const { transport, sleep, logger, send } = setup([{ status }, { status }, { status: 200, body: 'ok' }]);
    const response = await send();
    expect(response.body).toBe('ok');
    expect(transport.requests).toHaveLength(3);
    expect(sleep.delays).toEqual([500, 1000]);
    expect(logger.lines).toEqual([
      `info: The Test endpoint answered HTTP ${status}; retrying in 0.5 s (attempt 2 of 4).`,
      `info: The Test endpoint answered HTTP ${status}; retrying in 1.0 s (attempt 3 of 4).`
    ]);
  });

  test('retries network errors and names them in the log', async () => {
    const { sleep, logger, send } = setup([new Error('connect ECONNREFUSED'), { status: 200, body: 'ok' }]);
    expect((await send()).body).toBe('ok');
    expect(sleep.delays).toEqual([500]);
    expect(logger.lines).toEqual([
      'info: The Test endpoint failed (connect ECONNREFUSED); retrying in 0.5 s (attempt 2 of 4).'
    ]);
  });

  test('says a timed-out attempt did not answer in time', async () => {
    const timeout = new EndpointTimeoutError('Test endpoint', 'https://x.test/a', 5);
    const { logger, send } = setup([timeout, { status: 204 }]);
    expect((await send()).status).toBe(204);
    expect(logger.lines).toEqual([
      'info: The Test endpoint did not answer in time; retrying in 0.5 s (attempt 2 of 4).'
    ]);
  });

  test('honours Retry-After instead of the backoff', async () => {
    const { sleep, logger, send } = setup([
      { status: 429, headers: { 'retry-after': '3' } },
      { status: 200 }
    ]);
    await send();
    expect(sleep.delays).toEqual([3000]);
    expect(logger.lines[0]).toContain('retrying in 3.0 s');
  });

  test('stops at maxAttempts and returns the last response', async () => {
    const { transport, sleep, send } = setup([
      { status: 500, body: 'first' },
      { status: 502, body: 'second' },
      { status: 503, body: 'third' },
      { status: 504, body: 'last' }
    ]);
    const response = await send();
    expect(response).toMatchObject({ status: 504, body: 'last' });
    expect(transport.requests).toHaveLength(4);
    expect(sleep.delays).toEqual([500, 1000, 2000]);
  });

  test('rethrows the last error when every attempt fails', async () => {
    const errors = [new Error('e1'), new Error('e2'), new Error('e3'), new Error('e4')];
    const { transport, send } = setup(errors);
    expect(await rejectionOf(send())).toBe(errors[3]);
    expect(transport.requests).toHaveLength(4);
  });

  test('wraps a thrown non-Error into an Error', async () => {
    const transport = {
      send: () => Promise.reject('plain string') // eslint-disable-line @typescript-eslint/prefer-promise-reject-errors
    };
    const context: RetryContext = {
      transport,
      sleep: createFakeSleep(),
      logger: createRecordingLogger(),
      deadline: fixedDeadline(),
      policy: { ...DEFAULT_RETRY_POLICY, maxAttempts: 1 }
    };
    const error = await rejectionOf(
      sendWithRetry({ method: 'GET', url: 'https://x.test', endpoint: 'E' }, context)
    );
    expect(error.message).toBe('plain string');
  });

  test('stops early when the wait would not leave a second of the deadline', async () => {
    const { transport, sleep, logger, send } = setup([{ status: 503, body: 'busy' }, { status: 200 }], 1400);
    expect(await send()).toMatchObject({ status: 503, body: 'busy' });
    expect(transport.requests).toHaveLength(1);
    expect(sleep.delays).toEqual([]);
    expect(logger.lines).toEqual([]);
  });

  test('stops when the wait would leave exactly one second of the deadline', async () => {
    const { transport, send } = setup([{ status: 503 }, { status: 200 }], 1500);
    expect((await send()).status).toBe(503);
    expect(transport.requests).toHaveLength(1);
  });

  test('retries when the wait leaves just over one second of the deadline', async () => {
    const { transport, send } = setup([{ status: 503 }, { status: 200 }], 1501);
    expect((await send()).status).toBe(200);
    expect(transport.requests).toHaveLength(2);
  });

  test('stops early when Retry-After points past the deadline', async () => {
    const { transport, send } = setup(
      [{ status: 429, headers: { 'retry-after': '30' } }, { status: 200 }],
      20_000
    );
    expect((await send()).status).toBe(429);
    expect(transport.requests).toHaveLength(1);
  });

  test.each([400, 401, 403, 404, 409])('does not retry HTTP %i', async (status) => {
    const { transport, sleep, send } = setup([{ status, body: 'no' }, { status: 200 }]);
    expect(await send()).toMatchObject({ status, body: 'no' });
    expect(transport.requests).toHaveLength(1);
    expect(sleep.delays).toEqual([]);
  });

  test('uses the default policy of four attempts', async () => {
    const transport = createFakeTransport([{ status: 500 }]);
    await sendWithRetry(
      { method: 'GET', url: 'https://x.test', endpoint: 'E' },
      { transport, sleep: createFakeSleep(), logger: createRecordingLogger(), deadline: fixedDeadline() }
    );
    expect(DEFAULT_RETRY_POLICY.maxAttempts).toBe(4);
    expect(transport.requests).toHaveLength(4);
  });

  test('waits with a real timer when no sleep is given', async () => {
    jest.useFakeTimers();
    try {
      const transport = createFakeTransport([{ status: 503 }, { status: 200, body: 'ok' }]);
      const response = sendWithRetry(
        { method: 'GET', url: 'https://x.test', endpoint: 'E' },
        {
          transport,
          logger: createRecordingLogger(),
          deadline: fixedDeadline(),
          policy: { maxAttempts: 2, baseDelayMs: 1000, maxDelayMs: 8000 },
          random: () => 0
        }
      );
      await jest.advanceTimersByTimeAsync(499);
      expect(transport.requests).toHaveLength(1);
      await jest.advanceTimersByTimeAsync(1);
      expect(transport.requests).toHaveLength(2);
      expect((await response).body).toBe('ok');
    } finally {
      jest.useRealTimers();
    }
  });
});
