// Dry run (dry-run / dryRun / run --dry-run) from the committed bundles: reads reach the emulator, writes do not;
// the planned writes are in the log, in `results` and in the step summary.
import { afterEach, beforeEach, describe, expect, test } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { azureOptions, expectNoLeaks, githubEnv, githubInputs, useEmulator } from './fixture.js';
import { runCliBundle } from './cli-runner.js';
import { runAzureTask, runGitHubAction } from './runner.js';

const emu = useEmulator();
const P = 'release-project';
const WRITES = ['POST', 'PUT', 'PATCH', 'DELETE'];

// Two reads; a write built from them; a write and a read that need the first write's result; a for-each write
// over the repositories the read found.
const OPERATIONS = `
- name: project
  url: _apis/projects/${P}
  select: "{id: id, name: name}"
- name: repos
  url: ${P}/_apis/git/repositories
  select: "value[].{id: id, name: name}"
- name: task
  method: POST
  url: "{{ results.project.name }}/_apis/wit/workitems/$Task"
  content-type: application/json-patch+json
  body:
    - { op: add, path: /fields/System.Title, value: "Release of {{ results.project.name }}" }
- name: link
  method: PATCH
  url: "${P}/_apis/wit/workitems/{{ results.task.id }}"
  content-type: application/json-patch+json
  body: [{ op: add, path: /fields/System.Tags, value: "release; {{ results.repos[0].name }}" }]
- name: check
  url: "${P}/_apis/wit/workitems/{{ results.task.id }}"
- name: locks
  method: PATCH
  url: "${P}/_apis/git/repositories/{{ item.id }}"
  for-each: "{{ results.repos }}"
  body: { isDisabled: true }
`;

function writesSent(): string[] {
  return emu
    .requestsFor('devops')
    .filter((r) => WRITES.includes(r.method))
    .map((r) => `${r.method} ${r.path}`);
}

function readsSent(): string[] {
  return emu
    .requestsFor('devops')
    .filter((r) => r.method === 'GET')
    .map((r) => r.path);
}

type Planned = { dryRun: true; method: string; url: string; contentType: string | null; body: unknown };

function expectPlan(results: Record<string, unknown>, log: string): void {
  const org = emu.devops.orgUrl;
  expect(results.project).toMatchObject({ name: P });
  const repos = results.repos as { id: string; name: string }[];
  expect(repos.length).toBeGreaterThan(0);
  expect(results.task).toEqual({
    dryRun: true,
    method: 'POST',
    url: `${org}/${P}/_apis/wit/workitems/$Task`,
    contentType: 'application/json-patch+json',
    body: [{ op: 'add', path: '/fields/System.Title', value: `Release of ${P}` }]
  });
  expect(results.link).toMatchObject({
    method: 'PATCH',
    url: `${org}/${P}/_apis/wit/workitems/<result of 'task'>`,
    body: [{ op: 'add', path: '/fields/System.Tags', value: `release; ${repos[0]?.name ?? ''}` }]
  });
  expect(results.check).toEqual({
    dryRun: true,
    method: 'GET',
    url: `${org}/${P}/_apis/wit/workitems/<result of 'task'>`,
    contentType: null,
    body: null
  });
  const locks = results.locks as Planned[];
  expect(locks.map((l) => l.url)).toEqual(repos.map((r) => `${org}/${P}/_apis/git/repositories/${r.id}`));
  expect(locks[0]).toMatchObject({ dryRun: true, method: 'PATCH', body: { isDisabled: true } });

  expect(log).toContain('Dry run: writes (POST, PUT, PATCH, DELETE) are shown, not sent.');
  expect(log).toContain("Dry run, operation 3 ('task'): not sent:");
  expect(log).toContain(`  POST ${org}/${P}/_apis/wit/workitems/$Task`);
  expect(log).toContain('  Content-Type: application/json-patch+json');
  expect(log).toContain(`  Body: [{"op":"add","path":"/fields/System.Title","value":"Release of ${P}"}]`);
  expect(log).toContain(
    "Dry run, operation 5 ('check'): not run: it needs the result of 'task', which the dry run did not send:"
  );
  expect(log).toContain(`Dry run, operation 6 ('locks'): not sent; ${repos.length} items`);
  expect(log).toContain('Dry run: 4 operations not sent');
}

