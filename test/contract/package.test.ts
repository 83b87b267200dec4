import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import JSZip from 'jszip';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, posix } from 'node:path';
import { credentialHelperPath } from '../../src/core/step.js';
import { ROOT, taskManifest } from './manifests.js';

const SCRIPT = join(ROOT, 'scripts/package.mjs');
const PUBLISHER = 'test-publisher';
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

function runPackage(...args: string[]): Run {
  const { status, stdout, stderr } = spawnSync(process.execPath, [SCRIPT, ...args], { encoding: 'utf8' });
  return { status, stdout, stderr };
}

const json = (path: string): Record<string, unknown> =>
  JSON.parse(readFileSync(join(ROOT, path), 'utf8')) as Record<string, unknown>;
const hash = (file: string): string =>
  createHash('sha256')
    .update(readFileSync(join(ROOT, file)))
    .digest('hex');
// .tmp/ (gitignored) is where packaging stages, and writes the vsix by default.
const listing = (dir: string): string[] => readdirSync(join(ROOT, dir)).filter((name) => name !== '.tmp');
/** What packaging must not change: the files it reads and copies, and the folders they are in. */
const sourceState = (): string[] => [
  ...['vss-extension.json', 'task.json', 'package.json', 'images/icon.png', 'marketplace/overview.md'].map(
    (file) => `${file} ${hash(file)}`
  ),
  ...['.', 'dist/azure', 'dist/git-credential-helper', 'images', 'marketplace'].map(
    (dir) => `${dir}: ${listing(dir).sort().join(' ')}`
  )
];

const task = taskManifest();
const extension = json('vss-extension.json') as { id: string; publisher: string; version: string };
const version = json('package.json').version as string;
const TASK = task.name;

let output: string;
let before: string[];
let run: Run;
let zip: JSZip;
let entries: string[];
const text = (name: string): Promise<string> => zip.file(name)?.async('string') ?? Promise.resolve('');
const bytes = async (name: string): Promise<Buffer> =>
  Buffer.from((await zip.file(name)?.async('uint8array')) ?? new Uint8Array());

beforeAll(async () => {
  output = mkdtempSync(join(tmpdir(), 'vsix-'));
  before = sourceState();
  run = runPackage('--output', output, '--publisher', PUBLISHER);
  // A failed run leaves an empty zip: the first test then shows why.
  const vsix = run.stdout.trim().split('\n').pop() ?? '';
  zip = run.status === 0 ? await JSZip.loadAsync(readFileSync(vsix)) : new JSZip();
  entries = Object.values(zip.files)
    .filter((entry) => !entry.dir)
    .map((entry) => entry.name)
    .sort();
});

afterAll(() => rmSync(output, { recursive: true, force: true }));

