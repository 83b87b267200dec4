import { EndpointTimeoutError, ProxyError, ResponseTooLargeError } from '../errors.js';
import type { Deadline, HttpRequest, HttpResponse, HttpTransport } from './transport.js';
import type { Logger } from '../platform.js';

export interface RetryPolicy {
  /** Total tries including the first. */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxAttempts: 4, baseDelayMs: 500, maxDelayMs: 8000 };

export interface RetryContext {
  transport: HttpTransport;
  deadline: Deadline;
  logger: Logger;
  policy?: RetryPolicy;
  sleep?: (ms: number) => Promise<void>;
  /** Fraction of jitter source, for tests: returns [0, 1). */
  random?: () => number;
}

export function isTransientStatus(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

/** Parses Retry-After (seconds or an HTTP date) into milliseconds. */
export function retryAfterMs(headers: Record<string, string>, now: number = Date.now()): number | undefined {
  const value = headers['retry-after'] ?? headers['x-ratelimit-delay'];
  // Stryker disable next-line ConditionalExpression: without the early return, Number(undefined) and Date.parse(undefined) are NaN and give undefined too; the line only says so plainly.
  if (value === undefined) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Exponential backoff with full jitter on the upper half: base·2^(n-1)·[0.5, 1). */
export function backoffMs(attempt: number, policy: RetryPolicy, random: () => number = Math.random): number {
  const exponential = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return Math.round(exponential * (0.5 + random() / 2));
}

const defaultSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Sends an idempotent request, retrying transient statuses (408, 429, 5xx) and network errors with
 * backoff, within both the attempt limit and the run's time budget. Each retry is logged.
 */
export async function sendWithRetry(request: HttpRequest, context: RetryContext): Promise<HttpResponse> {
  const policy = context.policy ?? DEFAULT_RETRY_POLICY;
  const sleep = context.sleep ?? defaultSleep;
  for (let attempt = 1; ; attempt++) {
    let outcome: HttpResponse | Error;
    try {
      outcome = await context.transport.send({ ...request, deadline: context.deadline });
      if (!isTransientStatus(outcome.status)) return outcome;
    } catch (error) {
      // The same proxy or the same oversized answer would come back: retrying only spends the budget.
      if (error instanceof ProxyError || error instanceof ResponseTooLargeError) throw error;
      outcome = error instanceof Error ? error : new Error(String(error));
    }
    const hinted = outcome instanceof Error ? undefined : retryAfterMs(outcome.headers);
    const delay = hinted ?? backoffMs(attempt, policy, context.random);
    const remaining = context.deadline.remainingMs();
    const lastTry = attempt >= policy.maxAttempts || delay >= remaining - 1000;
    if (lastTry) {
      if (outcome instanceof Error) throw outcome;
      return outcome;
    }
    const what =
      outcome instanceof Error
        ? outcome instanceof EndpointTimeoutError
          ? 'did not answer in time'
          : `failed (${outcome.message})`
        : `answered HTTP ${outcome.status}`;
    context.logger.info(
      `The ${request.endpoint} ${what}; retrying in ${(delay / 1000).toFixed(1)} s (attempt ${attempt + 1} of ${policy.maxAttempts}).`
    );
    await sleep(delay);
  }
}
