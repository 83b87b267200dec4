import type { Deadline } from './transport.js';
import type { Logger } from '../platform.js';

/**
 * Shared by every request of a run, so concurrent for-each items slow down together when Azure DevOps
 * says so (429 / 503 with Retry-After, or X-RateLimit-Remaining: 0) instead of each hitting the limit.
 */
export interface Throttle {
  /** Resolves when requests may be sent again, or when `deadline` runs out, whichever comes first. */
  wait(deadline?: Deadline): Promise<void>;
  /** Holds every request back for `ms` (extends, never shortens, a pause in force). */
  pause(ms: number, reason: string): void;
  /** Wall-clock time during which at least one request was held back, in milliseconds. */
  readonly waitedMs: number;
}

export function createThrottle(
  logger: Logger,
  sleep: (ms: number) => Promise<void>,
  now: () => number = Date.now
): Throttle {
  let notBefore = 0;
  let waitedMs = 0;
  // Waiting is counted once per stretch of wall-clock time, however many requests wait through it,
  // and only when some request actually waits (a pause after the last request costs nothing).
  let countedUntil = 0;
  return {
    async wait(deadline) {
      for (let delay = notBefore - now(); delay > 0; delay = notBefore - now()) {
        // A pause longer than the budget left ends with the budget: the caller then reports it.
        const left = deadline?.remainingMs() ?? Infinity;
        if (left <= 0) return;
        const until = Math.min(notBefore, now() + left);
        waitedMs += Math.max(0, until - Math.max(now(), countedUntil));
        countedUntil = Math.max(countedUntil, until);
        await sleep(Math.min(delay, left));
      }
    },
    pause(ms, reason) {
      const until = now() + ms;
      if (until <= notBefore) return;
      notBefore = until;
      logger.info(`${reason}: holding requests for ${(ms / 1000).toFixed(1)} s.`);
    },
    get waitedMs() {
      return waitedMs;
    }
  };
}
