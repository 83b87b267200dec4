import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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

export interface GitHubRun extends ProcessResult {
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
}

/** Runs dist/github/index.js as the GitHub runner does: INPUT_* with action.yml defaults, command files. */
export async function runGitHubAction(
  options: GitHubOptions,
  base: Record<string, string>
): Promise<GitHubRun> {
  const dir = mkdtempSync(join(tmpdir(), 'gh-run-'));
  try {
    const files = {
      output: join(dir, 'output'),
      env: join(dir, 'env'),
      state: join(dir, 'state'),
      summary: join(dir, 'summary')
    };
    for (const f of Object.values(files)) writeFileSync(f, '');
    writeWorkspace(dir, options.files);
    const inputs = { ...actionDefaults(), ...options.inputs };
    const env: Record<string, string> = {
      GITHUB_ACTIONS: 'true',
      CI: 'true',
      RUNNER_TEMP: dir,
      GITHUB_WORKSPACE: dir,
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
    const result = await runBundle('dist/github/index.js', env, dir, options.node);
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
    rmSync(dir, { recursive: true, force: true });
  }
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
}

/** Runs dist/azure/index.js as the agent does: INPUT_* with task.json defaults (macros expanded), ENDPOINT_* variables. */
export async function runAzureTask(options: AzureOptions): Promise<AzureRun> {
  const dir = mkdtempSync(join(tmpdir(), 'azp-run-'));
  writeWorkspace(dir, options.files);
  try {
    const variables = {
      'Agent.TempDirectory': dir,
      'System.DefaultWorkingDirectory': dir,
      ...(options.debug ? { 'System.Debug': 'true' } : {}),
      ...options.variables
    };
    const expand = (value: string): string =>
      value.replace(/\$\(([^)]+)\)/g, (m, name: string) => variables[name as keyof typeof variables] ?? m);
    const inputs = { ...taskDefaults(), ...options.inputs };
    const env: Record<string, string> = { TF_BUILD: 'True', AGENT_TEMPDIRECTORY: dir };
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
    const result = await runBundle('dist/azure/index.js', env, dir, options.node);
    return parseVso(result, options.debug === true);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function parseVso(result: ProcessResult, debug: boolean): AzureRun {
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
