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

  // Regression (fixed): `user:pw@host:3128` without a scheme parsed as the scheme "user:" with no password.
  test('a proxy written without a scheme still gives its password', () => {
    expect(proxyPasswords({ HTTPS_PROXY: 'build:s3cret-pass@proxy.internal:3128' })).toEqual(['s3cret-pass']);
    expect(proxyPasswords({ https_proxy: 'build:p%25w@proxy.internal' })).toEqual(['p%25w', 'p%w']);
  });
});
