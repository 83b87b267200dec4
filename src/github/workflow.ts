import { randomUUID } from 'node:crypto';
import { appendFileSync, existsSync } from 'node:fs';
import { EOL } from 'node:os';

/**
 * The GitHub runner's side of the protocol, the part this action uses: INPUT_* variables, workflow commands on
 * stdout (::add-mask::, ::debug::, ::warning::, ::error::) and the GITHUB_OUTPUT / GITHUB_ENV / GITHUB_STATE
 * command files. @actions/core implements the same protocol but always loads @actions/http-client, undici and
 * tunnel for its OIDC helper, which this action never calls: a second HTTP stack that cost about a quarter of
 * the action's start-up (see the README's Performance section).
 */

/** An input as the runner passes it: INPUT_<NAME>, upper-cased, spaces as underscores, trimmed. */
export function getInput(name: string): string {
  return (process.env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] ?? '').trim();
}

export function isDebug(): boolean {
  return process.env.RUNNER_DEBUG === '1';
}

function escapeData(value: string): string {
  return value.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

function command(name: string, message: string): void {
  process.stdout.write(`::${name}::${escapeData(message)}${EOL}`);
}

export const info = (message: string): void => {
  process.stdout.write(`${message}${EOL}`);
};
export const debug = (message: string): void => command('debug', message);
export const warning = (message: string): void => command('warning', message);
export const error = (message: string): void => command('error', message);
export const setSecret = (value: string): void => command('add-mask', value);

/** Appends `name<<delimiter` … `delimiter` to a command file, refusing a value that holds the delimiter. */
function appendToCommandFile(file: 'OUTPUT' | 'ENV' | 'STATE', name: string, value: string): void {
  const path = process.env[`GITHUB_${file}`];
  if (!path || !existsSync(path))
    throw new Error(
      `GITHUB_${file} is not set to an existing file: this step must run on a GitHub Actions runner.`
    );
  const delimiter = `ghadelimiter_${randomUUID()}`;
  if (name.includes(delimiter) || value.includes(delimiter))
    throw new Error(`The value of ${name} contains the command file delimiter.`);
  appendFileSync(path, `${name}<<${delimiter}${EOL}${value}${EOL}${delimiter}${EOL}`, 'utf8');
}

export const setOutput = (name: string, value: string): void => appendToCommandFile('OUTPUT', name, value);
export const saveState = (name: string, value: string): void => appendToCommandFile('STATE', name, value);

export function exportVariable(name: string, value: string): void {
  process.env[name] = value;
  appendToCommandFile('ENV', name, value);
}

/** STATE_<name>, set by the runner for the post step from what the main step saved. */
export function getState(name: string): string {
  return process.env[`STATE_${name}`] ?? '';
}

export function setFailed(message: string): void {
  process.exitCode = 1;
  error(message);
}
