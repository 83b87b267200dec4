// The object startEmulator returns: URLs, identities, clock, recorded requests, faults, secrets.
import { createManagedIdentity } from './entra/managed-identity.js';
import { AZURE_DEVOPS_RESOURCE } from './entra/entra.js';

/**
 * @param {{
 *   httpsUrl: string, httpUrl: string, caFile: string, caPem: string,
 *   tenant: import('./entra/directory.js').Tenant,
 *   app: import('./entra/directory.js').App,
 *   directory: ReturnType<typeof import('./entra/directory.js').createDirectory>,
 *   github: ReturnType<typeof import('./entra/oidc-issuers.js').createGitHubIssuer>['github'],
 *   azurePipelines: ReturnType<typeof import('./entra/oidc-issuers.js').createAzurePipelinesIssuer>['azurePipelines'],
 *   devops: ReturnType<typeof import('./devops/services.js').installDevOpsServices>,
 *   trap: Awaited<ReturnType<typeof import('./server/trap.js').startTrap>>,
 *   git: ReturnType<typeof import('./git/repos.js').createGitRepositories>['api'],
 *   feeds: ReturnType<typeof import('./feeds/feeds.js').createFeeds>['api'],
 *   identityHeader: string,
 *   managed: { config: import('./entra/managed-identity.js').ManagedIdentityConfig },
 *   settings: { accessTokenLifetimeSeconds: number, managedIdentityTokenLifetimeSeconds: number,
 *     legacyFederatedErrors: boolean, assertionClockSkewSeconds: number },
 *   clock: { offsetMs: number },
 *   now: () => number,
 *   secrets: Set<string>,
 *   recorder: ReturnType<typeof import('./server/recorder.js').createRecorder>,
 *   faults: ReturnType<typeof import('./server/faults.js').createFaultQueues>,
 *   issueAccessToken: ReturnType<typeof import('./entra/entra.js').createEntra>['issueAccessToken'],
 *   addOidcIssuer: (issuer: string) => { issuer: string, mintToken: (claims: Record<string, unknown>) => string },
 *   close: () => Promise<void>
 * }} parts
 */
