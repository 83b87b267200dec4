import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import { gitCredentialEnvironment } from '../core/job-credentials/git.js';
import { organizationUrlScopes } from '../core/job-credentials/git.js';
import type { Organization } from '../core/settings.js';

/**
 * A git credential helper that answers from the environment variable holding the token: nothing is written
 * to disk and git asks it only for the organization's URLs. It is a shell function because git runs `!`
 * helpers through sh (Git for Windows included), appending the operation (get, store, erase) as $1.
 */
export function envCredentialHelper(variable: string): string {
  return `!f() { if [ "$1" = get ]; then printf 'username=AzureDevOps\\npassword=%s\\n' "$${variable}"; fi; }; f`;
}

/** The environment of the command exec runs: the token, and git scoped to the organization. */
export function execEnvironment(
  token: string,
  tokenVariable: string,
  organization: Organization | undefined,
  git: boolean,
  env: NodeJS.ProcessEnv
): { env: NodeJS.ProcessEnv; gitScopes: string[] } {
  const result: NodeJS.ProcessEnv = { ...env, [tokenVariable]: token };
  if (!git || organization === undefined) return { env: result, gitScopes: [] };
  Object.assign(result, gitCredentialEnvironment(organization, envCredentialHelper(tokenVariable), env));
  return { env: result, gitScopes: organizationUrlScopes(organization) };
}

/**
 * Runs the command with the terminal attached and returns what the CLI should exit with: the command's exit
 * code, 128+N when a signal ended it, 127 when it does not exist and 126 when it cannot be executed.
 * SIGINT and SIGTERM are passed on, so Ctrl-C and a CI cancellation reach the command.
 */
export function runCommand(
  commandLine: string[],
  env: NodeJS.ProcessEnv,
  report: (message: string) => void
): Promise<number> {
  const [file, ...args] = commandLine;
  return new Promise((resolve) => {
    const child = spawn(file ?? '', args, { stdio: 'inherit', env });
    const forward = (signal: NodeJS.Signals): void => {
      child.kill(signal);
    };
    process.on('SIGINT', forward);
    process.on('SIGTERM', forward);
    const done = (code: number): void => {
      process.off('SIGINT', forward);
      process.off('SIGTERM', forward);
      resolve(code);
    };
    child.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') {
        report(
          `Command not found: '${file ?? ''}'. Check the name and PATH (the command after -- is run directly, not through a shell).`
        );
        done(127);
      } else {
        report(`Cannot run '${file ?? ''}': ${error.message}`);
        done(126);
      }
    });
    child.on('exit', (code, signal) => {
      if (signal !== null) done(128 + (constants.signals[signal] ?? 0));
      else done(code ?? 1);
    });
  });
}
