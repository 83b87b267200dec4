// Microsoft Entra ID endpoints: tenant OIDC metadata, signing keys, instance discovery, token endpoint.
import { randomBytes } from 'node:crypto';
import { authenticateClient } from './client-auth.js';
import { EntraError, entraErrorResponse } from './errors.js';
import { signJwt, toJwks } from '../server/jwt.js';
import { compilePattern } from '../server/router.js';

/** Azure DevOps' resource (application) id, the same in every cloud. */
export const AZURE_DEVOPS_RESOURCE = '499b84ac-1321-427f-aa17-267ca6975798';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * @typedef {object} EntraDeps
 * @property {ReturnType<typeof import('./directory.js').createDirectory>} directory
 * @property {import('../server/jwt.js').SigningKey} key     signs every access token
 * @property {() => number} now                      emulator clock, epoch ms
 * @property {() => { accessTokenLifetimeSeconds: number, legacyFederatedErrors: boolean,
 *   assertionClockSkewSeconds: number }} settings
 * @property {() => Array<{ issuer: string, publicKey: import('node:crypto').KeyObject }>} issuers
 * @property {(value: string) => void} addSecret
 */

/** @param {EntraDeps} deps */
export function createEntra(deps) {
  const { directory, key, now, settings, issuers, addSecret } = deps;

  /**
   * Signs a v1 access token like the ones Entra issues for Azure DevOps.
   * @param {{ tenantId: string, objectId: string, appId: string, resource: string, appidacr: string,
   *   lifetimeSeconds: number, extraClaims?: Record<string, unknown> }} spec
   * @returns {{ accessToken: string, issuedAt: number, expiresOn: number }}
   */
  function issueAccessToken(spec) {
    const issuedAt = Math.floor(now() / 1000);
    const expiresOn = issuedAt + spec.lifetimeSeconds;
    const accessToken = signJwt(
      key.privateKey,
      {
        aud: spec.resource,
        iss: `https://sts.windows.net/${spec.tenantId}/`,
        iat: issuedAt,
        nbf: issuedAt,
        exp: expiresOn,
        aio: randomBytes(24).toString('base64url'),
        appid: spec.appId,
        appidacr: spec.appidacr,
        idp: `https://sts.windows.net/${spec.tenantId}/`,
        idtyp: 'app',
        oid: spec.objectId,
        rh: `0.${randomBytes(16).toString('base64url')}.`,
        sub: spec.objectId,
        tid: spec.tenantId,
        uti: randomBytes(16).toString('base64url'),
        ver: '1.0',
        ...spec.extraClaims
      },
      { kid: key.kid, x5t: key.kid }
    );
    addSecret(accessToken);
    addSecret(accessToken.slice(accessToken.lastIndexOf('.') + 1));
    return { accessToken, issuedAt, expiresOn };
  }

  /** @type {import('../server/router.js').Route['handle']} */
  function metadata(req, { tenant: segment = '' }) {
    const tenant = directory.findTenant(segment);
    if (!tenant) return entraErrorResponse(new EntraError(90002, { tenant: segment }), errorContext(req));
    const base = `${req.scheme}://${req.host}/${tenant.id}`;
    return {
      status: 200,
      body: {
        token_endpoint: `${base}/oauth2/v2.0/token`,
        token_endpoint_auth_methods_supported: [
          'client_secret_post',
          'private_key_jwt',
          'client_secret_basic'
        ],
        jwks_uri: `${base}/discovery/v2.0/keys`,
        response_modes_supported: ['query', 'fragment', 'form_post'],
        subject_types_supported: ['pairwise'],
        id_token_signing_alg_values_supported: ['RS256'],
        response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
        scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
        issuer: `${base}/v2.0`,
        request_uri_parameter_supported: false,
        userinfo_endpoint: 'https://graph.microsoft.com/oidc/userinfo',
        authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
        device_authorization_endpoint: `${base}/oauth2/v2.0/devicecode`,
        http_logout_supported: true,
        frontchannel_logout_supported: true,
        end_session_endpoint: `${base}/oauth2/v2.0/logout`,
        claims_supported: [
          'sub',
          'iss',
          'aud',
          'exp',
          'iat',
          'auth_time',
          'acr',
          'nonce',
          'tid',
          'ver',
          'oid'
        ],
        kerberos_endpoint: `${base}/kerberos`,
        tenant_region_scope: 'WW',
        cloud_instance_name: 'microsoftonline.com',
        cloud_graph_host_name: 'graph.windows.net',
        msgraph_host: 'graph.microsoft.com',
        rbac_url: 'https://pas.windows.net'
      }
    };
  }

  /** @type {import('../server/router.js').Route['handle']} */
  function instanceDiscovery(req) {
    const endpoint = req.query.authorization_endpoint ?? '';
    const tenant = /^https?:\/\/[^/]+\/([^/]+)\//.exec(endpoint)?.[1] ?? 'common';
    return {
      status: 200,
      body: {
        tenant_discovery_endpoint: `${req.scheme}://${req.host}/${tenant}/v2.0/.well-known/openid-configuration`,
        'api-version': '1.1',
        metadata: [{ preferred_network: req.host, preferred_cache: req.host, aliases: [req.host] }]
      }
    };
  }

  /** @type {import('../server/router.js').Route['handle']} */
  function token(req, { tenant: segment = '' }) {
    try {
      const tenant = directory.findTenant(segment);
      if (!tenant) throw new EntraError(90002, { tenant: segment });
      const form = req.form ?? {};
      if (!form.grant_type) throw new EntraError(900144, { field: 'grant_type' });
      if (form.grant_type !== 'client_credentials')
        throw new EntraError(70003, { grantType: form.grant_type });
      if (!form.client_id) throw new EntraError(900144, { field: 'client_id' });
      if (!form.scope) throw new EntraError(90014, { field: 'scope' });
      const resource = parseScope(form.scope, tenant.domain);
      const app = directory.findApp(tenant.id, form.client_id);
      if (!app) throw new EntraError(700016, { clientId: form.client_id, tenantName: tenant.domain });
      const appidacr = authenticateClient(app, form, {
        now: now(),
        assertionAudiences: [tenant.id, tenant.domain].flatMap((t) =>
          ['oauth2/v2.0/token', 'oauth2/token', 'v2.0'].map(
            (tail) => `${req.scheme}://${req.host}/${t}/${tail}`
          )
        ),
        issuers: issuers(),
        legacyFederatedErrors: settings().legacyFederatedErrors,
        clockSkewMs: settings().assertionClockSkewSeconds * 1000
      });
      const lifetimeSeconds = settings().accessTokenLifetimeSeconds;
      const issued = issueAccessToken({
        tenantId: tenant.id,
        objectId: app.objectId,
        appId: app.clientId,
        resource,
        appidacr,
        lifetimeSeconds
      });
      return {
        status: 200,
        body: {
          token_type: 'Bearer',
          expires_in: lifetimeSeconds,
          ext_expires_in: lifetimeSeconds,
          access_token: issued.accessToken
        }
      };
    } catch (error) {
      if (error instanceof EntraError) return entraErrorResponse(error, errorContext(req));
      throw error;
    }
  }

  /** @param {import('../server/recorder.js').RecordedRequest} req */
  function errorContext(req) {
    const correlationId = req.headers['client-request-id'] ?? req.query['client-request-id'];
    return { now: now(), host: req.host, scheme: req.scheme, correlationId };
  }

  /** @type {import('../server/router.js').Route[]} */
  const routes = [
    {
      service: 'instance-discovery',
      methods: ['GET'],
      match: compilePattern('/common/discovery/instance'),
      handle: instanceDiscovery
    },
    {
      service: 'entra-metadata',
      methods: ['GET'],
      match: compilePattern('/{tenant}/v2.0/.well-known/openid-configuration'),
      handle: metadata
    },
    {
      service: 'entra-keys',
      methods: ['GET'],
      match: compilePattern('/{tenant}/discovery/v2.0/keys'),
      handle: () => ({ status: 200, body: toJwks([key]) })
    },
    {
      service: 'entra-token',
      methods: ['POST'],
      match: compilePattern('/{tenant}/oauth2/v2.0/token'),
      handle: token
    }
  ];
  return { routes, issueAccessToken };
}

/**
 * The resource of a client-credentials scope (`<resource>/.default`).
 * @param {string} scope
 * @param {string} tenantName
 */
function parseScope(scope, tenantName) {
  const scopes = scope.trim().split(/\s+/);
  const first = scopes[0] ?? '';
  if (scopes.length !== 1 || !first.endsWith('/.default')) throw new EntraError(1002012, { scope });
  const resource = first.slice(0, -'/.default'.length);
  if (!GUID.test(resource) && !/^(https|api):\/\/[^/\s]+/i.test(resource)) {
    throw new EntraError(500011, { resource, tenantName });
  }
  return GUID.test(resource) ? resource.toLowerCase() : resource;
}
