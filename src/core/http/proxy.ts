import type { Agent } from 'node:http';
import { registerProxy } from './proxy-refusal.js';
import { isLoopbackHost } from '../validate.js';

/** IMDS and other link-local / loopback endpoints are never reached through a proxy. */
export function bypassesProxy(url: URL): boolean {
  return isLoopbackHost(url.hostname) || url.hostname.startsWith('169.254.');
}

/** The agent that tunnels a request for `target` through `proxyUrl`. */
export type ProxyAgentFactory = (proxyUrl: string, target: URL) => Agent;

const PROXY_VARIABLES = ['HTTPS_PROXY', 'HTTP_PROXY', 'ALL_PROXY'].flatMap((name) => [
  name,
  name.toLowerCase()
]);

/** The values of the standard proxy variables that are set (either case): the runner's and the CLI's proxies. */
function proxyValues(env: NodeJS.ProcessEnv): string[] {
  return PROXY_VARIABLES.map((name) => env[name]?.trim() ?? '').filter((value) => value !== '');
}

export function proxyVariablesSet(env: NodeJS.ProcessEnv): boolean {
  return proxyValues(env).length > 0;
}

/**
 * The passwords in the proxy URLs (as written and decoded): secrets to mask, whatever their length, before any
 * request, since a proxy or network error may quote the proxy URL. `user:pw@host:3128` without a scheme is
 * read as http, as curl and most proxy libraries read it.
 */
export function proxyPasswords(env: NodeJS.ProcessEnv): string[] {
  return proxyValues(env).flatMap((value) => {
    try {
      const written = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? value : `http://${value}`).password;
      return written ? [...new Set([written, safeDecode(written)])] : [];
    } catch {
      return []; // not a URL: no proxy library uses it either
    }
  });
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** Where no proxy is configured, no request can be routed to one. */
const noProxySupport: ProxyAgentFactory = (proxyUrl) => {
  throw new Error(`Internal error: a proxy (${proxyUrl}) applies, but proxy support was not loaded.`);
};

/**
 * Returns a factory of cached agents that tunnel through a proxy (CONNECT for https targets, absolute-URI
 * requests for http targets): one library for every platform; each platform decides when a proxy applies.
 * The proxy agents are loaded only when a proxy is configured: most runners and agents have none, and
 * loading them cost every run about 10 ms of start-up (docs/development.md, Performance).
 */
export async function loadProxyAgents(configured: boolean): Promise<ProxyAgentFactory> {
  if (!configured) return noProxySupport;
  const [{ HttpProxyAgent }, { HttpsProxyAgent }] = await Promise.all([
    import('http-proxy-agent'),
    import('https-proxy-agent')
  ]);
  const agents = new Map<string, Agent>();
  return (proxyUrl, target) => {
    const key = `${target.protocol}${proxyUrl}`;
    let agent = agents.get(key);
    if (agent === undefined) {
      agent = target.protocol === 'http:' ? new HttpProxyAgent(proxyUrl) : new HttpsProxyAgent(proxyUrl);
      agents.set(key, agent);
      registerProxy(agent, proxyUrl);
    }
    return agent;
  };
}
