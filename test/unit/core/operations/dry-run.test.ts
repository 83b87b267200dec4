import { OperationSecretError } from '../../../../src/core/operations/model.js';
import { parseOperations } from '../../../../src/core/operations/parse.js';
import { runOperations } from '../../../../src/core/operations/run.js';
import { renderStepSummary, createStepReport, type OperationRecord } from '../../../../src/core/summary.js';
import { createThrottle } from '../../../../src/core/http/throttle.js';
import { createFakeClient, createFakeClock, IDENTITY, ok, ORG } from '../../devops-fakes.js';
import { createTestGuard, rejectionOf } from '../../fakes.js';

const API = 'https://dev.azure.com/contoso';

/** A dry run of `yaml` against a fake Azure DevOps that answers every request with `reply`. */
function dryRun(yaml: string, reply: (url: string) => unknown = () => ({})) {
  const { platform, guard } = createTestGuard();
  const clock = createFakeClock();
  const stats = { requests: 0, retries: 0 };
  const client = createFakeClient((r) => ok(reply(r.url)), stats);
  const records: OperationRecord[] = [];
  const run = runOperations(parseOperations(yaml, "Input 'operations'", ORG), {
    client,
    organization: ORG,
    identity: IDENTITY,
    env: {},
    guard,
    stats,
    throttle: createThrottle(guard, clock.sleep, clock.now),
    records,
    dryRun: true
  });
  return { run, client, platform, guard, records };
}

