// How the GitHub runner and the Azure Pipelines agent run a step of this project: the job's directories and
// environment (INPUT_* with the manifests' defaults, command files, agent variables, ENDPOINT_*), a fresh
// node process, and what they make of its output (outputs, masks, variables, the log as shown). Plain
// JavaScript so that `npm run demo` (scripts/demo.mjs) runs the bundles exactly as the e2e tests do; the
// types are declared in test/e2e/runner.ts, which re-exports all of this for the tests.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { renderAgentLog, renderRunnerLog } from './job-log.mjs';

/** @typedef {import('../../test/e2e/runner.js').ProcessResult} ProcessResult */
/** @typedef {import('../../test/e2e/runner.js').GitHubRun} GitHubRun */
/** @typedef {import('../../test/e2e/runner.js').AzureRun} AzureRun */
/** @typedef {import('../../test/e2e/runner.js').VsoVariable} VsoVariable */

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/**
 * The runner fills in action.yml defaults for inputs the workflow does not set.
 * @returns {Record<string, string>}
 */
export function actionDefaults() {
  /** @type {{ inputs: Record<string, { default?: unknown }> }} */
  const manifest = parse(readFileSync(join(ROOT, 'action.yml'), 'utf8'));
  return Object.fromEntries(
    Object.entries(manifest.inputs)
      .filter(([, input]) => input.default !== undefined)
      .map(([name, input]) => [name, String(input.default)])
  );
}

/**
 * The agent fills in task.json defaults (macros are expanded by runAzureTask).
 * @returns {Record<string, string>}
 */
export function taskDefaults() {
  /** @type {{ inputs: { name: string, defaultValue?: unknown }[] }} */
  const manifest = JSON.parse(readFileSync(join(ROOT, 'task.json'), 'utf8'));
  return Object.fromEntries(
    manifest.inputs
      .filter((input) => input.defaultValue !== undefined)
      .map((input) => [input.name, String(input.defaultValue)])
  );
}

/**
 * Runs a command without a shell, as a runner, an agent or a user's shell starts it: in `cwd` (also HOME unless
 * `env` says otherwise), with PATH and only the given environment; collects its output. The e2e tests, the demo
 * and the benchmark all run the bundles through this.
 * @param {string[]} argv  the program and its arguments
 * @param {Record<string, string>} env
 * @param {string} cwd
 * @returns {Promise<ProcessResult>}
 */
export function runProcess([program = '', ...args], env, cwd) {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(program, args, {
      cwd,
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: cwd, ...env },
      stdio: ['ignore', 'pipe', 'pipe']
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d.toString('utf8')));
    child.stderr.on('data', (d) => (stderr += d.toString('utf8')));
    child.on('error', reject);
    child.on('close', (exitCode) =>
      resolve({ exitCode, stdout, stderr, durationMs: performance.now() - started })
    );
  });
}

/**
 * Runs a bundle the way a runner/agent does: a fresh node process with only the given environment.
 * @param {string} script path relative to the repository root
 * @param {Record<string, string>} env
 * @param {string} cwd
 * @param {string} [node] the node binary (default: this one)
 * @param {string} [root] the folder that holds dist/ (default: this repository), e.g. a copy of it elsewhere,
 *   as a runner whose actions live under another path runs them
 * @returns {Promise<ProcessResult>}
 */
export function runBundle(script, env, cwd, node = process.execPath, root = ROOT) {
  return runProcess([node, join(root, script)], env, cwd);
}

/**
 * Parses the `name<<delimiter` heredocs the action appends to GITHUB_OUTPUT / GITHUB_ENV (the runner's format).
 * @param {string} text
 * @returns {Record<string, string>}
 */
export function parseCommandFile(text) {
  /** @type {Record<string, string>} */
  const result = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const match = /^([^<=]+)<<(.+)$/.exec(lines[i] ?? '');
    if (!match?.[1] || !match[2]) continue;
    const value = [];
    for (i++; i < lines.length && lines[i] !== match[2]; i++) value.push(lines[i] ?? '');
    result[match[1]] = value.join('\n');
  }
  return result;
}

/**
 * Runs dist/github/index.js as the GitHub runner does: INPUT_* with action.yml defaults, command files.
 * @param {import('../../test/e2e/runner.js').GitHubOptions} options
 * @param {Record<string, string>} base the job's environment (the emulator's OIDC variables, CA…)
 * @returns {Promise<GitHubRun>}
 */
