// Builds the bundles GitHub and Azure Pipelines run, each from its own entry with ncc:
//   dist/github/index.js (action main), dist/github/post.js (action post),
//   dist/azure/index.js (task), dist/azure/post.js (task postjobexecution),
//   dist/git-credential-helper/index.js (the git credential helper both set up),
//   dist/cli/index.js (the azure-devops-entra-token command, package.json's bin),
//   dist/build-stamp.json (what a full build was built from; the e2e tests refuse a stale dist/).
// ncc emits chunks and a package.json next to index.js: a main bundle ships its whole folder; a post
// bundle must be a single file, copied next to its main bundle.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { writeBuildStamp } from './lib/build-stamp.mjs';
import { bundledDataNotices, bundledPackageDirs, renderLicenses } from './lib/licenses.mjs';

const require = createRequire(import.meta.url);
const ncc = require.resolve('@vercel/ncc/dist/ncc/cli.js');

const TARGETS = [
  { name: 'github', entry: 'src/github/index.ts', out: 'dist/github' },
  { name: 'github', entry: 'src/github/post.ts', out: 'dist/github', file: 'post.js' },
  { name: 'azure', entry: 'src/azure/index.ts', out: 'dist/azure' },
  { name: 'azure', entry: 'src/azure/post.ts', out: 'dist/azure', file: 'post.js' },
  {
    name: 'git-credential-helper',
    entry: 'src/git-credential-helper/index.ts',
    out: 'dist/git-credential-helper'
  },
  { name: 'cli', entry: 'src/cli/index.ts', out: 'dist/cli' }
];
const wanted = process.argv.slice(2);

/** Package directories bundled into each output folder (a post bundle adds to its main bundle's folder). */
const packagesByOut = new Map();
/** Licence notices of bundled data (not packages), per output folder. */
const noticesByOut = new Map();

function bundle(entry, out, folder) {
  const statsDir = mkdtempSync(join(tmpdir(), 'ncc-stats-'));
  try {
    const stats = join(statsDir, 'stats.json');
    execFileSync(
      process.execPath,
      [ncc, 'build', entry, '-o', out, '--stats-out', stats, '--target', 'es2022', '--quiet'],
      { stdio: 'inherit' }
    );
    const dirs = packagesByOut.get(folder) ?? new Set();
    const bundled = JSON.parse(readFileSync(stats, 'utf8'));
    for (const dir of bundledPackageDirs(bundled)) dirs.add(dir);
    packagesByOut.set(folder, dirs);
    const notices = noticesByOut.get(folder) ?? new Set();
    for (const notice of bundledDataNotices(bundled)) notices.add(notice);
    noticesByOut.set(folder, notices);
  } finally {
    rmSync(statsDir, { recursive: true, force: true });
  }
  // ncc copies xdg-open for the `open` package (interactive browser sign-in, never used here): do not ship it.
  rmSync(join(out, 'xdg-open'), { force: true });
}

for (const target of TARGETS.filter((t) => wanted.length === 0 || wanted.includes(t.name))) {
  if (!target.file) {
    rmSync(target.out, { recursive: true, force: true });
    bundle(target.entry, target.out, target.out);
  } else {
    const temporary = mkdtempSync(join(tmpdir(), 'ncc-'));
    try {
      bundle(target.entry, temporary, target.out);
      const chunks = readdirSync(temporary).filter((f) => f.endsWith('.js') && f !== 'index.js');
      if (chunks.length > 0)
        throw new Error(`${target.entry} must bundle into one file, but ncc emitted ${chunks.join(', ')}`);
      copyFileSync(join(temporary, 'index.js'), join(target.out, target.file));
    } finally {
      rmSync(temporary, { recursive: true, force: true });
    }
  }
  console.log(`built ${target.file ? `${target.out}/${target.file}` : target.out}`);
}

// ncc's --license keeps only the last chunk's packages (see scripts/lib/licenses.mjs): write our own.
for (const [out, dirs] of packagesByOut)
  writeFileSync(join(out, 'licenses.txt'), renderLicenses([...dirs], [...(noticesByOut.get(out) ?? [])]));

// A full build records its inputs; a partial one leaves the stamp as it was, so it still says what the other
// bundles were built from.
if (wanted.length === 0) writeBuildStamp(process.cwd());
