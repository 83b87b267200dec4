import { parse, parseAllDocuments, parseDocument } from 'yaml';
import type { TaskEnvironment } from '../../src/azure/agent.js';
import { readAzureSettings } from '../../src/azure/settings.js';
import { readOperations } from '../../src/core/operations/source.js';
import { createSecretGuard } from '../../src/core/secrets.js';
import { readGitHubSettings } from '../../src/github/settings.js';
import { createFakePlatform } from '../unit/fakes.js';
import { ROOT, type ActionManifest, type TaskManifest } from './manifests.js';

/**
 * Checks the example workflows and pipelines against action.yml and task.json: input names, required
 * inputs, output references, permissions, and — through the adapters' own settings readers — every input
 * value the action or the task would refuse (operations, feeds, organization, selectors...).
 * Each function returns the problems as sentences naming the file, job and step; none means valid.
 */

export type ExampleKind = 'github' | 'azure' | 'yaml';

const ACTION_REPO = 'azure-devops-entra-token/azure-devops-entra-token';
const GUID = '00000000-0000-4000-8000-000000000000';
const RESOURCE_ID = `/subscriptions/${GUID}/resourceGroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id`;
/** Values that stand in for an input given as one expression (`${{ vars.X }}`, `$(x)`): valid, not real. */
const PLACEHOLDERS: Record<string, string> = {
  'client-id': GUID,
  'tenant-id': GUID,
  'managed-identity-object-id': GUID,
  'managed-identity-resource-id': RESOURCE_ID,
  'authority-host': 'https://login.microsoftonline.com',
  audience: 'api://AzureADTokenExchange',
  organization: 'contoso',
  managedIdentityClientId: GUID,
  managedIdentityObjectId: GUID,
  managedIdentityResourceId: RESOURCE_ID
};
const GITHUB_EXPRESSION = /\$\{\{[\s\S]*?\}\}/g;
/** Azure Pipelines template expressions and macros. */
const AZURE_EXPRESSION = /\$\{\{[\s\S]*?\}\}|\$\[[\s\S]*?\]|\$\([^)]*\)/g;
const SCRIPT_KEYS = ['run', 'script', 'bash', 'pwsh', 'powershell'];

type Raw = Record<string, unknown>;
interface TaskInputSpec {
  name: string;
  aliases?: string[];
  required?: boolean;
  defaultValue?: string | boolean;
  visibleRule?: string;
}

