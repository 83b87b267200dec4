import * as core from '@actions/core';
import { getProxyUrl } from '@actions/http-client/lib/proxy';
import type { Platform } from '../core/platform.js';
import { bypassesProxy, type ProxyAgentFactory } from '../core/http/proxy.js';

/** The GitHub runner as the core sees it: workflow commands for logs and masks, HTTPS_PROXY/NO_PROXY for proxies. */
export function createGitHubPlatform(proxyAgent: ProxyAgentFactory): Platform {
  return {
    name: 'GitHub Actions',
    isDebug: core.isDebug(),
    info: (message) => core.info(message),
    warning: (message) => core.warning(message),
    debug: (message) => core.debug(message),
    setSecret: (value) => core.setSecret(value),
    agentFor(url) {
      if (bypassesProxy(url)) return undefined;
      const proxy = getProxyUrl(url);
      return proxy ? proxyAgent(proxy.href, url) : undefined;
    }
  };
}
