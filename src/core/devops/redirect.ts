import type { DevOpsRequest } from './client.js';
import { isLoopbackHost } from '../validate.js';

export const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
/** Methods whose redirect may leave the origin: they send nothing, so nothing can be replayed elsewhere. */
const READS = new Set(['GET', 'HEAD']);

/** A redirect Azure DevOps (or a host it sent us to) asked for, refused. Names the request, status and target. */
export class RedirectRefusedError extends Error {
  override readonly name = 'RedirectRefusedError';
}

export interface RedirectHop {
  request: DevOpsRequest;
  /** False once the target is another origin: the token, body and custom headers stay behind. */
  sameOrigin: boolean;
}

/**
 * The request that follows a redirect. Within the origin it keeps everything (307/308 keep method and body;
 * 303 turns into a GET). To another origin only a read is followed, and only as a bare GET/HEAD: another host
 * gets no token, no body and none of the operation's headers, and a write is refused rather than replayed
 * somewhere its author never named. A hop to plain http is refused unless it stays on a loopback http host
 * (the local emulator), as the host policy allows.
 */
export function followRedirect(
  original: DevOpsRequest,
  current: DevOpsRequest,
  status: number,
  location: string,
  from: URL,
  onOrigin: boolean,
  what: string
): RedirectHop {
  const target = new URL(location, from);
  const method = status === 303 && current.method !== 'HEAD' ? 'GET' : current.method;
  if (onOrigin && target.origin === from.origin) {
    const { body, ...rest } = current;
    return {
      request: { ...rest, method, url: target, ...(method === 'GET' || body === undefined ? {} : { body }) },
      sameOrigin: true
    };
  }
  const where = `${target.protocol}//${target.host}`;
  const loopbackHttp =
    target.protocol === 'http:' && from.protocol === 'http:' && isLoopbackHost(target.hostname);
  if (target.protocol !== 'https:' && !loopbackHttp)
    throw new RedirectRefusedError(
      `${what}: ${original.method} ${from.origin}${from.pathname} answered HTTP ${status} redirecting to ${where}, which is not https; the redirect was not followed. Point the operation at the final https URL.`
    );
  if (!READS.has(original.method))
    throw new RedirectRefusedError(
      `${what}: ${original.method} ${from.origin}${from.pathname} answered HTTP ${status} redirecting to another origin (${where}); a ${original.method} is not sent on to another host, so nothing was sent there. Point the operation at the URL that should receive it (add its host to the allowed hosts if it must get the token).`
    );
  // The original is a read, and a 303 only turns a request into a GET: the method here is GET or HEAD.
  return {
    request: { method, url: target, description: what },
    sameOrigin: false
  };
}
