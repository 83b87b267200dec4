import { describe, expect, test } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import {
  CANARY_CHECKS,
  CANARY_OPERATION,
  CREDENTIALS_DIR_PREFIX as CANARY_PREFIX,
  canaryMarker
} from '../../scripts/lib/canary-checks.mjs';
import { CHECK_IDS, credentialsDirFromEnv, organizationUrl } from '../../scripts/canary.mjs';
import { CREDENTIALS_DIR_PREFIX } from '../../src/core/job-credentials/state.js';
import { helperCommand } from '../../src/core/job-credentials/git.js';
import { checkExampleText } from './examples-check.js';
import { ROOT, actionManifest, taskManifest } from './manifests.js';

/**
 * The live canary (.github/workflows/live.yml, azure-pipelines/live.yml) makes the checks of
 * scripts/lib/canary-checks.mjs, and each is a check the end-to-end tests make against the emulator.
 */

type Raw = Record<string, unknown>;
interface Step extends Raw {
  name?: string;
  displayName?: string;
  id?: string;
  uses?: string;
  run?: string;
  script?: string;
  task?: string;
  with?: Raw;
  inputs?: Raw;
}

const GITHUB_FILE = '.github/workflows/live.yml';
const AZURE_FILE = 'azure-pipelines/live.yml';
const WATCH_DIR = '.github/actions/cleanup-watch';
const read = (file: string): string => readFileSync(join(ROOT, file), 'utf8');
const manifests = { action: actionManifest(), task: taskManifest() };
const ids = CANARY_CHECKS.map((check) => check.id);

const isRecord = (value: unknown): value is Raw =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Jobs of a pipeline, with `${{ if ... }}:` blocks opened. */
function azureJobs(list: unknown): Raw[] {
  if (!Array.isArray(list)) return [];
  return list.flatMap((item) => {
    if (!isRecord(item)) return [];
    const keys = Object.keys(item);
    if (keys.length === 1 && keys[0]?.startsWith('${{')) return azureJobs(item[keys[0]]);
    return [item];
  });
}

const github = parse(read(GITHUB_FILE)) as { jobs: Record<string, Raw & { steps: Step[] }> };
const githubCanary = github.jobs.canary;
const azure = parse(read(AZURE_FILE)) as { jobs: unknown };
const azureCanary = azureJobs(azure.jobs).find((job) => job.job === 'canary') as
  (Raw & { steps: Step[] }) | undefined;

const label = (step: Step): string => String(step.name ?? step.displayName ?? '');
const command = (step: Step): string => String(step.run ?? step.script ?? '');
/** The check ids a step's name or display name carries as `(canary: <id>)`. */
const checkIdsOf = (step: Step): string[] =>
  [...label(step).matchAll(/\(canary: ([a-z-]+)\)/g)].map((m) => m[1] ?? '');

describe('the canary checks are defined once', () => {
  test('scripts/canary.mjs runs every check of scripts/lib/canary-checks.mjs', () => {
    expect(ids).toEqual(['verify', 'projects-read', 'git-ls-remote', 'post-cleanup']);
    expect(CHECK_IDS).toEqual(expect.arrayContaining(ids));
    expect(CANARY_PREFIX).toBe(CREDENTIALS_DIR_PREFIX);
    expect(CANARY_CHECKS.find((c) => c.id === 'projects-read')?.operation).toEqual({
      name: 'projects',
      url: '_apis/projects',
      select: 'value[].name'
    });
  });

  test('the record step finds the credentials directory in the helper command the action exports', () => {
    const dir = join('/runner/_temp', `${CREDENTIALS_DIR_PREFIX}abc`);
    const value = helperCommand(
      '/usr/bin/node',
      '/a/dist/git-credential-helper/index.js',
      `${dir}/git-credential.json`
    );
    expect(credentialsDirFromEnv({ GIT_CONFIG_VALUE_0: '', GIT_CONFIG_VALUE_1: value })).toBe(dir);
    expect(credentialsDirFromEnv({ GIT_CONFIG_VALUE_0: '' })).toBeUndefined();
    expect(organizationUrl('contoso')).toBe('https://dev.azure.com/contoso');
    expect(organizationUrl('https://dev.azure.com/contoso/')).toBe('https://dev.azure.com/contoso');
  });
});

