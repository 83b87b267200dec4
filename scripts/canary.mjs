// The live canary's checks (scripts/lib/canary-checks.mjs), run by .github/workflows/live.yml and
// azure-pipelines/live.yml on Linux, Windows and macOS alike (Node only, no shell syntax):
//   node scripts/canary.mjs verify              IDENTITY: the identity output is not empty
//   node scripts/canary.mjs projects-read       RESULTS: the results output's `projects` has an entry
//   node scripts/canary.mjs git-ls-remote       ORG, PROJECT, REPO: git ls-remote of that repository succeeds
//   node scripts/canary.mjs record-credentials  GitHub: remembers the credentials directory for the cleanup watch
//   node scripts/canary.mjs post-cleanup        GitHub: (from the cleanup watch's post step) the directory is gone
//                                               Azure Pipelines: runs the task's own postjobexecution handler
//                                               and checks that it removed the directory
// Prints what each check proved, never a token or the results; a failure is an error annotation and exit 1.
import { spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { CREDENTIALS_DIR_PREFIX } from './lib/canary-checks.mjs';

const ON_AZURE = Boolean(process.env.TF_BUILD);

class CanaryFailure extends Error {
  name = 'CanaryFailure';
}

/** A pipeline value mapped with $(name) stays literally `$(name)` when the variable does not exist. */
function envValue(name) {
  const value = (process.env[name] ?? '').trim();
  return /^\$\([^)]*\)$/.test(value) ? '' : value;
}

function warn(message) {
  console.log(
    ON_AZURE ? `##vso[task.logissue type=warning]${message}` : `::notice title=Live canary::${message}`
  );
}

/** `contoso` or `https://dev.azure.com/contoso/` → the organization URL without a trailing slash. */
export function organizationUrl(org) {
  return /^https:\/\//i.test(org)
    ? org.replace(/\/+$/, '')
    : `https://dev.azure.com/${encodeURIComponent(org)}`;
}

/** The credentials directory named by the git helper command the action exported (GIT_CONFIG_VALUE_n). */
export function credentialsDirFromEnv(env) {
  for (const [name, value] of Object.entries(env)) {
    if (!name.startsWith('GIT_CONFIG_VALUE_') || !value) continue;
    const statePath = /'([^']*git-credential\.json)'\s*$/.exec(value)?.[1];
    if (statePath) return dirname(statePath);
  }
  return undefined;
}

function credentialDirs(tempRoot) {
  return readdirSync(tempRoot).filter((name) => name.startsWith(CREDENTIALS_DIR_PREFIX));
}

function gitLsRemote(url) {
  return spawnSync('git', ['ls-remote', url], {
    encoding: 'utf8',
    env: { ...process.env, GIT_TERMINAL_PROMPT: '0', GCM_INTERACTIVE: 'never' }
  });
}

function repositoryUrl() {
  const org = envValue('ORG');
  const project = envValue('PROJECT');
  const repo = envValue('REPO');
  if (!org || !project || !repo) return undefined;
  return `${organizationUrl(org)}/${encodeURIComponent(project)}/_git/${encodeURIComponent(repo)}`;
}

const NO_REPOSITORY =
  'AZURE_DEVOPS_PROJECT and AZURE_DEVOPS_REPO are not both set: the git check is skipped (docs/live-testing.md).';

/** After the cleanup, git must not authenticate any more (the helper's state file is gone). */
function expectGitRefused() {
  const url = repositoryUrl();
  if (!url) return warn(NO_REPOSITORY);
  const after = gitLsRemote(url);
  if (after.status === 0) throw new CanaryFailure(`git ls-remote ${url} still succeeds after the cleanup.`);
  console.log(`After the cleanup git ls-remote ${url} fails, as it must (exit ${after.status}).`);
}

