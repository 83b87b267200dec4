import { azureDevOpsError, type TokenIdentity } from './errors.js';
import { followRedirect, REDIRECT_STATUSES } from './redirect.js';
import { EndpointTimeoutError, ResponseTooLargeError } from '../errors.js';
import {
  displayUrl,
  lowerCaseKeys,
  NetworkError,
  type Deadline,
  type HttpResponse,
  type HttpTransport
} from '../http/transport.js';
import type { HostPolicy } from './host-policy.js';
import { backoffMs, retryAfterMs, type RetryPolicy } from '../http/retry.js';
import type { SecretGuard } from '../secrets.js';
import type { Throttle } from '../http/throttle.js';
import type { TokenProvider } from '../auth/token-provider.js';

// Reading Azure DevOps answers: the body as data, the rate-limit reset, the debug excerpt.

/** Milliseconds until X-RateLimit-Reset (epoch seconds), when the header is there. */
export function resetDelayMs(headers: Record<string, string>): number | undefined {
  const reset = Number(headers['x-ratelimit-reset']);
  return Number.isFinite(reset) && reset > 0 ? Math.max(0, reset * 1000 - Date.now()) : undefined;
}

/** Parsed JSON body; the text for non-JSON bodies; null when empty. */
export function parseBody(response: HttpResponse): unknown {
  if (response.body === '') return null;
  // String(undefined) is 'undefined': no content type reads as not JSON.
  if (/json/i.test(String(response.headers['content-type'])) || /^[[{]/.test(response.body.trimStart())) {
    try {
      return JSON.parse(response.body) as unknown;
    } catch {
      // Not JSON after all: the text (an empty block, so no mutant can empty it).
    }
  }
  return response.body;
}

/** The body as the debug log shows it: the first 4000 characters. */
export function truncate(text: string): string {
  return text.length > 4000 ? `${text.slice(0, 4000)}… (${text.length} characters)` : text;
}

export interface DevOpsRequest {
  method: string;
  url: URL;
  headers?: Record<string, string>;
  body?: string;
  /** What the request is for, used to start error messages (default: method and URL). */
  description?: string;
  /** On 401 get a new token and retry once (default true; pointless for a token just issued). */
  refreshOn401?: boolean;
  /** The total time this request (retries, rate-limit pauses and redirects included) may take. */
  budget?: Budget;
}

/** A total time budget shared by several requests: verification's, or all the operations'. */
export interface Budget {
  deadline: Deadline;
  /** The error when the budget runs out while `what` is in flight; `detail` says what it was doing. */
  exceeded(what: string, detail: string): Error;
}

export interface DevOpsResponse extends HttpResponse {
  /** Parsed JSON body; the text for non-JSON bodies; null when empty. */
  data: unknown;
  /** The URL that answered (after redirects). */
  url: URL;
  retries: number;
}

/** Counters for the end-of-run summary. */
export interface RequestStats {
  requests: number;
  retries: number;
}

export interface DevOpsClientOptions {
  transport: HttpTransport;
  tokens: TokenProvider;
  hosts: HostPolicy;
  throttle: Throttle;
  guard: SecretGuard;
  /** Who the token is for and the organization, so 401/403/404 messages can name them. */
  identity: TokenIdentity;
  organizationName: string;
  /** Where the one line per request goes (info for operations, debug for verification). */
  logRequest: (line: string) => void;
  stats?: RequestStats;
  policy?: ClientPolicy;
  sleep?: (ms: number) => Promise<void>;
}

export interface ClientPolicy extends RetryPolicy {
  /** The most a single request may spend waiting between its attempts. */
  maxWaitMs: number;
  requestTimeoutMs: number;
  /** Largest response body read, in bytes; beyond it the request fails and the connection is closed. */
  maxResponseBytes: number;
}

export const DEFAULT_CLIENT_POLICY: ClientPolicy = {
  maxAttempts: 6,
  baseDelayMs: 500,
  maxDelayMs: 30_000,
  maxWaitMs: 120_000,
  requestTimeoutMs: 60_000,
  // Room for the largest pages Azure DevOps serves; far above that, Node runs out of heap decoding the JSON.
  maxResponseBytes: 64 * 1024 * 1024
};

const IDEMPOTENT = new Set(['GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS']);
const MAX_REDIRECTS = 5;
const TOO_LARGE_ADVICE =
  'Ask for less per request: use paginate: true with a smaller $top in query, or narrow the query (a path, a date range, fewer fields).';

export interface DevOpsClient {
  send(request: DevOpsRequest): Promise<DevOpsResponse>;
}

/**
 * The one Azure DevOps HTTP client (verification and operations): bearer token with refresh, host
 * allow-list checked before anything is sent, shared rate limiting, bounded retries, no token on
 * cross-origin redirects, and a sign-in page treated as the authentication failure it is.
 */
export function createDevOpsClient(options: DevOpsClientOptions): DevOpsClient {
  const policy = options.policy ?? DEFAULT_CLIENT_POLICY;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  // Stryker disable next-line ObjectLiteral: without options.stats the counters are only ever incremented, never read or handed out.
  const stats = options.stats ?? { requests: 0, retries: 0 };
  const { guard, throttle } = options;

  const what = (request: DevOpsRequest): string =>
    request.description ?? `${request.method} ${displayUrl(request.url)}`;
  /** Throws the budget's error when it has run out (before a request, after a wait). */
  function checkBudget(request: DevOpsRequest, detail: string): void {
    if (request.budget !== undefined && request.budget.deadline.remainingMs() <= 0)
      throw request.budget.exceeded(what(request), detail);
  }

  async function attempt(request: DevOpsRequest, withToken: boolean): Promise<HttpResponse> {
    checkBudget(request, `before ${request.method} ${displayUrl(request.url)} could be sent`);
    await throttle.wait(request.budget?.deadline);
    checkBudget(request, `while requests were held back by Azure DevOps' rate limit`);
    const headers: Record<string, string> = {
      accept: 'application/json',
      'x-tfs-fedauthredirect': 'Suppress',
      ...lowerCaseKeys(request.headers ?? {})
    };
    if (withToken) headers.authorization = `Bearer ${(await options.tokens.get()).token}`;
    stats.requests++;
    const response = await options.transport
      .send({
        method: request.method,
        url: request.url.href,
        headers,
        ...(request.body !== undefined ? { body: request.body } : {}),
        endpoint: `Azure DevOps host ${request.url.host}`,
        timeoutMs: policy.requestTimeoutMs,
        maxBytes: policy.maxResponseBytes,
        tooLargeAdvice: TOO_LARGE_ADVICE,
        ...(request.budget ? { deadline: request.budget.deadline } : {})
      })
      .catch((error: unknown) => {
        // The transport names the endpoint; the operation's name says which of the user's requests it was.
        if (error instanceof ResponseTooLargeError && request.description !== undefined)
          throw new ResponseTooLargeError(`${request.description}: ${error.message}`, error.limit);
        throw error;
      });
    // A 429/503 pauses with its own Retry-After in the retry loop; this is the warning before being blocked.
    if (
      response.headers['x-ratelimit-remaining'] === '0' &&
      response.status !== 429 &&
      response.status !== 503
    ) {
      const delay = retryAfterMs(response.headers) ?? resetDelayMs(response.headers) ?? 1000;
      throttle.pause(
        Math.min(delay, policy.maxDelayMs),
        `Azure DevOps reports the rate limit for ${request.url.host} is used up (X-RateLimit-Remaining: 0)`
      );
    }
    return response;
  }

  async function sendOnce(
    request: DevOpsRequest
  ): Promise<{ response: HttpResponse; url: URL; retries: number }> {
    options.hosts.check(request.url);
    let retries = 0;
    let waited = 0;
    let refreshed = request.refreshOn401 === false;
    for (let attemptNo = 1; ; attemptNo++) {
      let outcome: HttpResponse | Error;
      try {
        outcome = await attempt(request, true);
      } catch (error) {
        // The transport cut the request off at the budget's end: say so, not "did not answer in time".
        if (error instanceof EndpointTimeoutError)
          checkBudget(request, `while waiting for ${request.method} ${displayUrl(request.url)} to answer`);
        if (!(error instanceof NetworkError || error instanceof EndpointTimeoutError)) throw error;
        outcome = error;
      }
      let delay: number | undefined;
      // Stryker disable next-line StringLiteral: every branch that sets a delay also sets why, and why is read only when there is a delay.
      let why = '';
      if (!(outcome instanceof Error) && outcome.status === 401 && !refreshed) {
        refreshed = true;
        guard.info(
          `${request.method} ${displayUrl(request.url)} answered 401: getting a new access token and trying once more.`
        );
        await options.tokens.refresh();
        delay = 0;
        why = 'after a token refresh';
      } else if (!(outcome instanceof Error) && (outcome.status === 429 || outcome.status === 503)) {
        delay = retryAfterMs(outcome.headers) ?? backoffMs(attemptNo, policy);
        why = `after HTTP ${outcome.status}`;
      } else if (
        IDEMPOTENT.has(request.method) &&
        (outcome instanceof Error || outcome.status === 408 || outcome.status >= 500)
      ) {
        delay = backoffMs(attemptNo, policy);
        why = outcome instanceof Error ? `after ${outcome.message}` : `after HTTP ${outcome.status}`;
      }
      if (delay === undefined || attemptNo >= policy.maxAttempts || waited + delay > policy.maxWaitMs) {
        if (outcome instanceof Error) throw outcome;
        return { response: outcome, url: request.url, retries };
      }
      if (request.budget !== undefined && delay >= request.budget.deadline.remainingMs())
        throw request.budget.exceeded(
          what(request),
          `before it could retry ${request.method} ${displayUrl(request.url)} ${why} (a wait of ${(delay / 1000).toFixed(1)} s)`
        );
      // A 429/503 holds every request at the shared throttle (the limit is per identity), this one included.
      if (isThrottled(outcome)) {
        const retryAfter = outcome.headers['retry-after'];
        throttle.pause(
          delay,
          `${request.method} ${displayUrl(request.url)} answered ${outcome.status}${retryAfter ? ` (Retry-After ${retryAfter})` : ''}`
        );
      }
      retries++;
      stats.retries++;
      waited += delay;
      guard.info(
        `Retrying ${request.method} ${displayUrl(request.url)} ${why} (attempt ${attemptNo + 1} of ${policy.maxAttempts}).`
      );
      if (!isThrottled(outcome) && delay > 0) await sleep(delay);
    }
  }

  return {
    async send(request) {
      const started = Date.now();
      let current = request;
      let { response, url, retries } = await sendOnce(current);
      // Once the request has left the original origin, the token never goes along again.
      let onOrigin = true;
      for (let hops = 0; REDIRECT_STATUSES.has(response.status) && response.headers.location; hops++) {
        if (hops >= MAX_REDIRECTS)
          throw new Error(
            `${request.method} ${displayUrl(request.url)} was redirected more than ${MAX_REDIRECTS} times.`
          );
        const hop = followRedirect(
          request,
          current,
          response.status,
          response.headers.location,
          url,
          onOrigin,
          what(request)
        );
        current = { ...hop.request, ...(request.budget ? { budget: request.budget } : {}) };
        if (hop.sameOrigin) {
          const next = await sendOnce(current);
          ({ response, url } = next);
          retries += next.retries;
          continue;
        }
        // Another host never gets the token, allowed or not; it gets a bare GET/HEAD without Authorization.
        if (onOrigin) {
          guard.info(
            `${request.method} ${displayUrl(url)} redirected to ${current.url.host}: following without the Authorization header, the body or custom headers.`
          );
        }
        onOrigin = false;
        checkBudget(current, `before following the redirect to ${current.url.host}`);
        try {
          response = await attempt(current, false);
        } catch (error) {
          if (error instanceof EndpointTimeoutError)
            checkBudget(current, `while waiting for ${current.url.host} to answer`);
          throw error;
        }
        url = current.url;
      }
      const duration = Date.now() - started;
      options.logRequest(
        `${request.method} ${displayUrl(request.url)} -> ${response.status} (${duration} ms${retries ? `, ${retries} ${retries === 1 ? 'retry' : 'retries'}` : ''})`
      );
      guard.debug(`Response body: ${truncate(response.body)}`);
      if (
        response.status === 203 ||
        (response.status >= 200 &&
          response.status < 300 &&
          // Stryker disable next-line StringLiteral: without a content type any text that is not text/html is not HTML, just as '' is not.
          /text\/html/i.test(response.headers['content-type'] ?? ''))
      ) {
        throw azureDevOpsError(
          request.description ?? `${request.method} ${displayUrl(request.url)}`,
          displayUrl(url),
          response,
          options.identity,
          options.organizationName,
          true
        );
      }
      return { ...response, data: parseBody(response), url, retries };
    }
  };
}

function isThrottled(outcome: HttpResponse | Error): outcome is HttpResponse {
  return !(outcome instanceof Error) && (outcome.status === 429 || outcome.status === 503);
}
