import { taskDefaults } from '../../contract/manifests.js';
import type { TaskEnvironment } from '../../../src/azure/agent.js';
import { readOperations } from '../../../src/core/operations/source.js';
import { readAzureSettings, type AzureSettings } from '../../../src/azure/settings.js';
import { createTestGuard, type FakePlatform } from '../fakes.js';

export const CONNECTION_ID = '0c0c0c0c-1111-4222-8333-444444444444';
export const CLIENT_ID = '11111111-2222-4333-8444-555555555555';
export const TENANT_ID = '99999999-8888-4777-8666-555555555555';
export const OIDC_URI =
  'https://dev.azure.com/contoso/p1/_apis/distributedtask/hubs/build/plans/p/jobs/j/oidctoken';
export const SYSTEM_TOKEN = 'ado-system-access-token-0123456789';
export const COLLECTION_URI = 'https://dev.azure.com/contoso/';

export interface FakeEndpoint {
  scheme: string | undefined;
  params?: Record<string, string>;
  data?: Record<string, string>;
}

export interface FakeTask {
  inputs?: Record<string, string>;
  endpoints?: Record<string, FakeEndpoint>;
  variables?: Record<string, string>;
  systemToken?: string | undefined;
}

/** The defaults task.json gives, with $(System.CollectionUri) already expanded by the agent. */
export const TASK_DEFAULTS: Record<string, string> = {
  ...taskDefaults(),
  organization: 'https://dev.azure.com/contoso/'
};

export const WIF: FakeEndpoint = {
  scheme: 'WorkloadIdentityFederation',
  params: { serviceprincipalid: CLIENT_ID, tenantid: TENANT_ID },
  data: { environment: 'AzureCloud' }
};

export function createTaskEnvironment(task: FakeTask): TaskEnvironment {
  const inputs: Record<string, string> = { ...TASK_DEFAULTS, ...task.inputs };
  const endpoints = task.endpoints ?? {};
  const variables = task.variables ?? {
    'System.OidcRequestUri': OIDC_URI,
    'System.CollectionUri': COLLECTION_URI
  };
  return {
    getInput: (name) => inputs[name] ?? '',
    getEndpointScheme: (id) => endpoints[id]?.scheme,
    getEndpointParameter: (id, key) => endpoints[id]?.params?.[key],
    getEndpointData: (id, key) => endpoints[id]?.data?.[key],
    getVariable: (name) => variables[name],
    getSystemAccessToken: () => ('systemToken' in task ? task.systemToken : SYSTEM_TOKEN)
  };
}

/** Reads settings for an azureRM task whose azureSubscription is CONNECTION_ID, unless `task` says otherwise. */
export function read(
  endpoint: FakeEndpoint | undefined,
  task: FakeTask = {},
  env: NodeJS.ProcessEnv = {}
): { settings: AzureSettings; platform: FakePlatform } {
  const endpoints = endpoint === undefined ? {} : { [CONNECTION_ID]: endpoint };
  const environment = createTaskEnvironment({
    endpoints,
    ...task,
    inputs: { azureSubscription: CONNECTION_ID, ...task.inputs }
  });
  const { platform, guard } = createTestGuard();
  return { settings: readAzureSettings(environment, env, guard, readOperations), platform };
}
