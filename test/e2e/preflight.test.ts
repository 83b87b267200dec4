import { afterEach, beforeEach, describe, expect, test } from '@jest/globals';
import { azureOptions, expectNoLeaks, failureText, githubEnv, githubInputs, useEmulator } from './fixture.js';
import { runAzureTask, runGitHubAction, type AzureRun, type GitHubRun } from './runner.js';

const emu = useEmulator();
const P = 'release-project';
const removals: (() => void)[] = [];
beforeEach(() => {
  emu.devops.resetStats();
  // Routes the emulator does not serve otherwise: a preview API and a release API (vsrm.dev.azure.com).
  removals.push(
    emu.devops.route('GET', '/_apis/teams', () => ({ status: 200, body: { count: 0, value: [] } })),
    emu.devops.route('GET', '/{project}/_apis/release/releases', () => ({
      status: 200,
      body: { count: 1, value: [{ id: 7, name: 'Release-7' }] }
    }))
  );
});
afterEach(() => {
  for (const remove of removals.splice(0)) remove();
});

type Run = (operations: string) => Promise<GitHubRun | AzureRun>;
const platforms: [string, Run][] = [
  [
    'GitHub Action',
    (operations) => runGitHubAction({ inputs: githubInputs(emu, { operations }) }, githubEnv(emu))
  ],
  ['Azure Pipelines task', (operations) => runAzureTask(azureOptions(emu, { inputs: { operations } }))]
];

/** Requests the operations sent (not the token's: connectionData and the like are the step's own). */
const operationRequests = () =>
  emu
    .requestsFor('devops')
    .filter((r) => r.path.includes('/_apis/') && !r.path.endsWith('/_apis/connectionData'));

describe.each(platforms)('pre-flight on the %s', (_, run) => {
  test('a typo in operation 3 fails the run before any operation request, with the nearest routes', async () => {
    const r = await run(`
- name: projects
  url: _apis/projects
- name: repos
  url: ${P}/_apis/git/repositories
- name: typo
  url: ${P}/_apis/git/repositorys
`);
    const text = failureText(r);
    expect(text).toContain(
      `operation 3 ('typo'), field 'url': GET ${P}/_apis/git/repositorys is not in Microsoft's published Azure DevOps REST 7.1 specifications. The nearest GET routes: {project}/_apis/git/repositories, `
    );
    expect(operationRequests()).toEqual([]);
    // The token is an output of the step (it was acquired before the operations were checked).
    expectNoLeaks(r, emu, 'outputs' in r ? [r.outputs.token ?? ''] : []);
  });

  test('a preview route without api-version is sent with the route’s -preview.N', async () => {
    const r = await run('- name: teams\n  url: _apis/teams\n  select: count\n');
    expect(failureText(r)).toBe('masks' in r ? '' : 'Azure DevOps access token acquired.');
    const [sent] = operationRequests();
    expect(sent?.path).toBe('/contoso/_apis/teams');
    expect(sent?.query['api-version']).toBe('7.1-preview.3');
  });

  test('a release API reaches the release route; the routing decision is logged', async () => {
    const r = await run(`- name: rel\n  url: ${P}/_apis/release/releases\n  select: "value[].name"\n`);
    expect(failureText(r)).toBe('masks' in r ? '' : 'Azure DevOps access token acquired.');
    const [sent] = operationRequests();
    expect(sent?.path).toBe(`/contoso/${P}/_apis/release/releases`);
    expect(sent?.query['api-version']).toBe('7.1');
    expect(r.stdout).toContain(
      `operation 1 ('rel'): ${P}/_apis/release/releases is served by vsrm.dev.azure.com; the organization URL is on loopback (an emulator), so it stays at ${emu.devops.orgUrl}.`
    );
  });

  test('unchecked: true sends an API the index does not know, as written', async () => {
    const r = await run('- name: fresh\n  url: _apis/teams/brand-new\n  unchecked: true\n  expect: [404]\n');
    expect(failureText(r)).toBe('masks' in r ? '' : 'Azure DevOps access token acquired.');
    const [sent] = operationRequests();
    expect(sent?.path).toBe('/contoso/_apis/teams/brand-new');
    expect(sent?.query['api-version']).toBe('7.1');
    expect(r.stdout).toContain(
      "operation 1 ('fresh'): unchecked: true, so GET _apis/teams/brand-new is sent as written"
    );
  });
});
