// Fault injection: per-service queues of steps consumed one per request before normal handling.

/**
 * @typedef {object} FaultStep
 * @property {number} [status]   answer with this status instead of handling the request
 * @property {unknown} [body]    response body for `status` (object → JSON, string as-is)
 * @property {Record<string, string>} [headers] response headers for `status`
 * @property {number} [delayMs]  wait this long first (then apply `status`/`hang`, or handle normally)
 * @property {boolean} [hang]    never answer; the socket stays open until `close()`
 * @property {boolean} [always]  keep the step at the head of the queue: it applies to every request
 */

/**
 * @returns {{
 *   add: (service: string, steps: FaultStep[]) => void,
 *   take: (service: string) => FaultStep | undefined,
 *   clear: () => void
 * }}
 */
export function createFaultQueues() {
  /** @type {Map<string, FaultStep[]>} */
  const queues = new Map();
  return {
    add(service, steps) {
      for (const step of steps) validateStep(step);
      queues.set(service, [...(queues.get(service) ?? []), ...steps]);
    },
    take(service) {
      const queue = queues.get(service);
      const step = queue?.[0];
      if (queue && step && !step.always) queue.shift();
      return step;
    },
    clear() {
      queues.clear();
    }
  };
}

/** @param {FaultStep} step */
function validateStep(step) {
  const known = ['status', 'body', 'headers', 'delayMs', 'hang', 'always'];
  const unknown = Object.keys(step ?? {}).filter((key) => !known.includes(key));
  if (!step || typeof step !== 'object' || unknown.length > 0) {
    throw new TypeError(`A fault step is an object with ${known.join(', ')}; got ${JSON.stringify(step)}.`);
  }
  if (step.status === undefined && step.delayMs === undefined && !step.hang) {
    throw new TypeError('A fault step needs at least one of status, delayMs or hang.');
  }
}

/**
 * The response a `status` fault step answers with.
 * @param {FaultStep} step
 * @returns {import('./router.js').EmulatorResponse}
 */
export function faultResponse(step) {
  return { status: step.status ?? 500, headers: step.headers ?? {}, body: step.body ?? '' };
}

/**
 * Timers for `delayMs` faults that `cancelAll` ends at shutdown, so no timer outlives the emulator.
 * `sleep` resolves true after the delay, false when cancelled.
 */
export function createSleeper() {
  /** @type {Map<NodeJS.Timeout, (finished: boolean) => void>} */
  const pending = new Map();
  return {
    /** @param {number} ms */
    sleep(ms) {
      return new Promise((resolve) => {
        const timer = setTimeout(() => {
          pending.delete(timer);
          resolve(true);
        }, ms);
        pending.set(timer, resolve);
      });
    },
    cancelAll() {
      for (const [timer, resolve] of pending) {
        clearTimeout(timer);
        resolve(false);
      }
      pending.clear();
    }
  };
}
