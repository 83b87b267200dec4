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
 * One entry per package, sorted by name: the name, the license field, the license file's text (as ncc
 * wrote them). Throws when a package has neither a license field nor a license file.
 * @param {string[]} dirs
 * @returns {string}
 */
export function renderLicenses(dirs) {
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
  return `${entries.map((e) => [e.name, e.license, e.text].filter((l) => l !== '').join('\n')).join('\n\n')}\n`;
}
