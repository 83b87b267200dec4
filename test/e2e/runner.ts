import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, actionDefaults, taskDefaults } from './manifests.js';

export interface ProcessResult {
  exitCode: number | null;
  stdout: string;
  stderr: string;
  /** Milliseconds from spawn to exit. */
  durationMs: number;
}

/** Runs a bundle the way a runner/agent does: a fresh node process with only the given environment. */
export function runBundle(
  script: string,
  env: Record<string, string>,
  cwd: string,
  node = process.execPath
): Promise<ProcessResult> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(node, [join(ROOT, script)], {
      cwd,
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: cwd, ...env },
      stdio: ['ignore', 'pipe', 'pipe']
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
    child.on('error', reject);
    child.on('close', (exitCode) => resolve({ exitCode, stdout, stderr, durationMs: Date.now() - started }));
  });
}

/** The job's directories and environment, for running later steps (git, npm) and the post entry. */
export interface JobContext {
  dir: string;
  workspace: string;
  temp: string;
  env: Record<string, string>;
  cleanup: () => void;
}

export interface GitHubRun extends ProcessResult {
  job: JobContext;
  /** Everything in the workspace after the run. */
  workspaceFiles: Record<string, string>;
  outputs: Record<string, string>;
  exportedEnv: Record<string, string>;
  masks: string[];
  errors: string[];
  /** Lines that are neither workflow commands nor empty: what the user reads. */
  infoLines: string[];
  /** The log as the runner shows it: masks applied, commands hidden. */
  shownLog: string;
  files: Record<string, string>;
}

/** Parses the `name<<delimiter` heredocs @actions/core appends to GITHUB_OUTPUT / GITHUB_ENV. */
export function parseCommandFile(text: string): Record<string, string> {
  const result: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const match = /^([^<=]+)<<(.+)$/.exec(lines[i] ?? '');
    if (!match?.[1] || !match[2]) continue;
    const value: string[] = [];
    for (i++; i < lines.length && lines[i] !== match[2]; i++) value.push(lines[i] ?? '');
    result[match[1]] = value.join('\n');
  }
  return result;
}

export interface GitHubOptions {
  inputs?: Record<string, string>;
  env?: Record<string, string>;
  debug?: boolean;
  /** Files to create in the workspace before the run (path relative to it → content). */
  files?: Record<string, string>;
  /** The node binary to run the bundle with (default: this one). */
  node?: string;
  /** Keep the job's directories (workspace, RUNNER_TEMP) after the run; call `cleanup()` when done. */
  keep?: boolean;
}

/** Runs dist/github/index.js as the GitHub runner does: INPUT_* with action.yml defaults, command files. */
export async function runGitHubAction(
  options: GitHubOptions,
  base: Record<string, string>
): Promise<GitHubRun> {
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
    const env: Record<string, string> = {
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
    const result = await runBundle('dist/github/index.js', env, workspace, options.node);
    const lines = result.stdout.split('\n');
    const masks = lines
      .filter((l) => l.startsWith('::add-mask::'))
      .map((l) => l.slice('::add-mask::'.length));
    const shown = lines
      .filter((l) => !l.startsWith('::add-mask::') && !(l.startsWith('::debug::') && !options.debug))
      .map((l) => masks.reduce((line, m) => (m ? line.split(m).join('***') : line), l))
      .join('\n');
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
      shownLog: shown,
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

/** Runs the action's post entry as the runner does at job end: STATE_* from the main step's GITHUB_STATE. */
export async function runGitHubPost(main: GitHubRun): Promise<ProcessResult> {
  const state = parseCommandFile(main.files.state ?? '');
  const env = {
    ...main.job.env,
    ...Object.fromEntries(Object.entries(state).map(([k, v]) => [`STATE_${k}`, v]))
  };
  return runBundle('dist/github/post.js', env, main.job.workspace);
}

/** Every file under a directory (relative path → content), to prove what a run did or did not write there. */
export function readTree(root: string): Record<string, string> {
  const files: Record<string, string> = {};
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile()) files[path.slice(root.length + 1)] = readFileSync(path, 'utf8');
    }
  };
  walk(root);
  return files;
}

function writeWorkspace(dir: string, files: Record<string, string> = {}): void {
  for (const [path, content] of Object.entries(files)) writeFileSync(join(dir, path), content);
}

function decodeCommand(value: string): string {
  return value.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%');
}

export interface VsoVariable {
  name: string;
  value: string;
  isSecret: boolean;
  isOutput: boolean;
}

export interface AzureRun extends ProcessResult {
  job: JobContext;
  workspaceFiles: Record<string, string>;
  variables: VsoVariable[];
  secrets: string[];
  result: string | undefined;
  resultMessage: string;
  errors: string[];
  infoLines: string[];
  shownLog: string;
}

export interface Endpoint {
  id: string;
  scheme: string;
  parameters?: Record<string, string>;
  data?: Record<string, string>;
  url?: string;
}

