// Client authentication at the token endpoint: client secret, certificate assertion, or federated
// (workload identity) assertion, checked in the order and with the AADSTS codes Entra uses.
import { EntraError, formatEstsTime } from './errors.js';
import { certificatePublicKey } from './directory.js';
import { decodeJwt, verifyJwt } from '../server/jwt.js';

export const JWT_BEARER = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

/**
 * @typedef {object} ClientAuthContext
 * @property {number} now                  emulator clock, epoch ms
 * @property {string[]} assertionAudiences token endpoint URLs a certificate assertion may name as `aud`
 * @property {Array<{ issuer: string, publicKey: import('node:crypto').KeyObject }>} issuers  trusted OIDC issuers
 * @property {boolean} legacyFederatedErrors answer 70021 instead of 700211 / 700213 / 700212
 * @property {number} clockSkewMs            tolerance on exp / nbf (Entra allows five minutes)
 */

/**
 * Authenticates the client; returns the `appidacr` claim ('1' secret, '2' certificate or federated)
 * or throws an EntraError.
 * @param {import('./directory.js').App} app
 * @param {Record<string, string>} form
 * @param {ClientAuthContext} context
 * @returns {'1' | '2'}
 */
export function authenticateClient(app, form, context) {
  if (form.client_assertion !== undefined || form.client_assertion_type !== undefined) {
    if (form.client_assertion_type !== JWT_BEARER)
      throw new EntraError(90014, { field: 'client_assertion_type' });
    if (!form.client_assertion) throw new EntraError(90014, { field: 'client_assertion' });
    const assertion = decodeJwt(form.client_assertion);
    if (!assertion) throw new EntraError(50027);
    if (isCertificateAssertion(app, assertion, context)) verifyCertificateAssertion(app, assertion, context);
    else verifyFederatedAssertion(app, assertion, context);
    return '2';
  }
  if (form.client_secret !== undefined) {
    if (app.secrets.includes(form.client_secret)) return '1';
    if (app.expiredSecrets.includes(form.client_secret))
      throw new EntraError(7000222, { clientId: app.clientId });
    throw new EntraError(7000215, { clientId: app.clientId });
  }
  throw new EntraError(7000218);
}

/**
 * GitHub and Azure Pipelines tokens carry `x5t` too, so the issuer decides: a trusted OIDC issuer or one a
 * federated credential names means federated; otherwise `iss` = client id or an `x5t` / `x5t#S256`
 * header means a certificate assertion signed by the app itself.
 * @param {import('./directory.js').App} app
 * @param {import('../server/jwt.js').DecodedJwt} assertion
 * @param {ClientAuthContext} context
 */
function isCertificateAssertion(app, { header, payload }, context) {
  const federatedIssuers = [
    ...context.issuers.map((i) => i.issuer),
    ...app.federatedCredentials.map((f) => f.issuer)
  ];
  if (federatedIssuers.includes(payload.iss)) return false;
  return (
    String(payload.iss).toLowerCase() === app.clientId ||
    header.x5t !== undefined ||
    header['x5t#S256'] !== undefined
  );
}

/**
 * @param {import('./directory.js').App} app
 * @param {import('../server/jwt.js').DecodedJwt} assertion
 * @param {ClientAuthContext} context
 */
function verifyCertificateAssertion(app, { header, payload, ...rest }, context) {
  const certificate = app.certificate;
  const registered =
    certificate &&
    (header['x5t#S256'] !== undefined
      ? header['x5t#S256'] === certificate.thumbprintSha256
      : header.x5t === certificate.thumbprintSha1);
  const publicKey = registered ? certificatePublicKey(app) : undefined;
  if (!publicKey) {
    const thumbprint = Buffer.from(String(header.x5t ?? header['x5t#S256']), 'base64url')
      .toString('hex')
      .toUpperCase();
    throw new EntraError(700027, {
      detail: `The certificate with identifier used to sign the client assertion is not registered on application. [Reason - The key was not found., Thumbprint of key used by client: '${thumbprint}', Please visit the Azure Portal, Graph Explorer or directly use MS Graph to see configured keys for app Id '${app.clientId}'. Review the documentation at https://docs.microsoft.com/en-us/graph/deployment-guide to know more about registering keys.]`
    });
  }
  if (!verifyJwt({ header, payload, ...rest }, publicKey)) throw new EntraError(700027);
  if (
    String(payload.iss).toLowerCase() !== app.clientId ||
    String(payload.sub).toLowerCase() !== app.clientId
  ) {
    throw new EntraError(700021);
  }
  const audiences = toList(payload.aud);
  if (audiences.length > 1) throw new EntraError(5002741, { count: String(audiences.length) });
  const accepted = context.assertionAudiences.map((aud) => aud.toLowerCase());
  if (!accepted.includes(String(audiences[0]).toLowerCase())) throw new EntraError(50012);
  checkTimeRange(payload, context.now, context.clockSkewMs);
}

/**
 * @param {import('./directory.js').App} app
 * @param {import('../server/jwt.js').DecodedJwt} assertion
 * @param {ClientAuthContext} context
 */
function verifyFederatedAssertion(app, assertion, context) {
  const { payload } = assertion;
  if (app.federatedCredentials.length === 0) {
    throw new EntraError(70025, { clientId: app.clientId, displayName: app.displayName });
  }
  const issuer = context.issuers.find((candidate) => candidate.issuer === payload.iss);
  if (!issuer || !verifyJwt(assertion, issuer.publicKey)) throw new EntraError(700027);
  checkTimeRange(payload, context.now, context.clockSkewMs);

  const presented = {
    issuer: String(payload.iss),
    subject: String(payload.sub),
    audience: toList(payload.aud).join(', ')
  };
  const legacy = () => new EntraError(70021, presented);
  const byIssuer = app.federatedCredentials.filter((fic) => fic.issuer === presented.issuer);
  if (byIssuer.length === 0)
    throw context.legacyFederatedErrors ? legacy() : new EntraError(700211, presented);
  const bySubject = byIssuer.filter((fic) => fic.subject === presented.subject);
  if (bySubject.length === 0) {
    if (context.legacyFederatedErrors) throw legacy();
    const caseOnly = byIssuer.some((fic) => fic.subject.toLowerCase() === presented.subject.toLowerCase());
    throw new EntraError(caseOnly ? 7002138 : 700213, presented);
  }
  const audiences = toList(payload.aud);
  if (!bySubject.some((fic) => audiences.includes(fic.audience))) {
    throw context.legacyFederatedErrors ? legacy() : new EntraError(700212, presented);
  }
}

/**
 * @param {Record<string, any>} payload
 * @param {number} now epoch ms
 * @param {number} skewMs
 */
function checkTimeRange(payload, now, skewMs) {
  if (typeof payload.exp !== 'number') throw new EntraError(50027);
  const nbf = typeof payload.nbf === 'number' ? payload.nbf : 0;
  // Entra tolerates clock skew (five minutes by default here); MSAL rounds nbf up to the next second.
  if (payload.exp * 1000 + skewMs <= now || nbf * 1000 - skewMs > now) {
    throw new EntraError(700024, {
      now: formatEstsTime(now),
      nbf: formatEstsTime(nbf * 1000),
      exp: formatEstsTime(payload.exp * 1000)
    });
  }
}

/**
 * @param {unknown} value
 * @returns {string[]}
 */
function toList(value) {
  if (Array.isArray(value)) return value.map(String);
  return value === undefined ? [] : [String(value)];
}
