import { statSync } from 'node:fs';
import path, { type PlatformPath } from 'node:path';
import { InputError } from '../core/errors.js';

/** How exec starts the command: the program, its arguments, and whether they are already quoted for Windows. */
export interface SpawnPlan {
  file: string;
  args: string[];
  /** True for cmd.exe running a batch file: the command line is built here, not by libuv. */
  windowsVerbatimArguments: boolean;
  /** Windows: the name was not found on PATH (exec reports it as a missing command, exit code 127). */
  notFound?: true;
}

export interface WindowsLookup {
  env: NodeJS.ProcessEnv;
  paths?: PlatformPath;
  isFile?: (file: string) => boolean;
}

const DEFAULT_PATHEXT = '.COM;.EXE;.BAT;.CMD';
const DEFAULT_COMSPEC = 'C:\\Windows\\System32\\cmd.exe';
/**
 * What cmd.exe cannot pass on literally inside double quotes: `"` ends the quoting, `%NAME%` is expanded
 * even there and has no reliable escape, and CR, LF and NUL end the command line.
 */
const UNSAFE_FOR_CMD = /["%\r\n\0]/;

const isFileOnDisk = (file: string): boolean => statSync(file, { throwIfNoEntry: false })?.isFile() ?? false;

/** An environment variable by name, as Windows looks it up: case-insensitively (`Path`, `PATH`). */
function variable(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const key = Object.keys(env).find((k) => k.toUpperCase() === name);
  return key === undefined ? undefined : env[key];
}

/**
 * Finds the program cmd.exe would run for `name`, but searching PATH only: never the working directory, so a
 * file dropped in a checked-out repository cannot stand in for `npm`. A name with a directory is looked up
 * there only. A name whose extension is in PATHEXT is tried as is; otherwise each PATHEXT extension is tried in
 * order, in each directory in PATH order. Relative PATH entries are skipped for the same reason.
 */
export function resolveWindowsProgram(name: string, lookup: WindowsLookup): string | undefined {
  const paths = lookup.paths ?? path.win32;
  const isFile = lookup.isFile ?? isFileOnDisk;
  const extensions = (variable(lookup.env, 'PATHEXT') || DEFAULT_PATHEXT)
    .split(';')
    .map((e) => e.trim())
    .filter((e) => e.startsWith('.'));
  const ext = paths.extname(name).toUpperCase();
  const candidates = (base: string): string[] => [
    ...(extensions.some((e) => e.toUpperCase() === ext) ? [base] : []),
    // Lower case, as the shims are spelled (npm.cmd); Windows compares names case-insensitively anyway.
    ...extensions.map((e) => `${base}${e.toLowerCase()}`)
  ];
  if (/[\\/]/.test(name) || /^[A-Za-z]:/.test(name)) return candidates(name).find(isFile);
  const directories = (variable(lookup.env, 'PATH') ?? '')
    .split(';')
    .map((d) => d.trim().replace(/^"(.*)"$/, '$1'))
    .filter((d) => d !== '' && paths.isAbsolute(d));
  for (const directory of directories) {
    const found = candidates(paths.join(directory, name)).find(isFile);
    if (found !== undefined) return found;
  }
  return undefined;
}

/**
 * One argument for a batch file: wrapped in double quotes, inside which cmd.exe (with /v:off) takes
 * & | < > ^ ( ) ! literally. Most shims pass their arguments on to an .exe (npm.cmd: `node npm-cli.js %*`),
 * whose C runtime reads `\"` as an escaped quote, so trailing backslashes are doubled before the closing quote.
 */
function quoteForBatch(value: string): string {
  return `"${value.replace(/(\\+)$/, '$1$1')}"`;
}

/**
 * How exec runs a command on Windows. Node refuses to spawn .bat and .cmd files without a shell
 * (CVE-2024-27980) and does not try PATHEXT, so `exec -- npm ci` needs this: an .exe (or anything that is not
 * a batch file) is spawned directly by its full path, and libuv quotes its arguments; a batch file runs
 * under `cmd.exe /d /s /v:off /c "…"` with a command line built here, and an argument cmd.exe would
 * change or split is refused before anything runs (BatBadBut: cross-spawn and `shell: true` get this wrong).
 */
export function planWindowsCommand(commandLine: readonly string[], lookup: WindowsLookup): SpawnPlan {
  const [name = '', ...args] = commandLine;
  const paths = lookup.paths ?? path.win32;
  const program = resolveWindowsProgram(name, lookup);
  if (program === undefined) return { file: name, args, windowsVerbatimArguments: false, notFound: true };
  const ext = paths.extname(program).toLowerCase();
  if (ext !== '.bat' && ext !== '.cmd') return { file: program, args, windowsVerbatimArguments: false };
  [program, ...args].forEach((arg, i) => {
    const bad = UNSAFE_FOR_CMD.exec(arg)?.[0];
    if (bad !== undefined) throw unsafeArgument(i, arg, bad, program, paths);
  });
  const line = [program, ...args].map(quoteForBatch).join(' ');
  return {
    file: variable(lookup.env, 'COMSPEC') || DEFAULT_COMSPEC,
    args: ['/d', '/s', '/v:off', '/c', `"${line}"`],
    windowsVerbatimArguments: true
  };
}

const CHARACTER_NAMES: Record<string, string> = {
  '\r': 'a carriage return',
  '\n': 'a line feed',
  '\0': 'a NUL'
};

function unsafeArgument(
  position: number,
  value: string,
  char: string,
  program: string,
  paths: PlatformPath
): InputError {
  const what = position === 0 ? `The path of '${program}'` : `Argument ${position} ('${value}')`;
  const named = CHARACTER_NAMES[char] ?? `'${char}'`;
  const fix =
    paths.basename(program).toLowerCase() === 'npm.cmd' || paths.basename(program).toLowerCase() === 'npx.cmd'
      ? `run node with the npm script instead, e.g. node "%APPDATA%\\npm\\node_modules\\npm\\bin\\npm-cli.js" (or the one next to node.exe)`
      : "run the program's .exe, or node with its script, instead of the .cmd shim";
  return new InputError(
    'command',
    `${what} contains ${named}, which cannot be passed safely to the batch file ${program} through cmd.exe ('"' ends cmd's quoting, '%' expands variables even inside quotes, line breaks and NUL end the command). To pass it, ${fix}, or put the value in an environment variable and refer to it from the program.`
  );
}
