import * as tl from 'azure-pipelines-task-lib/task.js';
import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { acquireAzureDevOpsToken, describeMethod } from '../core/acquire.js';
import type { InputNames } from '../core/auth/entra-errors.js';
import { failureMessage } from '../core/errors.js';
import { loadOperations } from '../core/operations/lazy.js';
import { tmpdir } from 'node:os';
import { describeJobCredentials, runConfiguredOperations, setUpJobCredentials } from '../core/step.js';
import { loadProxyAgents } from '../core/http/proxy.js';
import { TOKEN_VARIABLES } from '../core/job-credentials/feeds.js';
import { createSecretGuard, type SecretGuard } from '../core/secrets.js';
import { createStepReport, renderStepSummary, type StepReport } from '../core/summary.js';
import { AZURE_INPUTS } from './inputs.js';
import { agentProxyPasswords, createAzurePlatform, createTaskEnvironment } from './platform.js';
import { readAzureInputs } from './settings.js';

const NAMES: InputNames = {
  clientId: "the service connection's service principal (client) ID",
  tenantId: "the service connection's tenant ID",
  cloud: "the service connection's environment (cloud)",
  scope: `'${AZURE_INPUTS.scope}'`,
  managedIdentitySelectors: `'${AZURE_INPUTS.managedIdentityClientId}', '${AZURE_INPUTS.managedIdentityObjectId}' or '${AZURE_INPUTS.managedIdentityResourceId}'`
};

const SUBJECT_ADVICE =
  "Azure Pipelines subjects look like sc://ORGANIZATION/PROJECT/SERVICE-CONNECTION-NAME (or /eid1/c/pub/t/... for newer connections): copy the issuer and subject shown on the service connection's page.";

/** The task's whole run: read inputs and the service connection, get the token, publish it, summarise. Never throws. */
export async function run(): Promise<void> {
  // The agent's proxy (Agent.ProxyUrl), if it has one.
  const proxy = tl.getHttpProxyConfiguration();
  const platform = createAzurePlatform(await loadProxyAgents(proxy !== null));
  const guard = createSecretGuard(platform);
  for (const password of agentProxyPasswords(proxy)) guard.maskKnown(password);
  // What templates may read: the environment before this step set any variable (it never gains the token).
  const templateEnv = { ...process.env };
  let report: StepReport | undefined;
  try {
    const task = createTaskEnvironment();
    const settings = await loadOperations(readAzureInputs(task, process.env, guard));
    if (settings.summary)
      report = createStepReport(describeMethod(settings.credential), settings.organization, settings.verify);
    const { result, session } = await acquireAzureDevOpsToken(settings, {
      platform,
      guard,
      names: NAMES,
      subjectAdvice: SUBJECT_ADVICE,
      report
    });
    tl.setVariable(settings.variableName, result.token, true, false);
    tl.setVariable(settings.variableName, result.token, true, true);
    tl.setVariable('expiresOn', result.expiresOn, false, true);
    tl.setVariable('tenantId', result.tenantId, false, true);
    tl.setVariable('objectId', result.objectId, false, true);
    tl.setVariable('clientId', result.clientId, false, true);
    tl.setVariable('identity', result.identity, false, true);
    report?.published.push(
      `secret variable \`${settings.variableName}\``,
      `secret output variable \`<step name>.${settings.variableName}\``
    );
    guard.info(
      `The token is in the secret variable ${settings.variableName} for the later steps of this job, and in the secret output variable <step name>.${settings.variableName} for later jobs.`
    );
    const tempRoot = tl.getVariable('Agent.TempDirectory') ?? tmpdir();
    // The postjobexecution handler finds the directory by its prefix under Agent.TempDirectory: no state needed.
    const credentials = await setUpJobCredentials(settings, session, guard, tempRoot, {
      platform: 'azure-pipelines'
    });
    publishCredentialVariables(credentials?.env ?? {}, guard);
    if (credentials) report?.jobCredentials.push(...describeJobCredentials(settings));
    if (settings.operations !== undefined) {
      const results = await inGroup('Azure DevOps operations', () =>
        runConfiguredOperations(settings, result, session, guard, templateEnv, report?.operations)
      );
      if (results !== undefined) tl.setVariable('results', results, false, true);
    }
    if (report) uploadSummary(report, guard);
    tl.setResult(tl.TaskResult.Succeeded, 'Azure DevOps access token acquired.');
  } catch (error) {
    const message = failureMessage(error, guard, platform.isDebug);
    if (report) {
      report.failure = message;
      uploadSummary(report, guard);
    }
    tl.setResult(tl.TaskResult.Failed, message);
  }
}

/**
 * Plain variables (git configuration, the npmrc path) reach every later step as environment variables. Those
 * holding the token are secret variables: the agent then gives them to no later task or script unless the
 * step maps them (`env:`), where a plain variable would hand the service connection's token to every later
 * task of the job, Marketplace tasks included. (tl.command rather than tl.setVariable, which would also print
 * the value in a debug line.)
 */
function publishCredentialVariables(env: Record<string, string>, guard: SecretGuard): void {
  const secret: string[] = [];
  for (const [name, value] of Object.entries(env)) {
    const carriesToken = TOKEN_VARIABLES.includes(name) || guard.redact(value) !== value;
    if (carriesToken) secret.push(name);
    tl.command(
      'task.setvariable',
      { variable: name, isOutput: 'false', issecret: String(carriesToken) },
      value
    );
  }
  if (secret.length > 0)
    guard.info(
      `The feed credentials are in the secret variables ${secret.join(', ')}, which later steps get only when they map them, e.g. env: ${secret.map((n) => `${n}: $(${n})`).join(', ')}.`
    );
}

/** A collapsible section of the log (the agent's ##[group] / ##[endgroup] formatting lines). */
async function inGroup<T>(title: string, fn: () => Promise<T>): Promise<T> {
  console.log(`##[group]${title}`);
  try {
    return await fn();
  } finally {
    console.log('##[endgroup]');
  }
}

/**
 * Writes the step summary under Agent.TempDirectory and attaches it to the run's summary page. The agent
 * titles the section with the file name, so each run gets its own directory and the file a readable name. The
 * directory is not a credentials directory (CREDENTIALS_DIR_PREFIX): the agent, not post.ts, removes it.
 */
function uploadSummary(report: StepReport, guard: SecretGuard): void {
  try {
    const dir = join(
      tl.getVariable('Agent.TempDirectory') ?? tmpdir(),
      `entra-token-summary-${randomUUID()}`
    );
    mkdirSync(dir, { recursive: true });
    const file = join(dir, 'Azure DevOps Entra token.md');
    writeFileSync(file, guard.redact(renderStepSummary(report)), { encoding: 'utf8', mode: 0o600 });
    tl.uploadSummary(file);
  } catch (error) {
    guard.warning(
      `The step summary was not uploaded: ${failureMessage(error, guard, false)} Set '${AZURE_INPUTS.summary}: false' to skip it.`
    );
  }
}
