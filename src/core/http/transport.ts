import http from 'node:http';
import https from 'node:https';
import type { Agent } from 'node:http';
import { EndpointTimeoutError, ProxyError, ResponseTooLargeError } from '../errors.js';
import type { Logger, Platform } from '../platform.js';
import { userAgent } from '../product.js';
import { proxyRefusal, proxyShownFor } from './proxy-refusal.js';

export interface HttpRequest {
  method: string;
  url: string;
  headers?: Record<string, string>;
  body?: string;
  /** What is being called, for messages: "GitHub OIDC endpoint". */
  endpoint: string;
  /** The budget this request belongs to; it is cut off when the budget runs out. */
  deadline?: Deadline;
  /** Overrides the transport's per-request limit (Azure DevOps pages can be slow). */
  timeoutMs?: number;
  /** Overrides the transport's response size limit, in bytes (Azure DevOps answers can be large). */
  maxBytes?: number;
  /** What to do when the response is too large, ending the error message. */
  tooLargeAdvice?: string;
}

export interface HttpResponse {
  status: number;
  /** Lower-case header names. */
  headers: Record<string, string>;
  body: string;
}

/** The part of AbortSignal we use; @azure/identity passes its own AbortSignalLike. */
export interface CancelSignal {
  readonly aborted: boolean;
  readonly reason?: unknown;
  addEventListener(type: 'abort', listener: () => void, options?: { once?: boolean }): void;
  removeEventListener(type: 'abort', listener: () => void): void;
}

export interface HttpTransport {
  send(request: HttpRequest, signal?: CancelSignal): Promise<HttpResponse>;
}

/** The run's total time budget. Every request is cut off when it runs out. */
export interface Deadline {
  readonly seconds: number;
  remainingMs(): number;
}

export function createDeadline(seconds: number, now: () => number = Date.now): Deadline {
  const end = now() + seconds * 1000;
  return { seconds, remainingMs: () => end - now() };
}

export interface TransportOptions {
  agentFor: (url: URL) => Agent | undefined;
  /** A single request may take at most this long, so a retry still fits in the budget. */
  requestTimeoutMs: number;
  userAgent: string;
  logger: Logger;
  /** Response size limit in bytes (default DEFAULT_MAX_RESPONSE_BYTES); a request may raise it. */
  maxResponseBytes?: number;
}

/** Token requests get 20 s each so a retry still fits in the default 50 s budget. */
const REQUEST_TIMEOUT_MS = 20_000;

/**
 * Token, OIDC and metadata answers are a few kilobytes: 1 MiB is generous, and a larger answer is not from
 * the endpoint we meant to reach. Without a limit a runaway answer is buffered whole and can exhaust the heap.
 */
export const DEFAULT_MAX_RESPONSE_BYTES = 1024 * 1024;

/** "64 MiB", "1 MiB", "512 KiB", "100 bytes". */
export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) === 0) return `${bytes / (1024 * 1024)} MiB`;
  if (bytes >= 1024 && bytes % 1024 === 0) return `${bytes / 1024} KiB`;
  return `${bytes} bytes`;
}

/**
 * The URL as logged and quoted in errors: without its query, as the README promises. A query may hold values
 * rendered from templates, continuation tokens or identifiers users did not ask to see, and is seldom what a
 * reader needs to find the request.
 */
export function displayUrl(url: string | URL): string {
  const parsed = typeof url === 'string' ? new URL(url) : url;
  return `${parsed.origin}${parsed.pathname}`;
}

/** The transport of a run (and of the git credential helper): the platform's proxy and name, 20 s a request. */
export function createRunTransport(platform: Platform, logger: Logger): HttpTransport {
  return createTransport({
    agentFor: (url) => platform.agentFor(url),
    requestTimeoutMs: REQUEST_TIMEOUT_MS,
    userAgent: userAgent(platform.name),
    logger
  });
}

/**
 * One HTTP stack for every request the product makes, including those of @azure/identity: it applies
 * the platform's proxy, the time budget and the User-Agent, and logs one debug line per request.
 */
