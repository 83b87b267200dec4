import { InputError, invalidInput } from '../core/errors.js';
import { withOperations, type OperationsReader, type SettingsRead } from '../core/operations/lazy.js';
import type { SecretGuard } from '../core/secrets.js';
import type { CredentialSettings, Settings } from '../core/settings.js';
import { readStepInputs } from '../core/step.js';
import {
  parseManagedIdentitySelector,
  parseOrganization,
  parseScope,
  parseVariableName,
  type RawInput
} from '../core/validate.js';
import type { TaskEnvironment } from './agent.js';
import { AZURE_INPUTS, CONNECTION_TYPES, type AzureInputKey } from './inputs.js';
import { readServiceConnection } from './service-connection.js';

export interface AzureSettings extends Settings {
  /** The secret variable (and secret output variable) that receives the token. */
  variableName: string;
  /** Upload the step summary. */
  summary: boolean;
}

/** Names the agent owns; a variable with one of these prefixes would be refused or shadow agent data. */
const RESERVED_PREFIXES = [
  'ENDPOINT_',
  'INPUT_',
  'SECRET_',
  'SECUREFILE_',
  'SYSTEM_',
  'AGENT_',
  'BUILD_',
  'RELEASE_',
  'TASK_'
];

/** readAzureInputs with the operations parsed, for callers that have the operations engine at hand. */
export function readAzureSettings(
  task: TaskEnvironment,
  env: NodeJS.ProcessEnv,
  guard: SecretGuard,
  readOperations: OperationsReader
): AzureSettings {
  return withOperations(readAzureInputs(task, env, guard), readOperations);
}

/**
 * Reads and validates every input (and the service connection) once, before anything touches the network. The
 * operations stay as their inputs (undefined when there are none): loadOperations parses them with the engine
 * it loads only then.
 */
export function readAzureInputs(
  task: TaskEnvironment,
  env: NodeJS.ProcessEnv,
  guard: SecretGuard
): SettingsRead<AzureSettings> {
  const input = (key: AzureInputKey): RawInput => ({
    name: AZURE_INPUTS[key],
    value: task.getInput(AZURE_INPUTS[key]).trim()
  });
  // Defaults live in task.json only: the agent always passes them.
  const given = input('connectionType').value;
  // YAML authors type AzureRM or azurerm as often as azureRM: accept any case.
  const connectionType = CONNECTION_TYPES.find((type) => type.toLowerCase() === given.toLowerCase());
  if (connectionType === undefined) {
    throw invalidInput(
      AZURE_INPUTS.connectionType,
      given,
      `it must be one of ${CONNECTION_TYPES.join(', ')}.`,
      'Use azureRM for an Azure Resource Manager service connection (recommended: workload identity federation).'
    );
  }
  const scope = parseScope(input('scope'));
  const organization = parseOrganization(input('organization'));
  const verifyValue = input('verify').value.toLowerCase();
  if (verifyValue !== 'true' && verifyValue !== 'false')
    throw invalidInput(
      AZURE_INPUTS.verify,
      verifyValue,
      'it must be true or false.',
      'Use true to check the token against the organization.'
    );
  const verify = verifyValue === 'true';
  if (verify && organization === undefined) {
    throw new InputError(
      AZURE_INPUTS.organization,
      `Input '${AZURE_INPUTS.organization}' is empty but '${AZURE_INPUTS.verify}' is true. Set the organization (its default is $(System.CollectionUri)) or set '${AZURE_INPUTS.verify}' to false.`
    );
  }
  const variableName = parseVariableName(
    { name: AZURE_INPUTS.variableName, value: input('variableName').value },
    RESERVED_PREFIXES
  );
  // task.json's restrictions.settableVariables lets the task set only names ending in TOKEN besides its fixed
  // outputs, so that no text reaching the log can set NODE_OPTIONS or PATH for later steps.
  if (!/token$/i.test(variableName))
    throw invalidInput(
      AZURE_INPUTS.variableName,
      variableName,
      'the task may set only variables whose names end in TOKEN (its restrictions in task.json keep anything in the log from setting other variables, such as NODE_OPTIONS or PATH, for later steps).',
      'Use a name such as AZURE_DEVOPS_TOKEN or ADO_TOKEN.'
    );
  const step = readStepInputs(
    input,
    env,
    { value: organization, input: AZURE_INPUTS.organization },
    task.getVariable('System.DefaultWorkingDirectory') ?? process.cwd()
  );
  const selector = parseManagedIdentitySelector({
    clientId: input('managedIdentityClientId'),
    objectId: input('managedIdentityObjectId'),
    resourceId: input('managedIdentityResourceId')
  });
  const managedIdentity: CredentialSettings = { kind: 'managed-identity', selector };

  let credential: CredentialSettings;
  if (connectionType === 'managedIdentity') credential = managedIdentity;
  else if (connectionType === 'azureDevOps')
    credential = readServiceConnection(
      AZURE_INPUTS.azureDevOpsServiceConnection,
      task,
      env,
      guard,
      managedIdentity
    );
  else credential = readServiceConnection(AZURE_INPUTS.azureSubscription, task, env, guard, managedIdentity);
  if (credential.kind === 'managed-identity' || selector === undefined)
    return { credential, scope, organization, verify, variableName, ...step };
  throw new InputError(
    AZURE_INPUTS.managedIdentityClientId,
    `A user-assigned managed identity is selected, but the connection does not use managed identity. Clear ${Object.values(
      AZURE_INPUTS
    )
      .filter((n) => n.startsWith('managedIdentity'))
      .map((n) => `'${n}'`)
      .join(', ')}, or set '${AZURE_INPUTS.connectionType}' to managedIdentity.`
  );
}
