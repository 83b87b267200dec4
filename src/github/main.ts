import * as core from './workflow.js';
import { acquireAzureDevOpsToken } from '../core/acquire.js';
import type { InputNames } from '../core/entra-errors.js';
import { failureMessage } from '../core/failure.js';
import { loadOperationsReader } from '../core/operations/lazy.js';
import { tmpdir } from 'node:os';
import { runConfiguredOperations, setUpJobCredentials } from '../core/step.js';
import { loadProxyAgents, proxyPasswords, proxyVariablesSet } from '../core/proxy.js';
import { createSecretGuard } from '../core/secrets.js';
import { GITHUB_INPUTS } from './inputs.js';
import { createGitHubPlatform } from './platform.js';
import { readGitHubSettings } from './settings.js';

const NAMES: InputNames = {
  clientId: `'${GITHUB_INPUTS.clientId}'`,
  tenantId: `'${GITHUB_INPUTS.tenantId}'`,
  cloud: `'${GITHUB_INPUTS.cloud}'`,
  scope: `'${GITHUB_INPUTS.scope}'`,
  managedIdentitySelectors: `'${GITHUB_INPUTS.clientId}', '${GITHUB_INPUTS.managedIdentityObjectId}' or '${GITHUB_INPUTS.managedIdentityResourceId}'`
};

const SUBJECT_ADVICE =
  'GitHub subjects look like repo:OWNER/REPO:environment:NAME (jobs with an environment), repo:OWNER/REPO:ref:refs/heads/BRANCH, repo:OWNER/REPO:ref:refs/tags/TAG or repo:OWNER/REPO:pull_request.';

/** The action's whole run: read inputs, get the token, publish it. Never throws. */
export async function run(): Promise<void> {
  const platform = createGitHubPlatform(await loadProxyAgents(proxyVariablesSet(process.env)));
  const guard = createSecretGuard(platform);
  for (const password of proxyPasswords(process.env)) guard.mask(password);
  try {
    const readOperations = await loadOperationsReader(
      core.getInput(GITHUB_INPUTS.operations),
      core.getInput(GITHUB_INPUTS.operationsFile),
      process.env.GITHUB_WORKSPACE ?? process.cwd()
    );
    const settings = readGitHubSettings((name) => core.getInput(name), process.env, guard, readOperations);
    const { result, session } = await acquireAzureDevOpsToken(settings, {
      platform,
      guard,
      names: NAMES,
      subjectAdvice: SUBJECT_ADVICE
    });
    core.setOutput('token', result.token);
    core.setOutput('expires-on', result.expiresOn);
    core.setOutput('tenant-id', result.tenantId);
    core.setOutput('object-id', result.objectId);
    core.setOutput('client-id', result.clientId);
    core.setOutput('identity', result.identity);
    if (settings.exportVariable) {
      core.exportVariable(settings.exportVariable, result.token);
      guard.info(
        `Exported the token as environment variable ${settings.exportVariable} for the later steps of this job.`
      );
    }
    const credentials = await setUpJobCredentials(
      settings,
      session,
      guard,
      process.env.RUNNER_TEMP ?? tmpdir()
    );
    if (credentials) {
      // The post step removes the directory at job end.
      core.saveState('credentialsDir', credentials.dir);
      for (const [name, value] of Object.entries(credentials.env)) core.exportVariable(name, value);
    }
    const results = await runConfiguredOperations(settings, result, session, guard);
    if (results !== undefined) core.setOutput('results', results);
  } catch (error) {
    core.setFailed(failureMessage(error, guard, platform.isDebug));
  }
}
