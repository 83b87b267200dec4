// RS256 JSON Web Tokens with node:crypto only: signing keys, JWKS, sign, decode, verify.
import { constants, createHash, createPublicKey, generateKeyPair, sign, verify } from 'node:crypto';
import { promisify } from 'node:util';

const generateKeyPairAsync = promisify(generateKeyPair);

/**
 * @typedef {object} SigningKey
 * @property {import('node:crypto').KeyObject} privateKey
 * @property {import('node:crypto').KeyObject} publicKey
 * @property {string} kid  key id, also used as the `x5t` header like Entra does
 * @property {Record<string, string>} jwk  public JWK (kty, use, kid, x5t, n, e, alg)
 */

/**
 * @param {Buffer | string} value
 * @returns {string}
 */
export function base64url(value) {
  return Buffer.from(value).toString('base64url');
}

/**
 * Creates a fresh RSA 2048 signing key with a kid derived from its public key.
 * @returns {Promise<SigningKey>}
 */
export async function createSigningKey() {
  const { privateKey, publicKey } = await generateKeyPairAsync('rsa', { modulusLength: 2048 });
  return describeKey(privateKey, publicKey);
}

/**
 * @param {import('node:crypto').KeyObject} privateKey
 * @param {import('node:crypto').KeyObject} [publicKey]
 * @returns {SigningKey}
 */
export function describeKey(privateKey, publicKey = createPublicKey(privateKey)) {
  const spki = publicKey.export({ type: 'spki', format: 'der' });
  const kid = base64url(createHash('sha1').update(spki).digest());
  const { n, e } = /** @type {{ n: string, e: string }} */ (publicKey.export({ format: 'jwk' }));
  return { privateKey, publicKey, kid, jwk: { kty: 'RSA', use: 'sig', alg: 'RS256', kid, x5t: kid, n, e } };
}

/**
 * @param {SigningKey[]} keys
 * @returns {{ keys: Record<string, string>[] }}
 */
export function toJwks(keys) {
  return { keys: keys.map((key) => key.jwk) };
}

/**
 * Signs claims as an RS256 JWT; the header carries typ, alg, kid and x5t unless overridden.
 * @param {import('node:crypto').KeyObject} privateKey
 * @param {Record<string, unknown>} payload
 * @param {Record<string, unknown>} header
 * @returns {string}
 */
export function signJwt(privateKey, payload, header) {
  const head = base64url(JSON.stringify({ typ: 'JWT', alg: 'RS256', ...header }));
  const body = base64url(JSON.stringify(payload));
  const signature = sign('RSA-SHA256', Buffer.from(`${head}.${body}`), privateKey);
  return `${head}.${body}.${base64url(signature)}`;
}

/**
 * @typedef {object} DecodedJwt
 * @property {Record<string, any>} header
 * @property {Record<string, any>} payload
 * @property {string} signingInput
 * @property {Buffer} signature
 */

/**
 * Decodes a compact JWS without verifying it; null when it is not a well-formed JWT.
 * @param {unknown} token
 * @returns {DecodedJwt | null}
 */
export function decodeJwt(token) {
  if (typeof token !== 'string') return null;
  const parts = token.split('.');
  if (parts.length !== 3 || parts.some((part) => !/^[A-Za-z0-9_-]*$/.test(part))) return null;
  const [head = '', body = '', signature = ''] = parts;
  try {
    const header = JSON.parse(Buffer.from(head, 'base64url').toString('utf8'));
    const payload = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
    if (!isObject(header) || !isObject(payload)) return null;
    return {
      header,
      payload,
      signingInput: `${head}.${body}`,
      signature: Buffer.from(signature, 'base64url')
    };
  } catch {
    return null;
  }
}

/**
 * True when the decoded token is RS256 (or PS256, as MSAL signs certificate assertions) and its
 * signature verifies with the public key.
 * @param {DecodedJwt} decoded
 * @param {import('node:crypto').KeyObject} publicKey
 * @returns {boolean}
 */
export function verifyJwt(decoded, publicKey) {
  const input = Buffer.from(decoded.signingInput);
  // MSAL signs certificate assertions with PS256 (RSA-PSS) when it has a SHA-256 thumbprint.
  if (decoded.header.alg === 'PS256') {
    return verify(
      'sha256',
      input,
      {
        key: publicKey,
        padding: constants.RSA_PKCS1_PSS_PADDING,
        saltLength: constants.RSA_PSS_SALTLEN_DIGEST
      },
      decoded.signature
    );
  }
  if (decoded.header.alg !== 'RS256') return false;
  return verify('RSA-SHA256', input, publicKey, decoded.signature);
}

/**
 * @param {unknown} value
 * @returns {value is Record<string, any>}
 */
function isObject(value) {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
