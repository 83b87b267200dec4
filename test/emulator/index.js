// startEmulator: a local, loopback-only stand-in for Microsoft Entra ID, the GitHub and Azure Pipelines
// OIDC issuers, managed identity endpoints and the Azure DevOps REST API. See README.md.
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEmulatorApi } from './api.js';
import { createDevOps } from './devops/devops.js';
import { createGitHttp } from './git/smart-http.js';
import { DEFAULT_PROJECT_ID } from './devops/projects.js';
import { installDevOpsServices } from './devops/services.js';
import { createDirectory, TOKEN_EXCHANGE_AUDIENCE } from './entra/directory.js';
import { AZURE_DEVOPS_RESOURCE, createEntra } from './entra/entra.js';
import { createFaultQueues, createSleeper } from './server/faults.js';
import { createFeeds } from './feeds/feeds.js';
import { createGitRepositories } from './git/repos.js';
import { createSigningKey } from './server/jwt.js';
import { createManagedIdentity, createManagedIdentityEndpoints } from './entra/managed-identity.js';
import { createAzurePipelinesIssuer, createGitHubIssuer, mint } from './entra/oidc-issuers.js';
import { createRecorder } from './server/recorder.js';
import { createDispatcher } from './server/router.js';
import { startServers } from './server/servers.js';
import { getCachedClientCertificate, getServerPki } from './server/tls.js';
import { createTokenGate } from './devops/token-credentials.js';
import { startTrap } from './server/trap.js';

export { AZURE_DEVOPS_RESOURCE, TOKEN_EXCHANGE_AUDIENCE };

/**
 * @typedef {object} EmulatorOptions
 * @property {string} [tenantId]      default tenant GUID (default 72f988bf-…-like fixed GUID below)
 * @property {string} [tenantDomain]  default contoso.onmicrosoft.com
 * @property {string} [organization]  default Azure DevOps organization name (default contoso)
 * @property {string} [githubSubject] default repo:contoso/release:environment:production
 * @property {string} [serviceConnectionName] default release-wif
 * @property {number} [accessTokenLifetimeSeconds] default 3599
 * @property {number} [managedIdentityTokenLifetimeSeconds] default 86399
 * @property {boolean} [legacyFederatedErrors] answer AADSTS70021 for every federated mismatch (default false)
 * @property {number} [assertionClockSkewSeconds] tolerance on client assertion exp / nbf (default 300, like Entra)
 * @property {number} [httpsPort] default 0 (any free port)
 * @property {number} [httpPort]  default 0
 */

export const DEFAULT_TENANT_ID = '4b1c7e2a-93d5-4f08-a6e1-2c9d8b7f3a15';

/**
 * Starts the emulator: both servers on 127.0.0.1, a default tenant, app, org, issuers and managed identity.
 * @param {EmulatorOptions} [options]
 */