export function createTransport(options: TransportOptions): HttpTransport {
  return {
    send(request, signal) {
      const url = new URL(request.url);
      const timeoutMs = Math.min(
        request.timeoutMs ?? options.requestTimeoutMs,
        request.deadline?.remainingMs() ?? Infinity
      );
      const shown = displayUrl(url);
      if (timeoutMs <= 0) {
        return Promise.reject(
          new EndpointTimeoutError(request.endpoint, shown, request.deadline?.seconds ?? 0)
        );
      }
      const started = Date.now();
      return new Promise<HttpResponse>((resolve, reject) => {
        let failed = false;
        const client = url.protocol === 'http:' ? http : https;
        const headers: Record<string, string> = {
          'user-agent': options.userAgent,
          ...lowerCaseKeys(request.headers ?? {})
        };
        if (request.body !== undefined) headers['content-length'] = String(Buffer.byteLength(request.body));
        const agent = options.agentFor(url);
        const proxy = agent ? proxyShownFor(agent) : undefined;
        const maxBytes = request.maxBytes ?? options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
        const tooLarge = (): ResponseTooLargeError =>
          new ResponseTooLargeError(
            `The ${request.endpoint} (${shown}) sent a response larger than ${formatBytes(maxBytes)}, the limit for this endpoint; it was not read to the end. ${request.tooLargeAdvice ?? 'Check that the URL points at the right endpoint (and that no proxy or captive portal answers in its place).'}`,
            maxBytes
          );
        const req = client.request(
          url,
          { method: request.method, headers, ...(agent ? { agent } : {}) },
          (res) => {
            if (failed) return void res.destroy();
            // A proxy that answers an absolute-URI (http) request itself: its 407 is not the endpoint's.
            if (proxy !== undefined && res.statusCode === 407) {
              res.destroy();
              return fail(proxyRefusal(proxy, 407, request.endpoint, url));
            }
            if (Number(res.headers['content-length']) > maxBytes) {
              res.destroy();
              return fail(tooLarge());
            }
            const chunks: Buffer[] = [];
            let received = 0;
            res.on('data', (chunk: Buffer) => {
              received += chunk.length;
              // Stop reading at once: keeping the rest would cost the memory the limit is there to save.
              if (received > maxBytes) {
                res.destroy();
                req.destroy();
                fail(tooLarge());
                return;
              }
              chunks.push(chunk);
            });
            res.on('error', fail);
            res.on('end', () => {
              if (failed) return;
              cleanup();
              const status = res.statusCode ?? 0;
              options.logger.debug(`${request.method} ${shown} -> ${status} (${Date.now() - started} ms)`);
              resolve({
                status,
                headers: flattenHeaders(res.headers),
                body: Buffer.concat(chunks).toString('utf8')
              });
            });
          }
        );
        const timer = setTimeout(() => {
          const seconds = Math.round(timeoutMs / 100) / 10;
          req.destroy();
          fail(new EndpointTimeoutError(request.endpoint, shown, seconds));
        }, timeoutMs);
        const onAbort = (): void => {
          req.destroy();
          fail(
            signal?.reason instanceof Error
              ? signal.reason
              : new Error(`The request to the ${request.endpoint} was cancelled`)
          );
        };
        signal?.addEventListener('abort', onAbort, { once: true });
        // https-proxy-agent reports the proxy's answer to CONNECT here, then replays a refusal as if the endpoint
        // had sent it: catch it first, so a 407 or 403 is blamed on the proxy and not on the endpoint.
        req.on('proxyConnect', (connect: { statusCode?: number }) => {
          const status = connect.statusCode ?? 0;
          if (status === 200) return;
          req.destroy();
          fail(proxyRefusal(proxy ?? 'configured for this URL', status, request.endpoint, url));
        });
        function cleanup(): void {
          clearTimeout(timer);
          signal?.removeEventListener('abort', onAbort);
        }
        function fail(error: Error): void {
          // Destroying a timed-out request raises a second error ("socket hang up"): report only the first.
          if (failed) return;
          failed = true;
          cleanup();
          options.logger.debug(
            `${request.method} ${shown} failed after ${Date.now() - started} ms: ${error.message}`
          );
          reject(
            error instanceof EndpointTimeoutError ||
              error instanceof ResponseTooLargeError ||
              error instanceof ProxyError
              ? error
              : networkError(request.endpoint, shown, error, proxy)
          );
        }
        req.on('error', fail);
        req.end(request.body);
      });
    }
  };
}

/** A network-level failure, with the endpoint named and the system error code kept. */
export class NetworkError extends Error {
  override readonly name = 'NetworkError';
  constructor(
    message: string,
    readonly code: string | undefined
  ) {
    super(message);
  }
}

function networkError(endpoint: string, url: string, cause: Error, proxy: string | undefined): Error {
  if (cause instanceof NetworkError) return cause;
  const code = (cause as NodeJS.ErrnoException).code;
  return new NetworkError(
    `Could not reach the ${endpoint} (${url}${proxy ? ` through the proxy ${proxy}` : ''}): ${cause.message}${code && !cause.message.includes(code) ? ` (${code})` : ''}.`,
    code
  );
}

/** Header names are case-insensitive: one spelling, lower case, lets later headers replace earlier ones. */
export function lowerCaseKeys(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
}

function flattenHeaders(headers: http.IncomingHttpHeaders): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) result[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return result;
}
