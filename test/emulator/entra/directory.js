// The emulated Entra directory: tenants, app registrations and their credentials.
import { createPublicKey, randomBytes, randomUUID } from 'node:crypto';
import { createClientCertificate } from '../server/tls.js';

/** Audience GitHub / Azure Pipelines tokens carry for Entra in the public cloud. */
export const TOKEN_EXCHANGE_AUDIENCE = 'api://AzureADTokenExchange';

/**
 * @typedef {object} Tenant
 * @property {string} id      tenant GUID
 * @property {string} domain  e.g. contoso.onmicrosoft.com
 */

/**
 * @typedef {object} FederatedCredential
 * @property {string} issuer   compared exactly (case-sensitive) with the assertion's `iss`
 * @property {string} subject  compared exactly with `sub`
 * @property {string} audience compared exactly with `aud` (default api://AzureADTokenExchange)
 */

/**
 * @typedef {object} App
 * @property {string} clientId      application (client) id
 * @property {string} objectId      object id of the app's service principal (the `oid` of its tokens)
 * @property {string} displayName
 * @property {string} tenantId
 * @property {FederatedCredential[]} federatedCredentials
 * @property {string[]} secrets         valid client secret values
 * @property {string[]} expiredSecrets  expired client secret values (AADSTS7000222)
 * @property {string | undefined} clientSecret  first valid secret, if any
 * @property {string | undefined} certificatePem certificate + private key PEM, when it has a certificate
 * @property {import('../server/tls.js').ClientCertificate | undefined} certificate
 */

/**
 * @typedef {object} AppSpec
 * @property {string} [clientId]
 * @property {string} [objectId]
 * @property {string} [displayName]
 * @property {string} [tenantId]   default: the emulator's default tenant
 * @property {Array<Partial<FederatedCredential> & { issuer: string, subject: string }>} [federatedCredentials]
 * @property {string[]} [secrets]         default: one generated secret
 * @property {string[]} [expiredSecrets]
 * @property {boolean} [withCertificate]  generate a certificate credential (openssl, ~0.2 s)
 * @property {import('../server/tls.js').ClientCertificate} [certificate]  use this certificate instead
 */

/**
 * @param {{ defaultTenant: Tenant, addSecret: (value: string) => void }} options
 */
export function createDirectory({ defaultTenant, addSecret }) {
  /** @type {Tenant[]} */
  const tenants = [];
  /** @type {App[]} */
  const apps = [];

  /** @param {{ id?: string, domain?: string }} [spec] */
  function addTenant(spec = {}) {
    const id = (spec.id ?? randomUUID()).toLowerCase();
    const tenant = { id, domain: spec.domain ?? `tenant-${id.slice(0, 8)}.onmicrosoft.com` };
    tenants.push(tenant);
    return tenant;
  }

  /** @param {AppSpec} [spec] */
  function registerApp(spec = {}) {
    const certificate =
      spec.certificate ??
      (spec.withCertificate ? createClientCertificate(spec.displayName ?? 'app') : undefined);
    const secrets = spec.secrets ?? [generateClientSecret()];
    const expiredSecrets = spec.expiredSecrets ?? [];
    /** @type {App} */
    const app = {
      clientId: (spec.clientId ?? randomUUID()).toLowerCase(),
      objectId: (spec.objectId ?? randomUUID()).toLowerCase(),
      displayName: spec.displayName ?? 'app',
      tenantId: (spec.tenantId ?? defaultTenant.id).toLowerCase(),
      federatedCredentials: (spec.federatedCredentials ?? []).map((fic) => ({
        issuer: fic.issuer,
        subject: fic.subject,
        audience: fic.audience ?? TOKEN_EXCHANGE_AUDIENCE
      })),
      secrets,
      expiredSecrets,
      clientSecret: secrets[0],
      certificatePem: certificate?.certificatePem,
      certificate
    };
    [...secrets, ...expiredSecrets].forEach(addSecret);
    if (certificate) registerKeySecrets(certificate.keyPem, addSecret);
    apps.push(app);
    return app;
  }

  /** @param {string} segment tenant id or domain, as it appears in an authority URL */
  function findTenant(segment) {
    const wanted = segment.toLowerCase();
    return tenants.find((tenant) => tenant.id === wanted || tenant.domain.toLowerCase() === wanted);
  }

  /**
   * @param {string} tenantId
   * @param {string} clientId
   */
  function findApp(tenantId, clientId) {
    const wanted = clientId.toLowerCase();
    return apps.find((app) => app.tenantId === tenantId && app.clientId === wanted);
  }

  addTenant(defaultTenant);
  return { tenants, apps, addTenant, registerApp, findTenant, findApp };
}

/**
 * The public key of an app's certificate, to verify certificate client assertions.
 * @param {App} app
 */
export function certificatePublicKey(app) {
  return app.certificate ? createPublicKey(app.certificate.certPem) : undefined;
}

/** A value shaped like an Entra client secret (`xyz8Q~…`, 40 characters). */
function generateClientSecret() {
  return `${randomBytes(3).toString('hex').slice(0, 3)}8Q~${randomBytes(30).toString('base64url').slice(0, 34)}`;
}

/**
 * Registers a private key PEM and each of its long base64 lines, so a leak of any part is caught.
 * @param {string} keyPem
 * @param {(value: string) => void} addSecret
 */
function registerKeySecrets(keyPem, addSecret) {
  addSecret(keyPem);
  addSecret(keyPem.trim());
  for (const line of keyPem.split(/\r?\n/))
    if (line.length >= 40 && !line.startsWith('-----')) addSecret(line);
}
