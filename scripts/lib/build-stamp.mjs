// What dist/ was built from: `npm run build` writes dist/build-stamp.json, a hash of each input file's content,
// and the e2e tests' global setup compares it with the working tree, so a local run cannot test stale bundles.
// Content, not mtimes: a fresh clone writes src/ and dist/ in checkout order, and the stamp is committed with
// dist/, so it must be the same on every machine (no dates, no absolute paths; paths sorted, `/`-separated).
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const STAMP_FILE = 'dist/build-stamp.json';

/** Everything a bundle's bytes depend on: the sources, the locked dependencies and the build itself. */
const INPUT_DIRS = ['src'];
const INPUT_FILES = ['package-lock.json', 'tsconfig.json', 'scripts/build.mjs', 'scripts/lib/licenses.mjs'];

/**
 * @param {string} root
 * @param {string} dir  relative to root, `/`-separated
 * @returns {string[]}
 */
function filesUnder(root, dir) {
  if (!existsSync(join(root, dir))) return [];
  return readdirSync(join(root, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory()) return filesUnder(root, path);
    return entry.isFile() ? [path] : [];
  });
}

/**
 * The inputs' content hashes (SHA-256, 16 hex digits each), by path.
 * @param {string} root  the repository
 * @returns {Record<string, string>}
 */
export function hashInputs(root) {
  const paths = [...INPUT_DIRS.flatMap((dir) => filesUnder(root, dir)), ...INPUT_FILES].filter((path) =>
    existsSync(join(root, path))
  );
  /** @type {Record<string, string>} */
  const hashes = {};
  for (const path of paths.sort())
    hashes[path] = createHash('sha256')
      .update(readFileSync(join(root, path)))
      .digest('hex')
      .slice(0, 16);
  return hashes;
}

/**
 * Writes the stamp of the working tree's inputs (the build calls this after a full build).
 * @param {string} root
 */
export function writeBuildStamp(root) {
  const stamp = {
    about: 'What `npm run build` built dist/ from (scripts/lib/build-stamp.mjs); the e2e tests compare it.',
    inputs: hashInputs(root)
  };
  writeFileSync(join(root, STAMP_FILE), `${JSON.stringify(stamp, null, 2)}\n`);
}

/**
 * The inputs that differ between the stamp and the working tree: changed, added or removed since the build.
 * @param {Record<string, string>} built
 * @param {Record<string, string>} current
 * @returns {string[]}  e.g. `src/core/x.ts changed`
 */
export function compareInputs(built, current) {
  const differences = [];
  for (const [path, hash] of Object.entries(current)) {
    if (!(path in built)) differences.push(`${path} added`);
    else if (built[path] !== hash) differences.push(`${path} changed`);
  }
  for (const path of Object.keys(built)) if (!(path in current)) differences.push(`${path} removed`);
  return differences;
}

/**
 * Throws unless dist/ was built from the working tree's inputs, naming what differs and the fix.
 * @param {string} root
 */
export function assertFreshDist(root) {
  const file = join(root, STAMP_FILE);
  if (!existsSync(file)) throw new Error(`${STAMP_FILE} is missing: run \`npm run build\` first.`);
  const built = /** @type {{ inputs?: Record<string, string> }} */ (JSON.parse(readFileSync(file, 'utf8')))
    .inputs;
  const differences = compareInputs(built ?? {}, hashInputs(root));
  if (differences.length === 0) return;
  const shown = differences.slice(0, 5).join(', ');
  const more = differences.length > 5 ? ` and ${differences.length - 5} more` : '';
  throw new Error(
    `dist/ is older than the source: ${shown}${more} since the last build. The e2e tests run the dist/ bundles, ` +
      'so they would test stale code: run `npm run build` first.'
  );
}
