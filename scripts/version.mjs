// Sets the product version in every file that carries it, or checks that they agree:
//   node scripts/version.mjs 1.2.3          (npm run set-version -- 1.2.3)
//   node scripts/version.mjs --check        exits 1 and names the files that disagree
//   --root DIR                              works on another copy of the repository (the tests use it)
// Each file is edited in place, only where the version is: the rest keeps its formatting byte for byte, and
// the edit is proved by parsing the result and comparing it with the intended change.
import { readFileSync, writeFileSync } from 'node:fs';
import { isDeepStrictEqual, parseArgs } from 'node:util';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));
const SEMVER = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$/;
const PRODUCT_VERSION_LINE = /^(export const PRODUCT_VERSION = ')([^']*)(';)$/m;

/** Where the version lives: how to read it and how to rewrite it in a file's text. */
export const VERSION_FILES = [
  {
    path: 'package.json',
    read: (text) => JSON.parse(text).version,
    apply: (json, v) => ({ ...json, version: v }),
    write: (text, v) => replaceOnce(text, /^( {2}"version": ")[^"]*(")/m, `$1${v}$2`)
  },
  {
    path: 'package-lock.json',
    read: (text) => {
      const lock = JSON.parse(text);
      const root = lock.packages?.['']?.version;
      return lock.version === root ? lock.version : `${lock.version} (packages[""]: ${root})`;
    },
    apply: (json, v) => ({
      ...json,
      version: v,
      packages: { ...json.packages, '': { ...json.packages[''], version: v } }
    }),
    write: (text, v) =>
      replaceOnce(
        replaceOnce(text, /^( {2}"version": ")[^"]*(")/m, `$1${v}$2`),
        /^( {4}"": \{\n(?: {6}.*\n)*? {6}"version": ")[^"]*(")/m,
        `$1${v}$2`
      )
  },
  {
    path: 'task.json',
    read: (text) => {
      const { Major, Minor, Patch } = JSON.parse(text).version ?? {};
      return `${Major}.${Minor}.${Patch}`;
    },
    apply: (json, v) => {
      const [Major, Minor, Patch] = v.split('.').map(Number);
      return { ...json, version: { ...json.version, Major, Minor, Patch } };
    },
    write: (text, v) => {
      const [major, minor, patch] = v.split('.');
      return replaceOnce(
        text,
        /^( {2}"version": \{\s*"Major": )\d+(,\s*"Minor": )\d+(,\s*"Patch": )\d+/m,
        `$1${major}$2${minor}$3${patch}`
      );
    }
  },
  {
    path: 'vss-extension.json',
    read: (text) => JSON.parse(text).version,
    apply: (json, v) => ({ ...json, version: v }),
    write: (text, v) => replaceOnce(text, /^( {2}"version": ")[^"]*(")/m, `$1${v}$2`)
  },
  {
    path: 'src/core/product.ts',
    read: (text) => PRODUCT_VERSION_LINE.exec(text)?.[2],
    write: (text, v) => replaceOnce(text, PRODUCT_VERSION_LINE, `$1${v}$3`)
  }
];

function replaceOnce(text, pattern, replacement) {
  const global = new RegExp(pattern.source, `${pattern.flags}g`);
  const count = [...text.matchAll(global)].length;
  if (count !== 1) throw new Error(`expected the version once, found it ${count} times (${pattern})`);
  return text.replace(pattern, replacement);
}

/** The version each file carries, by path relative to the root. */
export function readVersions(root) {
  return Object.fromEntries(
    VERSION_FILES.map((file) => [file.path, file.read(readFileSync(join(root, file.path), 'utf8'))])
  );
}

/** Files whose version differs from package.json's, as "path: version" lines; empty when they all agree. */
export function findDisagreements(root) {
  const versions = readVersions(root);
  const expected = versions['package.json'];
  return Object.entries(versions)
    .filter(([, version]) => version !== expected)
    .map(([path, version]) => `${path}: ${String(version)}`);
}

/** Sets the version in every file, all or none: nothing is written until every edit is proved. */
export function setVersion(root, version) {
  if (!SEMVER.test(version))
    throw new Error(
      `The version "${version}" is not X.Y.Z (three numbers without leading zeros, no "v", no pre-release ` +
        `suffix: task.json and the Marketplace accept only these). Run: npm run set-version -- 1.2.3`
    );
  const edits = VERSION_FILES.map((file) => {
    const path = join(root, file.path);
    const before = readFileSync(path, 'utf8');
    let after;
    try {
      after = file.write(before, version);
    } catch (error) {
      throw new Error(`Cannot set the version in ${file.path}: ${error.message}. Edit it by hand.`);
    }
    const expected = file.apply ? file.apply(JSON.parse(before), version) : undefined;
    if (file.read(after) !== version || (expected && !isDeepStrictEqual(JSON.parse(after), expected)))
      throw new Error(
        `Setting the version in ${file.path} would change more than the version. Edit it by hand.`
      );
    return { path, before, after };
  });
  for (const edit of edits) if (edit.after !== edit.before) writeFileSync(edit.path, edit.after);
  return edits.map((edit) => edit.path);
}

function main() {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { root: { type: 'string' }, check: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } }
  });
  const root = resolve(values.root ?? REPO_ROOT);
  if (
    values.help ||
    (!values.check && positionals.length !== 1) ||
    (values.check && positionals.length > 0)
  ) {
    console.log('Usage: npm run set-version -- X.Y.Z [--root DIR]\n       node scripts/version.mjs --check');
    process.exitCode = values.help ? 0 : 1;
    return;
  }
  if (values.check) {
    const disagreements = findDisagreements(root);
    if (disagreements.length > 0)
      throw new Error(
        `These files disagree with package.json's version ${readVersions(root)['package.json']}:\n  ` +
          `${disagreements.join('\n  ')}\nRun: npm run set-version -- X.Y.Z`
      );
    console.log(`All versions are ${readVersions(root)['package.json']}.`);
    return;
  }
  const version = positionals[0] ?? '';
  setVersion(root, version);
  console.log(`Set version ${version} in ${VERSION_FILES.map((file) => file.path).join(', ')}.`);
  console.log(
    'The bundles carry the version (user agent): run `npm run build`, then commit the source and dist/ together.'
  );
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  try {
    main();
  } catch (error) {
    console.error(`error: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  }
}
