import { describe, expect, test } from '@jest/globals';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import {
  checkAzurePipeline,
  checkExampleText,
  checkGitHubWorkflow,
  type ExampleKind
} from './examples-check.js';
import { ROOT, actionManifest, taskManifest } from './manifests.js';

const manifests = { action: actionManifest(), task: taskManifest() };

function yamlFiles(dir: string): string[] {
  if (!existsSync(join(ROOT, dir))) return [];
  return readdirSync(join(ROOT, dir), { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && /\.ya?ml$/.test(entry.name))
    .map((entry) => relative(ROOT, join(entry.parentPath, entry.name)))
    .sort();
}

function kindOf(file: string): ExampleKind | undefined {
  if (file.startsWith('examples/github/') || file.startsWith('.github/workflows/')) return 'github';
  if (file.startsWith('examples/azure-pipelines/')) return 'azure';
  if (file.startsWith('.github/') || file.startsWith('examples/cli/')) return 'yaml';
  return undefined;
}

const FILES = [...yamlFiles('examples'), ...yamlFiles('.github')];
const read = (file: string): string => readFileSync(join(ROOT, file), 'utf8');
const check = (source: string, kind: ExampleKind): string[] =>
  checkExampleText(source, 'snippet.yml', kind, manifests);

describe('examples and workflows', () => {
  test("cover both platforms and this repository's CI", () => {
    expect(
      FILES.filter((f) => kindOf(f) === 'github' && f.startsWith('examples/')).length
    ).toBeGreaterThanOrEqual(5);
    expect(FILES.filter((f) => kindOf(f) === 'azure').length).toBeGreaterThanOrEqual(5);
    expect(FILES).toContain('.github/workflows/ci.yml');
  });

  test.each(FILES)('%s is valid and uses only what action.yml / task.json declare', (file) => {
    const kind = kindOf(file);
    expect([file, kind]).toEqual([file, expect.any(String)]);
    expect(checkExampleText(read(file), file, kind ?? 'yaml', manifests)).toEqual([]);
  });

  test('every example starts with a header comment and is listed in examples/README.md', () => {
    const index = read('examples/README.md');
    for (const file of FILES.filter((f) => f.startsWith('examples/'))) {
      expect([file, read(file).startsWith('# ')]).toEqual([file, true]);
      expect([file, index.includes(`(${file.slice('examples/'.length)})`)]).toEqual([file, true]);
    }
  });

  test.each<[string, string, string, string]>([
    ['examples/github/rest-api-script.yml', 'client-id:', 'clientid:', "'with: clientid' is not an input"],
    [
      'examples/github/release-work-item.yml',
      'outputs.results).workitem.id',
      'outputs.results).work_item.id',
      'results.work_item of step'
    ],
    [
      'examples/github/package-feeds.yml',
      '      id-token: write\n',
      '',
      "needs 'permissions: id-token: write'"
    ],
    [
      'examples/azure-pipelines/rest-api-script.yml',
      "'entra.expiresOn'",
      "'entra.expiresAt'",
      'entra.expiresAt'
    ],
    [
      'examples/azure-pipelines/git-other-organization.yml',
      'azureDevOpsServiceConnection:',
      'azureDevopsServiceConnection:',
      "the required input 'azureDevOpsServiceConnection' is missing"
    ],
    [
      '.github/workflows/ci.yml',
      '    permissions:\n      contents: read\n',
      '    permissions:\n      contents: read\n      id-token: write\n',
      'the runner replaces it with its own'
    ]
  ])('a mistake in %s is caught', (file, from, to, message) => {
    const source = read(file);
    expect(source).toContain(from);
    const problems = checkExampleText(source.replace(from, to), file, kindOf(file) ?? 'yaml', manifests);
    expect(problems.join('\n')).toContain(message);
  });

  test('the CI self-test runs the action from the checkout and checks its outputs', () => {
    const ci = read('.github/workflows/ci.yml');
    expect(ci).toMatch(/uses: \.\/\n/);
    expect(ci).toContain('steps.federated.outputs.token');
    expect(ci).toContain('node test/emulator/cli.js');
  });
});

const STEP = (withLines: string, extra = ''): string => `
on: push
permissions:
  id-token: write
jobs:
  release:
    runs-on: ubuntu-latest
    steps:
      - id: ado
        uses: azure-devops-entra-token/azure-devops-entra-token@v1
        with:
${withLines}${extra}`;
const APP =
  '          client-id: 00000000-0000-4000-8000-000000000000\n          tenant-id: contoso.onmicrosoft.com\n';

describe('the GitHub checker fails on mistakes', () => {
  test('a valid step passes', () => {
    expect(
      check(
        STEP(APP, '\n      - run: echo "$T"\n        env:\n          T: ${{ steps.ado.outputs.token }}\n'),
        'github'
      )
    ).toEqual([]);
  });

  test.each<[string, string, string]>([
    [
      'an input name with a typo',
      STEP(`${APP}          organisation: contoso\n`),
      "'with: organisation' is not an input"
    ],
    [
      'an output name with a typo',
      STEP(APP, '\n      - run: echo "$X"\n        env:\n          X: ${{ steps.ado.outputs.expires }}\n'),
      'steps.ado.outputs.expires is not an output'
    ],
    [
      'an output read in the script text',
      STEP(APP, '\n      - run: echo ${{ steps.ado.outputs.token }}\n'),
      'the token is written into the script text'
    ],
    [
      'a token as job output',
      STEP(APP).replace(
        '    runs-on:',
        '    outputs:\n      t: ${{ steps.ado.outputs.token }}\n    runs-on:'
      ),
      'the token cannot be a job output'
    ],
    [
      'federated without id-token: write',
      STEP(APP).replace('  id-token: write', '  contents: read'),
      "needs 'permissions: id-token: write'"
    ],
    [
      'a value the action refuses',
      STEP(`${APP}          cloud: AzureGermanCloud\n`),
      "Input 'cloud' is 'AzureGermanCloud'"
    ],
    [
      'git-credentials without organization',
      STEP(`${APP}          git-credentials: true\n`),
      "Input 'git-credentials' is true, but 'organization' is empty"
    ],
    [
      'an unknown operation field',
      STEP(
        `${APP}          organization: contoso\n          operations: |\n            - url: _apis/projects\n              metod: POST\n`
      ),
      "field 'metod': unknown field"
    ],
    [
      'a result that no operation publishes',
      STEP(
        `${APP}          organization: contoso\n          operations: |\n            - name: repos\n              url: P/_apis/git/repositories\n`,
        '\n      - run: echo "$X"\n        env:\n          X: ${{ fromJSON(steps.ado.outputs.results).repo }}\n'
      ),
      'results.repo of step'
    ],
    [
      'operations as a mapping instead of a string',
      STEP(
        `${APP}          organization: contoso\n          operations:\n            - url: _apis/projects\n`
      ),
      "input 'operations' is a mapping or list"
    ],
    ['a moving ref', STEP(APP).replace('@v1', '@main'), 'pin the action to @v1']
  ])('%s', (_name, snippet, message) => {
    const problems = check(snippet, 'github');
    expect(problems.join('\n')).toContain(message);
  });

  test('a required input without default must be given', () => {
    const action = {
      ...manifests.action,
      inputs: { ...manifests.action.inputs, needed: { description: 'x', required: true } }
    };
    const doc = {
      on: 'push',
      permissions: { 'id-token': 'write' },
      jobs: { j: { steps: [{ uses: './', with: {} }] } }
    };
    expect(checkGitHubWorkflow(doc, 'snippet.yml', action).join('\n')).toContain(
      "the required input 'needed' is missing"
    );
  });

  test('invalid YAML is reported', () => {
    expect(check('on: push\njobs: [\n', 'github').length).toBeGreaterThan(0);
    expect(check('a: 1\na: 2\n', 'yaml').join('\n')).toContain('Map keys must be unique');
  });
});

const TASK = (inputs: string, extra = ''): string => `
steps:
  - task: AzureDevOpsEntraToken@1
    name: entra
    inputs:
${inputs}${extra}`;

describe('the Azure Pipelines checker fails on mistakes', () => {
  test('a valid step passes, with the alias and the output variables', () => {
    const extra =
      '\n  - bash: echo "$T $(entra.expiresOn)"\n    env:\n      T: $(entra.AZURE_DEVOPS_TOKEN)\n';
    expect(check(TASK('      azureResourceManagerConnection: release-wif\n', extra), 'azure')).toEqual([]);
  });

  test.each<[string, string, string]>([
    [
      'an input name with a typo',
      TASK('      azureSubscripton: release-wif\n'),
      "input 'azureSubscripton' is not an input"
    ],
    [
      'the connection missing for azureRM',
      TASK('      verify: false\n'),
      "the required input 'azureSubscription' is missing"
    ],
    [
      'an output variable with a typo',
      TASK('      azureSubscription: c\n', '\n  - bash: echo "$(entra.expireOn)"\n'),
      "'entra.expireOn' is not an output variable"
    ],
    [
      'a dependency on a missing variable',
      TASK('      azureSubscription: c\n', "\nvariables:\n  t: $[ dependencies.a.outputs['entra.TOKEN'] ]\n"),
      "'entra.TOKEN' is not an output variable"
    ],
    [
      'the secret in a script',
      TASK(
        '      azureSubscription: c\n',
        '\n  - script: \'curl -H "Authorization: Bearer $(AZURE_DEVOPS_TOKEN)" x\'\n'
      ),
      'a script uses $(AZURE_DEVOPS_TOKEN)'
    ],
    [
      'a value the task refuses',
      TASK('      azureSubscription: c\n      connectionType: azureRm2\n'),
      "Input 'connectionType' is 'azureRm2'"
    ],
    [
      'a bad feed',
      TASK('      azureSubscription: c\n      feeds: https://registry.npmjs.org/\n'),
      "Input 'feeds' has the entry"
    ],
    [
      'an operation using a later result',
      TASK(
        '      azureSubscription: c\n      operations: |\n        - url: "{{ results.b }}"\n        - name: b\n          url: _apis/projects\n'
      ),
      'results.b'
    ],
    [
      'a misspelt task',
      TASK('      azureSubscription: c\n').replace('AzureDevOpsEntraToken@1', 'AzureDevOpsEntraTokens@1'),
      'is not AzureDevOpsEntraToken@1'
    ],
    [
      'the wrong major version',
      TASK('      azureSubscription: c\n').replace('@1', '@0'),
      'is not AzureDevOpsEntraToken@1'
    ]
  ])('%s', (_name, snippet, message) => {
    expect(check(snippet, 'azure').join('\n')).toContain(message);
  });

  test('a document that is not a pipeline is reported', () => {
    expect(checkAzurePipeline({ trigger: 'none' }, 'x.yml', manifests.task)).toEqual([
      'x.yml: not an Azure Pipelines YAML (it needs steps, jobs or stages).'
    ]);
  });
});
