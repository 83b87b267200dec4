import { azureDevOpsError, type TokenIdentity } from './azure-devops-errors.js';
import { EndpointTimeoutError } from './errors.js';
import { NetworkError, type HttpResponse, type HttpTransport } from './http.js';
import type { HostPolicy } from './host-policy.js';
import { backoffMs, retryAfterMs, type RetryPolicy } from './retry.js';
import type { SecretGuard } from './secrets.js';
import type { Throttle } from './throttle.js';
import type { TokenProvider } from './token-provider.js';

export interface DevOpsRequest {
  method: string;
  url: URL;
  headers?: Record<string, string>;
  body?: string;
  /** What the request is for, used to start error messages (default: method and URL). */
  description?: string;
  /** On 401 get a new token and retry once (default true; pointless for a token just issued). */
  refreshOn401?: boolean;
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
}

export const DEFAULT_CLIENT_POLICY: ClientPolicy = {
  maxAttempts: 6,
  baseDelayMs: 500,
  maxDelayMs: 30_000,
  maxWaitMs: 120_000,
  requestTimeoutMs: 60_000
};

const IDEMPOTENT = new Set(['GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS']);
const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const MAX_REDIRECTS = 5;

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
  const stats = options.stats ?? { requests: 0, retries: 0 };
  const { guard, throttle } = options;

  async function attempt(request: DevOpsRequest, withToken: boolean): Promise<HttpResponse> {
    await throttle.wait();
    const headers: Record<string, string> = {
      accept: 'application/json',
      'x-tfs-fedauthredirect': 'Suppress',
      ...lower(request.headers ?? {})
    };
    if (withToken) headers.authorization = `Bearer ${(await options.tokens.get()).token}`;
    stats.requests++;
    const response = await options.transport.send({
      method: request.method,
      url: request.url.href,
      headers,
      ...(request.body !== undefined ? { body: request.body } : {}),
      endpoint: `Azure DevOps host ${request.url.host}`,
      timeoutMs: policy.requestTimeoutMs
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
        if (!(error instanceof NetworkError || error instanceof EndpointTimeoutError)) throw error;
        outcome = error;
      }
      let delay: number | undefined;
      let why = '';
      if (!(outcome instanceof Error) && outcome.status === 401 && !refreshed) {
        refreshed = true;
        guard.info(
          `${request.method} ${shown(request.url)} answered 401: getting a new access token and trying once more.`
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
      // A 429/503 holds every request at the shared throttle (the limit is per identity), this one included.
      if (isThrottled(outcome)) {
        const retryAfter = outcome.headers['retry-after'];
        throttle.pause(
          delay,
          `${request.method} ${shown(request.url)} answered ${outcome.status}${retryAfter ? ` (Retry-After ${retryAfter})` : ''}`
        );
      }
      retries++;
      stats.retries++;
      waited += delay;
      guard.info(
        `Retrying ${request.method} ${shown(request.url)} ${why} (attempt ${attemptNo + 1} of ${policy.maxAttempts}).`
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
      let withToken = true;
      for (let hops = 0; REDIRECTS.has(response.status) && response.headers.location; hops++) {
        if (hops >= MAX_REDIRECTS)
          throw new Error(
            `${request.method} ${shown(request.url)} was redirected more than ${MAX_REDIRECTS} times.`
          );
        const target = new URL(response.headers.location, url);
        const method = response.status === 303 ? 'GET' : current.method;
        current = {
          ...current,
          method,
          url: target,
          ...(method === 'GET' ? { body: undefined } : {})
        } as DevOpsRequest;
        if (withToken && target.origin === url.origin) {
          const next = await sendOnce(current);
          ({ response, url } = next);
          retries += next.retries;
          continue;
        }
        // Another host never gets the token, allowed or not; it gets the request without Authorization.
        if (target.protocol !== 'https:' && !(target.protocol === 'http:' && url.protocol === 'http:')) {
          throw new Error(
            `${request.method} ${shown(request.url)} redirected to ${target.protocol}//${target.host}, which is not https; the redirect was not followed.`
          );
        }
        if (withToken) {
          guard.info(
            `${request.method} ${shown(url)} redirected to ${target.host}: following without the Authorization header.`
          );
        }
        withToken = false;
        response = await attempt(current, false);
        url = target;
      }
      const duration = Date.now() - started;
      options.logRequest(
        `${request.method} ${shown(request.url)} -> ${response.status} (${duration} ms${retries ? `, ${retries} ${retries === 1 ? 'retry' : 'retries'}` : ''})`
      );
      guard.debug(`Response body: ${truncate(response.body)}`);
      if (
        response.status === 203 ||
        (response.status >= 200 &&
          response.status < 300 &&
          /text\/html/i.test(response.headers['content-type'] ?? ''))
      ) {
        throw azureDevOpsError(
          request.description ?? `${request.method} ${shown(request.url)}`,
          shown(url),
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

function resetDelayMs(headers: Record<string, string>): number | undefined {
  const reset = Number(headers['x-ratelimit-reset']);
  return Number.isFinite(reset) && reset > 0 ? Math.max(0, reset * 1000 - Date.now()) : undefined;
}

function parseBody(response: HttpResponse): unknown {
  if (response.body === '') return null;
  if (/json/i.test(response.headers['content-type'] ?? '') || /^[[{]/.test(response.body.trimStart())) {
    try {
      return JSON.parse(response.body) as unknown;
    } catch {
      return response.body;
    }
  }
  return response.body;
}

/**
 * URL as logged and quoted in errors: without its query, as the README promises. A query may hold values
 * rendered from templates or continuation tokens, and is seldom what a reader needs to find the request.
 */
export function shown(url: URL): string {
  return `${url.origin}${url.pathname}`;
}

function lower(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
}

function truncate(text: string): string {
  return text.length > 4000 ? `${text.slice(0, 4000)}… (${text.length} characters)` : text;
}
