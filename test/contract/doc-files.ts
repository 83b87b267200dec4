import { existsSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ROOT } from './manifests.js';

/** The README and every page under docs/, as paths relative to the root: the user documentation. */
export function userDocs(): string[] {
  const pages = readdirSync(join(ROOT, 'docs'), { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.md'))
    .map((entry) => relative(ROOT, join(entry.parentPath, entry.name)))
    .sort();
  return ['README.md', ...pages];
}

/** Every Markdown file whose relative links the tests follow. */
export function linkedDocs(): string[] {
  const others = [
    'CONTRIBUTING.md',
    'SECURITY.md',
    'CHANGELOG.md',
    'examples/README.md',
    'marketplace/overview.md'
  ];
  return [...userDocs(), ...others.filter((file) => existsSync(join(ROOT, file)))];
}
