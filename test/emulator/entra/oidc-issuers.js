// The two OIDC issuers whose tokens Entra accepts as federated credentials: GitHub Actions and
// Azure Pipelines. Each signs with its own key; Entra verifies with the issuer's public key.
import { randomBytes, randomUUID } from 'node:crypto';
import { TOKEN_EXCHANGE_AUDIENCE } from './directory.js';
import { adoError, requestIdHeaders, TF_ANONYMOUS } from '../devops/errors.js';
import { signJwt } from '../server/jwt.js';
import { compilePattern } from '../server/router.js';

export const GITHUB_ISSUER = 'https://token.actions.githubusercontent.com';

/**
 * @typedef {object} IssuerDeps
 * @property {import('../server/jwt.js').SigningKey} key
 * @property {() => number} now
 * @property {(value: string) => void} addSecret
 * @property {string} httpsUrl
 */

/**
 * Mints and records an issuer's token.
 * @param {IssuerDeps} deps
 * @param {Record<string, unknown>} claims
 */
export function mint({ key, now, addSecret }, claims) {
  const iat = Math.floor(now() / 1000);
  const token = signJwt(
    key.privateKey,
    { jti: randomUUID(), nbf: iat, iat, ...claims },
    { kid: key.kid, x5t: key.kid }
  );
  addSecret(token);
  addSecret(token.slice(token.lastIndexOf('.') + 1));
  return token;
}

/**
 * GitHub Actions' OIDC provider: `GET /_github/idtoken?api-version=2.0&audience=…` with the request token.
 * @param {IssuerDeps & { subject: string }} deps
 */
export function createGitHubIssuer(deps) {
  const requestToken = randomBytes(40).toString('base64url');
  deps.addSecret(requestToken);
  const github = {
    issuer: GITHUB_ISSUER,
    requestToken,
    requestUrl: `${deps.httpsUrl}/_github/idtoken?api-version=2.0`,
    /** `sub` of the next tokens; settable. */
    subject: deps.subject,
    /** Extra claims merged into every token; mutate or replace freely. */
    claims: /** @type {Record<string, unknown>} */ ({
      repository: 'contoso/release',
      repository_owner: 'contoso',
      ref: 'refs/heads/main',
      ref_type: 'branch',
      environment: 'production',
      event_name: 'push',
      workflow: 'release',
      job_workflow_ref: 'contoso/release/.github/workflows/release.yml@refs/heads/main',
      runner_environment: 'github-hosted'
    }),
    /**
     * Signs a GitHub token directly (default claims, then overrides); e.g. `{ exp: 0 }` for an expired one.
     * @param {Record<string, unknown>} [overrides]
     */
    mintToken(overrides = {}) {
      const iat = Math.floor(deps.now() / 1000);
      return mint(deps, {
        ...github.claims,
        iss: GITHUB_ISSUER,
        sub: github.subject,
        aud: 'https://github.com/contoso',
        exp: iat + 300,
        ...overrides
      });
    }
  };

  /** @type {import('../server/router.js').Route} */
  const route = {
    service: 'github-oidc',
    methods: ['GET'],
    match: compilePattern('/_github/idtoken'),
    handle(req) {
      if (req.headers.authorization !== `Bearer ${requestToken}`)
        return { status: 401, body: { message: 'Bad credentials' } };
      return {
        status: 200,
        body: { value: github.mintToken(req.query.audience ? { aud: req.query.audience } : {}) }
      };
    }
  };
  return { github, routes: [route] };
}

/**
 * Azure Pipelines' OIDC endpoint for service connections (`…/jobs/{jobId}/oidctoken`).
 * @param {IssuerDeps & { organization: string, organizationId: string, projectName: string, projectId?: string,
 *   connectionName: string }} deps
 */
export function createAzurePipelinesIssuer(deps) {
  const systemAccessToken = randomBytes(52).toString('base64url');
  deps.addSecret(systemAccessToken);
  const projectId = deps.projectId ?? randomUUID();
  const planId = randomUUID();
  const jobId = randomUUID();
  /** @type {Map<string, { id: string, name: string, readonly subject: string }>} */
  const connections = new Map();
  const org = deps.organization;
  /** @returns {string} */
  const defaultConnectionId = () => azurePipelines.serviceConnectionId;

  const azurePipelines = {
    issuer: `https://vstoken.dev.azure.com/${deps.organizationId}`,
    systemAccessToken,
    projectId,
    projectName: deps.projectName,
    planId,
    jobId,
    collectionUri: `${deps.httpsUrl}/${org}/`,
    oidcRequestUri: `${deps.httpsUrl}/${org}/${projectId}/_apis/distributedtask/hubs/build/plans/${planId}/jobs/${jobId}/oidctoken`,
    serviceConnectionId: '',
    /**
     * Registers a workload identity service connection; its token subject is `sc://org/project/name`.
     * @param {string} [id]
     * @param {{ name?: string }} [options]
     */
    addServiceConnection(id = randomUUID(), { name = deps.connectionName } = {}) {
      const connection = {
        id: id.toLowerCase(),
        name,
        get subject() {
          return `sc://${org}/${deps.projectName}/${this.name}`;
        }
      };
      connections.set(connection.id, connection);
      return connection;
    },
    /** @param {string} id */
    getServiceConnection: (id) => connections.get(id.toLowerCase()),
    /**
     * Signs an Azure Pipelines token for a connection (default: the default connection) plus overrides.
     * @param {Record<string, unknown>} [overrides]
     * @param {string} [connectionId]
     */
    mintToken(overrides = {}, connectionId = defaultConnectionId()) {
      const connection = connections.get(connectionId.toLowerCase());
      const iat = Math.floor(deps.now() / 1000);
      return mint(deps, {
        iss: azurePipelines.issuer,
        sub: connection?.subject,
        aud: TOKEN_EXCHANGE_AUDIENCE,
        exp: iat + 600,
        org_id: deps.organizationId,
        prj_id: projectId,
        sc_id: connection?.id,
        ...overrides
      });
    }
  };
  azurePipelines.serviceConnectionId = azurePipelines.addServiceConnection().id;

  /** @type {import('../server/router.js').Route} */
  const route = {
    service: 'azure-oidc',
    methods: ['POST'],
    serviceHeaders: requestIdHeaders,
    match: compilePattern(
      '/{org}/{project}/_apis/distributedtask/hubs/{hub}/plans/{planId}/jobs/{jobId}/oidctoken'
    ),
    handle(req, params) {
      if ((params.org ?? '').toLowerCase() !== org.toLowerCase()) {
        return adoError(
          404,
          `The organization '${params.org}' could not be found.`,
          'HostDoesNotExistException'
        );
      }
      if (req.headers.authorization !== `Bearer ${systemAccessToken}`) {
        return adoError(401, TF_ANONYMOUS, 'UnauthorizedRequestException');
      }
      const id = req.query.serviceConnectionId ?? '';
      if (!connections.has(id.toLowerCase())) {
        return adoError(
          400,
          `Service connection '${id}' was not found, or the pipeline is not authorized to use it.`,
          'ServiceEndpointNotFoundException'
        );
      }
      return { status: 200, body: { oidcToken: azurePipelines.mintToken({}, id) } };
    }
  };
  return { azurePipelines, routes: [route] };
}