const CHECKS = {
  verify() {
    const identity = envValue('IDENTITY');
    if (!identity)
      throw new CanaryFailure(
        'The identity output is empty: the token was not verified against the organization.'
      );
    console.log(`The organization accepted the token: connectionData answered for '${identity}'.`);
  },

  'projects-read'() {
    const results = envValue('RESULTS');
    let projects;
    try {
      projects = JSON.parse(results).projects;
    } catch {
      throw new CanaryFailure('The results output is not JSON with a projects entry.');
    }
    if (!Array.isArray(projects) || projects.length === 0)
      throw new CanaryFailure(
        'results.projects lists no project: the identity reads no project (add it to one, docs/live-testing.md).'
      );
    console.log(`The projects operation read ${projects.length} project(s).`);
  },

  'git-ls-remote'() {
    const url = repositoryUrl();
    if (!url) return warn(NO_REPOSITORY);
    const run = gitLsRemote(url);
    if (run.status !== 0)
      throw new CanaryFailure(
        `git ls-remote ${url} failed (exit ${run.status}): ${run.stderr.trim().split('\n').pop() ?? ''}`
      );
    const refs = run.stdout.split('\n').filter(Boolean).length;
    console.log(`git ls-remote ${url}: ${refs} ref(s), authenticated by the credential helper.`);
  },

  'record-credentials'() {
    const dir = credentialsDirFromEnv(process.env);
    if (!dir)
      throw new CanaryFailure(
        'No git credential helper of the action in GIT_CONFIG_VALUE_*: git-credentials did not take effect.'
      );
    if (!existsSync(dir))
      throw new CanaryFailure(`The credentials directory ${dir} does not exist before the post step.`);
    appendFileSync(process.env.GITHUB_ENV ?? '', `CANARY_CREDENTIALS_DIR=${dir}\n`);
    console.log(
      `The credentials directory exists now; the cleanup watch checks at job end that the post step removed it.`
    );
  },

  'post-cleanup'() {
    if (ON_AZURE) return azurePostCleanup();
    const dir = envValue('CANARY_CREDENTIALS_DIR');
    if (!dir)
      throw new CanaryFailure(
        'No credentials directory was recorded (an earlier step failed), so the cleanup cannot be checked.'
      );
    if (existsSync(dir))
      throw new CanaryFailure(`The action's post step left the credentials directory ${dir} behind.`);
    const left = credentialDirs(process.env.RUNNER_TEMP ?? '');
    if (left.length > 0)
      throw new CanaryFailure(`Credentials directories left in RUNNER_TEMP: ${left.join(', ')}.`);
    console.log("The action's post step removed the credentials directory.");
    expectGitRefused();
  }
};

/**
 * Azure Pipelines: no step of the job can run after the task's post-job step, so this runs the task's own
 * postjobexecution handler — the same file, with the same only input (Agent.TempDirectory) — and checks its effect.
 */
function azurePostCleanup() {
  const tempRoot = envValue('AGENT_TEMPDIRECTORY');
  const tasksDir = join(envValue('AGENT_WORKFOLDER'), '_tasks');
  const task = JSON.parse(readFileSync(fileURLToPath(new URL('../task.json', import.meta.url)), 'utf8'));
  const folder = readdirSync(tasksDir).find(
    (name) => name.toLowerCase() === `${task.name}_${task.id}`.toLowerCase()
  );
  if (!folder) throw new CanaryFailure(`The task ${task.name} (${task.id}) is not in ${tasksDir}.`);
  const versions = readdirSync(join(tasksDir, folder)).filter((v) =>
    existsSync(join(tasksDir, folder, v, 'dist/azure/post.js'))
  );
  if (versions.length !== 1)
    throw new CanaryFailure(
      `Expected one downloaded version of the task, found: ${versions.join(', ') || 'none'}.`
    );
  const before = credentialDirs(tempRoot);
  if (before.length !== 1)
    throw new CanaryFailure(`Expected one credentials directory before the cleanup, found ${before.length}.`);
  const post = spawnSync(process.execPath, [join(tasksDir, folder, versions[0], 'dist/azure/post.js')], {
    encoding: 'utf8'
  });
  if (post.status !== 0 || !post.stdout.includes('Removed 1 git and feed credential directory'))
    throw new CanaryFailure(
      `The task's postjobexecution handler (${versions[0]}) did not remove the directory: ${post.stdout.trim()}`
    );
  const after = credentialDirs(tempRoot);
  if (after.length > 0)
    throw new CanaryFailure(`Credentials directories left in Agent.TempDirectory: ${after.join(', ')}.`);
  console.log(`The task's postjobexecution handler (${versions[0]}) removed the credentials directory.`);
  expectGitRefused();
}

export function runCheck(id) {
  const check = CHECKS[id];
  if (!check) throw new CanaryFailure(`Unknown check '${id}': one of ${Object.keys(CHECKS).join(', ')}.`);
  check();
}

/** The check ids scripts/lib/canary-checks.mjs defines that this script runs (the contract test compares them). */
export const CHECK_IDS = Object.keys(CHECKS);

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  try {
    runCheck(process.argv[2] ?? '');
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    console.log(
      ON_AZURE ? `##vso[task.logissue type=error]${message}` : `::error title=Live canary::${message}`
    );
    process.exitCode = 1;
  }
}