export async function runGitHubAction(options, base) {
  const dir = mkdtempSync(join(tmpdir(), 'gh-run-'));
  const workspace = join(dir, 'workspace');
  const temp = join(dir, 'temp');
  mkdirSync(workspace);
  mkdirSync(temp);
  try {
    const files = {
      output: join(dir, 'output'),
      env: join(dir, 'env'),
      state: join(dir, 'state'),
      summary: join(dir, 'summary')
    };
    for (const f of Object.values(files)) writeFileSync(f, '');
    writeWorkspace(workspace, options.files);
    const inputs = { ...actionDefaults(), ...options.inputs };
    /** @type {Record<string, string>} */
    const env = {
      GITHUB_ACTIONS: 'true',
      CI: 'true',
      RUNNER_TEMP: temp,
      GITHUB_WORKSPACE: workspace,
      GITHUB_OUTPUT: files.output,
      GITHUB_ENV: files.env,
      GITHUB_STATE: files.state,
      GITHUB_STEP_SUMMARY: files.summary,
      ...(options.debug ? { RUNNER_DEBUG: '1' } : {}),
      ...base,
      ...Object.fromEntries(
        Object.entries(inputs).map(([k, v]) => [`INPUT_${k.replace(/ /g, '_').toUpperCase()}`, v])
      ),
      ...options.env
    };
    for (const [k, v] of Object.entries(env)) if (v === '<unset>') delete env[k];
    const result = await runBundle('dist/github/index.js', env, workspace, options.node, options.root);
    const lines = result.stdout.split('\n');
    const masks = lines
      .filter((l) => l.startsWith('::add-mask::'))
      .map((l) => l.slice('::add-mask::'.length));
    return {
      ...result,
      job: { dir, workspace, temp, env, cleanup: () => rmSync(dir, { recursive: true, force: true }) },
      workspaceFiles: readTree(workspace),
      outputs: parseCommandFile(readFileSync(files.output, 'utf8')),
      exportedEnv: parseCommandFile(readFileSync(files.env, 'utf8')),
      masks,
      errors: lines
        .filter((l) => l.startsWith('::error::'))
        .map((l) => decodeCommand(l.slice('::error::'.length))),
      infoLines: lines.filter((l) => l !== '' && !l.startsWith('::')),
      shownLog: renderRunnerLog(result.stdout, masks, options.debug === true),
      files: {
        output: readFileSync(files.output, 'utf8'),
        env: readFileSync(files.env, 'utf8'),
        state: readFileSync(files.state, 'utf8'),
        summary: readFileSync(files.summary, 'utf8')
      }
    };
  } finally {
    if (!options.keep) rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Runs the action's post entry as the runner does at job end: STATE_* from the main step's GITHUB_STATE.
 * @param {GitHubRun} main a run made with `keep: true`
 * @returns {Promise<ProcessResult>}
 */
export function runGitHubPost(main) {
  const state = parseCommandFile(main.files.state ?? '');
  const env = {
    ...main.job.env,
    ...Object.fromEntries(Object.entries(state).map(([k, v]) => [`STATE_${k}`, v]))
  };
  return runBundle('dist/github/post.js', env, main.job.workspace);
}

/**
 * Every file under a directory (relative path → content), to prove what a run did or did not write there.
 * @param {string} root
 * @returns {Record<string, string>}
 */
export function readTree(root) {
  /** @type {Record<string, string>} */
  const files = {};
  /** @param {string} dir */
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile()) files[path.slice(root.length + 1)] = readFileSync(path, 'utf8');
    }
  };
  walk(root);
  return files;
}

/**
 * @param {string} dir
 * @param {Record<string, string>} [files]
 */
function writeWorkspace(dir, files = {}) {
  for (const [path, content] of Object.entries(files)) writeFileSync(join(dir, path), content);
}

/** @param {string} value */
function decodeCommand(value) {
  return value.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%');
}

/**
 * Runs dist/azure/index.js as the agent does: INPUT_* with task.json defaults (macros expanded), agent
 * variables as environment variables, ENDPOINT_* variables for the service connections.
 * @param {import('../../test/e2e/runner.js').AzureOptions} options
 * @returns {Promise<AzureRun>}
 */
