/** Every input of task.json, by its internal key. The contract test keeps this and task.json in step. */
export const AZURE_INPUTS = {
  connectionType: 'connectionType',
  azureSubscription: 'azureSubscription',
  azureDevOpsServiceConnection: 'azureDevOpsServiceConnection',
  managedIdentityClientId: 'managedIdentityClientId',
  managedIdentityObjectId: 'managedIdentityObjectId',
  managedIdentityResourceId: 'managedIdentityResourceId',
  scope: 'scope',
  organization: 'organization',
  verify: 'verify',
  variableName: 'variableName',
  operations: 'operations',
  operationsFile: 'operationsFile',
  operationsTimeout: 'operationsTimeout',
  dryRun: 'dryRun',
  allowedHosts: 'allowedHosts',
  gitCredentials: 'gitCredentials',
  feeds: 'feeds',
  summary: 'summary'
} as const;

/** Output variables of task.json (the token itself is published under `variableName`). */
export const AZURE_OUTPUTS = [
  'expiresOn',
  'tenantId',
  'objectId',
  'clientId',
  'identity',
  'results'
] as const;

export const CONNECTION_TYPES = ['azureRM', 'azureDevOps', 'managedIdentity'] as const;
export type AzureInputKey = keyof typeof AZURE_INPUTS;
