// Azure DevOps Services REST: organizations, members, bearer-token authentication like dev.azure.com,
// connectionData, and a route table other suites extend with `devops.route(method, pattern, handler)`.
import { randomUUID } from 'node:crypto';
import { adoError, authChallenge, requestIdHeaders, signInPage, TF_ANONYMOUS } from './errors.js';
import { guidFrom, lastLiteral, tokenFingerprint } from './rest.js';
import { AZURE_DEVOPS_RESOURCE } from '../entra/entra.js';
import { decodeJwt, verifyJwt } from '../server/jwt.js';
import { compilePattern } from '../server/router.js';

/** The service owner GUID of Azure DevOps' core service, as connectionData reports it. */
const SERVICE_OWNER = '00025394-6065-48ca-87d9-7f5672854ef7';

/**
 * @typedef {object} Organization
 * @property {string} name
 * @property {string} id          instanceId GUID (also the Azure Pipelines issuer's GUID)
 * @property {string} tenantId    Entra tenant the organization is connected to
 * @property {string} deploymentId
 * @property {Map<string, { displayName: string, id: string }>} members  by Entra object id
 */

/**
 * @typedef {object} DevOpsContext
 * @property {Organization} org
 * @property {{ objectId: string, tenantId: string, appId: string, displayName: string, id: string,
 *   claims: Record<string, any> }} identity  the authenticated, authorized caller
 * @property {Record<string, string>} params  placeholders of the route pattern
 * @property {() => number} now              emulator clock, epoch ms
 */

/**
 * @typedef {(req: import('../server/recorder.js').RecordedRequest, ctx: DevOpsContext) =>
 *   import('../server/router.js').EmulatorResponse | Promise<import('../server/router.js').EmulatorResponse>} DevOpsHandler
 */

/**
 * @param {{ httpsUrl: string, now: () => number, entraKey: import('../server/jwt.js').SigningKey,
 *   organization: { name: string, id: string, tenantId: string } }} deps
 */
