import * as core from '@actions/core';
import { acquireAzureDevOpsToken, describeMethod } from '../core/acquire.js';
import type { InputNames } from '../core/auth/entra-errors.js';
import { failureMessage } from '../core/errors.js';
import { loadOperations } from '../core/operations/lazy.js';
import { tmpdir } from 'node:os';
import { describeJobCredentials, runConfiguredOperations, setUpJobCredentials } from '../core/step.js';
import { loadProxyAgents, proxyPasswords, proxyVariablesSet } from '../core/http/proxy.js';
import { createSecretGuard, type SecretGuard } from '../core/secrets.js';
import { createStepReport, renderStepSummary, type StepReport } from '../core/summary.js';
import { GITHUB_INPUTS } from './inputs.js';
import { createGitHubPlatform } from './platform.js';
import { readGitHubInputs } from './settings.js';

const NAMES: InputNames = {
  clientId: `'${GITHUB_INPUTS.clientId}'`,
  tenantId: `'${GITHUB_INPUTS.tenantId}'`,
  cloud: `'${GITHUB_INPUTS.cloud}'`,
  scope: `'${GITHUB_INPUTS.scope}'`,
  managedIdentitySelectors: `'${GITHUB_INPUTS.clientId}', '${GITHUB_INPUTS.managedIdentityObjectId}' or '${GITHUB_INPUTS.managedIdentityResourceId}'`
};

const SUBJECT_ADVICE =
  'GitHub subjects look like repo:OWNER/REPO:environment:NAME (jobs with an environment), repo:OWNER/REPO:ref:refs/heads/BRANCH, repo:OWNER/REPO:ref:refs/tags/TAG or repo:OWNER/REPO:pull_request.';

/** The action's whole run: read inputs, get the token, publish it, summarise. Never throws. */
export async function run(): Promise<void> {
  // What templates may read: the environment before this step exported anything (exportVariable also sets
  // process.env, so the token, PIP_INDEX_URL and the NuGet endpoints would be there by the time operations run).
  const templateEnv = { ...process.env };
  const platform = createGitHubPlatform(await loadProxyAgents(proxyVariablesSet(process.env)));
  const guard = createSecretGuard(platform);
  for (const password of proxyPasswords(process.env)) guard.maskKnown(password);
  let report: StepReport | undefined;
  try {
    const settings = await loadOperations(
      readGitHubInputs((name) => core.getInput(name), process.env, guard)
    );
    if (settings.summary)
      report = createStepReport(describeMethod(settings.credential), settings.organization, settings.verify);
    const { result, session } = await acquireAzureDevOpsToken(settings, {
      platform,
      guard,
      names: NAMES,
      subjectAdvice: SUBJECT_ADVICE,
      report
    });
    core.setOutput('token', result.token);
    core.setOutput('expires-on', result.expiresOn);
    core.setOutput('tenant-id', result.tenantId);
    core.setOutput('object-id', result.objectId);
    core.setOutput('client-id', result.clientId);
    core.setOutput('identity', result.identity);
    report?.published.push('step output `token`');
    if (settings.exportVariable) {
      core.exportVariable(settings.exportVariable, result.token);
      report?.published.push(`environment variable \`${settings.exportVariable}\``);
      guard.info(
        `Exported the token as environment variable ${settings.exportVariable} for the later steps of this job.`
      );
    }
    const credentials = await setUpJobCredentials(
      settings,
      session,
      guard,
      process.env.RUNNER_TEMP ?? tmpdir(),
      {
        platform: 'github',
        // Saved before the first file is written: the post step removes the directory at job end even when the
        // set-up fails half way (a GitHub post step finds only what the main step saved).
        onDirectory: (dir) => core.saveState('credentialsDir', dir)
      }
    );
    if (credentials) {
      for (const [name, value] of Object.entries(credentials.env)) core.exportVariable(name, value);
      report?.jobCredentials.push(...describeJobCredentials(settings));
    }
    if (settings.operations !== undefined) {
      const results = await core.group('Azure DevOps operations', () =>
        runConfiguredOperations(settings, result, session, guard, templateEnv, report?.operations)
      );
      if (results !== undefined) core.setOutput('results', results);
    }
  } catch (error) {
    const message = failureMessage(error, guard, platform.isDebug);
    if (report) report.failure = message;
    core.setFailed(message);
  }
  if (report) await writeSummary(report, guard);
}

/** Appends the step summary. A runner without a summary file (a local debugger) gets a warning, not a failure. */
async function writeSummary(report: StepReport, guard: SecretGuard): Promise<void> {
  try {
    await core.summary.addRaw(guard.redact(renderStepSummary(report)), true).write();
  } catch (error) {
    guard.warning(
      `The step summary was not written: ${failureMessage(error, guard, false)} Set '${GITHUB_INPUTS.summary}: false' to skip it.`
    );
  }
}
