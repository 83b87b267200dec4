import { afterEach, describe, expect, test } from '@jest/globals';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { assertFreshDist, STAMP_FILE, writeBuildStamp } from '../../../scripts/lib/build-stamp.mjs';

const roots: string[] = [];

/** A repository with a source file, the lock file and the build script, built (stamped) unless told not to. */
function repository(stamped = true): string {
  const root = mkdtempSync(join(tmpdir(), 'build-stamp-'));
  roots.push(root);
  const write = (path: string, text: string): void => {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  };
  write('src/core/x.ts', 'export const x = 1;\n');
  write('src/cli/index.ts', 'export {};\n');
  write('package-lock.json', '{}\n');
  write('scripts/build.mjs', '// build\n');
  mkdirSync(join(root, 'dist'));
  if (stamped) writeBuildStamp(root);
  return root;
}

afterEach(() => {
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
});

describe('the build stamp that keeps the e2e tests off a stale dist/', () => {
  test('a dist/ built from the working tree passes, whatever the files’ times (a fresh clone)', () => {
    const root = repository();
    // A clone writes files in checkout order: make every source newer than the stamp.
    const later = new Date(Date.now() + 60_000);
    for (const path of ['src/core/x.ts', 'src/cli/index.ts', 'package-lock.json'])
      utimesSync(join(root, path), later, later);
    expect(() => assertFreshDist(root)).not.toThrow();
  });

  test('a changed, added or removed source fails with the file and the fix', () => {
    const root = repository();
    writeFileSync(join(root, 'src/core/x.ts'), 'export const x = 2;\n');
    expect(() => assertFreshDist(root)).toThrow(
      'dist/ is older than the source: src/core/x.ts changed since the last build. The e2e tests run the dist/ ' +
        'bundles, so they would test stale code: run `npm run build` first.'
    );
    writeFileSync(join(root, 'src/core/y.ts'), '');
    rmSync(join(root, 'src/cli/index.ts'));
    expect(() => assertFreshDist(root)).toThrow(
      'src/core/x.ts changed, src/core/y.ts added, src/cli/index.ts removed since the last build'
    );
  });

  test('the locked dependencies and the build script are inputs too', () => {
    const root = repository();
    writeFileSync(join(root, 'package-lock.json'), '{ "lockfileVersion": 3 }\n');
    expect(() => assertFreshDist(root)).toThrow('package-lock.json changed');
  });

  test('only the first five differences are named', () => {
    const root = repository();
    for (let i = 0; i < 7; i++) writeFileSync(join(root, `src/core/new-${i}.ts`), '');
    expect(() => assertFreshDist(root)).toThrow('src/core/new-4.ts added and 2 more since the last build');
  });

  test('no stamp: build first', () => {
    const root = repository(false);
    expect(() => assertFreshDist(root)).toThrow(`${STAMP_FILE} is missing: run \`npm run build\` first.`);
  });

  test('the stamp holds content hashes only, the same on every machine', () => {
    const root = repository();
    const stamp = readFileSync(join(root, STAMP_FILE), 'utf8');
    expect(stamp).not.toContain(root);
    expect(JSON.parse(stamp)).toMatchObject({
      inputs: {
        'package-lock.json': expect.stringMatching(/^[0-9a-f]{16}$/),
        'scripts/build.mjs': expect.stringMatching(/^[0-9a-f]{16}$/),
        'src/cli/index.ts': expect.stringMatching(/^[0-9a-f]{16}$/),
        'src/core/x.ts': expect.stringMatching(/^[0-9a-f]{16}$/)
      }
    });
    const again = repository();
    expect(readFileSync(join(again, STAMP_FILE), 'utf8')).toBe(stamp);
  });
});
