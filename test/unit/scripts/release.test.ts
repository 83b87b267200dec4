import { afterEach, beforeEach, describe, expect, test } from '@jest/globals';
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const FILES = ['package.json', 'package-lock.json', 'task.json', 'vss-extension.json', 'src/core/product.ts'];

let dir: string;
let work: string;
let remote: string;
let env: NodeJS.ProcessEnv;

/** git in the temporary repository, with no global or system configuration (no signing, no hooks). */
function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
}

function release(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const script = join(ROOT, 'scripts/release.mjs');
  const { status, stdout, stderr } = spawnSync(process.execPath, [script, '--root', work, ...args], {
    env,
    encoding: 'utf8'
  });
  return { status, stdout, stderr };
}

function setVersion(version: string): void {
  execFileSync(process.execPath, [join(ROOT, 'scripts/version.mjs'), version, '--root', work], { env });
}

/** The commit a ref points at, or '' when it does not exist. */
function commitOf(cwd: string, ref: string): string {
  const result = spawnSync('git', ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], {
    cwd,
    env,
    encoding: 'utf8'
  });
  return result.stdout.trim();
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'release-'));
  work = join(dir, 'work');
  remote = join(dir, 'remote.git');
  env = { PATH: process.env.PATH, HOME: dir, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' };
  for (const file of FILES) {
    mkdirSync(dirname(join(work, file)), { recursive: true });
    cpSync(join(ROOT, file), join(work, file));
  }
  setVersion('1.2.3');
  execFileSync('git', ['init', '--quiet', '--bare', remote], { env });
  git(work, 'init', '--quiet', '--initial-branch=main');
  git(work, 'config', 'user.name', 'Release Test');
  git(work, 'config', 'user.email', 'release-test@example.com');
  git(work, 'add', '.');
  git(work, 'commit', '--quiet', '-m', 'Version 1.2.3');
  git(work, 'remote', 'add', 'origin', remote);
  git(work, 'push', '--quiet', 'origin', 'main');
});

afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('scripts/release.mjs', () => {
  test('tags HEAD v1.2.3 (annotated) and v1, and prints the push commands without pushing', () => {
    const head = git(work, 'rev-parse', 'HEAD');
    const run = release();
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(commitOf(work, 'v1.2.3')).toBe(head);
    expect(commitOf(work, 'v1')).toBe(head);
    expect(git(work, 'cat-file', '-t', 'v1.2.3')).toBe('tag');
    expect(git(work, 'tag', '--list', '--format=%(contents:subject)', 'v1.2.3')).toBe('Release v1.2.3');
    expect(run.stdout).toContain('git push origin refs/tags/v1.2.3');
    expect(run.stdout).toContain('git push --force origin refs/tags/v1');
    expect(git(remote, 'tag', '--list')).toBe('');
  });

  test('--push pushes both tags, and the next release moves v1 on the remote', () => {
    expect(release('--push').status).toBe(0);
    const first = git(work, 'rev-parse', 'HEAD');
    expect([commitOf(remote, 'v1.2.3'), commitOf(remote, 'v1')]).toEqual([first, first]);

    setVersion('1.3.0');
    git(work, 'commit', '--quiet', '-am', 'Version 1.3.0');
    git(work, 'push', '--quiet', 'origin', 'main');
    const run = release('1.3.0', '--push');
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const second = git(work, 'rev-parse', 'HEAD');
    expect([commitOf(remote, 'v1.2.3'), commitOf(remote, 'v1.3.0'), commitOf(remote, 'v1')]).toEqual([
      first,
      second,
      second
    ]);
  });

  test('--dry-run prints the commands and creates no tag', () => {
    const run = release('--dry-run', '--push');
    expect(run.status).toBe(0);
    expect(run.stdout).toContain("git tag --annotate v1.2.3 --message 'Release v1.2.3'");
    expect(run.stdout).toContain("git tag --force --annotate v1 --message 'Release v1.2.3'");
    expect(run.stdout).toContain('then push them:');
    expect(run.stdout).toContain('git push --force origin refs/tags/v1');
    expect(release('--dry-run').stdout).toContain('(--push runs them)');
    expect(git(work, 'tag', '--list')).toBe('');
    expect(git(remote, 'tag', '--list')).toBe('');
  });

  test('refuses a dirty working tree, untracked files included', () => {
    writeFileSync(join(work, 'notes.txt'), 'not committed\n');
    const run = release();
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('The working tree is not clean');
    expect(run.stderr).toContain('notes.txt');
    expect(git(work, 'tag', '--list')).toBe('');
  });

  test('refuses another branch unless --allow-branch', () => {
    git(work, 'switch', '--quiet', '-c', 'hotfix');
    const refused = release();
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain('HEAD is on the branch "hotfix", not on main');
    expect(refused.stderr).toContain('--allow-branch');
    expect(release('--allow-branch').status).toBe(0);
    expect(commitOf(work, 'v1')).toBe(git(work, 'rev-parse', 'HEAD'));
  });

  test("refuses a version other than package.json's, and files that disagree with it", () => {
    const other = release('1.2.4');
    expect(other.status).toBe(1);
    expect(other.stderr).toContain("package.json's version is 1.2.3, not 1.2.4");

    writeFileSync(join(work, 'vss-extension.json'), '{ "version": "1.2.2" }\n');
    git(work, 'commit', '--quiet', '-am', 'Break the manifest');
    const disagreeing = release();
    expect(disagreeing.status).toBe(1);
    expect(disagreeing.stderr).toContain('vss-extension.json: 1.2.2');
    expect(git(work, 'tag', '--list')).toBe('');
  });

  test('refuses a version that is already tagged', () => {
    expect(release().status).toBe(0);
    const again = release();
    expect(again.status).toBe(1);
    expect(again.stderr).toContain('The tag v1.2.3 already exists');
  });

  test('warns when HEAD is on no branch of the remote', () => {
    git(work, 'commit', '--quiet', '--allow-empty', '-m', 'Not pushed');
    const run = release();
    expect(run.status).toBe(0);
    expect(run.stderr).toContain('is on no branch of origin');
  });
});