describe.each([
  ['GitHub', GITHUB_FILE, (): Step[] => githubCanary?.steps ?? []],
  ['Azure Pipelines', AZURE_FILE, (): Step[] => azureCanary?.steps ?? []]
])('%s canary (%s)', (_platform, file, steps) => {
  test.each(ids)('has a step for the check %s that runs it', (id) => {
    const named = steps().filter((step) => checkIdsOf(step).includes(id));
    expect(named.length).toBeGreaterThan(0);
    // Each named step runs the check through scripts/canary.mjs, or (the GitHub cleanup watch) runs it in its post step.
    for (const step of named) {
      if (step.uses === `./${WATCH_DIR}`) continue;
      expect([label(step), command(step)]).toEqual([
        label(step),
        expect.stringMatching(new RegExp(`^node scripts/canary\\.mjs (${id}|record-credentials)$`))
      ]);
    }
    expect(
      named.some((step) => command(step) === `node scripts/canary.mjs ${id}`) || file === GITHUB_FILE
    ).toBe(true);
  });

  test('the step under test sends exactly the canary operation, with verify and git credentials on', () => {
    const under = steps().filter((step) => step.uses === './' || step.task === 'AzureDevOpsEntraToken@1');
    expect(under).toHaveLength(1);
    const given = under[0]?.with ?? under[0]?.inputs ?? {};
    const operation = CANARY_CHECKS.find((c) => c.id === 'projects-read')?.operation;
    expect(parse(String(given.operations))).toEqual([operation]);
    expect(operation).toEqual(CANARY_OPERATION);
    expect(given.verify).toBe(true);
    expect(given['git-credentials'] ?? given.gitCredentials).toBe(true);
  });

  test('is valid against action.yml / task.json', () => {
    // The pipeline as Azure Pipelines compiles it once the serviceConnection parameter is given.
    const source = read(file).replaceAll('${{ parameters.serviceConnection }}', 'live-canary-wif');
    const kind = file === GITHUB_FILE ? 'github' : 'azure';
    expect(checkExampleText(source, file, kind, manifests)).toEqual([]);
  });
});

describe('GitHub canary specifics', () => {
  test('no secret anywhere: no secrets. reference; the job has only id-token: write and contents: read', () => {
    for (const file of [
      GITHUB_FILE,
      `${WATCH_DIR}/action.yml`,
      `${WATCH_DIR}/main.js`,
      `${WATCH_DIR}/post.js`
    ])
      expect([file, /secrets\./i.test(read(file))]).toEqual([file, false]);
    expect(githubCanary?.permissions).toEqual({ 'id-token': 'write', contents: 'read' });
    expect(githubCanary?.environment).toBeUndefined();
  });

  test('every action is pinned to a full commit SHA with a version comment', () => {
    const uses = read(GITHUB_FILE)
      .split('\n')
      .filter((line) => /^\s*(-\s+)?uses:/.test(line))
      .map((line) => line.trim().replace(/^-\s+/, ''));
    expect(uses.length).toBeGreaterThan(2);
    for (const line of uses)
      expect(line).toMatch(
        /^uses: (\.\/(\.github\/actions\/[\w-]+)?|[\w.-]+\/[\w.-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+)$/
      );
  });

  test('the cleanup watch goes before the action, so its post step runs after the action post step, and checks post-cleanup', () => {
    const list = githubCanary?.steps ?? [];
    const watch = list.findIndex((step) => step.uses === `./${WATCH_DIR}`);
    const under = list.findIndex((step) => step.uses === './');
    expect(watch).toBeGreaterThanOrEqual(0);
    expect(watch).toBeLessThan(under);
    const action = parse(read(`${WATCH_DIR}/action.yml`)) as { runs: Raw };
    expect(action.runs).toMatchObject({ post: 'post.js', 'post-if': 'always()' });
    expect(read(`${WATCH_DIR}/post.js`)).toContain("'post-cleanup'");
    // The directory is recorded after the git check, for the watch's post step.
    const record = list.findIndex((step) => command(step) === 'node scripts/canary.mjs record-credentials');
    expect(record).toBeGreaterThan(
      list.findIndex((step) => command(step) === 'node scripts/canary.mjs git-ls-remote')
    );
  });

  test('a job says which repository variables are missing and succeeds when they are', () => {
    const skip = github.jobs['not-configured'];
    const names = ['AZURE_CLIENT_ID', 'AZURE_TENANT_ID', 'AZURE_DEVOPS_ORG'];
    expect(skip?.if).toBe(names.map((n) => `vars.${n} == ''`).join(' || '));
    expect(githubCanary?.if).toBe(names.map((n) => `vars.${n} != ''`).join(' && '));
    expect(JSON.stringify(skip?.steps)).toContain('::notice');
    expect(JSON.stringify(skip?.steps)).toContain('docs/live-testing.md');
  });
});

describe('Azure Pipelines canary specifics', () => {
  test('the service connection is a compile-time parameter; empty warns and skips', () => {
    expect(read(AZURE_FILE)).toContain('azureSubscription: ${{ parameters.serviceConnection }}');
    const skip = azureJobs(azure.jobs).find((job) => job.job === 'not_configured');
    expect(JSON.stringify(skip)).toContain('##vso[task.logissue type=warning]');
    expect(azureCanary?.strategy).toEqual({
      matrix: { linux: { vmImage: 'ubuntu-latest' }, windows: { vmImage: 'windows-latest' } }
    });
  });
});

describe.each(CANARY_CHECKS.map((check) => [check.id, check] as const))(
  'the end-to-end tests make the check %s against the emulator',
  (id, check) => {
    test.each(Object.entries(check.e2e))('%s: the same assertion is in the e2e file', (_platform, e2e) => {
      const source = read(e2e.file);
      for (const evidence of e2e.evidence)
        expect([e2e.file, source.includes(evidence)]).toEqual([e2e.file, true]);
    });

    test.each(Object.entries(check.e2e))(`%s: the e2e test carries the marker comment`, (_platform, e2e) => {
      // The marker sits next to the assertion that makes the check: moving or deleting that test shows up here.
      expect([e2e.file, read(e2e.file).includes(canaryMarker(id))]).toEqual([e2e.file, true]);
    });
  }
);
