import { describe, expect, test } from '@jest/globals';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { CLI_OPTIONS, parseArguments } from '../../src/cli/options.js';
import { ROOT, actionManifest, taskManifest } from './manifests.js';

const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');

/** The rows of the first markdown table after `heading`: cells without the surrounding pipes. */
function tableAfter(heading: string): string[][] {
  const start = readme.indexOf(`\n${heading}\n`);
  if (start === -1) throw new Error(`README has no heading '${heading}'`);
  const lines = readme.slice(start).split('\n');
  const first = lines.findIndex((l) => l.startsWith('|'));
  const rows: string[][] = [];
  for (const line of lines.slice(first + 2)) {
    if (!line.startsWith('|')) break;
    rows.push(
      line
        .slice(1, -1)
        .split(' | ')
        .map((c) => c.trim())
    );
  }
  return rows;
}

/** The first code span of a cell: `name` → name. */
const code = (cell: string | undefined): string => /`([^`]*)`/.exec(cell ?? '')?.[1] ?? '';

describe('README tables agree with the manifests', () => {
  test('GitHub inputs: one row per input of action.yml, with its default', () => {
    const rows = tableAfter('### Inputs');
    const inputs = actionManifest().inputs;
    expect(rows.map((r) => code(r[0])).sort()).toEqual(Object.keys(inputs).sort());
    for (const row of rows) {
      const name = code(row[0]);
      expect([name, code(row[1])]).toEqual([name, inputs[name]?.default ?? '']);
    }
  });

  test('GitHub outputs: one row per output of action.yml', () => {
    const rows = tableAfter('### Outputs');
    expect(rows.map((r) => code(r[0])).sort()).toEqual(Object.keys(actionManifest().outputs).sort());
  });

  test('Azure Pipelines inputs: one row per input of task.json, with its type and default', () => {
    const start = readme.indexOf('## Azure Pipelines task reference');
    const section = readme.slice(start);
    const rows = section
      .split('\n')
      .slice(section.split('\n').findIndex((l) => l.startsWith('| Input')) + 2)
      .filter((_, i, all) => all.slice(0, i + 1).every((l) => l.startsWith('|')))
      .map((line) =>
        line
          .slice(1, -1)
          .split(' | ')
          .map((c) => c.trim())
      );
    const inputs = taskManifest().inputs;
    expect(rows.map((r) => code(r[0])).sort()).toEqual(inputs.map((i) => i.name).sort());
    for (const input of inputs) {
      const row = rows.find((r) => code(r[0]) === input.name);
      expect([input.name, row?.[1]]).toEqual([
        input.name,
        expect.stringContaining(input.type.split(':')[0] ?? '')
      ]);
      expect([input.name, code(row?.[2])]).toEqual([
        input.name,
        input.defaultValue === undefined ? '' : String(input.defaultValue)
      ]);
    }
  });

  test('CLI options: one row per option of the CLI, the same list --help prints', () => {
    const rows = tableAfter('### Options');
    const documented = rows.flatMap((r) => [...(r[0] ?? '').matchAll(/`(-[^` ]+)/g)].map((m) => m[1]));
    const options = Object.entries(CLI_OPTIONS).flatMap(([name, spec]) => [
      `--${name}`,
      ...('short' in spec ? [`-${spec.short}`] : [])
    ]);
    expect([...new Set(documented)].sort()).toEqual(options.sort());
  });
});

/** Every `azure-devops-entra-token COMMAND ...` invocation in a text: arguments until the shell ends the command. */
function invocations(text: string): string[][] {
  const joined = text.replace(/\\\n\s*/g, ' ');
  const found: string[][] = [];
  for (const match of joined.matchAll(/azure-devops-entra-token(?:@[\w.]+)? ((?:token|exec|run)\b[^\n]*)/g)) {
    found.push(shellWords(match[1] ?? ''));
  }
  return found;
}

/** Splits like a shell, keeping quoted text together, and stops at |, >, ), ;, && and a closing quote of sh -c. */
function shellWords(line: string): string[] {
  const words: string[] = [];
  const pattern = /"([^"]*)"|'([^']*)'|(\|\||&&|[|;>)]|\$\()|([^\s"'|;>)]+)/g;
  for (const m of line.matchAll(pattern)) {
    if (m[3] !== undefined) break;
    words.push(m[1] ?? m[2] ?? m[4] ?? '');
  }
  return words;
}

function exampleInvocations(): { where: string; args: string[] }[] {
  const cliDir = join(ROOT, 'examples/cli');
  const result: { where: string; args: string[] }[] = [];
  for (const file of readdirSync(cliDir)) {
    const text = readFileSync(join(cliDir, file), 'utf8');
    if (file === 'kubernetes-job.yml') {
      for (const doc of parseAllDocuments(text)) {
        const job = doc.toJS() as {
          kind?: string;
          spec?: { template?: { spec?: { containers?: { command?: string[] }[] } } };
        };
        for (const container of job.spec?.template?.spec?.containers ?? []) {
          const command = container.command ?? [];
          const at = command.indexOf('azure-devops-entra-token');
          if (at !== -1) result.push({ where: file, args: command.slice(at + 1) });
        }
      }
    } else if (file.endsWith('.yml')) {
      const doc = parse(text) as Record<string, { script?: string[] }>;
      for (const job of Object.values(doc))
        for (const line of job.script ?? [])
          for (const args of invocations(line)) result.push({ where: file, args });
    } else for (const args of invocations(text)) result.push({ where: file, args });
  }
  for (const args of readmeInvocations()) result.push({ where: 'README.md', args });
  return result;
}

/** Command lines in the README's code blocks; YAML blocks are parsed (a GitLab script folds its lines), synopses skipped. */
function readmeInvocations(): string[][] {
  const found: string[][] = [];
  for (const block of readme.matchAll(/```(\w*)\n([\s\S]*?)```/g)) {
    const [, language, body = ''] = block;
    const texts = language === 'yaml' ? yamlStrings(parse(body)) : [body];
    for (const text of texts)
      for (const args of invocations(text)) if (!args.includes('[options]')) found.push(args);
  }
  return found;
}

function yamlStrings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(yamlStrings);
  if (value !== null && typeof value === 'object') return Object.values(value).flatMap(yamlStrings);
  return [];
}

describe('every CLI command line in the README and examples/cli parses', () => {
  const all = exampleInvocations();

  test('there are command lines for every command', () => {
    expect(new Set(all.map((i) => i.args[0]))).toEqual(new Set(['token', 'exec', 'run']));
    expect(new Set(all.map((i) => i.where))).toEqual(
      new Set(['README.md', 'gitlab-ci.yml', 'kubernetes-job.yml', 'Jenkinsfile', 'developer-shell.sh'])
    );
  });

  test.each(all.map((i) => [i.where, i.args.join(' ')] as const))('%s: %s', (_where, line) => {
    const args = all.find((i) => i.args.join(' ') === line)?.args ?? [];
    expect(() => parseArguments(args)).not.toThrow();
  });

  test('the extraction is real: a misspelt option in a command line fails', () => {
    const [args] = invocations('npx azure-devops-entra-token token --azure-cli --organisation contoso | jq');
    expect(args).toEqual(['token', '--azure-cli', '--organisation', 'contoso']);
    expect(() => parseArguments(args ?? [])).toThrow("Unknown option '--organisation'");
  });
});

describe('YAML in the README and the Marketplace overview', () => {
  const docs = ['README.md', 'marketplace/overview.md'].map((file) => ({
    file,
    blocks: [...readFileSync(join(ROOT, file), 'utf8').matchAll(/```yaml\n([\s\S]*?)```/g)].map(
      (m) => m[1] ?? ''
    )
  }));

  /** Every mapping in a parsed document, depth first. */
  function mappings(value: unknown): Record<string, unknown>[] {
    if (Array.isArray(value)) return value.flatMap(mappings);
    if (value === null || typeof value !== 'object') return [];
    const record = value as Record<string, unknown>;
    return [record, ...Object.values(record).flatMap(mappings)];
  }

  test.each(docs.flatMap((d) => d.blocks.map((block, i) => [d.file, i + 1, block] as const)))(
    '%s, YAML block %i parses and uses only real inputs',
    (_file, _index, block) => {
      const doc: unknown = parse(block);
      const actionInputs = Object.keys(actionManifest().inputs);
      const taskInputs = taskManifest().inputs.flatMap((i) => [
        i.name,
        ...((i as { aliases?: string[] }).aliases ?? [])
      ]);
      for (const step of mappings(doc)) {
        if (
          typeof step.uses === 'string' &&
          step.uses.startsWith('azure-devops-entra-token/azure-devops-entra-token@')
        )
          expect(Object.keys(step.with ?? {}).filter((k) => !actionInputs.includes(k))).toEqual([]);
        if (step.task === 'AzureDevOpsEntraToken@1')
          expect(Object.keys(step.inputs ?? {}).filter((k) => !taskInputs.includes(k))).toEqual([]);
      }
    }
  );
});
