import {
  AzureCliCredential,
  ClientAssertionCredential,
  ClientCertificateCredential,
  ClientSecretCredential,
  ManagedIdentityCredential,
  type TokenCredential
} from '@azure/identity';
import type { HttpClient } from '@azure/core-rest-pipeline';
import type { Logger } from './platform.js';
import type { CredentialSettings } from './settings.js';

/** `az` can be slow to start (Python, extensions); it still has to fit the acquisition budget. */
const AZURE_CLI_TIMEOUT_MS = 30_000;

/** The env vars that make ManagedIdentityCredential silently switch to AKS workload identity. */
const TOKEN_EXCHANGE_VARIABLE = 'AZURE_FEDERATED_TOKEN_FILE';

/**
 * Builds the @azure/identity credential for the settings. Instance discovery is always disabled: the
 * authority host is known, so nothing but the token endpoint (and, for a host MSAL has no built-in
 * metadata for, its openid-configuration) is contacted. `getAssertion` supplies the cached OIDC token.
 */
export function createCredential(
  credential: CredentialSettings,
  httpClient: HttpClient,
  getAssertion: () => Promise<string>,
  logger: Logger,
  env: NodeJS.ProcessEnv = process.env
): TokenCredential {
  const common = { httpClient, disableInstanceDiscovery: true, retryOptions: { maxRetries: 3 } } as const;
  switch (credential.kind) {
    case 'federated':
      return new ClientAssertionCredential(credential.tenantId, credential.clientId, getAssertion, {
        ...common,
        authorityHost: credential.authorityHost
      });
    case 'client-secret':
      return new ClientSecretCredential(credential.tenantId, credential.clientId, credential.clientSecret, {
        ...common,
        authorityHost: credential.authorityHost
      });
    case 'client-certificate':
      return new ClientCertificateCredential(
        credential.tenantId,
        credential.clientId,
        { certificate: credential.certificatePem },
        { ...common, authorityHost: credential.authorityHost }
      );
    case 'managed-identity': {
      if (env[TOKEN_EXCHANGE_VARIABLE] !== undefined) {
        // Managed identity was asked for explicitly; do not let the library switch to another flow.
        logger.debug(`Ignoring ${TOKEN_EXCHANGE_VARIABLE} because managed identity was requested.`);
        delete env[TOKEN_EXCHANGE_VARIABLE];
      }
      const selector = credential.selector;
      const options = { httpClient, retryOptions: { maxRetries: 4 } };
      if (selector === undefined) return new ManagedIdentityCredential(options);
      return new ManagedIdentityCredential({ ...options, [selector.kind]: selector.value });
    }
    case 'azure-cli':
      // Runs `az account get-access-token --resource <scope's resource> [--tenant]`; the outer budget still applies.
      return new AzureCliCredential({
        ...(credential.tenantId ? { tenantId: credential.tenantId } : {}),
        processTimeoutInMs: AZURE_CLI_TIMEOUT_MS
      });
  }
}
