// Packages the Azure Pipelines extension as a .vsix with tfx-cli, offline (no sign-in, no network):
//   npm run package [-- --publisher NAME] [--output DIR] [--root DIR]
// writes DIR/<publisher>.<id>-<version>.vsix (DIR defaults to .tmp/vsix) and prints its path; --root packages
// another copy of the repository (the tests use it).
// It stages .tmp/package/ in the package's own layout first: the task folder (task.json, icon.png, dist/azure,
// dist/git-credential-helper, as vss-extension.json maps them) and the Marketplace assets, with a copy of the manifest
// that points at the staged files. tfx then packs only that folder, validates the task folder as the agent
// will see it, and nothing in the source tree is written.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, isAbsolute, join, normalize, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { REPO_ROOT, findDisagreements } from './version.mjs';

const PLACEHOLDER_PUBLISHER = 'PUBLISHER-ID';
// The Marketplace's rule for publisher IDs: letters, digits and hyphens, starting with a letter or digit.
const PUBLISHER = /^[A-Za-z0-9][A-Za-z0-9-]*$/;
const TASK_CONTRIBUTION = 'ms.vss-distributed-task.task';

function parseOptions() {
  const { values } = parseArgs({
    options: {
      publisher: { type: 'string' },
      output: { type: 'string' },
      root: { type: 'string' },
      help: { type: 'boolean', short: 'h' }
    }
  });
  return values;
}

function readJson(path) {
  return JSON.parse(readFileSync(path, 'utf8'));
}

/** A manifest path must stay inside the repository: the package may only carry the project's own files. */
function sourcePath(root, relative) {
  if (
    typeof relative !== 'string' ||
    relative === '' ||
    isAbsolute(relative) ||
    normalize(relative).startsWith('..')
  )
    throw new Error(
      `vss-extension.json names the path "${String(relative)}": use a path inside the repository.`
    );
  const path = join(root, relative);
  if (!existsSync(path))
    throw new Error(`vss-extension.json names "${relative}", which does not exist in ${root}.`);
  return path;
}

function stage(from, stageRoot, to) {
  mkdirSync(dirname(join(stageRoot, to)), { recursive: true });
  // Source maps stay out of the package: they would ship the TypeScript source inside the vsix.
  cpSync(from, join(stageRoot, to), { recursive: true, filter: (file) => !file.endsWith('.map') });
}

/** Marketplace assets the manifest names outside `files`: icons, overview, license, screenshots. */
function assetPaths(manifest) {
  return [
    ...Object.values(manifest.icons ?? {}),
    ...Object.values(manifest.content ?? {}).map((item) => item.path),
    ...(manifest.screenshots ?? []).map((shot) => shot.path)
  ];
}

function checkInputs(root, manifest) {
  for (const bundle of ['dist/azure/index.js', 'dist/git-credential-helper/index.js'])
    if (!existsSync(join(root, bundle)))
      throw new Error(`${bundle} is missing: run \`npm run build\` first, then \`npm run package\` again.`);
  const disagreements = findDisagreements(root);
  if (disagreements.length > 0)
    throw new Error(
      `The versions disagree with package.json's (${disagreements.join(', ')}): ` +
        'run `npm run set-version -- X.Y.Z` and `npm run build`.'
    );
  const tasks = (manifest.contributions ?? []).filter((c) => c.type === TASK_CONTRIBUTION);
  if (tasks.length !== 1 || typeof tasks[0].properties?.name !== 'string')
    throw new Error(
      `vss-extension.json must contribute exactly one ${TASK_CONTRIBUTION} with properties.name.`
    );
  return tasks[0].properties.name;
}

