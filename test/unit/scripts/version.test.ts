import { afterEach, beforeEach, describe, expect, test } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const SCRIPT = join(ROOT, 'scripts/version.mjs');
const FILES = ['package.json', 'package-lock.json', 'task.json', 'vss-extension.json', 'src/core/product.ts'];

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

function runVersion(...args: string[]): Run {
  const { status, stdout, stderr } = spawnSync(process.execPath, [SCRIPT, ...args], { encoding: 'utf8' });
  return { status, stdout, stderr };
}

/** The lines of `after` that differ from `before`; the files must keep their line count. */
function changedLines(before: string, after: string): string[] {
  const a = before.split('\n');
  const b = after.split('\n');
  expect(b).toHaveLength(a.length);
  return b.filter((line, i) => line !== a[i]).map((line) => line.trim());
}

let copy: string;
const read = (path: string): string => readFileSync(join(copy, path), 'utf8');
const snapshot = (): string[] => FILES.map(read);

beforeEach(() => {
  copy = mkdtempSync(join(tmpdir(), 'version-'));
  for (const file of FILES) {
    mkdirSync(dirname(join(copy, file)), { recursive: true });
    cpSync(join(ROOT, file), join(copy, file));
  }
  // A known starting point, whatever version the repository is at.
  expect(runVersion('1.0.0', '--root', copy).status).toBe(0);
});

afterEach(() => rmSync(copy, { recursive: true, force: true }));

describe('scripts/version.mjs', () => {
  test('sets X.Y.Z in all five files and changes nothing else', () => {
    const before = snapshot();
    const run = runVersion('2.13.4', '--root', copy);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const after = snapshot();
    expect(FILES.map((file, i) => [file, changedLines(before[i] ?? '', after[i] ?? '')])).toEqual([
      ['package.json', ['"version": "2.13.4",']],
      ['package-lock.json', ['"version": "2.13.4",', '"version": "2.13.4",']],
      ['task.json', ['"Major": 2,', '"Minor": 13,', '"Patch": 4']],
      ['vss-extension.json', ['"version": "2.13.4",']],
      ['src/core/product.ts', ["export const PRODUCT_VERSION = '2.13.4';"]]
    ]);
    const lock = JSON.parse(read('package-lock.json'));
    expect([lock.version, lock.packages[''].version]).toEqual(['2.13.4', '2.13.4']);
    expect(JSON.parse(read('task.json')).version).toEqual({ Major: 2, Minor: 13, Patch: 4 });
    expect(run.stdout).toContain('npm run build');
    expect(run.stdout).toContain('dist/');
  });

  test.each(['1.2', 'v1.2.3', '1.2.3-beta.1', '01.2.3', '1.2.3.4', 'latest'])(
    'refuses "%s" with a clear error and writes nothing',
    (version) => {
      const before = snapshot();
      const run = runVersion(version, '--root', copy);
      expect(run.status).toBe(1);
      expect(run.stderr).toContain(`The version "${version}" is not X.Y.Z`);
      expect(run.stderr).toContain('npm run set-version -- 1.2.3');
      expect(snapshot()).toEqual(before);
    }
  );

  test('prints the usage and fails without a version', () => {
    const run = runVersion('--root', copy);
    expect(run.status).toBe(1);
    expect(run.stdout).toContain('Usage: npm run set-version -- X.Y.Z');
  });

  test('writes no file when one of them cannot be edited', () => {
    writeFileSync(join(copy, 'src/core/product.ts'), "export const PRODUCT_NAME = 'x';\n");
    const before = snapshot();
    const run = runVersion('3.0.0', '--root', copy);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('Cannot set the version in src/core/product.ts');
    expect(snapshot()).toEqual(before);
  });

  test('--check passes when the files agree and names each file that does not', () => {
    expect(runVersion('--check', '--root', copy)).toMatchObject({
      status: 0,
      stdout: 'All versions are 1.0.0.\n'
    });
    const lock = JSON.parse(read('package-lock.json'));
    lock.packages[''].version = '0.9.0';
    writeFileSync(join(copy, 'package-lock.json'), JSON.stringify(lock, null, 2));
    writeFileSync(join(copy, 'vss-extension.json'), read('vss-extension.json').replace('"1.0.0"', '"1.0.1"'));
    const run = runVersion('--check', '--root', copy);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain("disagree with package.json's version 1.0.0");
    expect(run.stderr).toContain('package-lock.json: 1.0.0 (packages[""]: 0.9.0)');
    expect(run.stderr).toContain('vss-extension.json: 1.0.1');
    expect(run.stderr).not.toContain('task.json:');
  });
});

describe("the repository's own files", () => {
  // contract.test.ts compares package.json, task.json, vss-extension.json and product.ts, not the lock file.
  test('package-lock.json carries the version of package.json, at the root and in packages[""]', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
    const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8'));
    expect(lock.name).toBe(pkg.name);
    expect(lock.version).toBe(pkg.version);
    expect(lock.packages[''].version).toBe(pkg.version);
  });

  test('all five files agree (scripts/version.mjs --check)', () => {
    const run = runVersion('--check');
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
  });
});
