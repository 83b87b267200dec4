import type { Deadline, HttpTransport } from '../http/transport.js';
import { FederatedTokenExchange } from './federated-exchange.js';
import type { Logger } from '../platform.js';
import type { CredentialSettings } from '../settings.js';

/** What the token provider asks for tokens: a federated exchange of ours, or an @azure/identity credential. */
export interface TokenSource {
  getToken(scope: string): Promise<{ token: string; expiresOnTimestamp: number } | null>;
}

export interface CredentialContext {
  transport: HttpTransport;
  deadline: Deadline;
  /** Names the endpoint of a URL for messages (token endpoint, managed identity endpoint…). */
  endpointFor: (url: URL) => string;
  /** Supplies the cached OIDC token (federated only). */
  getAssertion: () => Promise<string>;
  logger: Logger;
  env?: NodeJS.ProcessEnv | undefined;
  now?: (() => number) | undefined;
}

/** The env var that makes ManagedIdentityCredential silently switch to AKS workload identity. */
const TOKEN_EXCHANGE_VARIABLE = 'AZURE_FEDERATED_TOKEN_FILE';

/** `az` can be slow to start (Python, extensions); it still has to fit the acquisition budget. */
const AZURE_CLI_TIMEOUT_MS = 30_000;

/**
 * Builds the token source for the settings. Workload identity federation, the path of almost every run, is one
 * POST of ours (federated-exchange.ts): @azure/identity and MSAL, about 30 ms of start-up, load only for the
 * other kinds. Their HTTP goes through our transport too, with instance discovery disabled: the authority host
 * is known, so nothing but the token endpoint (and, for a host MSAL has no built-in metadata for, its
 * openid-configuration) is contacted.
 */
export async function createCredential(
  credential: CredentialSettings,
  context: CredentialContext
): Promise<TokenSource> {
  if (credential.kind === 'federated')
    return new FederatedTokenExchange({
      tenantId: credential.tenantId,
      clientId: credential.clientId,
      authorityHost: credential.authorityHost,
      getAssertion: context.getAssertion,
      transport: context.transport,
      deadline: context.deadline,
      logger: context.logger,
      now: context.now
    });
  const [identity, { createIdentityHttpClient }] = await Promise.all([
    import('@azure/identity'),
    import('./identity-http.js')
  ]);
  const httpClient = createIdentityHttpClient(context.transport, context.endpointFor, context.deadline);
  const common = { httpClient, disableInstanceDiscovery: true, retryOptions: { maxRetries: 3 } } as const;
  switch (credential.kind) {
    case 'client-secret':
      return new identity.ClientSecretCredential(
        credential.tenantId,
        credential.clientId,
        credential.clientSecret,
        {
          ...common,
          authorityHost: credential.authorityHost
        }
      );
    case 'client-certificate':
      return new identity.ClientCertificateCredential(
        credential.tenantId,
        credential.clientId,
        { certificate: credential.certificatePem },
        { ...common, authorityHost: credential.authorityHost }
      );
    case 'managed-identity': {
      const env = context.env ?? process.env;
      if (env[TOKEN_EXCHANGE_VARIABLE] !== undefined) {
        // Managed identity was asked for explicitly; do not let the library switch to another flow.
        context.logger.debug(`Ignoring ${TOKEN_EXCHANGE_VARIABLE} because managed identity was requested.`);
        delete env[TOKEN_EXCHANGE_VARIABLE];
      }
      const selector = credential.selector;
      const options = { httpClient, retryOptions: { maxRetries: 4 } };
      if (selector === undefined) return new identity.ManagedIdentityCredential(options);
      return new identity.ManagedIdentityCredential({ ...options, [selector.kind]: selector.value });
    }
    case 'azure-cli':
      // Runs `az account get-access-token --resource <scope's resource> [--tenant]`; the outer budget still applies.
      return new identity.AzureCliCredential({
        ...(credential.tenantId ? { tenantId: credential.tenantId } : {}),
        processTimeoutInMs: AZURE_CLI_TIMEOUT_MS
      });
  }
}
