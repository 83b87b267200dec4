import { describe, expect, test } from '@jest/globals';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundledDataNotices, bundledPackageDirs, renderLicenses } from '../../../scripts/lib/licenses.mjs';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const BUNDLES = ['github', 'azure', 'cli', 'git-credential-helper'];

/** The package names a licenses.txt lists: the first line of each entry. */
function licensed(folder: string): Set<string> {
  const text = readFileSync(join(ROOT, 'dist', folder, 'licenses.txt'), 'utf8');
  return new Set(text.split(/\n\n(?=[@a-z0-9][^\s]*\n)/).map((entry) => entry.split('\n')[0] ?? ''));
}

/** The packages a bundle names in webpack's module comments (`CONCATENATED MODULE: ./node_modules/x/…`). */
function named(folder: string): string[] {
  const names = new Set<string>();
  for (const file of readdirSync(join(ROOT, 'dist', folder)).filter((f) => f.endsWith('.js'))) {
    const code = readFileSync(join(ROOT, 'dist', folder, file), 'utf8');
    for (const match of code.matchAll(/MODULE: \.\/node_modules\/((?:@[^/\s]+\/)?[^/\s]+)/g))
      names.add(match[1] ?? '');
  }
  return [...names].sort();
}

describe('licenses.txt of each bundle', () => {
  test('bundledPackageDirs reads every module of the stats, concatenated ones and loader-prefixed ones', () => {
    const stats = {
      modules: [
        { identifier: 'ncc/loaders/shebang-loader.js!/r/src/index.ts' },
        { identifier: '/r/node_modules/q/q.js' },
        {
          identifier: '/r/src/main.ts|0e16',
          modules: [
            { identifier: '/r/node_modules/@actions/core/lib/core.js' },
            { identifier: 'loader.js!/r/node_modules/azure-pipelines-task-lib/node_modules/minimatch/x.js' }
          ]
        }
      ]
    };
    expect(bundledPackageDirs(stats)).toEqual([
      '/r/node_modules/@actions/core',
      '/r/node_modules/azure-pipelines-task-lib/node_modules/minimatch',
      '/r/node_modules/q'
    ]);
  });

  // Regression (fixed): ncc's --license wrote one file per chunk to the same name, so the main chunk's packages
  // were missing, azure-pipelines-task-lib, @actions/http-client, proxy-from-env, minimatch and q among them.
  test.each(BUNDLES)('dist/%s lists every package the bundle names', (folder) => {
    const listed = licensed(folder);
    expect(named(folder).filter((name) => !listed.has(name))).toEqual([]);
  });

  test.each([
    ['github', ['@actions/core', '@actions/http-client', 'yaml', '@azure/identity']],
    ['azure', ['azure-pipelines-task-lib', 'minimatch', 'q', 'yaml', '@azure/identity']],
    ['cli', ['proxy-from-env', 'yaml', '@azure/identity']],
    ['git-credential-helper', ['@azure/identity']]
  ])('dist/%s lists the packages of its main chunk too: %j', (folder, packages) => {
    const listed = licensed(folder);
    expect(packages.filter((name) => !listed.has(name))).toEqual([]);
  });

  test('bundled data with a licence of its own adds its notice: the REST API index (MIT, Microsoft Docs)', () => {
    const withIndex = {
      modules: [
        {
          identifier: '/r/src/main.ts|0e16',
          modules: [{ identifier: 'json|/r/src/core/operations/api-index.json' }]
        }
      ]
    };
    const [notice] = bundledDataNotices(withIndex);
    expect(notice).toContain('MicrosoftDocs/vsts-rest-api-specs');
    expect(notice).toContain('Copyright (c) 2018 Microsoft Docs');
    expect(bundledDataNotices({ modules: [{ identifier: '/r/src/main.ts' }] })).toEqual([]);
    expect(renderLicenses([], ['notice'])).toBe('notice\n');
  });

  // The index is in the operations engine, which every bundle but the git credential helper carries.
  test.each(['github', 'azure', 'cli'])('dist/%s carries the REST API index notice', (folder) => {
    const text = readFileSync(join(ROOT, 'dist', folder, 'licenses.txt'), 'utf8');
    expect(text).toContain('Derived from MicrosoftDocs/vsts-rest-api-specs');
    expect(text).toContain('Copyright (c) 2018 Microsoft Docs');
  });
});
