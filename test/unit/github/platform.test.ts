import { afterEach, describe, expect, test } from '@jest/globals';
import { HttpsProxyAgent } from 'https-proxy-agent';
import { loadProxyAgents, proxyVariablesSet } from '../../../src/core/http/proxy.js';
import { createGitHubPlatform } from '../../../src/github/platform.js';

/** As the action's entry point builds it: proxy support loaded only when a proxy variable is set. */
const platformFromEnvironment = async () =>
  createGitHubPlatform(await loadProxyAgents(proxyVariablesSet(process.env)));

const saved = { ...process.env };
afterEach(() => {
  for (const key of ['HTTPS_PROXY', 'https_proxy', 'NO_PROXY', 'no_proxy', 'HTTP_PROXY', 'http_proxy'])
    delete process.env[key];
  Object.assign(process.env, saved);
});

describe('GitHub platform proxy selection (HTTPS_PROXY / NO_PROXY, as other actions read them)', () => {
  test('HTTPS_PROXY applies to https hosts not in NO_PROXY', async () => {
    process.env.HTTPS_PROXY = 'http://proxy.internal:3128';
    process.env.NO_PROXY = 'dev.azure.com,.visualstudio.com';
    const platform = await platformFromEnvironment();
    const agent = platform.agentFor(new URL('https://login.microsoftonline.com/t/oauth2/v2.0/token'));
    expect(agent).toBeInstanceOf(HttpsProxyAgent);
    expect(String((agent as HttpsProxyAgent<string>).proxy)).toBe('http://proxy.internal:3128/');
    expect(platform.agentFor(new URL('https://dev.azure.com/contoso/_apis/connectionData'))).toBeUndefined();
    expect(
      platform.agentFor(new URL('https://contoso.visualstudio.com/_apis/connectionData'))
    ).toBeUndefined();
  });

  test('loopback and the IMDS link-local address are never proxied', async () => {
    process.env.HTTPS_PROXY = 'http://proxy.internal:3128';
    process.env.HTTP_PROXY = 'http://proxy.internal:3128';
    const platform = await platformFromEnvironment();
    expect(
      platform.agentFor(new URL('http://169.254.169.254/metadata/identity/oauth2/token'))
    ).toBeUndefined();
    expect(platform.agentFor(new URL('https://127.0.0.1:8443/x'))).toBeUndefined();
    expect(platform.agentFor(new URL('https://localhost:8443/x'))).toBeUndefined();
  });

  test('no proxy variables: direct connections, and the proxy agents are not even loaded', async () => {
    expect(proxyVariablesSet(process.env)).toBe(false);
    const platform = await platformFromEnvironment();
    expect(platform.agentFor(new URL('https://login.microsoftonline.com/'))).toBeUndefined();
  });

  test('a proxy that applies without proxy support loaded is an internal error, not a silent direct connection', async () => {
    const platform = createGitHubPlatform(await loadProxyAgents(false));
    process.env.HTTPS_PROXY = 'http://proxy.internal:3128';
    expect(() => platform.agentFor(new URL('https://login.microsoftonline.com/'))).toThrow(
      'proxy support was not loaded'
    );
  });

  test('one agent per proxy and scheme is reused', async () => {
    process.env.HTTPS_PROXY = 'http://proxy.internal:3128';
    const platform = await platformFromEnvironment();
    const a = platform.agentFor(new URL('https://login.microsoftonline.com/a'));
    const b = platform.agentFor(new URL('https://login.microsoftonline.us/b'));
    expect(a).toBe(b);
  });
});
