import { describe, expect, test } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path, { join } from 'node:path';
import { helperCommand } from '../../../../src/core/job-credentials/git.js';
import {
  REMOVE_OPTIONS,
  removeCredentialsDir,
  writePrivateFile,
  type RemoveDirectory
} from '../../../../src/core/job-credentials/state.js';
import { credentialHelperPath } from '../../../../src/core/step.js';

/** A stand-in for node: prints each argument it gets on its own line, as the shell passed it. */
function fakeNode(dir: string): string {
  const file = join(dir, 'node');
  writeFileSync(file, '#!/bin/sh\nfor a in "$@"; do printf \'%s\\n\' "$a"; done\n');
  chmodSync(file, 0o755);
  return file;
}

/** Runs a helper command line as git does: `!` dropped, the operation appended, through `shell -c`. */
function runAsGit(shell: string, command: string): string[] {
  const output = execFileSync(shell, ['-c', `${command.slice(1)} get`], { encoding: 'utf8' });
  return output.split('\n').slice(0, -1);
}

const shells = ['sh', 'bash'].filter((shell) => {
  try {
    execFileSync(shell, ['-c', 'true']);
    return true;
  } catch {
    return false;
  }
});

describe('the git credential helper command line', () => {
  test('POSIX: every path is single-quoted; spaces, quotes, $ and backslashes stay literal', () => {
    expect(helperCommand('/opt/node 24/bin/node', "/tmp/it's $HOME/a\\b.js", '/tmp/s.json', 'linux')).toBe(
      `!'/opt/node 24/bin/node' '/tmp/it'\\''s $HOME/a\\b.js' '/tmp/s.json'`
    );
    expect(helperCommand('/n', '/h.js', '/s.json', 'darwin')).toBe(`!'/n' '/h.js' '/s.json'`);
  });

  test('Windows: drive-letter paths are given with forward slashes, still single-quoted', () => {
    expect(
      helperCommand(
        'C:\\Program Files\\nodejs\\node.exe',
        'C:\\actions-runner\\_work\\_actions\\o\\a\\v1\\dist\\git-credential-helper\\index.js',
        'D:\\a\\_temp\\azure-devops-entra-token-Ab12\\git-credential.json',
        'win32'
      )
    ).toBe(
      "!'C:/Program Files/nodejs/node.exe' 'C:/actions-runner/_work/_actions/o/a/v1/dist/git-credential-helper/index.js' 'D:/a/_temp/azure-devops-entra-token-Ab12/git-credential.json'"
    );
    expect(helperCommand("c:\\it's $x\\node.exe", 'C:/already/forward.js', 'C:\\s.json', 'win32')).toBe(
      `!'c:/it'\\''s $x/node.exe' 'C:/already/forward.js' 'C:/s.json'`
    );
  });

  test('Windows: a UNC path keeps its backslashes (MSYS would read a leading // as an escaped /)', () => {
    expect(helperCommand('C:\\node.exe', '\\\\server\\share\\h.js', 'relative\\s.json', 'win32')).toBe(
      `!'C:/node.exe' '\\\\server\\share\\h.js' 'relative\\s.json'`
    );
  });

  test.each(shells)(
    'through the real %s, as git runs it, the arguments arrive intact (POSIX paths with spaces, quotes, $ and backslashes)',
    (shell) => {
      const dir = mkdtempSync(join(tmpdir(), "helper it's $HOME `x` \\ dir-"));
      const helper = join(dir, "it's $PATH\\helper.js");
      const state = join(dir, 'state "quoted" $(id).json');
      expect(runAsGit(shell, helperCommand(fakeNode(dir), helper, state, 'linux'))).toEqual([
        helper,
        state,
        'get'
      ]);
    }
  );

  test.each(shells)(
    'through the real %s, the Windows form of drive-letter paths arrives as C:/… with spaces, quotes and $ intact',
    (shell) => {
      const dir = mkdtempSync(join(tmpdir(), 'helper-win-'));
      const command = helperCommand(
        fakeNode(dir),
        "C:\\Program Files\\it's $HOME\\dist\\git-credential-helper\\index.js",
        'C:\\agent\\_work\\_temp\\azure-devops-entra-token-x\\git-credential.json',
        'win32'
      );
      expect(runAsGit(shell, command)).toEqual([
        "C:/Program Files/it's $HOME/dist/git-credential-helper/index.js",
        'C:/agent/_work/_temp/azure-devops-entra-token-x/git-credential.json',
        'get'
      ]);
    }
  );
});

