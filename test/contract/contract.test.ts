import { describe, expect, test } from '@jest/globals';
import type AjvDraft04 from 'ajv-draft-04';
import { createRequire } from 'node:module';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { AZURE_INPUTS, AZURE_OUTPUTS } from '../../src/azure/inputs.js';
import { PRODUCT_NAME, PRODUCT_VERSION } from '../../src/core/product.js';
import { GITHUB_INPUTS, GITHUB_OUTPUTS } from '../../src/github/inputs.js';
import { ROOT, actionManifest, taskManifest } from './manifests.js';

const json = (path: string): Record<string, unknown> =>
  JSON.parse(readFileSync(join(ROOT, path), 'utf8')) as Record<string, unknown>;

describe('action.yml', () => {
  const action = actionManifest();

  test('declares exactly the inputs and outputs the code reads and writes, each described', () => {
    expect(Object.keys(action.inputs).sort()).toEqual(Object.values(GITHUB_INPUTS).sort());
    expect(Object.keys(action.outputs).sort()).toEqual([...GITHUB_OUTPUTS].sort());
    for (const [name, input] of Object.entries(action.inputs))
      expect([name, (input.description ?? '').length > 20]).toEqual([name, true]);
    for (const [name, output] of Object.entries(action.outputs))
      expect([name, (output.description ?? '').length > 20]).toEqual([name, true]);
  });

  test('runs the committed GitHub bundle on node24, with marketplace metadata', () => {
    expect(action.runs.using).toBe('node24');
    expect(action.runs.main).toBe('dist/github/index.js');
    expect(existsSync(join(ROOT, action.runs.main))).toBe(true);
    expect(action.runs.post).toBe('dist/github/post.js');
    expect(existsSync(join(ROOT, action.runs.post ?? ''))).toBe(true);
    expect(existsSync(join(ROOT, 'dist/git-credential-helper/index.js'))).toBe(true);
    expect(action.name.length).toBeGreaterThan(0);
    expect(action.author).toBeTruthy();
    expect(action.branding).toEqual({ icon: expect.any(String), color: expect.any(String) });
  });

  test('the token scope default is Azure DevOps', () => {
    expect(action.inputs.scope?.default).toBe('499b84ac-1321-427f-aa17-267ca6975798/.default');
    expect(action.inputs['auth-type']?.default).toBe('federated');
    expect(action.inputs.cloud?.default).toBe('AzureCloud');
    expect(action.inputs.verify?.default).toBe('auto');
  });
});

