import { describe, expect, test } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { envCredentialHelper, prepareCommand, runCommand, signalHandling } from '../../../src/cli/exec.js';

describe('prepareCommand', () => {
  test('POSIX (Linux, macOS): the command is spawned as given, PATH lookup left to the OS', () => {
    expect(prepareCommand(['npm', 'ci', '"&calc'], { PATH: '/usr/bin' }, 'linux')).toEqual({
      file: 'npm',
      args: ['ci', '"&calc'],
      windowsVerbatimArguments: false
    });
    expect(prepareCommand(['npm'], {}, 'darwin').file).toBe('npm');
  });

  test('Windows: a .cmd shim on PATH runs under cmd.exe with a verbatim, quoted line', () => {
    const plan = prepareCommand(['npm', 'ci'], { PATH: 'C:\\nodejs' }, 'win32', {
      paths: path.win32,
      isFile: (file) => file === 'C:\\nodejs\\npm.cmd'
    });
    expect(plan).toEqual({
      file: 'C:\\Windows\\System32\\cmd.exe',
      args: ['/d', '/s', '/v:off', '/c', '""C:\\nodejs\\npm.cmd" "ci""'],
      windowsVerbatimArguments: true
    });
  });
});

describe('signals while the command runs', () => {
  test('POSIX forwards SIGINT and SIGTERM; Windows forwards nothing and ignores Ctrl-C and Ctrl-Break', () => {
    expect(signalHandling('linux')).toEqual({ forward: ['SIGINT', 'SIGTERM'], ignore: [] });
    expect(signalHandling('darwin')).toEqual({ forward: ['SIGINT', 'SIGTERM'], ignore: [] });
    expect(signalHandling('win32')).toEqual({ forward: [], ignore: ['SIGINT', 'SIGBREAK'] });
  });

  test.each<[NodeJS.Platform, number]>([
    ['linux', 130],
    ['win32', 0]
  ])(
    'on %s a Ctrl-C received by exec ends with exit code %s',
    async (platform, expected) => {
      const before = process.listenerCount('SIGINT');
      const running = runCommand(
        prepareCommand(['sh', '-c', 'sleep 1; exit 0'], process.env, 'linux'),
        process.env,
        () => undefined,
        platform
      );
      expect(process.listenerCount('SIGINT')).toBe(before + 1);
      const listener = process.listeners('SIGINT').at(-1) as (signal: NodeJS.Signals) => void;
      listener('SIGINT');
      expect(await running).toBe(expected);
      expect(process.listenerCount('SIGINT')).toBe(before);
    },
    10000
  );
});

describe('runCommand', () => {
  test('the exit code passes through; a command not found is 127 without spawning', async () => {
    const reports: string[] = [];
    expect(
      await runCommand(prepareCommand(['sh', '-c', 'exit 3'], {}, 'linux'), process.env, (m) =>
        reports.push(m)
      )
    ).toBe(3);
    expect(
      await runCommand(
        { file: 'npm', args: [], windowsVerbatimArguments: false, notFound: true },
        process.env,
        (m) => reports.push(m),
        'win32'
      )
    ).toBe(127);
    expect(reports).toEqual([
      "Command not found: 'npm'. Check the name and PATH (the command after -- is run directly, not through a shell; on Windows PATH is searched with the PATHEXT extensions, the working directory is not)."
    ]);
  });
});

describe('envCredentialHelper', () => {
  test('a POSIX sh function (Git for Windows runs it in its bash) that prints the variable for get only', () => {
    const helper = envCredentialHelper('AZURE_DEVOPS_TOKEN');
    const env = { ...process.env, AZURE_DEVOPS_TOKEN: "tok'en $x" };
    for (const shell of ['sh', 'bash']) {
      expect(execFileSync(shell, ['-c', `${helper.slice(1)} get`], { env, encoding: 'utf8' })).toBe(
        "username=AzureDevOps\npassword=tok'en $x\n"
      );
      expect(execFileSync(shell, ['-c', `${helper.slice(1)} store`], { env, encoding: 'utf8' })).toBe('');
    }
  });
});
