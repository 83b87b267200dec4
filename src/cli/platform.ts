import { getProxyForUrl } from 'proxy-from-env';
import type { Platform } from '../core/platform.js';
import { bypassesProxy, type ProxyAgentFactory } from '../core/http/proxy.js';

export interface CliOutput {
  /** Diagnostics: every line goes to stderr, so stdout carries only what the command prints. */
  write(line: string): void;
  quiet: boolean;
  debug: boolean;
}

/**
 * A shell, a CI system without our integration, a Kubernetes job: diagnostics on stderr, proxies from the
 * standard environment variables (HTTPS_PROXY, NO_PROXY…, via proxy-from-env). There is no log masking to
 * register with, so the secret guard's redaction is the only protection, and every line passes through it.
 */
export function createCliPlatform(output: CliOutput, proxyAgent: ProxyAgentFactory): Platform {
  return {
    name: 'command line',
    get isDebug() {
      return output.debug;
    },
    info: (message) => {
      if (!output.quiet) output.write(message);
    },
    warning: (message) => output.write(`warning: ${message}`),
    debug: (message) => {
      if (output.debug) output.write(`debug: ${message}`);
    },
    setSecret: () => undefined,
    agentFor(url) {
      if (bypassesProxy(url)) return undefined;
      const proxy = getProxyForUrl(url.href);
      return proxy ? proxyAgent(proxy, url) : undefined;
    }
  };
}
