import { describe, expect, test } from '@jest/globals';
import {
  bypassesProxy,
  loadProxyAgents,
  proxyPasswords,
  proxyVariablesSet
} from '../../../../src/core/http/proxy.js';
import { proxyRefusal, proxyShownFor, showProxy } from '../../../../src/core/http/proxy-refusal.js';

describe('proxy variables', () => {
  test('any of HTTPS_PROXY, HTTP_PROXY, ALL_PROXY in either case counts; blank values do not', () => {
    expect(proxyVariablesSet({})).toBe(false);
    expect(proxyVariablesSet({ HTTPS_PROXY: '  ' })).toBe(false);
    expect(proxyVariablesSet({ all_proxy: 'http://p:3128' })).toBe(true);
    expect(proxyVariablesSet({ HTTP_PROXY: 'http://p:3128' })).toBe(true);
  });

  test('proxy passwords are secrets, as written and decoded; URLs without one or not URLs give none', () => {
    expect(
      proxyPasswords({
        HTTPS_PROXY: 'http://build:p%40ss%2Fw0rd@proxy.internal:3128',
        http_proxy: 'http://proxy.internal:3128',
        ALL_PROXY: 'not a url'
      })
    ).toEqual(['p%40ss%2Fw0rd', 'p@ss/w0rd']);
  });

  // Regression (fixed): `user:pw@host:3128` without a scheme parsed as the scheme "user:" with no password.
  test('a proxy written without a scheme still gives its password', () => {
    expect(proxyPasswords({ HTTPS_PROXY: 'build:s3cret-pass@proxy.internal:3128' })).toEqual(['s3cret-pass']);
    expect(proxyPasswords({ https_proxy: 'build:p%25w@proxy.internal' })).toEqual(['p%25w', 'p%w']);
  });
});

describe('proxy passwords, edge cases', () => {
  test('a password that does not decode is kept as written, once; values that are not URLs add nothing', () => {
    expect(
      proxyPasswords({ HTTPS_PROXY: 'http://build:p%zz@proxy.internal:3128', ALL_PROXY: 'not a url' })
    ).toStrictEqual(['p%zz']);
  });

  test('only a scheme at the start counts: one later in the value does not hide the password', () => {
    expect(
      proxyPasswords({ HTTPS_PROXY: 'build:s3cret@proxy.internal:3128/?next=http://elsewhere' })
    ).toStrictEqual(['s3cret']);
  });
});

describe('bypassesProxy', () => {
  test.each([
    ['http://localhost:8080/x', true],
    ['http://127.0.0.1/x', true],
    ['http://169.254.169.254/metadata/identity', true],
    ['http://169.254.0.1/', true],
    ['https://login.microsoftonline.com/', false],
    ['http://10.0.169.254/', false],
    ['http://10.169.254.1/', false]
  ])('%s bypasses the proxy: %s', (url, expected) => {
    expect(bypassesProxy(new URL(url))).toBe(expected);
  });
});

describe('loadProxyAgents', () => {
  test('without a configured proxy, no agent can be made', async () => {
    const factory = await loadProxyAgents(false);
    expect(() => factory('http://proxy.internal:3128', new URL('https://dev.azure.com/'))).toThrow(
      new Error(
        'Internal error: a proxy (http://proxy.internal:3128) applies, but proxy support was not loaded.'
      )
    );
  });

  test('one cached agent per target scheme and proxy: absolute-URI for http, CONNECT for https', async () => {
    const factory = await loadProxyAgents(true);
    const proxyA = 'http://user:pw@proxy-a.internal:3128/path';
    const proxyB = 'http://proxy-b.internal:8080';
    const https1 = factory(proxyA, new URL('https://dev.azure.com/org'));
    const https2 = factory(proxyA, new URL('https://login.microsoftonline.com/t'));
    const http1 = factory(proxyA, new URL('http://metadata.example/'));
    const httpsB = factory(proxyB, new URL('https://dev.azure.com/org'));
    expect(https2).toBe(https1);
    expect(factory(proxyA, new URL('http://other.example/'))).toBe(http1);
    expect(http1).not.toBe(https1);
    expect(httpsB).not.toBe(https1);
    expect([https1, http1, httpsB].map((agent) => agent.constructor.name)).toEqual([
      'HttpsProxyAgent',
      'HttpProxyAgent',
      'HttpsProxyAgent'
    ]);
    expect([https1, http1, httpsB].map((agent) => proxyShownFor(agent))).toEqual([
      'http://proxy-a.internal:3128',
      'http://proxy-a.internal:3128',
      'http://proxy-b.internal:8080'
    ]);
  });
});

describe('proxy-refusal', () => {
  test('showProxy keeps scheme, host and port only; a URL that does not parse is described', () => {
    expect(showProxy('https://u:p@proxy.internal:8443/x?y=1')).toBe('https://proxy.internal:8443');
    expect(showProxy('not a url')).toBe('(a proxy URL that does not parse)');
  });

  test('a status without a standard reason is shown by number alone', () => {
    const error = proxyRefusal('http://p:3128', 599, 'E', new URL('https://h.example:444/x'));
    expect(error.message).toBe(
      "The proxy http://p:3128 refused the request to the E (https://h.example:444) with HTTP 599; the request never reached h.example:444. Ask the proxy's administrators to allow h.example:444 (the proxy's allow-list), or add h.example to NO_PROXY (the agent's proxy bypass list on Azure Pipelines) if this machine can reach it directly."
    );
    expect(error).toMatchObject({ status: 599, proxy: 'http://p:3128' });
  });
});
