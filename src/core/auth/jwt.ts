/** Claims this project reads from OIDC tokens and access tokens, for diagnostics and outputs only. */
export interface JwtClaims {
  iss?: string;
  sub?: string;
  aud?: string | string[];
  exp?: number;
  nbf?: number;
  iat?: number;
  tid?: string;
  oid?: string;
  appid?: string;
  azp?: string;
  [claim: string]: unknown;
}

/**
 * Decodes the payload of a JWT without verifying it (the token came from a trusted endpoint over
 * TLS; we read it only to explain what happened). Returns undefined for anything that is not a JWT:
 * access tokens are opaque by contract.
 */
export function decodeJwtClaims(token: string): JwtClaims | undefined {
  const parts = token.split('.');
  // Stryker disable next-line ConditionalExpression: three parts always have a second; the test is for the type checker.
  if (parts.length !== 3 || parts[1] === undefined) return undefined;
  try {
    const payload: unknown = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'));
    return typeof payload === 'object' && payload !== null && !Array.isArray(payload)
      ? (payload as JwtClaims)
      : undefined;
  } catch {
    // Not base64url JSON: nothing to show (an empty block, so no mutant can empty it).
  }
  return undefined;
}

export function claimString(claims: JwtClaims | undefined, name: string): string {
  const value = claims?.[name];
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.filter((v) => typeof v === 'string').join(', ');
  return '';
}
