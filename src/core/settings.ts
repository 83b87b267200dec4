import type { Feed } from './job-credentials/feeds.js';
import type { Operation } from './operations/model.js';

/** Where the federated (OIDC) token comes from. */
export type OidcSource =
  | {
      kind: 'github';
      /** ACTIONS_ID_TOKEN_REQUEST_URL: already has a query string. */
      requestUrl: string;
      requestToken: string;
      audience: string;
    }
  | {
      kind: 'azure-pipelines';
      /** SYSTEM_OIDCREQUESTURI. */
      requestUri: string;
      systemAccessToken: string;
      serviceConnectionId: string;
      /** The task input that named the connection, for messages. */
      serviceConnectionInput: string;
    }
  | {
      /** A file another system keeps fresh (Kubernetes workload identity, a CI job's id_tokens). Read before each exchange. */
      kind: 'file';
      path: string;
      /** How the user named the file (`--federated-token-file`, `AZURE_FEDERATED_TOKEN_FILE`), for messages. */
      input: string;
    }
  | {
      /** An environment variable holding the token (GitLab `id_tokens`, Jenkins credentials). Masked when read. */
      kind: 'env';
      variable: string;
      token: string;
    };

/** Selects one user-assigned managed identity; undefined means the system-assigned (or only) one. */
export type ManagedIdentitySelector =
  | { kind: 'clientId'; value: string }
  | { kind: 'objectId'; value: string }
  | { kind: 'resourceId'; value: string };

interface AppCredential {
  tenantId: string;
  clientId: string;
  /** https origin of the Entra authority, e.g. https://login.microsoftonline.com. */
  authorityHost: string;
}

export type CredentialSettings =
  | (AppCredential & { kind: 'federated'; oidc: OidcSource })
  | (AppCredential & { kind: 'client-secret'; clientSecret: string })
  | (AppCredential & { kind: 'client-certificate'; certificatePem: string })
  | { kind: 'managed-identity'; selector: ManagedIdentitySelector | undefined }
  /** The developer's existing `az login`: `az account get-access-token`, optionally for one tenant. */
  | { kind: 'azure-cli'; tenantId: string | undefined };

export interface Organization {
  /** Organization name, e.g. `contoso`. */
  name: string;
  /** Base URL without a trailing slash, e.g. `https://dev.azure.com/contoso`. */
  url: string;
}

/** Everything one run needs, validated. Built by each adapter from its own inputs. */
export interface Settings {
  credential: CredentialSettings;
  /** The scope requested from Entra; defaults to Azure DevOps' `.default` scope in the manifests. */
  scope: string;
  organization: Organization | undefined;
  /** Call connectionData after getting the token. */
  verify: boolean;
  /** Total time allowed for getting a token before the step gives up, in seconds. */
  timeoutSeconds: number;
  /** Hosts besides Azure DevOps' own that may receive the token (operations). */
  allowedHosts: string[];
  /** Azure DevOps REST operations to run with the token, already validated. */
  operations: Operation[] | undefined;
  /** The total time all operations may take, and the input that sets it (for the message when it runs out). */
  operationsTimeout: { seconds: number; input: string };
  /** Run only the reading operations (GET, HEAD); show the writes as the requests they would send. */
  dryRun: boolean;
  /** Configure git for the organization's repositories for the later steps of the job. */
  gitCredentials: boolean;
  /** Azure Artifacts feeds to configure npm, NuGet and pip for. */
  feeds: Feed[];
}
