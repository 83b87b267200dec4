// Test-control routes with per-key state under `/{org}/_test/`: throttling (429 + Retry-After),
// flaky failures, slow-down advice (X-RateLimit-Remaining: 0) and a token revoked on first use.
import { randomUUID } from 'node:crypto';
import { adoError, authChallenge, TF_ANONYMOUS, TF_THROTTLED } from './errors.js';
import { versioned } from './rest.js';

/**
 * @typedef {object} ThrottleEntry
 * @property {number} time       arrival, epoch ms (wall clock; the request record's `time`)
 * @property {number} status
 * @property {number | null} retryAfterMs  how long the answer asked the client to wait (null: no advice)
 */

/**
 * @param {{ devops: ReturnType<typeof import('./devops.js').createDevOps>['devops'], httpsUrl: string }} deps
 */
export function createTestingRoutes({ devops, httpsUrl }) {
  /** @type {Map<string, number>} `route key` → requests seen */
  const counters = new Map();
  /** @type {Map<string, ThrottleEntry[]>} */
  const throttleLogs = new Map();
  /** @type {Map<string, string>} key → fingerprint of the token revoked for it */
  const revoked = new Map();

  /**
   * @param {string} route
   * @param {string} key
   */
  const count = (route, key) => {
    const attempts = (counters.get(`${route} ${key}`) ?? 0) + 1;
    counters.set(`${route} ${key}`, attempts);
    return attempts;
  };
  /**
   * @param {string} key
   * @param {ThrottleEntry} entry
   */
  const log = (key, entry) => throttleLogs.set(key, [...(throttleLogs.get(key) ?? []), entry]);
  /** @param {string} delaySeconds the X-RateLimit-* headers of an exhausted budget */
  const rateLimitHeaders = (delaySeconds) => ({
    'x-ratelimit-resource': 'Core',
    'x-ratelimit-delay': delaySeconds,
    'x-ratelimit-limit': '200',
    'x-ratelimit-remaining': '0',
    'x-ratelimit-reset': String(Math.ceil(Date.now() / 1000 + Number(delaySeconds)))
  });
  /**
   * @param {string} name query parameter
   * @param {string} value
   */
  const badNumber = (name, value) =>
    adoError(
      400,
      `The value '${value}' of query parameter '${name}' is not a valid number.`,
      'ArgumentException'
    );
  const SECONDS = /^\d+(\.\d+)?$/;
  const COUNT = /^\d+$/;

  devops.route(
    'GET',
    '/_test/throttled',
    versioned((req) => {
      const { key = '', times = '1', retryAfter = '1' } = req.query;
      if (!COUNT.test(times)) return badNumber('times', times);
      if (!SECONDS.test(retryAfter)) return badNumber('retryAfter', retryAfter);
      const attempts = count('throttled', key);
      if (attempts <= Number(times)) {
        log(key, { time: req.time, status: 429, retryAfterMs: Number(retryAfter) * 1000 });
        req.note = `throttled: 429 (${attempts} of ${times}), Retry-After ${retryAfter}`;
        const headers = { 'retry-after': retryAfter, ...rateLimitHeaders(retryAfter) };
        return adoError(429, TF_THROTTLED, 'RequestBlockedException', headers);
      }
      log(key, { time: req.time, status: 200, retryAfterMs: null });
      req.note = `throttled: 200 after ${attempts - 1} throttled`;
      return { status: 200, body: { ok: true, attempts } };
    })
  );

  for (const method of ['GET', 'POST', 'PUT', 'PATCH', 'DELETE']) {
    devops.route(
      method,
      '/_test/flaky',
      versioned((req) => {
        const { key = '', failures = '1', status = '503', retryAfter } = req.query;
        if (!COUNT.test(failures)) return badNumber('failures', failures);
        if (!/^[1-5]\d\d$/.test(status)) return badNumber('status', status);
        if (retryAfter !== undefined && !SECONDS.test(retryAfter)) return badNumber('retryAfter', retryAfter);
        const attempts = count('flaky', key);
        if (attempts <= Number(failures)) {
          req.note = `flaky: ${status} (${attempts} of ${failures})`;
          // The message names the answer's own ActivityId, as the service's does.
          const activityId = randomUUID();
          const headers = {
            activityid: activityId,
            'x-tfs-session': activityId,
            ...(retryAfter === undefined ? {} : { 'retry-after': retryAfter })
          };
          const message = `TF400898: An Internal Error Occurred. Activity Id: ${activityId}.`;
          return adoError(
            Number(status),
            message,
            status === '503' ? 'VssServiceUnavailableException' : 'VssServiceException',
            headers
          );
        }
        req.note = `flaky: 200 after ${attempts - 1} failures`;
        return { status: 200, body: { ok: true, attempts } };
      })
    );
  }

  devops.route(
    'GET',
    '/_test/slowdown',
    versioned((req) => {
      const { key = '', delay = '0.2' } = req.query;
      if (!SECONDS.test(delay)) return badNumber('delay', delay);
      const attempts = count('slowdown', key);
      log(key, { time: req.time, status: 200, retryAfterMs: Number(delay) * 1000 });
      req.note = `slowdown: 200, X-RateLimit-Remaining 0, X-RateLimit-Delay ${delay}`;
      return { status: 200, headers: rateLimitHeaders(delay), body: { ok: true, attempts } };
    })
  );

  devops.route(
    'GET',
    '/_test/revoke-once',
    versioned((req, { org }) => {
      const key = req.query.key ?? '';
      const fingerprint = req.tokenFingerprint ?? '';
      if (!revoked.has(key)) revoked.set(key, fingerprint);
      if (revoked.get(key) === fingerprint) {
        req.note = `revoke-once: 401, token ${fingerprint} is revoked for key '${key}'`;
        return adoError(
          401,
          TF_ANONYMOUS,
          'UnauthorizedRequestException',
          authChallenge(org.tenantId, httpsUrl)
        );
      }
      req.note = `revoke-once: 200, token ${fingerprint} differs from the revoked one`;
      return { status: 200, body: { ok: true } };
    })
  );

  return {
    api: {
      /**
       * Requests to `_test/throttled` and `_test/slowdown` with this `key`, in arrival order.
       * @param {string} key
       * @returns {ThrottleEntry[]}
       */
      throttleLog: (key) => [...(throttleLogs.get(key) ?? [])]
    },
    /** Forgets every per-key counter, log and revoked token. */
    reset() {
      counters.clear();
      throttleLogs.clear();
      revoked.clear();
    }
  };
}
