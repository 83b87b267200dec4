import type { Agent } from 'node:http';
import { HttpProxyAgent } from 'http-proxy-agent';
import { HttpsProxyAgent } from 'https-proxy-agent';
import { isLoopbackHost } from './validate.js';

/** IMDS and other link-local / loopback endpoints are never reached through a proxy. */
export function bypassesProxy(url: URL): boolean {
  return isLoopbackHost(url.hostname) || url.hostname.startsWith('169.254.');
}

/**
 * Returns a cached agent that tunnels through `proxyUrl` (CONNECT for https targets, absolute-URI
 * requests for http targets). One library for both platforms; each platform decides when a proxy applies.
 */
export function createProxyAgentCache(): (proxyUrl: string, target: URL) => Agent {
  const agents = new Map<string, Agent>();
  return (proxyUrl, target) => {
    const key = `${target.protocol}${proxyUrl}`;
    let agent = agents.get(key);
    if (agent === undefined) {
      agent = target.protocol === 'http:' ? new HttpProxyAgent(proxyUrl) : new HttpsProxyAgent(proxyUrl);
      agents.set(key, agent);
    }
    return agent;
  };
}