describe('dry run', () => {
  test('reads run, writes are shown with their rendered URL, content type and body, not sent', async () => {
    const h = dryRun(
      `
- name: repo
  url: _apis/git/repositories/web
- name: created
  method: POST
  url: "_apis/git/repositories/{{ results.repo.id }}/refs"
  query: { secret-ish: "{{ results.repo.id }}" }
  body: [{ name: "refs/tags/v1", oldObjectId: "{{ results.repo.head }}" }]
- method: delete
  url: _test/x/1
`,
      () => ({ id: 'r1', head: 'abc' })
    );
    const results = await h.run;
    expect(h.client.sent.map((r) => `${r.method} ${r.url}`)).toEqual([
      `GET ${API}/_apis/git/repositories/web?api-version=7.1`
    ]);
    expect(results).toEqual({
      repo: { id: 'r1', head: 'abc' },
      created: {
        dryRun: true,
        method: 'POST',
        url: `${API}/_apis/git/repositories/r1/refs`,
        contentType: 'application/json',
        body: [{ name: 'refs/tags/v1', oldObjectId: 'abc' }]
      }
    });
    expect(h.platform.lines('info')).toEqual([
      "operation 3: not checked against Microsoft's published Azure DevOps REST 7.1 specifications (not an Azure DevOps REST path: it has no _apis segment); sent as written.",
      "Running operation 1 ('repo'): GET _apis/git/repositories/web.",
      "Dry run, operation 2 ('created'): not sent:",
      `  POST ${API}/_apis/git/repositories/r1/refs`,
      '  Content-Type: application/json',
      '  Body: [{"name":"refs/tags/v1","oldObjectId":"abc"}]',
      'Dry run, operation 3: not sent:',
      `  DELETE ${API}/_test/x/1`,
      'Dry run: 2 operations not sent (2 requests planned); nothing was written to Azure DevOps by them.',
      expect.stringMatching(/^Operations done: 3 operations, 1 requests, /)
    ]);
    expect(h.records.map((r) => [r.label, r.method, r.path, r.status])).toEqual([
      ["operation 1 ('repo')", 'GET', '/contoso/_apis/git/repositories/web', '200'],
      ["operation 2 ('created')", 'POST', '/contoso/_apis/git/repositories/r1/refs', 'planned (dry run)'],
      ['operation 3', 'DELETE', '/contoso/_test/x/1', 'planned (dry run)']
    ]);
  });

  test("a template on a write's result shows a placeholder, and a read that needs one is planned, not run", async () => {
    const h = dryRun(`
- name: build
  method: POST
  url: _apis/build/builds
  body: { definition: { id: 12 } }
- name: status
  url: "_apis/build/builds/{{ results.build.id }}"
- name: tag
  method: PUT
  url: "_apis/build/builds/{{ results.build.id }}/tags/{{ results.status.status }}"
  content-type: text/plain
  body: "built {{ results.build.buildNumber }} by {{ organization.name }}"
`);
    const results = await h.run;
    expect(h.client.sent).toEqual([]);
    expect(results).toEqual({
      build: {
        dryRun: true,
        method: 'POST',
        url: `${API}/_apis/build/builds`,
        contentType: 'application/json',
        body: { definition: { id: 12 } }
      },
      status: {
        dryRun: true,
        method: 'GET',
        url: `${API}/_apis/build/builds/<result of 'build'>`,
        contentType: null,
        body: null
      },
      tag: {
        dryRun: true,
        method: 'PUT',
        url: `${API}/_apis/build/builds/<result of 'build'>/tags/<result of 'status'>`,
        contentType: 'text/plain',
        body: "built <result of 'build'> by contoso"
      }
    });
    expect(h.platform.lines('info')).toContain(
      "Dry run, operation 2 ('status'): not run: it needs the result of 'build', which the dry run did not send:"
    );
    expect(h.records.map((r) => r.status)).toEqual([
      'planned (dry run)',
      'planned (dry run)',
      'planned (dry run)'
    ]);
  });

  test('for-each writes: one request per item, the log shows the first 20 and counts the rest', async () => {
    const repos = Array.from({ length: 23 }, (_, i) => ({ id: `r${i + 1}` }));
    const h = dryRun(
      `
- name: repos
  url: _apis/git/repositories
  select: value
- name: removed
  method: DELETE
  url: "_apis/git/repositories/{{ item.id }}"
  for-each: "{{ results.repos }}"
`,
      () => ({ value: repos })
    );
    const results = await h.run;
    expect(h.client.sent).toHaveLength(1);
    const removed = results.removed as { url: string }[];
    expect(removed).toHaveLength(23);
    expect(removed[22]).toEqual({
      dryRun: true,
      method: 'DELETE',
      url: `${API}/_apis/git/repositories/r23`,
      contentType: null,
      body: null
    });
    const info = h.platform.lines('info');
    expect(info).toContain("Dry run, operation 2 ('removed'): not sent; 23 items, the first 20 shown:");
    expect(info).toContain(`    DELETE ${API}/_apis/git/repositories/r20`);
    expect(info).not.toContain(`    DELETE ${API}/_apis/git/repositories/r21`);
    expect(info).toContain('  … and 3 more (all 23 are in results.removed).');
    expect(h.records[1]?.status).toBe('planned (dry run) ×23');
  });

  test("a for-each over a write's result is shown once, its items as a placeholder", async () => {
    const h = dryRun(`
- name: created
  method: POST
  url: _apis/wit/workitems/$Task
  body: []
- method: PATCH
  url: "_apis/wit/workitems/{{ item.id }}"
  for-each: "{{ results.created.relations }}"
  body: { title: "{{ item.title }}" }
`);
    const results = await h.run;
    expect(h.client.sent).toEqual([]);
    expect(results).toEqual({ created: expect.objectContaining({ dryRun: true }) });
    const info = h.platform.lines('info');
    expect(info).toEqual(
      expect.arrayContaining([
        "Dry run, operation 2: not sent; for each item of the result of 'created':",
        `  PATCH ${API}/_apis/wit/workitems/<item of the result of 'created'>`,
        `  Body: {"title":"<item of the result of 'created'>"}`
      ])
    );
  });

  test('a write whose rendered body holds a secret of the run is refused, as a real run refuses it', async () => {
    const h = dryRun(
      `
- name: env
  url: _test/x
- method: POST
  url: _test/y
  body: { v: "{{ results.env.value }}" }
`,
      () => ({ value: 'the-access-token-value' })
    );
    h.guard.mask('the-access-token-value');
    const error = await rejectionOf(h.run);
    expect(error).toBeInstanceOf(OperationSecretError);
    expect(h.platform.lines('info').join('\n')).not.toContain('the-access-token-value');
    expect(h.records[1]?.status).toBe('failed');
  });

  test('long bodies are cut in the log and whole in results; untrusted text cannot start a command', async () => {
    const long = 'x'.repeat(2100);
    const h = dryRun(
      `
- name: text
  url: _test/x
- name: put
  method: PUT
  url: _test/y
  content-type: text/plain
  body: "{{ results.text.long }}"
- method: POST
  url: _test/z
  body: "{{ results.text.evil }}"
`,
      () => ({ long, evil: '##vso[task.setvariable variable=x]1\n::stop-commands::x' })
    );
    const results = await h.run;
    expect((results.put as { body: string }).body).toBe(long);
    const info = h.platform.lines('info');
    expect(info).toContain(`  Body: ${'x'.repeat(2000)}… (100 more characters in results)`);
    expect(info.join('\n')).not.toMatch(/##vso\[|^\s*::/m);
  });

  test('the summary shows planned writes', async () => {
    const h = dryRun('- method: POST\n  url: _test/y\n  body: {}');
    await h.run;
    const report = createStepReport('test', ORG, false);
    report.operations.push(...h.records);
    expect(renderStepSummary(report)).toContain(
      '| operation 1 | POST | `/contoso/_test/y` | planned (dry run) |'
    );
  });
});
