// Conventions the emulated REST routes share: api-version, JSON bodies, identity references, $top, and
// opaque continuation tokens.
import { createHash } from 'node:crypto';
import { adoError, missingApiVersion } from './errors.js';

/**
 * The api-version of a request: query `api-version`, else `api-version=` in the Accept header.
 * @param {import('../server/recorder.js').RecordedRequest} req
 */
export function apiVersionOf(req) {
  return req.query['api-version'] || /api-version=([^;,\s]+)/i.exec(req.headers.accept ?? '')?.[1];
}

/**
 * Wraps a handler so that a request without an api-version answers 400 VssVersionNotSpecifiedException.
 * @param {import('./devops.js').DevOpsHandler} handler
 * @returns {import('./devops.js').DevOpsHandler}
 */
export function versioned(handler) {
  return (req, ctx) => (apiVersionOf(req) ? handler(req, ctx) : missingApiVersion(req.method));
}

/**
 * The request body parsed as JSON, or undefined when it is empty or not JSON.
 * @param {import('../server/recorder.js').RecordedRequest} req
 * @returns {any}
 */
export function readJson(req) {
  try {
    return JSON.parse(req.body);
  } catch {
    return undefined;
  }
}

/**
 * An IdentityRef for the authenticated caller (service principal or managed identity).
 * @param {import('./devops.js').DevOpsContext['identity']} identity
 */
export function identityRef(identity) {
  return {
    displayName: identity.displayName,
    id: identity.id,
    uniqueName: identity.appId ?? identity.objectId
  };
}

/**
 * `$top` as a page size: default when absent or not a positive integer, at most `max`.
 * @param {string | undefined} value
 * @param {number} fallback
 * @param {number} max
 */
export function topOf(value, fallback, max) {
  const top = Number(value);
  return Number.isInteger(top) && top > 0 ? Math.min(top, max) : fallback;
}

/**
 * @typedef {object} PageState
 * @property {number} skip     items already returned
 * @property {boolean} emptied the extra empty page was already served
 */

/**
 * Reads a continuation token this emulator issued; `null` when it is not one.
 * @param {string | undefined} token
 * @returns {PageState | null}
 */
export function readContinuationToken(token) {
  if (token === undefined || token === '') return { skip: 0, emptied: false };
  try {
    const state = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
    if (Number.isInteger(state.s) && state.s >= 0) return { skip: state.s, emptied: state.e === 1 };
  } catch {
    // not ours
  }
  return null;
}

/** @param {PageState} state */
export const continuationToken = (state) =>
  Buffer.from(JSON.stringify({ s: state.skip, e: state.emptied ? 1 : 0 })).toString('base64url');

/** @param {string} token */
export const invalidContinuationToken = (token) =>
  adoError(400, `The continuation token '${token}' is not valid.`, 'ArgumentException');

/**
 * An ISO timestamp with 7-digit fractions like the services send, e.g. `2025-01-01T10:00:00.1230000Z`.
 * @param {number} epochMs
 */
export const adoDate = (epochMs) => new Date(epochMs).toISOString().replace(/Z$/, '0000Z');

/**
 * A stable GUID derived from text (same input → same GUID), for member, project and repository ids.
 * @param {string} text
 */
export function guidFrom(text) {
  const hex = createHash('sha1').update(text).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/**
 * `sha256:` and the first 12 hex digits of the SHA-256 of a bearer token: tells tokens apart in the
 * request log without recording them.
 * @param {string | undefined} authorization
 */
export function tokenFingerprint(authorization) {
  const token = /^Bearer\s+(\S+)$/i.exec(authorization ?? '')?.[1];
  return token ? `sha256:${createHash('sha256').update(token).digest('hex').slice(0, 12)}` : undefined;
}

/**
 * The last segment of a route pattern that is not a placeholder, lower-case: `item` for `/_test/item/{id}`.
 * @param {string} pattern
 */
export function lastLiteral(pattern) {
  const literals = pattern.split('/').filter((segment) => segment && !segment.startsWith('{'));
  return (literals[literals.length - 1] ?? '').toLowerCase();
}