function isRecord(value: unknown): value is Raw {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Every string value under `value` (mapping keys excluded). */
function stringsIn(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(stringsIn);
  if (isRecord(value)) return Object.values(value).flatMap(stringsIn);
  return [];
}

function text(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return value === undefined || value === null ? '' : JSON.stringify(value);
}

/** Inputs are strings: a mapping or list given to one is a workflow / pipeline error. */
function nonScalarInputs(given: Raw, label: string): string[] {
  return Object.entries(given)
    .filter(([, value]) => typeof value === 'object' && value !== null)
    .map(
      ([name]) => `${label}: input '${name}' is a mapping or list; give a string (a block scalar | for YAML).`
    );
}

/** What the platform would pass for a value holding expressions: a placeholder for a whole-value one. */
function standIn(name: string, value: string, expression: RegExp, fallback: string | undefined): string {
  const trimmed = value.trim();
  const whole = trimmed.match(expression);
  if (whole?.length === 1 && whole[0] === trimmed) return PLACEHOLDERS[name] ?? fallback ?? 'x';
  return value.replace(expression, 'x');
}

function settingsProblem(label: string, read: () => unknown): string[] {
  try {
    read();
    return [];
  } catch (error) {
    return [`${label}: ${error instanceof Error ? error.message : String(error)}`];
  }
}

/** Parses one file and runs the checks of its kind. */
export function checkExampleText(
  source: string,
  file: string,
  kind: ExampleKind,
  manifests: { action: ActionManifest; task: TaskManifest }
): string[] {
  if (kind === 'yaml') {
    // Plain YAML (Kubernetes manifests, GitLab CI) may hold several documents.
    const documents = parseAllDocuments(source, { prettyErrors: true, uniqueKeys: true });
    const list = Array.isArray(documents) ? documents : [];
    const problems = list.flatMap((d) => [...d.errors, ...d.warnings]).map((e) => `${file}: ${e.message}`);
    if (problems.length > 0) return problems;
    return list.length === 0 || list.some((d) => d.toJS() == null) ? [`${file}: a document is empty.`] : [];
  }
  const document = parseDocument(source, { prettyErrors: true, uniqueKeys: true });
  const errors = [...document.errors, ...document.warnings].map((e) => `${file}: ${e.message}`);
  if (errors.length > 0) return errors;
  const doc: unknown = document.toJS();
  if (kind === 'github') return checkGitHubWorkflow(doc, file, manifests.action);
  if (kind === 'azure') return checkAzurePipeline(doc, file, manifests.task);
  return doc === null || doc === undefined ? [`${file}: the document is empty.`] : [];
}

export function isOurAction(uses: unknown): boolean {
  return typeof uses === 'string' && (uses === './' || uses.toLowerCase().startsWith(`${ACTION_REPO}@`));
}

function hasIdTokenWrite(permissions: unknown): boolean {
  return permissions === 'write-all' || (isRecord(permissions) && permissions['id-token'] === 'write');
}

export function checkGitHubWorkflow(doc: unknown, file: string, action: ActionManifest): string[] {
  if (!isRecord(doc) || !isRecord(doc.jobs) || doc.on === undefined)
    return [`${file}: not a GitHub workflow (it needs 'on' and 'jobs').`];
  const problems: string[] = [];
  if (doc.permissions === undefined)
    problems.push(`${file}: declare top-level 'permissions' (least privilege, such as contents: read).`);
  for (const [jobId, job] of Object.entries(doc.jobs)) {
    if (!isRecord(job) || !Array.isArray(job.steps)) continue; // a reusable workflow call
    const at = `${file}: job '${jobId}'`;
    const permissions = job.permissions ?? doc.permissions;
    const ours = new Map<string, { index: number; operations: string[] | undefined }>();
    job.steps.forEach((step: unknown, index) => {
      if (!isRecord(step)) return;
      const uses = text(step.uses);
      const label = `${at}, step ${index + 1}${typeof step.id === 'string' ? ` ('${step.id}')` : ''}`;
      if (!isOurAction(uses)) {
        if (uses.toLowerCase().includes('azure-devops-entra-token'))
          problems.push(`${label}: 'uses: ${uses}' is not ${ACTION_REPO}@<ref> or ./.`);
        return;
      }
      problems.push(...checkActionStep(step, label, action, permissions));
      if (typeof step.id === 'string') {
        const operations = isRecord(step.with) ? text(step.with.operations) : '';
        ours.set(step.id, { index, operations: operationNames(operations, GITHUB_EXPRESSION) });
      }
    });
    job.steps.forEach((step: unknown, index) => {
      problems.push(...checkStepReferences(step, index, `${at}, step ${index + 1}`, ours, action));
    });
    problems.push(...checkStepReferences(job.outputs, Infinity, `${at}, outputs`, ours, action));
  }
  return problems;
}

function checkActionStep(step: Raw, label: string, action: ActionManifest, permissions: unknown): string[] {
  const problems: string[] = [];
  const uses = text(step.uses);
  const ref = uses === './' ? '' : uses.slice(uses.indexOf('@') + 1);
  if (uses !== './' && !/^(v1(\.\d+){0,2}|[0-9a-f]{40})$/.test(ref))
    problems.push(`${label}: pin the action to @v1 (or a full 40-character commit SHA), not @${ref}.`);
  const given = isRecord(step.with) ? step.with : {};
  problems.push(...nonScalarInputs(given, label));
  const names = Object.keys(action.inputs);
  for (const key of Object.keys(given))
    if (!names.includes(key))
      problems.push(`${label}: 'with: ${key}' is not an input of action.yml (inputs: ${names.join(', ')}).`);
  for (const [name, input] of Object.entries(action.inputs))
    if (input.required === true && input.default === undefined && !(name in given))
      problems.push(`${label}: the required input '${name}' is missing.`);

  const values: Record<string, string> = {};
  for (const [name, input] of Object.entries(action.inputs))
    if (input.default !== undefined) values[name] = String(input.default);
  for (const [name, value] of Object.entries(given))
    values[name] = standIn(name, text(value), GITHUB_EXPRESSION, action.inputs[name]?.default);
  const env = {
    ACTIONS_ID_TOKEN_REQUEST_URL: 'https://token.actions.example.test/idtoken?api-version=2.0',
    ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'request-token',
    GITHUB_WORKSPACE: ROOT
  };
  const guard = createSecretGuard(createFakePlatform());
  problems.push(
    ...settingsProblem(`${label}: the action would refuse its inputs`, () =>
      readGitHubSettings((name) => values[name] ?? '', env, guard, readOperations)
    )
  );

  const federated = (values['auth-type'] ?? '').toLowerCase() === 'federated';
  const overridesOidc = isRecord(step.env) && step.env.ACTIONS_ID_TOKEN_REQUEST_URL !== undefined;
  if (overridesOidc && hasIdTokenWrite(permissions))
    problems.push(
      `${label}: the step sets ACTIONS_ID_TOKEN_REQUEST_URL in env:, but the job has id-token: write, so the runner replaces it with its own. Remove id-token: write from this job.`
    );
  // A step allowed to fail (continue-on-error) may lack the permission on purpose, as CI's negative test does.
  if (federated && !overridesOidc && step['continue-on-error'] !== true && !hasIdTokenWrite(permissions))
    problems.push(
      `${label}: federated authentication needs 'permissions: id-token: write' on the job or the workflow.`
    );
  return problems;
}

/** Names of the operations in an inline operations document (undefined when it cannot be read). */
function operationNames(source: string, expression: RegExp): string[] | undefined {
  if (source.trim() === '') return [];
  try {
    const list: unknown = parse(source.replace(expression, 'x'));
    return Array.isArray(list)
      ? list.flatMap((o) => (isRecord(o) && typeof o.name === 'string' ? [o.name] : []))
      : undefined;
  } catch {
    return undefined;
  }
}

const OUTPUT_REFERENCE =
  /steps\.([A-Za-z_][\w-]*)\.outputs(?:\.([A-Za-z_][\w-]*)|\[\s*['"]([^'"]+)['"]\s*\])/g;
const RESULT_REFERENCE = /fromJSON\(\s*steps\.([A-Za-z_][\w-]*)\.outputs\.results\s*\)\.([A-Za-z_]\w*)/g;

function checkStepReferences(
  scope: unknown,
  index: number,
  label: string,
  ours: Map<string, { index: number; operations: string[] | undefined }>,
  action: ActionManifest
): string[] {
  const problems: string[] = [];
  const outputs = Object.keys(action.outputs);
  const scripts = isRecord(scope) ? SCRIPT_KEYS.map((k) => text(scope[k])).join('\n') : '';
  for (const value of stringsIn(scope)) {
    for (const [, id = '', dotted, quoted, doubled] of value.matchAll(OUTPUT_REFERENCE)) {
      const target = ours.get(id);
      if (target === undefined) continue;
      const name = dotted ?? quoted ?? doubled ?? '';
      if (!outputs.includes(name))
        problems.push(
          `${label}: steps.${id}.outputs.${name} is not an output of action.yml (outputs: ${outputs.join(', ')}).`
        );
      if (index <= target.index)
        problems.push(`${label}: steps.${id}.outputs.${name} is read before step '${id}' runs.`);
      if (name === 'token' && index === Infinity)
        problems.push(
          `${label}: the token cannot be a job output (the runner drops outputs holding a secret).`
        );
    }
    for (const [, id = '', name = ''] of value.matchAll(RESULT_REFERENCE)) {
      const names = ours.get(id)?.operations;
      if (names !== undefined && !names.includes(name))
        problems.push(
          `${label}: results.${name} of step '${id}' is not a named operation (${names.join(', ') || 'none'}).`
        );
    }
  }
  for (const id of ours.keys())
    if (new RegExp(`steps\\.${id}\\.outputs\\.token\\b`).test(scripts))
      problems.push(
        `${label}: the token is written into the script text; map it with env: and use the variable.`
      );
  return problems;
}

function isOurTask(task: unknown, name: string): boolean {
  return typeof task === 'string' && task.split('@')[0] === name;
}

/** Every mapping under `value` whose `task` looks like ours (typos included, so they can be reported). */
function taskSteps(value: unknown): Raw[] {
  if (Array.isArray(value)) return value.flatMap(taskSteps);
  if (!isRecord(value)) return [];
  const own = typeof value.task === 'string' && /^azuredevopsentra/i.test(value.task) ? [value] : [];
  return [...own, ...Object.values(value).flatMap(taskSteps)];
}

/** Every mapping under `value` that is a script step. */
function scriptSteps(value: unknown): Raw[] {
  if (Array.isArray(value)) return value.flatMap(scriptSteps);
  if (!isRecord(value)) return [];
  const own = SCRIPT_KEYS.some((k) => typeof value[k] === 'string') ? [value] : [];
  return [...own, ...Object.values(value).flatMap(scriptSteps)];
}

function isVisible(rule: string | undefined, values: Record<string, string>): boolean {
  if (rule === undefined || rule.trim() === '') return true;
  return rule.split('||').some((any) =>
    any.split('&&').every((condition) => {
      const match = /^\s*(\w+)\s*(!=|=)\s*(.*?)\s*$/.exec(condition);
      if (!match) return true;
      const equal = (values[match[1] ?? ''] ?? '').toLowerCase() === (match[3] ?? '').toLowerCase();
      return match[2] === '=' ? equal : !equal;
    })
  );
}

export function checkAzurePipeline(doc: unknown, file: string, task: TaskManifest): string[] {
  if (!isRecord(doc) || !['steps', 'jobs', 'stages'].some((k) => Array.isArray(doc[k])))
    return [`${file}: not an Azure Pipelines YAML (it needs steps, jobs or stages).`];
  const problems: string[] = [];
  const specs = task.inputs as unknown as TaskInputSpec[];
  const outputs = task.outputVariables.map((o) => o.name);
  const published = new Map<string, Set<string>>();
  const tokenVariables = new Set<string>();
  taskSteps(doc).forEach((step, i) => {
    const label = `${file}: task step ${i + 1}${typeof step.name === 'string' ? ` ('${step.name}')` : ''}`;
    if (!isOurTask(step.task, task.name) || text(step.task).split('@')[1] !== String(task.version.Major)) {
      problems.push(`${label}: 'task: ${text(step.task)}' is not ${task.name}@${task.version.Major}.`);
      return;
    }
    const given = isRecord(step.inputs) ? step.inputs : {};
    problems.push(...nonScalarInputs(given, label));
    const values: Record<string, string> = {};
    for (const spec of specs)
      if (spec.defaultValue !== undefined) values[spec.name] = String(spec.defaultValue);
    for (const [key, value] of Object.entries(given)) {
      const spec = specs.find((s) => s.name === key || (s.aliases ?? []).includes(key));
      if (spec === undefined) {
        const names = specs.flatMap((s) => [s.name, ...(s.aliases ?? [])]);
        problems.push(`${label}: input '${key}' is not an input of task.json (inputs: ${names.join(', ')}).`);
        continue;
      }
      values[spec.name] = standIn(spec.name, text(value), AZURE_EXPRESSION, text(spec.defaultValue));
    }
    if (values.organization === '$(System.CollectionUri)')
      values.organization = 'https://dev.azure.com/contoso/';
    for (const spec of specs)
      if (spec.required === true && isVisible(spec.visibleRule, values) && (values[spec.name] ?? '') === '')
        problems.push(`${label}: the required input '${spec.name}' is missing.`);
    problems.push(
      ...settingsProblem(`${label}: the task would refuse its inputs`, () =>
        readAzureSettings(
          taskEnvironment(values),
          {},
          createSecretGuard(createFakePlatform()),
          readOperations
        )
      )
    );
    const variableName = values.variableName ?? '';
    tokenVariables.add(variableName);
    if (typeof step.name === 'string') {
      tokenVariables.add(`${step.name}.${variableName}`);
      published.set(step.name, new Set([...(published.get(step.name) ?? []), ...outputs, variableName]));
    }
  });
  problems.push(...checkOutputVariableReferences(doc, file, published));
  for (const step of scriptSteps(doc)) {
    const script = SCRIPT_KEYS.map((k) => text(step[k])).join('\n');
    for (const variable of tokenVariables)
      if (script.includes(`$(${variable})`))
        problems.push(
          `${file}: a script uses $(${variable}) in its text; map the secret with env: and use the environment variable.`
        );
  }
  return problems;
}

const MACRO_REFERENCE = /\$\(([A-Za-z_][\w-]*)\.([\w.-]+)\)/g;
const DEPENDENCY_REFERENCE = /outputs\[\s*'([A-Za-z_][\w-]*)\.([\w.-]+)'\s*\]/g;

function checkOutputVariableReferences(
  doc: unknown,
  file: string,
  published: Map<string, Set<string>>
): string[] {
  const problems: string[] = [];
  for (const value of stringsIn(doc)) {
    for (const [, step = '', variable = ''] of [
      ...value.matchAll(MACRO_REFERENCE),
      ...value.matchAll(DEPENDENCY_REFERENCE)
    ]) {
      const known = published.get(step);
      if (known !== undefined && !known.has(variable))
        problems.push(
          `${file}: '${step}.${variable}' is not an output variable of step '${step}' (it sets ${[...known].join(', ')}).`
        );
    }
  }
  return problems;
}

/** An agent that has every service connection (workload identity federation) and the job's OIDC endpoint. */
function taskEnvironment(values: Record<string, string>): TaskEnvironment {
  const variables: Record<string, string> = {
    'System.OidcRequestUri':
      'https://dev.azure.com/contoso/p/_apis/distributedtask/hubs/build/plans/p/jobs/j/oidctoken',
    'System.CollectionUri': 'https://dev.azure.com/contoso/',
    'System.DefaultWorkingDirectory': ROOT
  };
  return {
    getInput: (name) => values[name] ?? '',
    getEndpointScheme: () => 'WorkloadIdentityFederation',
    getEndpointParameter: (_id, key) =>
      key === 'serviceprincipalid' || key === 'tenantid' ? GUID : undefined,
    getEndpointData: (_id, key) => (key === 'environment' ? 'AzureCloud' : undefined),
    getVariable: (name) => variables[name],
    getSystemAccessToken: () => 'system-access-token'
  };
}
