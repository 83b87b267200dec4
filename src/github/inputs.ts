/** Every input of action.yml, by its internal key. The contract test keeps this and action.yml in step. */
export const GITHUB_INPUTS = {
  authType: 'auth-type',
  clientId: 'client-id',
  tenantId: 'tenant-id',
  managedIdentityObjectId: 'managed-identity-object-id',
  managedIdentityResourceId: 'managed-identity-resource-id',
  cloud: 'cloud',
  authorityHost: 'authority-host',
  audience: 'audience',
  scope: 'scope',
  organization: 'organization',
  verify: 'verify',
  exportVariable: 'export-variable',
  operations: 'operations',
  operationsFile: 'operations-file',
  operationsTimeout: 'operations-timeout',
  dryRun: 'dry-run',
  allowedHosts: 'allowed-hosts',
  gitCredentials: 'git-credentials',
  feeds: 'feeds',
  summary: 'summary'
} as const;

/** Every output of action.yml. */
export const GITHUB_OUTPUTS = [
  'token',
  'expires-on',
  'tenant-id',
  'object-id',
  'client-id',
  'identity',
  'results'
] as const;

export type GitHubInputKey = keyof typeof GITHUB_INPUTS;
export const AUTH_TYPES = ['federated', 'managed-identity'] as const;