export async function startEmulator(options = {}) {
  const pki = getServerPki();
  const tempDir = mkdtempSync(join(tmpdir(), 'ado-emulator-'));
  const caFile = join(tempDir, 'ca.pem');
  writeFileSync(caFile, pki.caPem);
  const [entraKey, githubKey, pipelinesKey] = await Promise.all([
    createSigningKey(),
    createSigningKey(),
    createSigningKey()
  ]);

  /** @type {Set<string>} */
  const secrets = new Set();
  const addSecret = (/** @type {string | undefined} */ value) => void (value && secrets.add(value));
  const clock = { offsetMs: 0 };
  const now = () => Date.now() + clock.offsetMs;
  const settings = {
    accessTokenLifetimeSeconds: options.accessTokenLifetimeSeconds ?? 3599,
    managedIdentityTokenLifetimeSeconds: options.managedIdentityTokenLifetimeSeconds ?? 86399,
    legacyFederatedErrors: options.legacyFederatedErrors ?? false,
    assertionClockSkewSeconds: options.assertionClockSkewSeconds ?? 300
  };
  const recorder = createRecorder();
  const faults = createFaultQueues();
  const sleeper = createSleeper();
  /** @type {import('./server/router.js').Route[]} */
  let routes = [];
  const { dispatch, runFault } = createDispatcher({
    routes: () => routes,
    recorder,
    faults,
    sleep: sleeper.sleep
  });
  const servers = await startServers({
    pki,
    dispatch,
    runFault,
    recorder,
    httpsPort: options.httpsPort,
    httpPort: options.httpPort
  });
  const { httpsUrl, httpUrl } = servers;
  const trap = await startTrap({ pki });

  const tenant = {
    id: (options.tenantId ?? DEFAULT_TENANT_ID).toLowerCase(),
    domain: options.tenantDomain ?? 'contoso.onmicrosoft.com'
  };
  const directory = createDirectory({ defaultTenant: tenant, addSecret });
  const organization = options.organization ?? 'contoso';
  const {
    devops: devopsCore,
    routes: devopsRoutes,
    authorizeToken
  } = createDevOps({
    httpsUrl,
    now,
    entraKey,
    organization: { name: organization, id: randomUUID(), tenantId: tenant.id }
  });
  const devops = installDevOpsServices(devopsCore, { httpsUrl, now, sleep: sleeper.sleep });
  const organizationId = devops.getOrganization()?.id ?? '';
  const { github, routes: githubRoutes } = createGitHubIssuer({
    key: githubKey,
    now,
    addSecret,
    httpsUrl,
    subject: options.githubSubject ?? 'repo:contoso/release:environment:production'
  });
  const { azurePipelines, routes: pipelinesRoutes } = createAzurePipelinesIssuer({
    key: pipelinesKey,
    now,
    addSecret,
    httpsUrl,
    organization,
    organizationId,
    projectName: 'release-project',
    projectId: DEFAULT_PROJECT_ID,
    connectionName: options.serviceConnectionName ?? 'release-wif'
  });
  /** Issuers tests add (a Kubernetes cluster, GitLab): Entra trusts them as it trusts any federated credential's issuer. */
  const extraIssuers =
    /** @type {Array<{ issuer: string, publicKey: import('node:crypto').KeyObject }>} */ ([]);
  const issuers = () => [
    { issuer: github.issuer, publicKey: githubKey.publicKey },
    { issuer: azurePipelines.issuer, publicKey: pipelinesKey.publicKey },
    ...extraIssuers
  ];
  /** @param {string} issuer */
  const addOidcIssuer = (issuer) => {
    extraIssuers.push({ issuer, publicKey: githubKey.publicKey });
    return {
      issuer,
      /** @param {Record<string, unknown>} claims `sub` and `aud` at least; `iss` is the issuer, `exp` now + 3600 unless given */
      mintToken: (claims) =>
        mint(
          { key: githubKey, now, addSecret },
          { iss: issuer, exp: Math.floor(now() / 1000) + 3600, ...claims }
        )
    };
  };
  const entra = createEntra({ directory, key: entraKey, now, settings: () => settings, issuers, addSecret });
  const managed = {
    config: {
      systemAssigned: createManagedIdentity({}, 'system'),
      userAssigned: /** @type {import('./entra/managed-identity.js').ManagedIdentity[]} */ ([])
    }
  };
  const msi = createManagedIdentityEndpoints({
    config: () => managed.config,
    lifetimeSeconds: () => settings.managedIdentityTokenLifetimeSeconds,
    defaultTenantId: tenant.id,
    addSecret,
    issueAccessToken: entra.issueAccessToken
  });
  // Azure Repos git (smart HTTP) and Azure Artifacts feeds take the same tokens, as Bearer or Basic.
  const authenticate = createTokenGate({ authorizeToken, httpsUrl, addSecret });
  const gitRoot = join(tempDir, 'git');
  mkdirSync(gitRoot);
  const gitRepos = createGitRepositories({ root: gitRoot, organization, httpsUrl, httpUrl });
  const gitHttp = createGitHttp({ root: gitRoot, find: gitRepos.find, authenticate });
  const feeds = createFeeds({ organization, httpsUrl, authenticate });
  routes = [
    ...entra.routes,
    ...githubRoutes,
    ...pipelinesRoutes,
    ...msi.routes,
    ...gitHttp.routes,
    ...feeds.routes,
    ...devopsRoutes
  ];

  const defaultConnection = azurePipelines.getServiceConnection(azurePipelines.serviceConnectionId);
  const app = directory.registerApp({
    displayName: 'release-bot',
    tenantId: tenant.id,
    certificate: getCachedClientCertificate('release-bot'),
    federatedCredentials: [
      { issuer: github.issuer, subject: github.subject, audience: TOKEN_EXCHANGE_AUDIENCE },
      {
        issuer: azurePipelines.issuer,
        subject: defaultConnection?.subject ?? '',
        audience: TOKEN_EXCHANGE_AUDIENCE
      }
    ]
  });
  devops.addMember(app.objectId, app.displayName);
  const system = managed.config.systemAssigned;
  devops.addMember(system.objectId, system.displayName);

  let closed = false;
  return createEmulatorApi({
    httpsUrl,
    httpUrl,
    caFile,
    caPem: pki.caPem,
    tenant,
    app,
    directory,
    github,
    azurePipelines,
    devops,
    trap,
    git: gitRepos.api,
    feeds: feeds.api,
    identityHeader: msi.identityHeader,
    managed,
    settings,
    clock,
    now,
    secrets,
    recorder,
    faults,
    issueAccessToken: entra.issueAccessToken,
    addOidcIssuer,
    async close() {
      if (closed) return;
      closed = true;
      sleeper.cancelAll();
      gitHttp.killAll();
      await Promise.all([servers.close(), trap.close()]);
      rmSync(tempDir, { recursive: true, force: true });
    }
  });
}