export interface AzureOptions {
  inputs?: Record<string, string>;
  endpoints?: Endpoint[];
  /** Agent variables by their dotted name, e.g. System.OidcRequestUri. */
  variables?: Record<string, string>;
  systemAccessToken?: string;
  env?: Record<string, string>;
  debug?: boolean;
  /** Files to create in the workspace before the run (path relative to it → content). */
  files?: Record<string, string>;
  /** The node binary to run the bundle with (default: this one). */
  node?: string;
  /** Keep the job's directories after the run; call `job.cleanup()` when done. */
  keep?: boolean;
}

/** Runs dist/azure/index.js as the agent does: INPUT_* with task.json defaults (macros expanded), ENDPOINT_* variables. */
export async function runAzureTask(options: AzureOptions): Promise<AzureRun> {
  const dir = mkdtempSync(join(tmpdir(), 'azp-run-'));
  const workspace = join(dir, 'work');
  const temp = join(dir, 'temp');
  mkdirSync(workspace);
  mkdirSync(temp);
  writeWorkspace(workspace, options.files);
  try {
    const variables = {
      'Agent.TempDirectory': temp,
      'System.DefaultWorkingDirectory': workspace,
      ...(options.debug ? { 'System.Debug': 'true' } : {}),
      ...options.variables
    };
    const expand = (value: string): string =>
      value.replace(/\$\(([^)]+)\)/g, (m, name: string) => variables[name as keyof typeof variables] ?? m);
    const inputs = { ...taskDefaults(), ...options.inputs };
    const env: Record<string, string> = { TF_BUILD: 'True', AGENT_TEMPDIRECTORY: temp };
    for (const [name, value] of Object.entries(variables))
      env[name.replace(/\./g, '_').toUpperCase()] = value;
    for (const [name, value] of Object.entries(inputs)) env[`INPUT_${name.toUpperCase()}`] = expand(value);
    if (options.systemAccessToken !== undefined) {
      env.ENDPOINT_URL_SYSTEMVSSCONNECTION =
        variables['System.CollectionUri' as keyof typeof variables] ?? 'https://dev.azure.com/contoso/';
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
    const result = await runBundle('dist/azure/index.js', env, workspace, options.node);
    return {
      ...parseVso(result, options.debug === true),
      job: { dir, workspace, temp, env, cleanup: () => rmSync(dir, { recursive: true, force: true }) },
      workspaceFiles: readTree(workspace)
    };
  } finally {
    if (!options.keep) rmSync(dir, { recursive: true, force: true });
  }
}

/** Runs the task's postjobexecution handler as the agent does at job end (same inputs and variables). */
export function runAzurePost(main: AzureRun): Promise<ProcessResult> {
  return runBundle('dist/azure/post.js', main.job.env, main.job.workspace);
}

/** The environment a later script step sees: the job's plus every non-secret variable the task set. */
export function laterStepEnv(main: AzureRun): Record<string, string> {
  return Object.fromEntries(
    main.variables
      .filter((v) => !v.isSecret && !v.isOutput)
      .map((v) => [v.name.replace(/\./g, '_').toUpperCase(), v.value])
  );
}

function parseVso(result: ProcessResult, debug: boolean): Omit<AzureRun, 'job' | 'workspaceFiles'> {
  const lines = result.stdout.split('\n');
  const variables: VsoVariable[] = [];
  const secrets: string[] = [];
  const errors: string[] = [];
  let outcome: string | undefined;
  let resultMessage = '';
  for (const line of lines) {
    const match = /^##vso\[([\w.]+)([^\]]*)\](.*)$/.exec(line);
    if (!match) continue;
    const [, command, rawProps, value = ''] = match;
    const props = Object.fromEntries(
      (rawProps ?? '')
        .trim()
        .split(';')
        .filter(Boolean)
        .map((p) => p.split('=') as [string, string])
    );
    if (command === 'task.setvariable')
      variables.push({
        name: props.variable ?? '',
        value: decodeVso(value),
        isSecret: props.issecret === 'true',
        isOutput: props.isOutput === 'true'
      });
    if (command === 'task.setsecret') secrets.push(decodeVso(value));
    if (command === 'task.issue' && props.type === 'error') errors.push(decodeVso(value));
    if (command === 'task.complete') {
      outcome = props.result;
      resultMessage = decodeVso(value);
    }
  }
  const masks = [...secrets, ...variables.filter((v) => v.isSecret).map((v) => v.value)];
  const shownLog = lines
    .filter(
      (l) =>
        !l.startsWith('##vso[task.setsecret]') &&
        !l.startsWith('##vso[task.setvariable') &&
        !(l.startsWith('##vso[task.debug]') && !debug)
    )
    .map((l) => masks.reduce((line, m) => (m ? line.split(m).join('***') : line), l))
    .join('\n');
  return {
    ...result,
    variables,
    secrets,
    result: outcome,
    resultMessage,
    errors,
    infoLines: lines.filter((l) => l !== '' && !l.startsWith('##vso')),
    shownLog
  };
}

function decodeVso(value: string): string {
  return value
    .replace(/%0D/g, '\r')
    .replace(/%0A/g, '\n')
    .replace(/%3B/g, ';')
    .replace(/%5D/g, ']')
    .replace(/%25/g, '%');
}