describe('credentialHelperPath with the platform path module', () => {
  test('a Windows runner: dist\\github\\index.js → dist\\git-credential-helper\\index.js', () => {
    expect(
      credentialHelperPath(
        'C:\\actions-runner\\_work\\_actions\\o\\a\\v1\\dist\\github\\index.js',
        path.win32
      )
    ).toBe('C:\\actions-runner\\_work\\_actions\\o\\a\\v1\\dist\\git-credential-helper\\index.js');
    expect(
      credentialHelperPath('C:\\agent\\_work\\_tasks\\EntraToken_1\\1.0.0\\dist\\azure\\index.js', path.win32)
    ).toBe('C:\\agent\\_work\\_tasks\\EntraToken_1\\1.0.0\\dist\\git-credential-helper\\index.js');
  });

  test('a path with spaces (a self-hosted agent under Program Files) and the POSIX module', () => {
    expect(
      credentialHelperPath(
        'C:\\Program Files\\agent\\_work\\_tasks\\t\\1.0.0\\dist\\azure\\index.js',
        path.win32
      )
    ).toBe('C:\\Program Files\\agent\\_work\\_tasks\\t\\1.0.0\\dist\\git-credential-helper\\index.js');
    expect(credentialHelperPath('/Users/runner/work/_actions/o/a/v1/dist/github/index.js', path.posix)).toBe(
      '/Users/runner/work/_actions/o/a/v1/dist/git-credential-helper/index.js'
    );
  });
});

describe('removing the credentials directory on each OS', () => {
  function recorder(): { remove: RemoveDirectory; removed: { dir: string; options: unknown }[] } {
    const removed: { dir: string; options: unknown }[] = [];
    return { remove: (dir, options) => removed.push({ dir, options }), removed };
  }

  test('Windows: a directory of ours directly under RUNNER_TEMP is removed, with retries for EBUSY/EPERM', () => {
    const { remove, removed } = recorder();
    const dir = 'D:\\a\\_temp\\azure-devops-entra-token-Ab12';
    expect(removeCredentialsDir(dir, 'D:\\a\\_temp', path.win32, remove)).toBe(true);
    expect(removeCredentialsDir(dir, 'd:\\A\\_TEMP\\', path.win32, remove)).toBe(true);
    expect(removed).toEqual([
      { dir, options: REMOVE_OPTIONS },
      { dir, options: REMOVE_OPTIONS }
    ]);
    expect(REMOVE_OPTIONS).toEqual({ recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
  });

  test.each([
    ['another directory in the temp root', 'D:\\a\\_temp\\something-else'],
    ['a directory inside ours', 'D:\\a\\_temp\\azure-devops-entra-token-Ab12\\nested'],
    ['the same name on another drive', 'C:\\a\\_temp\\azure-devops-entra-token-Ab12'],
    ['outside the temp root', 'D:\\a\\azure-devops-entra-token-Ab12'],
    ['a climb out of the temp root', 'D:\\a\\_temp\\..\\azure-devops-entra-token-Ab12']
  ])('Windows: %s is refused', (_label, dir) => {
    const { remove, removed } = recorder();
    expect(removeCredentialsDir(dir, 'D:\\a\\_temp', path.win32, remove)).toBe(false);
    expect(removed).toEqual([]);
  });

  test('POSIX (Linux and macOS): the same rules with the POSIX module', () => {
    const { remove, removed } = recorder();
    const root = '/Users/runner/work/_temp';
    expect(removeCredentialsDir(`${root}/azure-devops-entra-token-x`, root, path.posix, remove)).toBe(true);
    expect(removeCredentialsDir(`${root}/azure-devops-entra-token-x/n`, root, path.posix, remove)).toBe(
      false
    );
    expect(removeCredentialsDir(`${root}-other/azure-devops-entra-token-x`, root, path.posix, remove)).toBe(
      false
    );
    expect(removed).toEqual([{ dir: `${root}/azure-devops-entra-token-x`, options: REMOVE_OPTIONS }]);
  });

  test('the default removal really removes a tree on this machine', () => {
    const root = mkdtempSync(join(tmpdir(), 'root-'));
    const dir = join(root, 'azure-devops-entra-token-x');
    mkdirSync(join(dir, 'a'), { recursive: true });
    writeFileSync(join(dir, 'a', 'npmrc'), 'x');
    expect(removeCredentialsDir(dir, root)).toBe(true);
    expect(existsSync(dir)).toBe(false);
  });
});

describe('writing a private file', () => {
  test('when the file cannot be replaced (held open on Windows), the temporary file is removed and the error thrown', () => {
    const dir = mkdtempSync(join(tmpdir(), 'private-'));
    // A directory in the way makes the rename fail on every OS, as a locked file does on Windows.
    mkdirSync(join(dir, 'state.json', 'inside'), { recursive: true });
    expect(() => writePrivateFile(join(dir, 'state.json'), '{}')).toThrow();
    expect(readdirSync(dir)).toEqual(['state.json']);
  });
});
