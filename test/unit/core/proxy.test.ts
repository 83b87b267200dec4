import { describe, expect, test } from '@jest/globals';
import { proxyPasswords, proxyVariablesSet } from '../../../src/core/proxy.js';

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
});