export function createEmulatorApi(parts) {
  const {
    httpsUrl,
    httpUrl,
    tenant,
    app,
    directory,
    github,
    azurePipelines,
    devops,
    trap,
    settings,
    recorder,
    faults
  } = parts;
  const appService = { endpoint: `${httpUrl}/msi/token`, identityHeader: parts.identityHeader };
  return {
    /** `https://127.0.0.1:PORT`: Entra, OIDC issuers, Azure DevOps (every route). */
    httpsUrl,
    /** `http://127.0.0.1:PORT`: the same routes over plain HTTP, plus the CONNECT proxy. */
    httpUrl,
    proxyUrl: httpUrl,
    /** Value for AZURE_POD_IDENTITY_AUTHORITY_HOST (IMDS base URL). */
    imdsUrl: httpUrl,
    /** Path of the CA certificate PEM (for NODE_EXTRA_CA_CERTS). */
    caFile: parts.caFile,
    caPem: parts.caPem,
    tenantId: tenant.id,
    tenantDomain: tenant.domain,
    /** The default app registration `release-bot` (federated credentials, secret, certificate). */
    app,
    github,
    azurePipelines,
    devops,
    /** HTTPS server on 127.0.0.2 that answers anything and records connections and requests. */
    trap,
    /** Azure Repos over git smart HTTP (`git http-backend`): createRepository, addSubmodule, refs… */
    git: parts.git,
    /** Azure Artifacts feeds: npm registry, NuGet v3, PyPI simple; URLs and publish helpers. */
    feeds: parts.feeds,
    appService,
    /** Managed identities on the emulated machine (replace with setManagedIdentities). */
    get managedIdentity() {
      return parts.managed.config;
    },
    /**
     * Replaces the machine's identities; omitted fields mean none. Missing ids are generated.
     * @param {{ systemAssigned?: Partial<import('./entra/managed-identity.js').ManagedIdentity> | null,
     *   userAssigned?: Array<Partial<import('./entra/managed-identity.js').ManagedIdentity>> }} config
     */
    setManagedIdentities(config) {
      parts.managed.config = {
        systemAssigned: config.systemAssigned ? createManagedIdentity(config.systemAssigned, 'system') : null,
        userAssigned: (config.userAssigned ?? []).map((identity) => createManagedIdentity(identity, 'user'))
      };
      return parts.managed.config;
    },
    get accessTokenLifetimeSeconds() {
      return settings.accessTokenLifetimeSeconds;
    },
    set accessTokenLifetimeSeconds(value) {
      settings.accessTokenLifetimeSeconds = value;
    },
    get managedIdentityTokenLifetimeSeconds() {
      return settings.managedIdentityTokenLifetimeSeconds;
    },
    set managedIdentityTokenLifetimeSeconds(value) {
      settings.managedIdentityTokenLifetimeSeconds = value;
    },
    /** When true, every federated mismatch answers AADSTS70021 instead of 700211/700213/700212. */
    get legacyFederatedErrors() {
      return settings.legacyFederatedErrors;
    },
    set legacyFederatedErrors(value) {
      settings.legacyFederatedErrors = value;
    },
    /** Tolerance (seconds) on client assertion exp / nbf; 0 makes AADSTS700024 exact. */
    get assertionClockSkewSeconds() {
      return settings.assertionClockSkewSeconds;
    },
    set assertionClockSkewSeconds(value) {
      settings.assertionClockSkewSeconds = value;
    },
    /** The emulator clock (epoch ms): wall clock plus the offset. */
    now: parts.now,
    /** @param {number} ms shifts the emulator clock (token issuing and validation), e.g. +3600_000 */
    setClockOffset(ms) {
      parts.clock.offsetMs = ms;
    },
    registerApp: directory.registerApp,
    addTenant: directory.addTenant,
    /**
     * Trusts another OIDC issuer (a Kubernetes cluster, GitLab) for federated credentials; its tokens are
     * signed like the GitHub issuer's and recorded as secrets. Returns `{ issuer, mintToken(claims) }`.
     */
    addOidcIssuer: parts.addOidcIssuer,
    /**
     * Signs an Entra access token directly (default: the default app, Azure DevOps resource, default tenant).
     * @param {{ objectId?: string, appId?: string, tenantId?: string, resource?: string, appidacr?: string,
     *   lifetimeSeconds?: number, extraClaims?: Record<string, unknown> }} [spec]
     */
    issueAccessToken(spec = {}) {
      return parts.issueAccessToken({
        tenantId: spec.tenantId ?? tenant.id,
        objectId: spec.objectId ?? app.objectId,
        appId: spec.appId ?? app.clientId,
        resource: spec.resource ?? AZURE_DEVOPS_RESOURCE,
        appidacr: spec.appidacr ?? '2',
        lifetimeSeconds: spec.lifetimeSeconds ?? settings.accessTokenLifetimeSeconds,
        ...(spec.extraClaims ? { extraClaims: spec.extraClaims } : {})
      }).accessToken;
    },
    /** Every secret value the emulator issued or holds, to assert none of them reaches a log. */
    secrets: () => [...parts.secrets],
    /** A copy of the request log. */
    get requests() {
      return recorder.list();
    },
    /** @param {string} service */
    requestsFor: (service) => recorder.list().filter((record) => record.service === service),
    /**
     * Clears recorded requests, queued faults, the trap's records and the devops stats (concurrency,
     * test-control counters and logs); identities, settings and created REST data stay.
     */
    reset() {
      recorder.clear();
      faults.clear();
      trap.clear();
      devops.resetStats();
    },
    /**
     * Queues fault steps for a service (see README); each request to it consumes one step.
     * @param {string} service
     * @param {...import('./server/faults.js').FaultStep} steps
     */
    fault: (service, ...steps) => faults.add(service, steps),
    clearFaults: () => faults.clear(),
    /** Environment variables per scenario, for running the action / task against the emulator. */
    env: {
      common: { NODE_EXTRA_CA_CERTS: parts.caFile },
      github: {
        ACTIONS_ID_TOKEN_REQUEST_URL: github.requestUrl,
        ACTIONS_ID_TOKEN_REQUEST_TOKEN: github.requestToken
      },
      azurePipelines: {
        SYSTEM_OIDCREQUESTURI: azurePipelines.oidcRequestUri,
        SYSTEM_COLLECTIONURI: azurePipelines.collectionUri,
        SYSTEM_TEAMFOUNDATIONCOLLECTIONURI: azurePipelines.collectionUri,
        ENDPOINT_URL_SYSTEMVSSCONNECTION: azurePipelines.collectionUri,
        ENDPOINT_AUTH_SYSTEMVSSCONNECTION: JSON.stringify({
          parameters: { AccessToken: azurePipelines.systemAccessToken },
          scheme: 'OAuth'
        })
      },
      imds: { AZURE_POD_IDENTITY_AUTHORITY_HOST: httpUrl },
      appService: { IDENTITY_ENDPOINT: appService.endpoint, IDENTITY_HEADER: appService.identityHeader }
    },
    /** Closes both servers (destroying open and hung sockets) and removes the temp dir. Idempotent. */
    close: parts.close
  };
}

/** @typedef {Awaited<ReturnType<typeof import('./index.js').startEmulator>>} Emulator */
