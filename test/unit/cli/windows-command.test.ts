import { describe, expect, test } from '@jest/globals';
import path from 'node:path';
import { InputError } from '../../../src/core/errors.js';
import { planWindowsCommand, resolveWindowsProgram } from '../../../src/cli/windows-command.js';
import { thrownBy } from '../fakes.js';

/** A fake Windows file system: the files that exist, compared as Windows does (case-insensitively). */
function files(...names: string[]): (file: string) => boolean {
  const set = new Set(names.map((n) => n.toLowerCase()));
  return (file) => set.has(file.toLowerCase());
}

const NODE_DIR = 'C:\\Program Files\\nodejs';
const NPM_CMD = `${NODE_DIR}\\npm.cmd`;
const NODE_EXE = `${NODE_DIR}\\node.exe`;
const AZ_CMD = 'C:\\Program Files\\Microsoft SDKs\\Azure\\CLI2\\wbin\\az.cmd';
const ENV = {
  Path: `C:\\Windows\\system32;"C:\\Program Files\\Microsoft SDKs\\Azure\\CLI2\\wbin";${NODE_DIR};.;relative\\bin;`,
  ComSpec: 'C:\\WINDOWS\\system32\\cmd.exe'
};
const lookup = (isFile: (file: string) => boolean, env: NodeJS.ProcessEnv = ENV) => ({
  env,
  paths: path.win32,
  isFile
});

describe('resolving a program as cmd.exe does, PATH only', () => {
  test('a bare name is searched in PATH order with each PATHEXT extension (default .COM;.EXE;.BAT;.CMD)', () => {
    const isFile = files(NPM_CMD, NODE_EXE, AZ_CMD, 'C:\\Windows\\system32\\where.exe');
    expect(resolveWindowsProgram('npm', lookup(isFile))).toBe(NPM_CMD);
    expect(resolveWindowsProgram('node', lookup(isFile))).toBe(NODE_EXE);
    expect(resolveWindowsProgram('az', lookup(isFile))).toBe(AZ_CMD);
    expect(resolveWindowsProgram('where', lookup(isFile))).toBe('C:\\Windows\\system32\\where.exe');
  });

  test('.EXE before .CMD in one directory; an earlier PATH directory wins over a better extension', () => {
    const isFile = files(`${NODE_DIR}\\tool.cmd`, `${NODE_DIR}\\tool.exe`, 'C:\\Windows\\system32\\tool.bat');
    expect(resolveWindowsProgram('tool', lookup(isFile))).toBe('C:\\Windows\\system32\\tool.bat');
    expect(resolveWindowsProgram('tool', lookup(isFile, { PATH: NODE_DIR }))).toBe(`${NODE_DIR}\\tool.exe`);
  });

  test('PATHEXT from the environment, any case of the variable names', () => {
    const isFile = files(`${NODE_DIR}\\script.py`, `${NODE_DIR}\\script.exe`);
    expect(resolveWindowsProgram('script', lookup(isFile, { path: NODE_DIR, pathext: '.PY;.EXE' }))).toBe(
      `${NODE_DIR}\\script.py`
    );
  });

  test('a name with a PATHEXT extension is tried as given first', () => {
    const isFile = files(NPM_CMD, `${NODE_DIR}\\npm.cmd.exe`);
    expect(resolveWindowsProgram('npm.cmd', lookup(isFile))).toBe(NPM_CMD);
    expect(resolveWindowsProgram('NPM.CMD', lookup(files(NPM_CMD)))).toBe(`${NODE_DIR}\\NPM.CMD`);
  });

  test('the working directory and relative PATH entries are never searched', () => {
    const isFile = files('npm.cmd', '.\\npm.cmd', 'relative\\bin\\npm.cmd');
    expect(resolveWindowsProgram('npm', lookup(isFile))).toBeUndefined();
    expect(resolveWindowsProgram('npm', lookup(isFile, {}))).toBeUndefined();
  });

  test('a name with a directory or drive is looked up there only, with the PATHEXT extensions', () => {
    const isFile = files('.\\node_modules\\.bin\\tsc.cmd', 'D:\\tools\\x.exe', NPM_CMD);
    expect(resolveWindowsProgram('.\\node_modules\\.bin\\tsc', lookup(isFile))).toBe(
      '.\\node_modules\\.bin\\tsc.cmd'
    );
    expect(resolveWindowsProgram('D:\\tools\\x', lookup(isFile))).toBe('D:\\tools\\x.exe');
    expect(resolveWindowsProgram('D:\\tools\\x.exe', lookup(isFile))).toBe('D:\\tools\\x.exe');
    expect(resolveWindowsProgram('D:\\tools\\missing', lookup(isFile))).toBeUndefined();
    expect(resolveWindowsProgram('bin/npm', lookup(isFile))).toBeUndefined();
  });
});

