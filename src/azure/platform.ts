import * as tl from 'azure-pipelines-task-lib/task.js';
import type { Platform } from '../core/platform.js';
import { bypassesProxy, proxyPasswords, type ProxyAgentFactory } from '../core/http/proxy.js';
import type { TaskEnvironment } from './agent.js';

/** The agent as the core sees it: ##vso logging commands and the agent's proxy configuration. */
export function createAzurePlatform(proxyAgent: ProxyAgentFactory): Platform {
  return {
    name: 'Azure Pipelines',
    isDebug: (tl.getVariable('System.Debug') ?? '').toLowerCase() === 'true',
    info: (message) => console.log(message),
    warning: (message) => tl.warning(message),
    debug: (message) => tl.debug(message),
    setSecret: (value) => tl.setSecret(value),
    agentFor(url) {
      if (bypassesProxy(url)) return undefined;
      const proxy = tl.getHttpProxyConfiguration(url.href);
      if (!proxy?.proxyUrl) return undefined;
      const proxyUrl = new URL(proxy.proxyUrl);
      if (proxy.proxyUsername) proxyUrl.username = encodeURIComponent(proxy.proxyUsername);
      if (proxy.proxyPassword) proxyUrl.password = encodeURIComponent(proxy.proxyPassword);
      return proxyAgent(proxyUrl.href, url);
    }
  };
}

/**
 * The agent's proxy password (Agent.ProxyPassword, as given and URL-encoded as agentFor writes it) and any
 * password inside Agent.ProxyUrl: secrets whatever their length, masked before any request.
 */
export function agentProxyPasswords(proxy: tl.ProxyConfiguration | null): string[] {
  if (!proxy) return [];
  const password = proxy.proxyPassword ?? '';
  return [
    ...(password === '' ? [] : [password, encodeURIComponent(password)]),
    ...proxyPasswords({ HTTPS_PROXY: proxy.proxyUrl })
  ];
}

export function createTaskEnvironment(): TaskEnvironment {
  return {
    getInput: (name) => tl.getInput(name, false) ?? '',
    getEndpointScheme: (id) => tl.getEndpointAuthorizationScheme(id, true),
    // getEndpointAuthorizationParameter writes the value to the debug log; the whole-object getter does not.
    getEndpointParameter: (id, key) => authorizationParameter(id, key),
    getEndpointData: (id, key) => tl.getEndpointDataParameter(id, key, true),
    getVariable: (name) => tl.getVariable(name),
    getSystemAccessToken: () => authorizationParameter('SYSTEMVSSCONNECTION', 'AccessToken')
  };
}

/** Endpoint parameter names are case-insensitive on the agent. */
function authorizationParameter(id: string, key: string): string | undefined {
  const parameters = tl.getEndpointAuthorization(id, true)?.parameters ?? {};
  const match = Object.keys(parameters).find((name) => name.toLowerCase() === key.toLowerCase());
  return match === undefined ? undefined : parameters[match];
}
