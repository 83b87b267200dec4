import * as tl from 'azure-pipelines-task-lib/task.js';
import { acquireAzureDevOpsToken } from '../core/acquire.js';
import type { InputNames } from '../core/entra-errors.js';
import { failureMessage } from '../core/failure.js';
import { loadOperationsReader } from '../core/operations/lazy.js';
import { tmpdir } from 'node:os';
import { runConfiguredOperations, setUpJobCredentials } from '../core/step.js';
import { loadProxyAgents } from '../core/proxy.js';
import { createSecretGuard } from '../core/secrets.js';
import { AZURE_INPUTS } from './inputs.js';
import { createAzurePlatform, createTaskEnvironment } from './platform.js';
import { readAzureSettings } from './settings.js';

const NAMES: InputNames = {
  clientId: "the service connection's service principal (client) ID",
  tenantId: "the service connection's tenant ID",
  cloud: "the service connection's environment (cloud)",
  scope: `'${AZURE_INPUTS.scope}'`,
  managedIdentitySelectors: `'${AZURE_INPUTS.managedIdentityClientId}', '${AZURE_INPUTS.managedIdentityObjectId}' or '${AZURE_INPUTS.managedIdentityResourceId}'`
};

const SUBJECT_ADVICE =
  "Azure Pipelines subjects look like sc://ORGANIZATION/PROJECT/SERVICE-CONNECTION-NAME (or /eid1/c/pub/t/... for newer connections): copy the issuer and subject shown on the service connection's page.";

/** The task's whole run: read inputs and the service connection, get the token, publish it. Never throws. */
export async function run(): Promise<void> {
  // The agent's proxy (Agent.ProxyUrl), if it has one.
  const platform = createAzurePlatform(await loadProxyAgents(tl.getHttpProxyConfiguration() !== null));
  const guard = createSecretGuard(platform);
  try {
    const task = createTaskEnvironment();
    const readOperations = await loadOperationsReader(
      task.getInput(AZURE_INPUTS.operations),
      task.getInput(AZURE_INPUTS.operationsFile),
      task.getVariable('System.DefaultWorkingDirectory') ?? process.cwd()
    );
    const settings = readAzureSettings(task, process.env, guard, readOperations);
    const { result, session } = await acquireAzureDevOpsToken(settings, {
      platform,
      guard,
      names: NAMES,
      subjectAdvice: SUBJECT_ADVICE
    });
    tl.setVariable(settings.variableName, result.token, true, false);
    tl.setVariable(settings.variableName, result.token, true, true);
    tl.setVariable('expiresOn', result.expiresOn, false, true);
    tl.setVariable('tenantId', result.tenantId, false, true);
    tl.setVariable('objectId', result.objectId, false, true);
    tl.setVariable('clientId', result.clientId, false, true);
    tl.setVariable('identity', result.identity, false, true);
    guard.info(
      `The token is in the secret variable ${settings.variableName} for the later steps of this job, and in the secret output variable <step name>.${settings.variableName} for later jobs.`
    );
    const tempRoot = tl.getVariable('Agent.TempDirectory') ?? tmpdir();
    const credentials = await setUpJobCredentials(settings, session, guard, tempRoot);
    // Plain variables reach later steps as environment variables; token-bearing values are already masked.
    // (tl.command rather than tl.setVariable, which would also print the value in a debug line.)
    for (const [name, value] of Object.entries(credentials?.env ?? {})) {
      tl.command('task.setvariable', { variable: name, isOutput: 'false', issecret: 'false' }, value);
    }
    const results = await runConfiguredOperations(settings, result, session, guard);
    if (results !== undefined) tl.setVariable('results', results, false, true);
    tl.setResult(tl.TaskResult.Succeeded, 'Azure DevOps access token acquired.');
  } catch (error) {
    tl.setResult(tl.TaskResult.Failed, failureMessage(error, guard, platform.isDebug));
  }
}