describe('task.json', () => {
  const task = taskManifest();

  test("validates against Microsoft's task schema", () => {
    // ajv-draft-04 is CommonJS whose class is `module.exports.default`; require() gets it as typed.
    const Ajv = (createRequire(import.meta.url)('ajv-draft-04') as typeof AjvDraft04).default;
    const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
    const validate = ajv.compile(
      JSON.parse(readFileSync(join(ROOT, '../shared/schemas/tasks.schema.json'), 'utf8')) as object
    );
    const valid = validate(task);
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
  });

  test("follows tfx's rules: name, GUID id, friendlyName length, execution targets that exist", () => {
    expect(task.name).toBe('AzureDevOpsEntraToken');
    expect(task.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(task.friendlyName.length).toBeLessThanOrEqual(40);
    expect(task.instanceNameFormat.length).toBeGreaterThan(0);
    expect(Object.keys(task.execution).sort()).toEqual(['Node20_1', 'Node24']);
    for (const handler of Object.values(task.execution)) {
      expect(handler.target).toBe('dist/azure/index.js');
      expect(existsSync(join(ROOT, handler.target))).toBe(true);
    }
    const post = task.postjobexecution as Record<string, { target: string }>;
    expect(Object.keys(post).sort()).toEqual(['Node20_1', 'Node24']);
    for (const handler of Object.values(post)) expect(existsSync(join(ROOT, handler.target))).toBe(true);
  });

  test('declares exactly the inputs and output variables the code uses, with valid names', () => {
    expect(task.inputs.map((i) => i.name).sort()).toEqual(Object.values(AZURE_INPUTS).sort());
    expect(task.outputVariables.map((o) => o.name).sort()).toEqual([...AZURE_OUTPUTS].sort());
    for (const name of [...task.inputs.map((i) => i.name), ...task.outputVariables.map((o) => o.name)])
      expect(name).toMatch(/^[A-Za-z][A-Za-z0-9]*$/);
    const types = Object.fromEntries(task.inputs.map((i) => [i.name, i.type]));
    expect(types.azureSubscription).toBe('connectedService:AzureRM');
    expect(types.azureDevOpsServiceConnection).toBe('connectedService:WorkloadIdentityUser');
  });

  test('visible rules show each connection type only its own inputs and name real inputs and options', () => {
    const names = new Set(task.inputs.map((i) => i.name));
    const rules = Object.fromEntries(
      task.inputs.filter((i) => i.visibleRule).map((i) => [i.name, i.visibleRule])
    );
    expect(rules).toEqual({
      azureSubscription: 'connectionType = azureRM',
      azureDevOpsServiceConnection: 'connectionType = azureDevOps',
      managedIdentityClientId: 'connectionType = managedIdentity',
      managedIdentityObjectId: 'connectionType = managedIdentity',
      managedIdentityResourceId: 'connectionType = managedIdentity'
    });
    for (const rule of Object.values(rules)) expect(names.has(String(rule).split(' ')[0] ?? '')).toBe(true);
    const options = task.inputs.find((i) => i.name === 'connectionType') as unknown as {
      options: Record<string, string>;
    };
    expect(Object.keys(options.options)).toEqual(['azureRM', 'azureDevOps', 'managedIdentity']);
  });
});

describe('versions and bundles', () => {
  test('package.json, task.json, vss-extension.json and the code agree on the version', () => {
    const pkg = json('package.json') as { name: string; version: string };
    const task = taskManifest();
    const extension = json('vss-extension.json') as {
      version: string;
      contributions: { properties: { name: string } }[];
      files: { path: string; packagePath: string }[];
    };
    expect(pkg.name).toBe(PRODUCT_NAME);
    expect(pkg.version).toBe(PRODUCT_VERSION);
    expect(`${task.version.Major}.${task.version.Minor}.${task.version.Patch}`).toBe(pkg.version);
    expect(extension.version).toBe(pkg.version);
    expect(task.version.Major).toBe(1);
    expect(extension.contributions[0]?.properties.name).toBe(task.name);
    expect(extension.files.map((f) => f.packagePath)).toEqual([
      `${task.name}/task.json`,
      `${task.name}/dist/azure`,
      `${task.name}/dist/git-credential-helper`
    ]);
  });

  test('each bundle carries only its own platform library', () => {
    const read = (dir: string): string =>
      readdirSync(join(ROOT, dir))
        .filter((f) => f.endsWith('.js'))
        .map((f) => readFileSync(join(ROOT, dir, f), 'utf8'))
        .join('\n');
    const github = read('dist/github');
    const azure = read('dist/azure');
    expect(github).toContain('::add-mask::');
    expect(github).not.toContain('task.setvariable');
    expect(github).not.toContain('getEndpointAuthorization');
    expect(azure).toContain('task.setvariable');
    expect(azure).toContain('getEndpointAuthorization');
    expect(azure).not.toContain('::add-mask::');
    expect(azure).not.toContain('GITHUB_OUTPUT');
  });
});

describe('README', () => {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');

  test('documents every input and output of both manifests', () => {
    const names = [
      ...Object.keys(actionManifest().inputs),
      ...Object.keys(actionManifest().outputs),
      ...taskManifest().inputs.map((i) => i.name),
      ...taskManifest().outputVariables.map((o) => o.name)
    ];
    // Each name appears inside a code span, alone or as in `<step name>.tenantId`.
    const documented = (name: string): boolean =>
      new RegExp(`\`[^\`\n]*\\b${name}\\b[^\`\n]*\``).test(readme);
    expect(names.filter((name) => !documented(name))).toEqual([]);
  });

  test('links the development guide, which gives the commands a newcomer needs', () => {
    expect(readme).toContain('](docs/development.md)');
    const development = readFileSync(join(ROOT, 'docs/development.md'), 'utf8');
    for (const command of ['npm ci', 'npm test', 'npm run build', 'npm run bench', 'npm run docs'])
      expect(development).toContain(`\`${command}\``);
  });
});
