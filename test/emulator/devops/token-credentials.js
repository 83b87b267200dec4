// The credentials git and package clients send to Azure DevOps: `Authorization: Bearer <token>` or
// `Authorization: Basic base64(<any user>:<token>)`, checked like the REST routes check a bearer token.
import { createHash } from 'node:crypto';
import { authChallenge } from './errors.js';

/**
 * @typedef {'bearer' | 'basic' | 'none'} AuthKind
 */

/**
 * Reads an Authorization header: its form, the token it carries (Basic: the password) and, for Basic,
 * the base64 blob as sent (a secret too: it decodes to the token).
 * @param {string | undefined} authorization
 * @returns {{ authKind: AuthKind, token?: string, blob?: string }}
 */
export function readCredential(authorization) {
  const [, scheme = '', value = ''] = /^(\S+)\s+(\S+)\s*$/.exec(authorization ?? '') ?? [];
  if (scheme.toLowerCase() === 'bearer') return { authKind: 'bearer', token: value };
  if (scheme.toLowerCase() !== 'basic') return { authKind: 'none' };
  const decoded = Buffer.from(value, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  const token = colon >= 0 ? decoded.slice(colon + 1) : '';
  return token ? { authKind: 'basic', token, blob: value } : { authKind: 'basic', blob: value };
}

/**
 * `sha256:` + the first 12 hex digits of the token's SHA-256 (the same value for either form).
 * @param {string} token
 */
export const fingerprintOf = (token) =>
  `sha256:${createHash('sha256').update(token).digest('hex').slice(0, 12)}`;

/**
 * @typedef {(status: number, message: string, headers?: Record<string, string | string[]>) =>
 *   import('../server/router.js').EmulatorResponse} Rejection
 */

/**
 * @param {{
 *   authorizeToken: ReturnType<typeof import('./devops.js').createDevOps>['authorizeToken'],
 *   httpsUrl: string,
 *   addSecret: (value: string | undefined) => void
 * }} deps
 */
export function createTokenGate({ authorizeToken, httpsUrl, addSecret }) {
  /**
   * Authenticates a git / feed request for an organization and notes `authKind` and `tokenFingerprint`
   * on its record. Unknown organization → 404; no, malformed, invalid or foreign token → 401 with the
   * `WWW-Authenticate` challenges Azure DevOps sends (Bearer, `Basic realm="<httpsUrl>/"`, TFS-Federated).
   * @param {import('../server/recorder.js').RecordedRequest} req
   * @param {string} orgName
   * @param {Rejection} reject builds the service's error response
   * @returns {{ identity: import('./devops.js').DevOpsContext['identity'] } |
   *   { response: import('../server/router.js').EmulatorResponse }}
   */
  return function authenticate(req, orgName, reject) {
    const { authKind, token, blob } = readCredential(req.headers.authorization);
    req.authKind = authKind;
    if (token) req.tokenFingerprint = fingerprintOf(token);
    if (token) addSecret(blob);
    const result = authorizeToken(token, orgName);
    if ('identity' in result) return { identity: result.identity };
    if (result.failure === 'unknown-organization') return { response: reject(404, result.message) };
    const challenge = authChallenge(result.tenantId ?? 'common', httpsUrl);
    return { response: reject(401, result.message, challenge) };
  };
}