export function createDevOps({ httpsUrl, now, entraKey, organization }) {
  /** @type {Map<string, Organization>} */
  const orgs = new Map();
  /** @type {Array<{ method: string, pattern: string, match: (path: string) => Record<string, string> | null, handler: DevOpsHandler }>} */
  const table = [];
  /** In-flight and most concurrent requests, per route pattern and for all routes (`*`). */
  /** @type {Map<string, { inFlight: number, max: number }>} */
  const concurrency = new Map();

  /** @param {string} name */
  const findOrg = (name) => orgs.get(name.toLowerCase());

  const devops = {
    organization: organization.name,
    orgUrl: `${httpsUrl}/${organization.name}`,
    /**
     * @param {{ name: string, id?: string, tenantId?: string }} spec
     * @returns {Organization}
     */
    addOrganization({ name, id = randomUUID(), tenantId = organization.tenantId }) {
      const org = {
        name,
        id,
        tenantId: tenantId.toLowerCase(),
        deploymentId: randomUUID(),
        members: new Map()
      };
      orgs.set(name.toLowerCase(), org);
      return org;
    },
    /** @param {string} [name] */
    getOrganization: (name = organization.name) => findOrg(name),
    /**
     * Adds a user / service principal / managed identity (by Entra object id) to an organization.
     * @param {string} objectId
     * @param {string} displayName
     * @param {string} [orgName]
     */
    addMember(objectId, displayName, orgName = organization.name) {
      const org = requireOrg(orgName);
      const id = guidFrom(`${org.id}/${objectId.toLowerCase()}`);
      org.members.set(objectId.toLowerCase(), { displayName, id });
    },
    /**
     * @param {string} objectId
     * @param {string} [orgName]
     */
    removeMember: (objectId, orgName = organization.name) =>
      requireOrg(orgName).members.delete(objectId.toLowerCase()),
    /**
     * Adds a route under `/{org}`; the newest registration wins. Pattern placeholders: `{name}`, final `{*rest}`.
     * The handler runs only for an authenticated member and must return `{ status, headers?, body? }`.
     * @param {string} method
     * @param {string} pattern e.g. `/{project}/_apis/git/repositories`
     * @param {DevOpsHandler} handler
     * @returns {() => void} removes the route
     */
    route(method, pattern, handler) {
      const entry = { method: method.toUpperCase(), pattern, match: compilePattern(pattern), handler };
      table.unshift(entry);
      return () => void table.splice(table.indexOf(entry), 1);
    },
    /**
     * The most requests to one route that were in flight at once, from arrival (before faults) until
     * answered. `route`: a pattern as registered (`/_test/item/{id}`) or its last literal segment (`item`;
     * the largest when several match); without one, over every devops request.
     * @param {string} [route]
     */
    maxConcurrency(route = '*') {
      const exact = concurrency.get(route);
      if (exact) return exact.max;
      const named = [...concurrency].filter(([pattern]) => lastLiteral(pattern) === route.toLowerCase());
      return Math.max(0, ...named.map(([, stats]) => stats.max));
    },
    /** Forgets the concurrency maxima (requests still in flight keep counting). */
    resetStats() {
      for (const stats of concurrency.values()) stats.max = stats.inFlight;
    }
  };

  /** @param {string} name */
  function requireOrg(name) {
    const org = findOrg(name);
    if (!org) throw new Error(`Unknown organization '${name}'; add it with devops.addOrganization first.`);
    return org;
  }

  /** @type {import('../server/router.js').Route['handle']} */
  async function handle(req, { org: orgName = '', rest = '' }) {
    const org = findOrg(orgName);
    const fingerprint = tokenFingerprint(req.headers.authorization);
    if (fingerprint) req.tokenFingerprint = fingerprint;
    if (!org)
      return adoError(404, `The organization '${orgName}' could not be found.`, 'HostDoesNotExistException');
    const auth = authenticate(req, org);
    if ('failure' in auth) return auth.failure;
    for (const entry of table) {
      const params = entry.method === req.method ? entry.match(`/${rest}`) : null;
      if (params) return entry.handler(req, { org, identity: auth.identity, params, now });
    }
    const message = `The controller for path '${req.path}' was not found or does not implement IController.`;
    return adoError(404, message, 'HttpException');
  }

  /**
   * @param {import('../server/recorder.js').RecordedRequest} req
   * @param {Organization} org
   * @returns {{ identity: DevOpsContext['identity'] } | { failure: import('../server/router.js').EmulatorResponse }}
   */
  function authenticate(req, org) {
    const challenge = authChallenge(org.tenantId, httpsUrl);
    const suppress = (req.headers['x-tfs-fedauthredirect'] ?? '').toLowerCase() === 'suppress';
    const claims = validBearer(req.headers.authorization);
    if (!claims)
      return {
        failure: suppress
          ? adoError(401, TF_ANONYMOUS, 'UnauthorizedRequestException', challenge)
          : signInPage(org.tenantId)
      };
    const member =
      claims.tid === org.tenantId ? org.members.get(String(claims.oid).toLowerCase()) : undefined;
    if (!member) {
      const message = `TF400813: The user '${claims.oid}' is not authorized to access this resource.`;
      return { failure: adoError(401, message, 'UnauthorizedRequestException', challenge) };
    }
    const identity = { objectId: claims.oid, tenantId: claims.tid, appId: claims.appid, ...member, claims };
    return { identity };
  }

  /**
   * The claims of an Entra access token for Azure DevOps that is signed, current and for this resource.
   * @param {string | undefined} authorization
   */
  function validBearer(authorization) {
    return validToken(/^Bearer\s+(\S+)$/i.exec(authorization ?? '')?.[1]);
  }

  /**
   * @param {string | undefined} value the token itself
   */
  function validToken(value) {
    const token = decodeJwt(value);
    if (!token || token.header.kid !== entraKey.kid || !verifyJwt(token, entraKey.publicKey))
      return undefined;
    const { aud, exp, nbf } = token.payload;
    const seconds = now() / 1000;
    if (aud !== AZURE_DEVOPS_RESOURCE || typeof exp !== 'number' || exp <= seconds) return undefined;
    if (typeof nbf === 'number' && nbf > seconds) return undefined;
    return token.payload;
  }

  devops.route('GET', '/_apis/connectionData', (req, { org, identity }) => {
    const user = {
      id: identity.id,
      descriptor: `Microsoft.VisualStudio.Services.Claims.AadServicePrincipal;${identity.tenantId}\\${identity.objectId}`,
      subjectDescriptor: `aadsp.${Buffer.from(`${identity.tenantId}\\${identity.objectId}`).toString('base64url')}`,
      providerDisplayName: identity.displayName,
      isActive: true,
      properties: {}
    };
    return {
      status: 200,
      body: {
        authenticatedUser: user,
        authorizedUser: user,
        instanceId: org.id,
        deploymentId: org.deploymentId,
        deploymentType: 'hosted',
        locationServiceData: {
          serviceOwner: SERVICE_OWNER,
          defaultAccessMappingMoniker: 'PublicAccessMapping',
          lastChangeId: 1,
          lastChangeId64: 1
        }
      }
    };
  });
  devops.addOrganization(organization);

  /**
   * Counts a request as in flight from its arrival; the returned function ends it (router: on close).
   * @param {import('../server/recorder.js').RecordedRequest} record
   */
  function arrive(record) {
    const rest = `/${compilePattern('/{org}/{*rest}')(record.path)?.rest ?? ''}`;
    const entry = table.find((candidate) => candidate.method === record.method && candidate.match(rest));
    const all = ['*', ...(entry ? [entry.pattern] : [])].map((key) => {
      const stats = concurrency.get(key) ?? { inFlight: 0, max: 0 };
      concurrency.set(key, stats);
      stats.inFlight += 1;
      stats.max = Math.max(stats.max, stats.inFlight);
      return stats;
    });
    record.inFlight = all[all.length - 1]?.inFlight ?? 1;
    return () => {
      for (const stats of all) stats.inFlight -= 1;
    };
  }

  /**
   * Authorizes a token the way the REST routes do (signature, audience, expiry, tenant, membership), for
   * the git and package-feed endpoints, which take it as a Bearer token or as a Basic password.
   * @param {string | undefined} token
   * @param {string} orgName
   * @returns {{ org: Organization, identity: DevOpsContext['identity'] } |
   *   { failure: 'unknown-organization' | 'invalid-token' | 'not-member', message: string, tenantId?: string }}
   */
  function authorizeToken(token, orgName) {
    const org = findOrg(orgName);
    if (!org)
      return {
        failure: 'unknown-organization',
        message: `The organization '${orgName}' could not be found.`
      };
    const claims = validToken(token);
    if (!claims) return { failure: 'invalid-token', message: TF_ANONYMOUS, tenantId: org.tenantId };
    const member =
      claims.tid === org.tenantId ? org.members.get(String(claims.oid).toLowerCase()) : undefined;
    if (!member) {
      const message = `TF400813: The user '${claims.oid}' is not authorized to access this resource.`;
      return { failure: 'not-member', message, tenantId: org.tenantId };
    }
    return {
      org,
      identity: { objectId: claims.oid, tenantId: claims.tid, appId: claims.appid, ...member, claims }
    };
  }

  /** @type {import('../server/router.js').Route} */
  const route = {
    service: 'devops',
    methods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'],
    match(path) {
      const params = compilePattern('/{org}/{*rest}')(path);
      return params && (findOrg(params.org ?? '') || /\/_apis(\/|$)/i.test(path)) ? params : null;
    },
    handle,
    arrive,
    serviceHeaders: requestIdHeaders
  };
  return { devops, routes: [route], authorizeToken };
}
