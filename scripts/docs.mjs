// npm run docs: writes the tables that restate action.yml, task.json and the CLI's option list into
// README.md and docs/command-line.md, between `<!-- generated: NAME -->` markers (scripts/lib/docs-tables.mjs).
// --check writes nothing and exits 1 when a file is stale.
//
// The CLI table comes from CLI_OPTIONS in src/cli/options.ts, the list the parser and --help use. Node 20
// cannot import TypeScript, so that file and the files it imports are transpiled (types dropped, nothing
// checked) with the TypeScript compiler, already a devDependency, into .tmp/docs-ts/ and imported from there.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import ts from 'typescript';
import { parse } from 'yaml';
import { GENERATED, renderDocs } from './lib/docs-tables.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const OUT = join(ROOT, '.tmp/docs-ts');

/** Transpiles `entry` and every relative import it reaches into OUT; returns the entry's output path. */
function transpileTree(entry) {
  const pending = [resolve(entry)];
  const done = new Set();
  while (pending.length > 0) {
    const file = pending.pop();
    if (done.has(file)) continue;
    done.add(file);
    const source = readFileSync(file, 'utf8');
    for (const { fileName } of ts.preProcessFile(source, true, true).importedFiles)
      if (fileName.startsWith('.')) pending.push(resolve(dirname(file), fileName.replace(/\.js$/, '.ts')));
    const { outputText } = ts.transpileModule(source, {
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
      fileName: file
    });
    const target = join(OUT, relative(ROOT, file)).replace(/\.ts$/, '.js');
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, outputText);
  }
  return join(OUT, relative(ROOT, resolve(entry))).replace(/\.ts$/, '.js');
}

rmSync(OUT, { recursive: true, force: true });
const { CLI_OPTIONS } = await import(pathToFileURL(transpileTree(join(ROOT, 'src/cli/options.ts'))).href);
const sources = {
  action: parse(readFileSync(join(ROOT, 'action.yml'), 'utf8')),
  task: JSON.parse(readFileSync(join(ROOT, 'task.json'), 'utf8')),
  cliOptions: CLI_OPTIONS
};

const paths = [...new Set(GENERATED.map((g) => g.file))];
const before = Object.fromEntries(paths.map((p) => [p, readFileSync(join(ROOT, p), 'utf8')]));
const after = renderDocs(before, sources);
const stale = paths.filter((p) => after[p] !== before[p]);
const check = process.argv.includes('--check');

for (const path of stale) {
  if (!check) writeFileSync(join(ROOT, path), after[path]);
  console.log(`${check ? 'stale' : 'updated'}: ${path}`);
}
if (stale.length === 0) console.log(`up to date: ${paths.join(', ')}`);
if (check && stale.length > 0) {
  console.error('The generated tables are stale: run npm run docs.');
  process.exitCode = 1;
}
