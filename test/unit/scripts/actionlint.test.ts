import { describe, expect, test } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatFinding, lintWorkflowTexts, workflowFiles } from '../../../scripts/actionlint.mjs';

const lintTexts = lintWorkflowTexts;
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const SCRIPT = join(ROOT, 'scripts/actionlint.mjs');

const BAD_WORKFLOW = [
  'on: push',
  'jobs:',
  '  build:',
  '    runs-on: ubuntu-latst',
  '    colour: blue',
  '    steps:',
  '      - run: echo "${{ matrix.nope }}"',
  ''
].join('\n');

describe('scripts/actionlint.mjs', () => {
  test('a bad workflow: unknown key, undefined matrix property and unknown runner label are each reported', async () => {
    const findings = await lintTexts([{ path: 'bad.yml', text: BAD_WORKFLOW }]);
    expect(findings.map(({ line, kind }) => `${line} ${kind}`).sort()).toEqual([
      '4 runner-label',
      '5 syntax-check',
      '7 expression'
    ]);
    expect(findings.find((f) => f.kind === 'syntax-check')?.message).toContain('unexpected key "colour"');
    expect(findings.find((f) => f.kind === 'expression')?.message).toContain('"nope"');
    expect(findings.find((f) => f.kind === 'runner-label')?.message).toContain('"ubuntu-latst"');
    expect(formatFinding({ file: 'bad.yml', line: 5, column: 5, kind: 'syntax-check', message: 'm' })).toBe(
      'bad.yml:5:5: m [syntax-check]'
    );
  });

  test('only the `vars` finding of this old actionlint (v1.6.22 predates the context) is dropped', async () => {
    const workflow = (expression: string): string =>
      `on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo "\${{ ${expression} }}"\n`;
    expect(await lintTexts([{ path: 'vars.yml', text: workflow('vars.AZURE_CLIENT_ID') }])).toEqual([]);
    const typo = await lintTexts([{ path: 'varz.yml', text: workflow('varz.AZURE_CLIENT_ID') }]);
    expect(typo.map((f) => f.message)).toEqual([expect.stringContaining('undefined variable "varz"')]);
  });

  test('the command prints file:line:col: message [kind] and exits 1 on a finding', () => {
    const dir = mkdtempSync(join(tmpdir(), 'actionlint-test-'));
    try {
      const file = join(dir, 'bad.yml');
      writeFileSync(file, BAD_WORKFLOW);
      const run = spawnSync(process.execPath, [SCRIPT, file], { encoding: 'utf8' });
      expect(run.status).toBe(1);
      expect(run.stdout).toContain(`${file}:5:5: unexpected key "colour" for "job" section`);
      expect(run.stdout).toMatch(/\[syntax-check\]$/m);
      expect(run.stderr).toContain('3 finding(s) in 1 workflow file(s)');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("the repository's workflows pass (what npm run lint runs)", () => {
    const files = workflowFiles();
    expect(files).toEqual(expect.arrayContaining(['.github/workflows/ci.yml', '.github/workflows/live.yml']));
    const run = spawnSync(process.execPath, [SCRIPT], { cwd: ROOT, encoding: 'utf8' });
    expect(run.stdout).toBe(`actionlint: ${files.length} workflow file(s), no findings.\n`);
    expect(run.status).toBe(0);
  });
});