function resolvePublisher(manifest, option) {
  const publisher = option ?? manifest.publisher;
  if (typeof publisher !== 'string' || !PUBLISHER.test(publisher))
    throw new Error(
      `The publisher "${String(publisher)}" is not a Marketplace publisher ID (letters, digits and hyphens). ` +
        'Pass --publisher YOUR-PUBLISHER-ID.'
    );
  if (publisher === PLACEHOLDER_PUBLISHER)
    console.warn(
      `warning: the publisher is the placeholder ${PLACEHOLDER_PUBLISHER}: the Marketplace will refuse this vsix. ` +
        'Pass --publisher YOUR-PUBLISHER-ID (or set "publisher" in vss-extension.json).'
    );
  return publisher;
}

function stageExtension(root, manifest, publisher, taskFolder, stageRoot) {
  rmSync(stageRoot, { recursive: true, force: true });
  mkdirSync(stageRoot, { recursive: true });
  for (const file of manifest.files ?? []) {
    if (typeof file.packagePath !== 'string')
      throw new Error(`vss-extension.json: the file "${file.path}" needs a packagePath.`);
    stage(sourcePath(root, file.path), stageRoot, file.packagePath);
  }
  for (const asset of assetPaths(manifest)) stage(sourcePath(root, asset), stageRoot, asset);
  // An Azure Pipelines task shows icon.png from its own folder; the extension icon serves for both.
  const icon = manifest.icons?.default;
  if (typeof icon !== 'string' || !icon.endsWith('.png'))
    throw new Error('vss-extension.json needs icons.default, a PNG: it is also the task icon.');
  const taskIcon = `${taskFolder}/icon.png`;
  stage(sourcePath(root, icon), stageRoot, taskIcon);
  const staged = {
    ...manifest,
    publisher,
    files: [...manifest.files.map((f) => f.packagePath), taskIcon].map((p) => ({ path: p, packagePath: p }))
  };
  writeFileSync(join(stageRoot, 'vss-extension.json'), `${JSON.stringify(staged, null, 2)}\n`);
}

function runTfx(stageRoot, vsix) {
  let tfx;
  try {
    tfx = createRequire(import.meta.url).resolve('tfx-cli/_build/tfx-cli.js');
  } catch {
    throw new Error('tfx-cli is not installed: run `npm ci`.');
  }
  const manifest = join(stageRoot, 'vss-extension.json');
  const args = ['extension', 'create', '--root', stageRoot, '--manifests', manifest, '--output-path', vsix];
  args.push('--no-prompt', '--no-color', '--json');
  let output;
  try {
    output = execFileSync(process.execPath, [tfx, ...args], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe']
    });
  } catch (error) {
    const detail = `${error.stdout ?? ''}${error.stderr ?? ''}`.trim();
    throw new Error(`tfx extension create failed:\n${detail || error.message}`);
  }
  // tfx reports an invalid task.json as a warning and packages it anyway: the agent would not.
  if (/^warning:/m.test(output)) throw new Error(`tfx extension create warned:\n${output.trim()}`);
  return output;
}

function main() {
  const options = parseOptions();
  if (options.help) {
    console.log('Usage: npm run package [-- --publisher NAME] [--output DIR] [--root DIR]');
    return;
  }
  const root = resolve(options.root ?? REPO_ROOT);
  const manifest = readJson(join(root, 'vss-extension.json'));
  const taskFolder = checkInputs(root, manifest);
  const publisher = resolvePublisher(manifest, options.publisher);
  const stageRoot = join(root, '.tmp', 'package');
  stageExtension(root, manifest, publisher, taskFolder, stageRoot);

  const outputDir = resolve(options.output ?? join(root, '.tmp', 'vsix'));
  mkdirSync(outputDir, { recursive: true });
  const vsix = join(outputDir, `${publisher}.${manifest.id}-${manifest.version}.vsix`);
  rmSync(vsix, { force: true });
  runTfx(stageRoot, vsix);
  if (!existsSync(vsix)) throw new Error(`tfx reported success but wrote no ${basename(vsix)}.`);
  console.log(vsix);
}

try {
  main();
} catch (error) {
  console.error(`error: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
}
