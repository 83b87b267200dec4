import type { TokenIdentity } from './devops/errors.js';
import { createDevOpsClient, type DevOpsClient, type RequestStats } from './devops/client.js';
import type { InputNames } from './auth/entra-errors.js';
import { createHostPolicy } from './devops/host-policy.js';
import { BudgetExceededError } from './errors.js';
import { createDeadline, createRunTransport, type Deadline, type HttpTransport } from './http/transport.js';
import { claimString, decodeJwtClaims } from './auth/jwt.js';
import { describeOidcSource } from './auth/oidc.js';
import type { Platform } from './platform.js';
import type { SecretGuard } from './secrets.js';
import type { CredentialSettings, Settings } from './settings.js';
import type { StepReport } from './summary.js';
import { createThrottle, type Throttle } from './http/throttle.js';
import { createTokenProvider, type TokenProvider } from './auth/token-provider.js';
import { TIMEOUT_VARIABLE } from './validate.js';
import { verifyToken } from './devops/verify.js';

/** What a run produces; adapters publish it as outputs and variables. */
export interface TokenResult {
  token: string;
  /** ISO 8601 UTC without fractions, e.g. 2026-11-22T10:00:00Z. */
  expiresOn: string;
  tenantId: string;
  objectId: string;
  clientId: string;
  /** authenticatedUser.providerDisplayName when verified, else empty. */
  identity: string;
}

/** What later work (operations) needs: the token source and the one Azure DevOps client. */
export interface Session {
  tokens: TokenProvider;
  client: DevOpsClient;
  stats: RequestStats;
  throttle: Throttle;
}

export interface AcquireOptions {
  platform: Platform;
  guard: SecretGuard;
  names: InputNames;
  /** The platform's advice on federated credential subjects, added to federation errors. */
  subjectAdvice: string;
  env?: NodeJS.ProcessEnv;
  now?: () => number;
  /** The step summary's record of the run, filled in as soon as each fact is known. */
  report?: StepReport | undefined;
  /** For tests: replaces the run's HTTP transport. */
  transport?: HttpTransport;
}

export function describeMethod(credential: CredentialSettings): string {
  switch (credential.kind) {
    case 'federated': {
      const { oidc } = credential;
      // The endpoints hand out a token; a file or variable is named as it is (its path is the user's).
      const source =
        oidc.kind === 'github'
          ? 'GitHub OIDC token'
          : oidc.kind === 'azure-pipelines'
            ? 'Azure Pipelines OIDC token'
            : describeOidcSource(oidc);
      return `workload identity federation (${source})`;
    }
    case 'client-secret':
      return 'service principal with a client secret';
    case 'client-certificate':
      return 'service principal with a certificate';
    case 'managed-identity':
      return credential.selector
        ? `user-assigned managed identity (${credential.selector.kind} ${credential.selector.value})`
        : 'managed identity (system-assigned, or the only one assigned)';
    case 'azure-cli':
      return `the Azure CLI's signed-in account (az account get-access-token${credential.tenantId ? ` --tenant ${credential.tenantId}` : ''})`;
  }
}

/** Gets an Entra access token for the settings, masks it, explains what happened and optionally verifies it. */
export async function acquireAzureDevOpsToken(
  settings: Settings,
  options: AcquireOptions
): Promise<{ result: TokenResult; session: Session }> {
  const { guard, platform } = options;
  const now = options.now ?? Date.now;
  const cred = settings.credential;
  const transport = options.transport ?? createRunTransport(platform, guard);
  // Getting and verifying the token share one budget: a hung verification must not outlast it.
  const deadline = createDeadline(settings.timeoutSeconds, now);

  if (settings.dryRun) guard.info('Dry run: writes (POST, PUT, PATCH, DELETE) are shown, not sent.');
  guard.info(`Authenticating with ${describeMethod(cred)}.`);
  if (cred.kind !== 'managed-identity' && cred.kind !== 'azure-cli')
    guard.info(
      `Tenant ${cred.tenantId}, client ID ${cred.clientId}, authority ${cred.authorityHost}, scope ${settings.scope}.`
    );
  else guard.info(`Scope ${settings.scope}.`);

  const tokens = createTokenProvider({
    credential: cred,
    scope: settings.scope,
    transport,
    guard,
    names: options.names,
    subjectAdvice: options.subjectAdvice,
    timeoutSeconds: settings.timeoutSeconds,
    env: options.env,
    now
  });
  const accessToken = await tokens.get();
  const claims = decodeJwtClaims(accessToken.token);
  const result: TokenResult = {
    token: accessToken.token,
    // Stryker disable next-line Regex: toISOString always ends in .dddZ, so the end anchor changes nothing.
    expiresOn: new Date(accessToken.expiresOnTimestamp).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    tenantId: claimString(claims, 'tid'),
    objectId: claimString(claims, 'oid'),
    clientId: claimString(claims, 'appid') || claimString(claims, 'azp'),
    identity: ''
  };
  if (options.report) options.report.result = result;
  const minutes = Math.round((accessToken.expiresOnTimestamp - now()) / 60_000);
  guard.info(
    claims
      ? `Access token issued to application ${result.clientId || '(unknown)'} (object ID ${result.objectId || 'unknown'}) in tenant ${result.tenantId || 'unknown'}; expires ${result.expiresOn} (in ${minutes} minutes).`
      : `Access token issued (not a JWT, so its identity cannot be shown); expires ${result.expiresOn} (in ${minutes} minutes).`
  );

  const identity: TokenIdentity = result;
  const stats: RequestStats = { requests: 0, retries: 0 };
  const throttle = createThrottle(guard, (ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  const client = createDevOpsClient({
    transport,
    tokens,
    hosts: createHostPolicy(settings.organization, settings.allowedHosts),
    throttle,
    guard,
    identity,
    organizationName: settings.organization?.name ?? '',
    logRequest: (line) => guard.info(line),
    stats
  });

  if (settings.verify && settings.organization) {
    const verified = await verifyToken(client, settings.organization, identity, {
      deadline,
      exceeded: (what, detail) => tokenBudgetExceeded(what, detail, deadline)
    });
    result.identity = verified.displayName;
    if (options.report) options.report.verified = true;
    guard.info(
      `Verified: organization '${settings.organization.name}' (${settings.organization.url}) accepts the token as '${verified.displayName}' (id ${verified.id}).`
    );
  }
  return { result, session: { tokens, client, stats, throttle } };
}

function tokenBudgetExceeded(what: string, detail: string, deadline: Deadline): BudgetExceededError {
  return new BudgetExceededError(
    `${what} did not finish: the ${deadline.seconds}-second budget for getting and verifying the token ran out ${detail}. Check that the organization's host is reachable from this machine (firewall, proxy, DNS), or raise the ${TIMEOUT_VARIABLE} environment variable (seconds, 1 to 600; default 50).`,
    deadline.seconds
  );
}