describe('planning the spawn on Windows', () => {
  test('an .exe is spawned directly by its full path; libuv quotes its arguments', () => {
    expect(planWindowsCommand(['node', '-e', 'console.log("a & b")'], lookup(files(NODE_EXE)))).toEqual({
      file: NODE_EXE,
      args: ['-e', 'console.log("a & b")'],
      windowsVerbatimArguments: false
    });
  });

  test('a .cmd shim runs under cmd.exe /d /s /v:off /c with every word double-quoted, the line quoted once more', () => {
    expect(
      planWindowsCommand(
        ['npm', 'ci', '--prefix', 'C:\\a b\\', 'x&calc', 'a|b<c>d^e(f)!g', ''],
        lookup(files(NPM_CMD))
      )
    ).toEqual({
      file: 'C:\\WINDOWS\\system32\\cmd.exe',
      args: [
        '/d',
        '/s',
        '/v:off',
        '/c',
        `""${NPM_CMD}" "ci" "--prefix" "C:\\a b\\\\" "x&calc" "a|b<c>d^e(f)!g" """`
      ],
      windowsVerbatimArguments: true
    });
  });

  test('.bat too, in any case; without ComSpec cmd.exe is C:\\Windows\\System32\\cmd.exe', () => {
    const plan = planWindowsCommand(['D:\\build\\RUN.BAT', 'x'], lookup(files('D:\\build\\RUN.BAT'), {}));
    expect(plan.file).toBe('C:\\Windows\\System32\\cmd.exe');
    expect(plan.args.at(-1)).toBe('""D:\\build\\RUN.BAT" "x""');
    expect(plan.windowsVerbatimArguments).toBe(true);
  });

  test('a program not on PATH is reported as missing, not searched in the working directory', () => {
    expect(planWindowsCommand(['npm', 'ci'], lookup(files('npm.cmd')))).toEqual({
      file: 'npm',
      args: ['ci'],
      windowsVerbatimArguments: false,
      notFound: true
    });
  });

  test.each([
    ['"', "'\"'"],
    ['%', "'%'"],
    ['\r', 'a carriage return'],
    ['\n', 'a line feed'],
    ['\0', 'a NUL']
  ])('an argument with %j for a batch file is refused before anything runs (BatBadBut)', (char, named) => {
    const error = thrownBy(() => planWindowsCommand(['az', 'ok', `a${char}b`], lookup(files(AZ_CMD))));
    expect(error).toBeInstanceOf(InputError);
    expect(error.message).toContain(`Argument 2 (`);
    expect(error.message).toContain(
      `contains ${named}, which cannot be passed safely to the batch file ${AZ_CMD} through cmd.exe`
    );
    expect(error.message).toContain(
      "run the program's .exe, or node with its script, instead of the .cmd shim"
    );
  });

  test('the cross-spawn exploit "&calc is refused; npm gets the npm-cli.js advice; an .exe takes any argument', () => {
    const error = thrownBy(() => planWindowsCommand(['npm', 'view', '"&calc'], lookup(files(NPM_CMD))));
    expect(error.message).toBe(
      `Argument 2 ('"&calc') contains '"', which cannot be passed safely to the batch file ${NPM_CMD} through cmd.exe ('"' ends cmd's quoting, '%' expands variables even inside quotes, line breaks and NUL end the command). To pass it, run node with the npm script instead, e.g. node "%APPDATA%\\npm\\node_modules\\npm\\bin\\npm-cli.js" (or the one next to node.exe), or put the value in an environment variable and refer to it from the program.`
    );
    expect(planWindowsCommand(['node', '"&calc', '%PATH%'], lookup(files(NODE_EXE))).args).toEqual([
      '"&calc',
      '%PATH%'
    ]);
  });

  test('a batch file whose own path has a % is refused too', () => {
    const error = thrownBy(() => planWindowsCommand(['C:\\100%\\x.cmd'], lookup(files('C:\\100%\\x.cmd'))));
    expect(error.message).toMatch(/^The path of 'C:\\100%\\x\.cmd' contains '%'/);
  });
});
