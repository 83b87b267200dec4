import { claimString, decodeJwtClaims, type JwtClaims } from '../../../../src/core/auth/jwt.js';
import { makeJwt } from '../../fakes.js';

const b64url = (text: string): string => Buffer.from(text).toString('base64url');

describe('decodeJwtClaims', () => {
  test('decodes the payload of a JWT without checking the signature', () => {
    const claims = {
      iss: 'https://token.actions.githubusercontent.com',
      sub: 'repo:contoso/app:ref:refs/heads/main',
      aud: 'api://AzureADTokenExchange',
      exp: 1_900_000_000,
      // Characters that base64url encodes with - and _ rather than + and /.
      note: '>>>???'
    };
    expect(decodeJwtClaims(makeJwt(claims))).toEqual(claims);
  });

  test.each([
    ['an opaque token', 'gho_abcdef0123456789'],
    ['two parts', `${b64url('{}')}.${b64url('{"a":1}')}`],
    ['four parts', `a.${b64url('{"a":1}')}.c.d`],
    ['an empty string', '']
  ])('returns undefined for %s', (_what, token) => {
    expect(decodeJwtClaims(token)).toBeUndefined();
  });

  test('returns undefined when the payload is not JSON', () => {
    expect(decodeJwtClaims(`${b64url('{}')}.${b64url('not json {')}.sig`)).toBeUndefined();
  });

  test.each([
    ['an array', '["iss","sub"]'],
    ['a string', '"claims"'],
    ['null', 'null'],
    ['a number', '42']
  ])('returns undefined when the payload is %s', (_what, payload) => {
    expect(decodeJwtClaims(`${b64url('{}')}.${b64url(payload)}.sig`)).toBeUndefined();
  });
});

describe('claimString', () => {
  const claims = {
    iss: 'issuer',
    aud: ['api://one', 42, 'api://two'],
    exp: 1_900_000_000
  } as unknown as JwtClaims;

  test('returns a string claim', () => {
    expect(claimString(claims, 'iss')).toBe('issuer');
  });

  test('joins the string members of an array claim such as aud', () => {
    expect(claimString(claims, 'aud')).toBe('api://one, api://two');
  });

  test('returns an empty string for a missing or non-string claim, or no claims', () => {
    expect(claimString(claims, 'sub')).toBe('');
    expect(claimString(claims, 'exp')).toBe('');
    expect(claimString(undefined, 'iss')).toBe('');
  });
});
