// Builds the two bundles: dist/github (run by action.yml) and dist/azure (run by task.json).
// Each is a clean folder: ncc emits chunks and a package.json next to index.js, and all of it ships.
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const ncc = require.resolve('@vercel/ncc/dist/ncc/cli.js');
const targets = process.argv.slice(2).length > 0 ? process.argv.slice(2) : ['github', 'azure'];

for (const target of targets) {
  const out = `dist/${target}`;
  rmSync(out, { recursive: true, force: true });
  execFileSync(
    process.execPath,
    [
      ncc,
      'build',
      `src/${target}/index.ts`,
      '-o',
      out,
      '--license',
      'licenses.txt',
      '--target',
      'es2022',
      '--quiet'
    ],
    {
      stdio: 'inherit'
    }
  );
  // ncc copies xdg-open for the `open` package (interactive browser sign-in, never used here): do not ship it.
  rmSync(`${out}/xdg-open`, { force: true });
  console.log(`built ${out}`);
}
