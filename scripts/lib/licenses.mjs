// licenses.txt for a bundle, from webpack's stats of the ncc build. ncc's own --license output is written
// once per chunk to the same file, so the last chunk written wins: the main chunk's packages
// (azure-pipelines-task-lib, @actions/core and @actions/http-client, proxy-from-env, minimatch, q…) were
// missing. Here every module in every chunk counts, and post bundles add theirs to their folder's file.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const MARKER = '/node_modules/';

/**
 * The package directories whose modules webpack bundled (concatenated modules included), one per package
 * version, from `ncc build --stats-out` JSON.
 * @param {{ modules?: unknown[] }} stats
 * @returns {string[]} absolute package directories, sorted
 */
export function bundledPackageDirs(stats) {
  const dirs = new Set();
  /** @param {unknown[] | undefined} modules */
  const walk = (modules) => {
    for (const module of modules ?? []) {
      const m = /** @type {{ identifier?: string, modules?: unknown[] }} */ (module);
      // Loaders prefix the identifier (`…/shebang-loader.js!/abs/path`); the resource is after the last `!`.
      const resource = (m.identifier ?? '').split('!').at(-1)?.split('|')[0] ?? '';
      const at = resource.lastIndexOf(MARKER);
      if (at >= 0) {
        const parts = resource.slice(at + MARKER.length).split('/');
        const name = parts[0]?.startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0];
        if (name) dirs.add(resource.slice(0, at + MARKER.length) + name);
      }
      walk(m.modules);
    }
  };
  walk(stats.modules);
  return [...dirs].sort();
}

/**
 * Data the sources bundle that is not an npm package but carries a licence of its own: the notice that
 * licenses.txt must hold when a bundle contains the file.
 */
export const DATA_NOTICES = [
  {
    file: 'src/core/operations/api-index.json',
    text: [
      'Azure DevOps REST API index (src/core/operations/api-index.json)',
      'MIT',
      'Derived from MicrosoftDocs/vsts-rest-api-specs (https://github.com/MicrosoftDocs/vsts-rest-api-specs).',
      '',
      'MIT License',
      '',
      'Copyright (c) 2018 Microsoft Docs',
      '',
      'Permission is hereby granted, free of charge, to any person obtaining a copy of this software and associated documentation files (the "Software"), to deal in the Software without restriction, including without limitation the rights to use, copy, modify, merge, publish, distribute, sublicense, and/or sell copies of the Software, and to permit persons to whom the Software is furnished to do so, subject to the following conditions:',
      '',
      'The above copyright notice and this permission notice shall be included in all copies or substantial portions of the Software.',
      '',
      'THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY, FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM, OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE SOFTWARE.'
    ].join('\n')
  }
];

/**
 * The notices of DATA_NOTICES whose file webpack bundled, from `ncc build --stats-out` JSON.
 * @param {{ modules?: unknown[] }} stats
 * @returns {string[]} notice texts
 */
export function bundledDataNotices(stats) {
  const resources = new Set();
  /** @param {unknown[] | undefined} modules */
  const walk = (modules) => {
    for (const module of modules ?? []) {
      const m = /** @type {{ identifier?: string, modules?: unknown[] }} */ (module);
      // `json|/abs/src/x.json`: the resource is the part with the path, after any loader's `!`.
      for (const part of (m.identifier ?? '').split('!').at(-1)?.split('|') ?? [])
        resources.add(part.replaceAll('\\', '/'));
      walk(m.modules);
    }
  };
  walk(stats.modules);
  return DATA_NOTICES.filter((n) => [...resources].some((r) => r.endsWith(`/${n.file}`))).map((n) => n.text);
}

/**
 * One entry per package, sorted by name: the name, the license field, the license file's text (as ncc
 * wrote them). Throws when a package has neither a license field nor a license file.
 * @param {string[]} dirs
 * @param {string[]} [notices] data notices (bundledDataNotices), after the packages
 * @returns {string}
 */
export function renderLicenses(dirs, notices = []) {
  const entries = dirs.map((dir) => {
    const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    const file = readdirSync(dir).find((f) => /^(licen[cs]e|copying)(\.|$)/i.test(f));
    const text = file && existsSync(join(dir, file)) ? readFileSync(join(dir, file), 'utf8').trim() : '';
    const license = typeof manifest.license === 'string' ? manifest.license : '';
    if (license === '' && text === '')
      throw new Error(
        `${manifest.name}@${manifest.version} (${dir}) has no license field and no license file.`
      );
    return { name: String(manifest.name), version: String(manifest.version), license, text };
  });
  entries.sort((a, b) => a.name.localeCompare(b.name) || a.version.localeCompare(b.version));
  const blocks = entries.map((e) => [e.name, e.license, e.text].filter((l) => l !== '').join('\n'));
  return `${[...blocks, ...notices].join('\n\n')}\n`;
}
