import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import { gitCredentialEnvironment } from '../core/job-credentials/git.js';
import { organizationUrlScopes } from '../core/job-credentials/git.js';
import type { Organization } from '../core/settings.js';
import { planWindowsCommand, type SpawnPlan, type WindowsLookup } from './windows-command.js';

/**
 * A git credential helper that answers from the environment variable holding the token: nothing is written
 * to disk and git asks it only for the organization's URLs. It is a shell function because git runs `!`
 * helpers through sh (Git for Windows included), appending the operation (get, store, erase) as $1. It is
 * POSIX sh, so Git for Windows' bash runs it alike. `variable` is spliced in unquoted: it must be a name
 * checked by parseVariableName (letters, digits, underscores), which the CLI's --token-variable is.
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

/** How exec starts the command on this OS; throws an InputError for an argument Windows' cmd.exe would change. */
export function prepareCommand(
  commandLine: readonly string[],
  env: NodeJS.ProcessEnv,
  platform: NodeJS.Platform = process.platform,
  lookup: Omit<WindowsLookup, 'env'> = {}
): SpawnPlan {
  if (platform === 'win32') return planWindowsCommand(commandLine, { ...lookup, env });
  const [file = '', ...args] = commandLine;
  return { file, args, windowsVerbatimArguments: false };
}

/**
 * What exec does with the signals it receives while the command runs. On POSIX, SIGINT and SIGTERM are passed
 * on, so Ctrl-C and a CI cancellation reach the command even when it is not in our process group. On Windows
 * Ctrl-C and Ctrl-Break already reach every process on the console, the command included, and forwarding
 * would TerminateProcess it (a cmd.exe running a shim would die before the program under it could clean
 * up): exec only ignores them, waits for the command and exits with its code. Windows never raises SIGTERM
 * (a kill there is TerminateProcess, which no handler sees), so there is nothing to forward.
 */
export function signalHandling(platform: NodeJS.Platform): {
  forward: NodeJS.Signals[];
  ignore: NodeJS.Signals[];
} {
  return platform === 'win32'
    ? { forward: [], ignore: ['SIGINT', 'SIGBREAK'] }
    : { forward: ['SIGINT', 'SIGTERM'], ignore: [] };
}

/**
 * Runs the command with the terminal attached and returns what the CLI should exit with: the command's exit
 * code, 128+N when a signal ended it, 127 when it does not exist and 126 when it cannot be executed.
 */
export function runCommand(
  plan: SpawnPlan,
  env: NodeJS.ProcessEnv,
  report: (message: string) => void,
  platform: NodeJS.Platform = process.platform
): Promise<number> {
  const { file, args } = plan;
  const notFound = (): string =>
    `Command not found: '${file}'. Check the name and PATH (the command after -- is run directly, not through a shell${platform === 'win32' ? '; on Windows PATH is searched with the PATHEXT extensions, the working directory is not' : ''}).`;
  if (plan.notFound) {
    report(notFound());
    return Promise.resolve(127);
  }
  return new Promise((resolve) => {
    const child = spawn(file, args, {
      stdio: 'inherit',
      env,
      windowsVerbatimArguments: plan.windowsVerbatimArguments
    });
    const { forward, ignore } = signalHandling(platform);
    const pass = (signal: NodeJS.Signals): void => {
      child.kill(signal);
    };
    const stay = (): void => undefined;
    for (const signal of forward) process.on(signal, pass);
    for (const signal of ignore) process.on(signal, stay);
    const done = (code: number): void => {
      for (const signal of forward) process.off(signal, pass);
      for (const signal of ignore) process.off(signal, stay);
      resolve(code);
    };
    child.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') {
        report(notFound());
        done(127);
      } else {
        report(`Cannot run '${file}': ${error.message}`);
        done(126);
      }
    });
    child.on('exit', (code, signal) => {
      if (signal !== null) done(128 + (constants.signals[signal] ?? 0));
      else done(code ?? 1);
    });
  });
}
