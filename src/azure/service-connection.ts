import { CLOUDS, findCloud } from '../core/auth/clouds.js';
import { InputError } from '../core/errors.js';
import type { SecretGuard } from '../core/secrets.js';
import type { CredentialSettings, OidcSource } from '../core/settings.js';
import { parseAuthorityHost, parseGuid, parseTenant } from '../core/validate.js';
import type { TaskEnvironment } from './agent.js';
import { checkOidcRequestUri } from './oidc-endpoint.js';

const SUPPORTED_SCHEMES = ['WorkloadIdentityFederation', 'ServicePrincipal', 'ManagedServiceIdentity'];

/** Reads a service connection the task input refers to and turns it into credential settings. */
export function readServiceConnection(
  input: string,
  task: TaskEnvironment,
  env: NodeJS.ProcessEnv,
  guard: SecretGuard,
  managedIdentity: CredentialSettings | undefined
): CredentialSettings {
  const id = task.getInput(input).trim();
  if (id === '')
    throw new InputError(
      input,
      `Input '${input}' is required: name the service connection to authenticate with.`
    );
  const scheme = task.getEndpointScheme(id);
  if (scheme === undefined) {
    throw new InputError(
      input,
      `Input '${input}' is '${id}', but no such service connection is available to this task. Check the name (or ID), that the pipeline is authorized to use the connection (Project settings → Service connections → the connection → Security → Pipeline permissions), and that it is given to this task's '${input}' input directly (a connection reaches only the task input that references it).`
    );
  }
  const param = (key: string): string => task.getEndpointParameter(id, key)?.trim() ?? '';
  const endpointName = `service connection '${id}'`;
  const clientAndTenant = (): { clientId: string; tenantId: string; authorityHost: string } => ({
    clientId: parseGuid(
      { name: `${input} (${endpointName}: service principal ID)`, value: param('serviceprincipalid') },
      'Application (client) ID',
      "the service connection's details"
    ),
    tenantId: parseTenant({ name: `${input} (${endpointName}: tenant ID)`, value: param('tenantid') }),
    authorityHost: authorityHostFor(input, id, task, env)
  });

  switch (scheme.toLowerCase()) {
    case 'workloadidentityfederation':
      return { kind: 'federated', ...clientAndTenant(), oidc: oidcSource(input, id, task, guard) };
    case 'serviceprincipal': {
      const base = clientAndTenant();
      const type = param('authenticationType') || 'spnKey';
      if (type !== 'spnKey' && type !== 'spnCertificate') {
        throw new InputError(
          input,
          `The ${endpointName} uses the service principal authentication type '${type}', which this task does not support. Supported: spnKey (client secret), spnCertificate (certificate). Convert the connection to workload identity federation (recommended).`
        );
      }
      if (type === 'spnCertificate') {
        const certificatePem = guard.mask(param('servicePrincipalCertificate'));
        if (!certificatePem.includes('PRIVATE KEY'))
          throw new InputError(
            input,
            `The ${endpointName} uses certificate authentication but its certificate has no private key. Upload a PEM file that contains both the certificate and its private key.`
          );
        return { kind: 'client-certificate', ...base, certificatePem };
      }
      const clientSecret = guard.mask(param('serviceprincipalkey'));
      if (clientSecret === '')
        throw new InputError(
          input,
          `The ${endpointName} uses a client secret but has none. Edit the connection to add one — or better, convert it to workload identity federation.`
        );
      return { kind: 'client-secret', ...base, clientSecret };
    }
    case 'managedserviceidentity': {
      // The task's selector inputs win; otherwise the identity the connection names, else the machine's own.
      if (managedIdentity?.kind === 'managed-identity' && managedIdentity.selector) return managedIdentity;
      const msiClientId = task.getEndpointData(id, 'msiclientId')?.trim();
      const selector = msiClientId
        ? ({
            kind: 'clientId',
            value: parseGuid(
              { name: `${input} (${endpointName}: msiclientId)`, value: msiClientId },
              'client ID of the user-assigned managed identity',
              "the service connection's details"
            )
          } as const)
        : undefined;
      return { kind: 'managed-identity', selector };
    }
    default:
      throw new InputError(
        input,
        `The ${endpointName} uses the authentication scheme '${scheme}', which this task does not support. Supported schemes: ${SUPPORTED_SCHEMES.join(', ')}. Create an Azure Resource Manager connection with workload identity federation (recommended).`
      );
  }
}

/**
 * The connection's activeDirectoryAuthority (connection data, which only its administrators can edit), else the
 * Microsoft authority host of its cloud. AZURE_AUTHORITY_HOST is a variable anyone who can edit or queue the
 * pipeline can set, and the authority receives the OIDC assertion or the connection's secret: it is accepted only
 * when it names that same Microsoft host.
 */
function authorityHostFor(input: string, id: string, task: TaskEnvironment, env: NodeJS.ProcessEnv): string {
  const fromEndpoint = task.getEndpointData(id, 'activeDirectoryAuthority')?.trim();
  if (fromEndpoint)
    return parseAuthorityHost({
      name: `${input} (service connection '${id}': activeDirectoryAuthority)`,
      value: fromEndpoint
    });
  const environment = task.getEndpointData(id, 'environment')?.trim() || 'AzureCloud';
  const cloud = findCloud(environment);
  if (cloud === undefined) {
    throw new InputError(
      input,
      `The service connection '${id}' targets the '${environment}' environment, which has no known Entra authority host. Supported: AzureCloud, AzureUSGovernment, AzureChinaCloud; for another cloud, set the authority host in the connection itself (its activeDirectoryAuthority, e.g. an Azure Stack or custom-environment connection).`
    );
  }
  const authorityHost = CLOUDS[cloud].authorityHost;
  const fromEnv = env.AZURE_AUTHORITY_HOST?.trim();
  if (fromEnv && parseAuthorityHost({ name: 'AZURE_AUTHORITY_HOST', value: fromEnv }) !== authorityHost) {
    throw new InputError(
      'AZURE_AUTHORITY_HOST',
      `The AZURE_AUTHORITY_HOST variable is '${fromEnv}', but the service connection '${id}' targets ${cloud}, whose Entra authority host is ${authorityHost}: the task sends the connection's credentials only to the authority its connection names. Remove the AZURE_AUTHORITY_HOST variable, or use a connection whose environment or activeDirectoryAuthority names the authority you need.`
    );
  }
  return authorityHost;
}

function oidcSource(input: string, id: string, task: TaskEnvironment, guard: SecretGuard): OidcSource {
  const requestUri = task.getVariable('System.OidcRequestUri')?.trim() ?? '';
  if (requestUri === '') {
    throw new InputError(
      input,
      'The agent did not provide System.OidcRequestUri (SYSTEM_OIDCREQUESTURI), which workload identity federation needs. Use Azure DevOps Services with agent 3.230.2 or later (the minimum this task declares); on Azure DevOps Server, use a service principal with a secret or certificate, or managed identity.'
    );
  }
  const systemAccessToken = guard.mask(task.getSystemAccessToken()?.trim() ?? '');
  if (systemAccessToken === '') {
    throw new InputError(
      input,
      'The job has no System.AccessToken (SYSTEMVSSCONNECTION), which the OIDC request needs. Check that the job is not restricted from using it (Project settings → Pipelines → Settings → limit job authorization scope) and that the task runs in an agent job.'
    );
  }
  checkOidcRequestUri(requestUri, task.getVariable('System.CollectionUri'));
  return {
    kind: 'azure-pipelines',
    requestUri,
    systemAccessToken,
    serviceConnectionId: id,
    serviceConnectionInput: input
  };
}
