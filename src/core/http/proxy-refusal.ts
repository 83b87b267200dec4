import { STATUS_CODES, type Agent } from 'node:http';
import { ProxyError } from '../errors.js';

// Kept apart from proxy.ts, which loads the proxy agents: the transport needs only this, and so does the git
// credential helper's bundle, which never uses a proxy.

/** The proxy each agent tunnels through, as it may be shown (no user name or password). */
const PROXY_OF = new WeakMap<Agent, string>();

export function registerProxy(agent: Agent, proxyUrl: string): void {
  PROXY_OF.set(agent, showProxy(proxyUrl));
}

export function proxyShownFor(agent: Agent): string | undefined {
  return PROXY_OF.get(agent);
}

/** `http://proxy.corp:8080`: the proxy URL without its credentials, path or query. */
export function showProxy(proxyUrl: string): string {
  try {
    const url = new URL(proxyUrl);
    return `${url.protocol}//${url.host}`;
  } catch {
    return '(a proxy URL that does not parse)';
  }
}

/**
 * The proxy refused to carry a request: 407 wants credentials, anything else (403 on CONNECT, mostly) means
 * the proxy does not let this machine reach that host. Either way the endpoint never saw the request.
 */
export function proxyRefusal(proxy: string, status: number, endpoint: string, url: URL): ProxyError {
  const answer = `HTTP ${status}${STATUS_CODES[status] ? ` ${STATUS_CODES[status]}` : ''}`;
  const fix =
    status === 407
      ? "Give the proxy credentials it accepts (user and password in the proxy URL, e.g. HTTPS_PROXY=http://user:password@host:port, or the Azure Pipelines agent's proxy settings)"
      : `Ask the proxy's administrators to allow ${url.host} (the proxy's allow-list)`;
  return new ProxyError(
    `The proxy ${proxy} refused the request to the ${endpoint} (${url.origin}) with ${answer}; the request never reached ${url.host}. ${fix}, or add ${url.hostname} to NO_PROXY (the agent's proxy bypass list on Azure Pipelines) if this machine can reach it directly.`,
    status,
    proxy
  );
}
