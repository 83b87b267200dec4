import { describe, expect, test } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { CLI_OPTIONS, parseArguments } from '../../src/cli/options.js';
import { GENERATED, renderDocs } from '../../scripts/lib/docs-tables.mjs';
import { userDocs } from './doc-files.js';
import { ROOT, actionManifest, taskManifest } from './manifests.js';

const read = (file: string): string => readFileSync(join(ROOT, file), 'utf8');

describe('generated tables', () => {
  const sources = { action: actionManifest(), task: taskManifest(), cliOptions: CLI_OPTIONS };
  const files = [...new Set(GENERATED.map((g) => g.file))];
  const committed = Object.fromEntries(files.map((file) => [file, read(file)]));
  const rendered = renderDocs(committed, sources);

  test.each(files)(
    '%s has the tables npm run docs writes from action.yml, task.json and CLI_OPTIONS',
    (file) => {
      const want = (rendered[file] ?? '').split('\n');
      const line = (committed[file] ?? '').split('\n').findIndex((text, i) => text !== want[i]);
      if (line !== -1)
        throw new Error(
          `${file} is stale from line ${line + 1} (expected: ${want[line]}). Run npm run docs to regenerate its tables.`
        );
      expect(committed[file]).toEqual(rendered[file]);
    }
  );

  test('every manifest input and output, and every CLI option, has a row', () => {
    const readme = read('README.md');
    const cli = read('docs/command-line.md');
    for (const name of Object.keys(sources.action.inputs)) expect(readme).toContain(`| \`${name}\``);
    for (const name of Object.keys(sources.action.outputs)) expect(readme).toContain(`| \`${name}\` |`);
    for (const input of sources.task.inputs) expect(readme).toContain(`| \`${input.name}\``);
    for (const output of sources.task.outputVariables)
      expect(readme).toContain(`| \`<step name>.${output.name}\` |`);
    for (const name of Object.keys(CLI_OPTIONS))
      expect(cli).toMatch(new RegExp(`\\| (\`-\\w\`, )?\`--${name}[ \`]`));
  });

  test('the rendering is real: a changed default or a new option makes a file stale', () => {
    const action = structuredClone(sources.action);
    action.inputs.cloud = { ...action.inputs.cloud, default: 'AzureUSGovernment' };
    expect(renderDocs(committed, { ...sources, action })['README.md']).not.toEqual(committed['README.md']);
    const cliOptions = { ...CLI_OPTIONS, extra: { type: 'boolean', group: 'Output', help: 'New.' } } as const;
    expect(renderDocs(committed, { ...sources, cliOptions })['docs/command-line.md']).toContain('`--extra`');
  });

  test('npm run docs renders CLI_OPTIONS from the TypeScript source and finds nothing stale', () => {
    const output = execFileSync(process.execPath, [join(ROOT, 'scripts/docs.mjs'), '--check'], {
      encoding: 'utf8'
    });
    expect(output).toContain('up to date: README.md, docs/command-line.md');
  });

  test('a file without its markers is an error, not a silent skip', () => {
    expect(() => renderDocs({ ...committed, 'README.md': '# no tables' }, sources)).toThrow(
      "No '<!-- generated: github-inputs -->'"
    );
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
  for (const file of userDocs())
    for (const args of docInvocations(read(file))) result.push({ where: file, args });
  return result;
}

/** Command lines in a Markdown file's code blocks; YAML blocks are parsed (a GitLab script folds its lines), synopses skipped. */
function docInvocations(text: string): string[][] {
  const found: string[][] = [];
  for (const block of text.matchAll(/```(\w*)\n([\s\S]*?)```/g)) {
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

describe('every CLI command line in the README, docs/ and examples/cli parses', () => {
  const all = exampleInvocations();

  test('there are command lines for every command', () => {
    expect(new Set(all.map((i) => i.args[0]))).toEqual(new Set(['token', 'exec', 'run']));
    expect(new Set(all.map((i) => i.where))).toEqual(
      new Set([
        'README.md',
        'docs/command-line.md',
        'gitlab-ci.yml',
        'kubernetes-job.yml',
        'Jenkinsfile',
        'developer-shell.sh'
      ])
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

describe('YAML in the README, docs/ and the Marketplace overview', () => {
  const docs = [...userDocs(), 'marketplace/overview.md'].map((file) => ({
    file,
    blocks: [...read(file).matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1] ?? '')
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
