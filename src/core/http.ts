import http from 'node:http';
import https from 'node:https';
import type { Agent } from 'node:http';
import { EndpointTimeoutError } from './errors.js';
import type { Logger } from './platform.js';

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
}

/** The URL as it may be shown: no query string (it can carry identifiers users did not ask to see). */
export function displayUrl(url: string | URL): string {
  const parsed = typeof url === 'string' ? new URL(url) : url;
  return `${parsed.origin}${parsed.pathname}`;
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
        const client = url.protocol === 'http:' ? http : https;
        const headers: Record<string, string> = {
          'user-agent': options.userAgent,
          ...lowerCaseKeys(request.headers ?? {})
        };
        if (request.body !== undefined) headers['content-length'] = String(Buffer.byteLength(request.body));
        const agent = options.agentFor(url);
        const req = client.request(
          url,
          { method: request.method, headers, ...(agent ? { agent } : {}) },
          (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (chunk: Buffer) => chunks.push(chunk));
            res.on('error', fail);
            res.on('end', () => {
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
              : new Error(`The request to the ${request.endpoint} was cancelled.`)
          );
        };
        signal?.addEventListener('abort', onAbort, { once: true });
        function cleanup(): void {
          clearTimeout(timer);
          signal?.removeEventListener('abort', onAbort);
        }
        let failed = false;
        function fail(error: Error): void {
          // Destroying a timed-out request raises a second error ("socket hang up"): report only the first.
          if (failed) return;
          failed = true;
          cleanup();
          options.logger.debug(
            `${request.method} ${shown} failed after ${Date.now() - started} ms: ${error.message}`
          );
          reject(
            error instanceof EndpointTimeoutError ? error : networkError(request.endpoint, shown, error)
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

function networkError(endpoint: string, url: string, cause: Error): Error {
  if (cause instanceof NetworkError) return cause;
  const code = (cause as NodeJS.ErrnoException).code;
  return new NetworkError(
    `Could not reach the ${endpoint} (${url}): ${cause.message}${code && !cause.message.includes(code) ? ` (${code})` : ''}.`,
    code
  );
}

function lowerCaseKeys(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
}

function flattenHeaders(headers: http.IncomingHttpHeaders): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) result[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return result;
}