export async function runAzureTask(options) {
  const dir = mkdtempSync(join(tmpdir(), 'azp-run-'));
  const workspace = join(dir, 'work');
  const temp = join(dir, 'temp');
  mkdirSync(workspace);
  mkdirSync(temp);
  writeWorkspace(workspace, options.files);
  try {
    /** @type {Record<string, string>} */
    const variables = {
      'Agent.TempDirectory': temp,
      'System.DefaultWorkingDirectory': workspace,
      ...(options.debug ? { 'System.Debug': 'true' } : {}),
      ...options.variables
    };
    /** @param {string} value */
    const expand = (value) => value.replace(/\$\(([^)]+)\)/g, (m, name) => variables[name] ?? m);
    const inputs = { ...taskDefaults(), ...options.inputs };
    /** @type {Record<string, string>} */
    const env = { TF_BUILD: 'True', AGENT_TEMPDIRECTORY: temp };
    for (const [name, value] of Object.entries(variables))
      env[name.replace(/\./g, '_').toUpperCase()] = value;
    for (const [name, value] of Object.entries(inputs)) env[`INPUT_${name.toUpperCase()}`] = expand(value);
    if (options.systemAccessToken !== undefined) {
      env.ENDPOINT_URL_SYSTEMVSSCONNECTION =
        variables['System.CollectionUri'] ?? 'https://dev.azure.com/contoso/';
      env.ENDPOINT_AUTH_SYSTEMVSSCONNECTION = JSON.stringify({
        scheme: 'OAuth',
        parameters: { AccessToken: options.systemAccessToken }
      });
      env.ENDPOINT_AUTH_SCHEME_SYSTEMVSSCONNECTION = 'OAuth';
      env.ENDPOINT_AUTH_PARAMETER_SYSTEMVSSCONNECTION_ACCESSTOKEN = options.systemAccessToken;
    }
    for (const endpoint of options.endpoints ?? []) {
      const id = endpoint.id; // the agent keeps the GUID as is and upper-cases only the key
      env[`ENDPOINT_URL_${id}`] = endpoint.url ?? 'https://management.azure.com/';
      env[`ENDPOINT_AUTH_${id}`] = JSON.stringify({
        scheme: endpoint.scheme,
        parameters: endpoint.parameters ?? {}
      });
      env[`ENDPOINT_AUTH_SCHEME_${id}`] = endpoint.scheme;
      for (const [key, value] of Object.entries(endpoint.parameters ?? {}))
        env[`ENDPOINT_AUTH_PARAMETER_${id}_${key.toUpperCase()}`] = value;
      for (const [key, value] of Object.entries(endpoint.data ?? {}))
        env[`ENDPOINT_DATA_${id}_${key.toUpperCase()}`] = value;
    }
    Object.assign(env, options.env);
    for (const [k, v] of Object.entries(env)) if (v === '<unset>') delete env[k];
    const result = await runBundle('dist/azure/index.js', env, workspace, options.node, options.root);
    return {
      ...parseVso(result, options.debug === true),
      job: { dir, workspace, temp, env, cleanup: () => rmSync(dir, { recursive: true, force: true }) },
      workspaceFiles: readTree(workspace)
    };
  } finally {
    if (!options.keep) rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Runs the task's postjobexecution handler as the agent does at job end (same inputs and variables).
 * @param {AzureRun} main a run made with `keep: true`
 * @returns {Promise<ProcessResult>}
 */
export function runAzurePost(main) {
  return runBundle('dist/azure/post.js', main.job.env, main.job.workspace);
}

/**
 * The environment a later script step sees: the job's plus every non-secret variable the task set.
 * @param {AzureRun} main
 * @returns {Record<string, string>}
 */
export function laterStepEnv(main) {
  return Object.fromEntries(
    main.variables
      .filter((v) => !v.isSecret && !v.isOutput)
      .map((v) => [v.name.replace(/\./g, '_').toUpperCase(), v.value])
  );
}

/**
 * Reads the `##vso[...]` commands of a task's output as the agent does.
 * @param {ProcessResult} result
 * @param {boolean} debug
 * @returns {Omit<AzureRun, 'job' | 'workspaceFiles'>}
 */
function parseVso(result, debug) {
  const lines = result.stdout.split('\n');
  /** @type {VsoVariable[]} */
  const variables = [];
  /** @type {string[]} */
  const secrets = [];
  /** @type {string[]} */
  const errors = [];
  /** @type {string[]} the Markdown of each task.uploadsummary, read when the command is seen, as the agent does */
  const summaries = [];
  /** @type {string | undefined} */
  let outcome;
  let resultMessage = '';
  for (const line of lines) {
    const match = /^##vso\[([\w.]+)([^\]]*)\](.*)$/.exec(line);
    if (!match) continue;
    const [, command, rawProps, value = ''] = match;
    /** @type {Record<string, string | undefined>} */
    const props = Object.fromEntries(
      (rawProps ?? '')
        .trim()
        .split(';')
        .filter(Boolean)
        .map((p) => p.split('='))
    );
    if (command === 'task.setvariable')
      variables.push({
        name: props.variable ?? '',
        value: decodeVso(value),
        isSecret: props.issecret === 'true',
        isOutput: props.isOutput === 'true'
      });
    if (command === 'task.setsecret') secrets.push(decodeVso(value));
    if (command === 'task.uploadsummary') summaries.push(readFileSync(decodeVso(value), 'utf8'));
    if (command === 'task.issue' && props.type === 'error') errors.push(decodeVso(value));
    if (command === 'task.complete') {
      outcome = props.result;
      resultMessage = decodeVso(value);
    }
  }
  const masks = [...secrets, ...variables.filter((v) => v.isSecret).map((v) => v.value)];
  return {
    ...result,
    variables,
    secrets,
    result: outcome,
    resultMessage,
    errors,
    summaries,
    infoLines: lines.filter((l) => l !== '' && !l.startsWith('##vso')),
    shownLog: renderAgentLog(result.stdout, masks, debug)
  };
}

/** @param {string} value */
function decodeVso(value) {
  return value
    .replace(/%0D/g, '\r')
    .replace(/%0A/g, '\n')
    .replace(/%3B/g, ';')
    .replace(/%5D/g, ']')
    .replace(/%25/g, '%');
}
