import type { TokenCredential } from '@azure/identity';
import { createCredential } from './credential.js';
import { explainCredentialError, type InputNames } from './entra-errors.js';
import { EndpointTimeoutError } from './errors.js';
import { createDeadline, createTransport, NetworkError, type Deadline, type HttpTransport } from './http.js';
import { createIdentityHttpClient } from './identity-http.js';
import { claimString, decodeJwtClaims } from './jwt.js';
import { createOidcTokenCache, describeOidcSource, fetchOidcToken } from './oidc.js';
import type { Platform } from './platform.js';
import { userAgent } from './product.js';
import type { RetryContext } from './retry.js';
import type { SecretGuard } from './secrets.js';
import type { CredentialSettings, Settings } from './settings.js';
import { verifyToken } from './verify.js';

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

export interface AcquireOptions {
  platform: Platform;
  guard: SecretGuard;
  names: InputNames;
  /** The platform's advice on federated credential subjects, added to federation errors. */
  subjectAdvice: string;
  env?: NodeJS.ProcessEnv;
  now?: () => number;
}

const REQUEST_TIMEOUT_MS = 20_000;

export function describeMethod(credential: CredentialSettings): string {
  switch (credential.kind) {
    case 'federated':
      return `workload identity federation (${describeOidcSource(credential.oidc).replace(' endpoint', ' token')})`;
    case 'client-secret':
      return 'service principal with a client secret';
    case 'client-certificate':
      return 'service principal with a certificate';
    case 'managed-identity':
      return credential.selector
        ? `user-assigned managed identity (${credential.selector.kind} ${credential.selector.value})`
        : 'managed identity (system-assigned, or the only one assigned)';
  }
}

/** Gets an Entra access token for the settings, masks it, explains what happened and optionally verifies it. */
export async function acquireAzureDevOpsToken(
  settings: Settings,
  options: AcquireOptions
): Promise<TokenResult> {
  const { guard, platform } = options;
  const now = options.now ?? Date.now;
  const deadline = createDeadline(settings.timeoutSeconds, now);
  const timeouts: EndpointTimeoutError[] = [];
  const networkErrors: NetworkError[] = [];
  const transport = recordFailures(
    createTransport({
      agentFor: (url) => platform.agentFor(url),
      deadline,
      requestTimeoutMs: REQUEST_TIMEOUT_MS,
      userAgent: userAgent(platform.name),
      logger: guard
    }),
    timeouts,
    networkErrors
  );
  const retry: RetryContext = { transport, deadline, logger: guard };
  const cred = settings.credential;

  guard.info(`Authenticating with ${describeMethod(cred)}.`);
  if (cred.kind !== 'managed-identity')
    guard.info(
      `Tenant ${cred.tenantId}, client ID ${cred.clientId}, authority ${cred.authorityHost}, scope ${settings.scope}.`
    );
  else guard.info(`Scope ${settings.scope}.`);

  let oidcFailure: unknown;
  const oidc =
    cred.kind === 'federated'
      ? createOidcTokenCache(
          () =>
            fetchOidcToken(cred.oidc, { ...retry, guard }).catch((error: unknown) => {
              oidcFailure = error;
              throw error;
            }),
          now
        )
      : undefined;
  const entraErrors: string[] = [];
  const httpClient = createIdentityHttpClient(recordErrorBodies(transport, entraErrors), (url) =>
    endpointName(cred, url)
  );
  const credential = createCredential(
    cred,
    httpClient,
    () => (oidc ? oidc.get() : Promise.reject(new Error('No OIDC source.'))),
    guard,
    options.env
  );

  let accessToken: { token: string; expiresOnTimestamp: number };
  try {
    accessToken = await withDeadline(getToken(credential, settings.scope), deadline, timeouts, cred);
  } catch (error) {
    throw (
      timeouts[0] ??
      (oidcFailure instanceof Error ? oidcFailure : undefined) ??
      explainCredentialError(error, {
        credential: cred,
        names: options.names,
        presented: oidc?.last(),
        subjectAdvice: options.subjectAdvice,
        responses: entraErrors,
        networkError: networkErrors.at(-1)
      })
    );
  }
  const token = guard.mask(accessToken.token);
  const claims = decodeJwtClaims(token);
  const result: TokenResult = {
    token,
    expiresOn: new Date(accessToken.expiresOnTimestamp).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    tenantId: claimString(claims, 'tid'),
    objectId: claimString(claims, 'oid'),
    clientId: claimString(claims, 'appid') || claimString(claims, 'azp'),
    identity: ''
  };
  const minutes = Math.round((accessToken.expiresOnTimestamp - now()) / 60_000);
  guard.info(
    claims
      ? `Access token issued to application ${result.clientId || '(unknown)'} (object ID ${result.objectId || 'unknown'}) in tenant ${result.tenantId || 'unknown'}; expires ${result.expiresOn} (in ${minutes} minutes).`
      : `Access token issued (not a JWT, so its identity cannot be shown); expires ${result.expiresOn} (in ${minutes} minutes).`
  );

  if (settings.verify && settings.organization) {
    try {
      const verified = await withDeadline(
        verifyToken(token, settings.organization, result, retry),
        deadline,
        timeouts,
        cred
      );
      result.identity = verified.displayName;
      guard.info(
        `Verified: organization '${settings.organization.name}' (${settings.organization.url}) accepts the token as '${verified.displayName}' (id ${verified.id}).`
      );
    } catch (error) {
      throw timeouts[0] ?? error;
    }
  }
  return result;
}