function expectSummary(markdown: string): void {
  expect(markdown).toContain(
    'Dry run: writes (POST, PUT, PATCH, DELETE) were shown in the log and in `results`, not sent.'
  );
  expect(markdown).toMatch(/\| operation 1 \('project'\) \| GET \| `[^`]+` \| 200 \|/);
  expect(markdown).toMatch(
    /\| operation 3 \('task'\) \| POST \| `\/contoso\/release-project\/_apis\/wit\/workitems\/\$Task` \| planned \(dry run\) \|/
  );
  expect(markdown).toMatch(/\| operation 5 \('check'\) \| GET \| `[^`]+` \| planned \(dry run\) \|/);
  expect(markdown).toMatch(/\| operation 6 \('locks'\) \| PATCH \| `[^`]+` \| planned \(dry run\) ×\d+ \|/);
}

describe('dry run', () => {
  test('GitHub: reads run, no write reaches Azure DevOps, the plan is in the log, results and summary', async () => {
    const run = await runGitHubAction(
      { inputs: githubInputs(emu, { operations: OPERATIONS, 'dry-run': 'true' }), debug: true },
      githubEnv(emu)
    );
    expect(run.errors).toEqual([]);
    expect(run.exitCode).toBe(0);
    expectNoLeaks(run, emu, [run.outputs.token ?? '']);
    expect(writesSent()).toEqual([]);
    expect(readsSent()).toEqual([
      '/contoso/_apis/connectionData',
      `/contoso/_apis/projects/${P}`,
      `/contoso/${P}/_apis/git/repositories`
    ]);
    expectPlan(JSON.parse(run.outputs.results ?? '{}') as Record<string, unknown>, run.stdout);
    expectSummary(run.files.summary ?? '');
  }, 60_000);

  test('Azure Pipelines: the same, with the summary attached', async () => {
    const run = await runAzureTask(
      azureOptions(emu, { debug: true, inputs: { operations: OPERATIONS, dryRun: 'true' } })
    );
    expect(run.result).toBe('Succeeded');
    expectNoLeaks(run, emu);
    expect(writesSent()).toEqual([]);
    expect(readsSent()).toContain(`/contoso/${P}/_apis/git/repositories`);
    const results = run.variables.find((v) => v.name === 'results')?.value ?? '{}';
    expectPlan(JSON.parse(results) as Record<string, unknown>, run.stdout);
    expect(run.summaries).toHaveLength(1);
    expectSummary(run.summaries[0] ?? '');
  }, 60_000);

  describe('CLI', () => {
    let dir: string;
    beforeEach(() => {
      dir = mkdtempSync(join(tmpdir(), 'cli-dry-run-'));
    });
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    test('run --dry-run: results JSON on stdout holds the plan, the log on stderr shows it', async () => {
      const issuer = 'https://gitlab.example.test';
      const app = emu.registerApp({
        displayName: 'gitlab-release',
        federatedCredentials: [
          {
            issuer,
            subject: 'project_path:g/p:ref_type:branch:ref:main',
            audience: 'api://AzureADTokenExchange'
          }
        ]
      });
      emu.devops.addMember(app.objectId, 'gitlab-release');
      const oidc = emu.addOidcIssuer(issuer).mintToken({
        sub: 'project_path:g/p:ref_type:branch:ref:main',
        aud: 'api://AzureADTokenExchange'
      });
      const run = await runCliBundle(
        [
          'run',
          '--federated-token-env',
          'OIDC',
          '--client-id',
          app.clientId,
          '--tenant-id',
          emu.tenantId,
          '--authority-host',
          emu.httpsUrl,
          '--organization',
          emu.devops.orgUrl,
          '--operations',
          OPERATIONS,
          '--dry-run',
          '--debug'
        ],
        dir,
        { ...emu.env.common, OIDC: oidc }
      );
      expect(run.stderr).not.toContain('error:');
      expect(run.exitCode).toBe(0);
      expect(writesSent()).toEqual([]);
      expect(readsSent()).toContain(`/contoso/_apis/projects/${P}`);
      expectPlan(JSON.parse(run.stdout) as Record<string, unknown>, run.stderr);
      for (const secret of emu.secrets().filter((s) => s.length >= 6)) {
        expect(run.stderr.includes(secret) ? `stderr leaks ${secret.slice(0, 4)}…` : 'ok').toBe('ok');
        expect(run.stdout.includes(secret) ? `stdout leaks ${secret.slice(0, 4)}…` : 'ok').toBe('ok');
      }
    }, 60_000);
  });
});