describe('npm run package', () => {
  test('writes <publisher>.<id>-<version>.vsix to the output folder and prints its path', () => {
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout.trim()).toBe(join(output, `${PUBLISHER}.${extension.id}-${version}.vsix`));
  });

  test('the vsix manifest names the extension, the --publisher given and the version of package.json', async () => {
    expect(entries).toEqual(expect.arrayContaining(['extension.vsixmanifest', 'extension.vsomanifest']));
    const identity = /<Identity [^>]*\/>/.exec(await text('extension.vsixmanifest'))?.[0] ?? '';
    expect(identity).toContain(`Id="${extension.id}"`);
    expect(identity).toContain(`Publisher="${PUBLISHER}"`);
    expect(identity).toContain(`Version="${version}"`);
    const contributions = (JSON.parse(await text('extension.vsomanifest')) as { contributions: unknown })
      .contributions;
    expect(contributions).toEqual(json('vss-extension.json').contributions);
  });

  test('the task folder holds task.json as committed and every execution target', async () => {
    expect(await text(`${TASK}/task.json`)).toBe(readFileSync(join(ROOT, 'task.json'), 'utf8'));
    const handlers = [...Object.values(task.execution), ...Object.values(task.postjobexecution ?? {})] as {
      target: string;
    }[];
    expect(handlers.length).toBeGreaterThanOrEqual(4);
    const missing = handlers.map((h) => posix.join(TASK, h.target)).filter((p) => !entries.includes(p));
    expect(missing).toEqual([]);
  });

  test('the task finds the credential helper where credentialHelperPath looks for it', () => {
    const helper = credentialHelperPath(
      posix.join('/agent/tasks', TASK, task.execution.Node20_1?.target ?? '')
    );
    expect(helper).toBe(`/agent/tasks/${TASK}/dist/git-credential-helper/index.js`);
    expect(entries).toContain(posix.relative('/agent/tasks', helper));
  });

  test('ships each bundle folder whole and byte for byte', async () => {
    for (const dir of ['dist/azure', 'dist/git-credential-helper']) {
      const files = readdirSync(join(ROOT, dir)).sort();
      expect(entries.filter((e) => e.startsWith(`${TASK}/${dir}/`))).toEqual(
        files.map((f) => `${TASK}/${dir}/${f}`)
      );
      for (const file of files)
        expect((await bytes(`${TASK}/${dir}/${file}`)).equals(readFileSync(join(ROOT, dir, file)))).toBe(
          true
        );
    }
  });

  test('the task icon and the extension icon are 128x128 PNGs', async () => {
    const icon = /<Icon>([^<]+)<\/Icon>/.exec(await text('extension.vsixmanifest'))?.[1] ?? '';
    expect(icon).toBe('images/icon.png');
    for (const name of [`${TASK}/icon.png`, icon]) {
      const png = await bytes(name);
      expect(png.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
      expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([128, 128]);
    }
  });

  test('carries the Marketplace overview and the license', async () => {
    expect(await text('marketplace/overview.md')).toContain(`task: ${TASK}@${task.version.Major}`);
    expect(await text('LICENSE')).toBe(readFileSync(join(ROOT, 'LICENSE'), 'utf8'));
  });

  test('carries no source, tests, node_modules, git data, maps or project package.json', async () => {
    expect(entries).toContain(`${TASK}/task.json`);
    const forbidden = entries.filter(
      (e) =>
        /(^|\/)(src|test|node_modules|\.git)\//.test(e) ||
        /\.(ts|map)$/.test(e) ||
        (e.endsWith('package.json') && !/^[^/]+\/dist\/[^/]+\/package\.json$/.test(e))
    );
    expect(forbidden).toEqual([]);
    // The bundles' own package.json only marks them as ES modules: the agent's node needs it to run them.
    for (const name of entries.filter((e) => e.endsWith('package.json')))
      expect(JSON.parse(await text(name))).toEqual({ type: 'module' });
    const allowed = new RegExp(
      `^(\\[Content_Types\\]\\.xml|extension\\.vs(ix|o)manifest|LICENSE|images/icon\\.png|marketplace/overview\\.md|` +
        `${TASK}/(task\\.json|icon\\.png|dist/(azure|git-credential-helper)/[^/]+))$`
    );
    expect(entries.filter((e) => !allowed.test(e))).toEqual([]);
  });

  test('leaves the source tree as it was: the committed manifest keeps its publisher', () => {
    expect(sourceState()).toEqual(before);
    expect(extension.publisher).toBe('PUBLISHER-ID');
  });

  test('fails with the fix when dist/azure is missing, or the publisher is not an ID', () => {
    // A copy of the manifest alone: the repository's own dist/ is not touched.
    const copy = mkdtempSync(join(tmpdir(), 'no-dist-'));
    try {
      writeFileSync(join(copy, 'vss-extension.json'), readFileSync(join(ROOT, 'vss-extension.json')));
      const failed = runPackage('--root', copy, '--output', join(copy, 'out'));
      expect(failed.status).toBe(1);
      expect(failed.stderr).toContain('dist/azure/index.js is missing: run `npm run build` first');
      expect(readdirSync(copy)).toEqual(['vss-extension.json']);
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
    const invalid = runPackage('--output', output, '--publisher', 'my publisher');
    expect(invalid.status).toBe(1);
    expect(invalid.stderr).toContain('The publisher "my publisher" is not a Marketplace publisher ID');
  });
});