async function getToken(
  credential: TokenCredential,
  scope: string
): Promise<{ token: string; expiresOnTimestamp: number }> {
  const token = await credential.getToken(scope);
  if (token === null) throw new Error('The credential returned no token.');
  return token;
}

function endpointName(cred: CredentialSettings, url: URL): string {
  if (cred.kind === 'managed-identity') return 'managed identity endpoint';
  return url.pathname.includes('openid-configuration')
    ? 'Microsoft Entra metadata endpoint'
    : 'Microsoft Entra token endpoint';
}

/** MSAL sometimes reports a failed metadata request without the body; keep error bodies so codes are not lost. */
function recordErrorBodies(transport: HttpTransport, bodies: string[]): HttpTransport {
  return {
    async send(request, signal) {
      const response = await transport.send(request, signal);
      if (response.status >= 400) bodies.push(response.body);
      return response;
    }
  };
}

/** Libraries wrap transport errors into vaguer ones ("network_error"); keep the originals, which name the endpoint. */
function recordFailures(
  transport: HttpTransport,
  timeouts: EndpointTimeoutError[],
  networkErrors: NetworkError[]
): HttpTransport {
  return {
    async send(request, signal) {
      try {
        return await transport.send(request, signal);
      } catch (error) {
        if (error instanceof EndpointTimeoutError) timeouts.push(error);
        if (error instanceof NetworkError) networkErrors.push(error);
        throw error;
      }
    }
  };
}

/** Outer guard: libraries may sleep between retries; the run still ends when the budget does. */
async function withDeadline<T>(
  promise: Promise<T>,
  deadline: Deadline,
  timeouts: EndpointTimeoutError[],
  cred: CredentialSettings
): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => {
        const endpoint =
          cred.kind === 'managed-identity'
            ? 'managed identity endpoint'
            : cred.kind === 'federated'
              ? 'OIDC or Microsoft Entra token endpoint'
              : 'Microsoft Entra token endpoint';
        reject(
          timeouts[0] ??
            new EndpointTimeoutError(
              endpoint,
              cred.kind === 'managed-identity' ? 'see the log above' : cred.authorityHost,
              deadline.seconds
            )
        );
      },
      // A grace second lets the transport's own timeout, which names the endpoint, win the race.
      Math.max(0, deadline.remainingMs()) + 1000
    );
    timer.unref();
  });
  try {
    return await Promise.race([promise, expired]);
  } finally {
    clearTimeout(timer);
  }
}
