// Managed identity on the emulated machine: Azure IMDS and the App Service / Functions endpoint.
import { randomBytes, randomUUID } from 'node:crypto';
import { compilePattern } from '../server/router.js';

/**
 * @typedef {object} ManagedIdentity
 * @property {string} clientId
 * @property {string} objectId     principal id; the `oid` of its tokens
 * @property {string} resourceId   ARM resource id (compared case-insensitively)
 * @property {string} displayName
 * @property {string} [tenantId]   default: the emulator's default tenant
 */

/**
 * @typedef {object} ManagedIdentityConfig
 * @property {ManagedIdentity | null} systemAssigned
 * @property {ManagedIdentity[]} userAssigned
 */

const SUBSCRIPTION = '5f3c9d1e-0b6a-4c8e-9d2f-7a1b3c5e7f90';

/**
 * Fills in missing ids of a partial identity.
 * @param {Partial<ManagedIdentity>} spec
 * @param {'system' | 'user'} kind
 * @returns {ManagedIdentity}
 */
export function createManagedIdentity(spec = {}, kind = 'user') {
  const displayName =
    spec.displayName ?? (kind === 'system' ? 'build-agent' : `uami-${randomBytes(3).toString('hex')}`);
  const provider =
    kind === 'system'
      ? 'Microsoft.Compute/virtualMachines'
      : 'Microsoft.ManagedIdentity/userAssignedIdentities';
  return {
    ...spec,
    clientId: (spec.clientId ?? randomUUID()).toLowerCase(),
    objectId: (spec.objectId ?? randomUUID()).toLowerCase(),
    resourceId:
      spec.resourceId ??
      `/subscriptions/${SUBSCRIPTION}/resourceGroups/release-rg/providers/${provider}/${displayName}`,
    displayName
  };
}

/**
 * Picks the identity a token request asks for, or returns the reason it cannot.
 * @param {ManagedIdentityConfig} config
 * @param {{ clientId?: string | undefined, objectId?: string | undefined, resourceId?: string | undefined }} selector
 * @returns {{ identity: ManagedIdentity } | { error: 'not-found' | 'ambiguous' }}
 */
export function selectIdentity(config, selector) {
  const all = [...(config.systemAssigned ? [config.systemAssigned] : []), ...config.userAssigned];
  const wanted = Object.entries(selector).filter(([, value]) => value !== undefined);
  if (wanted.length > 0) {
    const identity = all.find((candidate) =>
      wanted.every(
        ([field, value]) =>
          String(candidate[/** @type {keyof ManagedIdentity} */ (field)]).toLowerCase() ===
          String(value).toLowerCase()
      )
    );
    return identity ? { identity } : { error: 'not-found' };
  }
  if (config.systemAssigned) return { identity: config.systemAssigned };
  const [only, ...others] = config.userAssigned;
  if (!only) return { error: 'not-found' };
  return others.length === 0 ? { identity: only } : { error: 'ambiguous' };
}

const MULTIPLE =
  'Multiple user assigned identities exist, please specify the clientId / resourceId of the identity in the token request';

/**
 * @param {{
 *   config: () => ManagedIdentityConfig,
 *   lifetimeSeconds: () => number,
 *   defaultTenantId: string,
 *   addSecret: (value: string) => void,
 *   issueAccessToken: ReturnType<typeof import('./entra.js').createEntra>['issueAccessToken']
 * }} deps
 */
export function createManagedIdentityEndpoints(deps) {
  const identityHeader = randomBytes(24).toString('hex');
  deps.addSecret(identityHeader);

  /**
   * @param {ManagedIdentity} identity
   * @param {string} resource
   */
  function issue(identity, resource) {
    const lifetimeSeconds = deps.lifetimeSeconds();
    const issued = deps.issueAccessToken({
      tenantId: identity.tenantId ?? deps.defaultTenantId,
      objectId: identity.objectId,
      appId: identity.clientId,
      resource: resource.replace(/\/\.default$/, ''),
      appidacr: '2',
      lifetimeSeconds,
      extraClaims: { xms_mirid: identity.resourceId }
    });
    return { ...issued, lifetimeSeconds, resource: resource.replace(/\/\.default$/, '') };
  }

  /** @type {import('../server/router.js').Route['handle']} */
  function imds(req) {
    const invalid = (/** @type {string} */ description) => ({
      status: 400,
      body: { error: 'invalid_request', error_description: description }
    });
    if (req.headers.metadata?.toLowerCase() !== 'true')
      return invalid('Required metadata header not specified');
    if (!req.query['api-version']) return invalid("Required query variable 'api-version' is missing");
    if (!req.query.resource) return invalid("Required query variable 'resource' is missing");
    const { client_id: clientId, object_id: objectId, msi_res_id: resourceId } = req.query;
    const selected = selectIdentity(deps.config(), { clientId, objectId, resourceId });
    if ('error' in selected) return invalid(selected.error === 'ambiguous' ? MULTIPLE : 'Identity not found');
    const token = issue(selected.identity, req.query.resource);
    return {
      status: 200,
      body: {
        access_token: token.accessToken,
        client_id: selected.identity.clientId,
        expires_in: String(token.lifetimeSeconds),
        expires_on: String(token.expiresOn),
        ext_expires_in: String(token.lifetimeSeconds),
        not_before: String(token.issuedAt),
        resource: token.resource,
        token_type: 'Bearer'
      }
    };
  }

  /** @type {import('../server/router.js').Route['handle']} */
  function appService(req) {
    const fail = (/** @type {number} */ statusCode, /** @type {string} */ message) => ({
      status: statusCode,
      body: { statusCode, message, correlationId: randomUUID() }
    });
    const presented = req.headers['x-identity-header'];
    if (presented === undefined) return fail(400, 'The X-IDENTITY-HEADER header is required.');
    if (presented !== identityHeader) return fail(401, 'The X-IDENTITY-HEADER header value is not valid.');
    if (!req.query['api-version']) return fail(400, "Required query variable 'api-version' is missing.");
    if (!req.query.resource) return fail(400, "Required query variable 'resource' is missing.");
    const { client_id: clientId, principal_id: objectId, mi_res_id: resourceId } = req.query;
    const selected = selectIdentity(deps.config(), { clientId, objectId, resourceId });
    if ('error' in selected) {
      return fail(
        400,
        selected.error === 'ambiguous'
          ? MULTIPLE
          : 'No Managed Identity found for specified ClientId/ResourceId/PrincipalId.'
      );
    }
    const token = issue(selected.identity, req.query.resource);
    return {
      status: 200,
      body: {
        access_token: token.accessToken,
        expires_on: String(token.expiresOn),
        resource: token.resource,
        token_type: 'Bearer',
        client_id: selected.identity.clientId
      }
    };
  }

  /** @type {import('../server/router.js').Route[]} */
  const routes = [
    {
      service: 'imds',
      methods: ['GET'],
      match: compilePattern('/metadata/identity/oauth2/token'),
      handle: imds
    },
    { service: 'app-service', methods: ['GET'], match: compilePattern('/msi/token'), handle: appService }
  ];
  return { identityHeader, routes };
}
