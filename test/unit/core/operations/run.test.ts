import { AzureDevOpsError } from '../../../../src/core/errors.js';
import { OperationFormatError } from '../../../../src/core/operations/model.js';
import { parseOperations } from '../../../../src/core/operations/parse.js';
import { runOperations } from '../../../../src/core/operations/run.js';
import { createClientHarness, createRunHarness, IDENTITY, ok, ORG } from '../../devops-fakes.js';
import { createTestGuard, json, rejectionOf } from '../../fakes.js';

const API = 'https://dev.azure.com/contoso';
const NOT_FOUND = {
  message:
    'TF401019: The Git repository with name or identifier nope does not exist or you do not have permissions for the operation you are attempting.',
  typeKey: 'GitRepositoryNotFoundException'
};

describe('runOperations: one request per operation', () => {
  test('resolves the url against the organization, adds api-version and keeps named results', async () => {
    const h = createRunHarness((r) => ok({ url: r.url }));
    const results = await h.run('- name: projects\n  url: _apis/projects\n- url: /_apis/teams');
    expect(h.client.sent).toEqual([
      {
        method: 'GET',
        url: `${API}/_apis/projects?api-version=7.1`,
        headers: {},
        body: undefined,
        description: "operation 1 ('projects')"
      },
      {
        method: 'GET',
        url: `${API}/_apis/teams?api-version=7.1-preview.3`,
        headers: {},
        body: undefined,
        description: 'operation 2'
      }
    ]);
    expect(results).toEqual({ projects: { url: `${API}/_apis/projects?api-version=7.1` } });
    expect(h.platform.lines('info').slice(0, 2)).toEqual([
      "Running operation 1 ('projects'): GET _apis/projects.",
      'Running operation 2: GET /_apis/teams.'
    ]);
  });

  test('an api-version in the url wins; query values are rendered, typed values as text, null left out', async () => {
    const h = createRunHarness(() => ok({ value: [{ id: 'p1' }], n: 25 }));
    await h.run(`
- name: first
  url: _apis/projects
  api-version: "7.2-preview.1"
- url: "https://vssps.dev.azure.com/contoso/_apis/graph/users?api-version=6.0-preview.1"
  query: { $top: "{{ results.first.n }}", subjectTypes: aad, deep: true, skip: null, id: "{{ results.first.value[0].id }}" }
`);
    expect(h.client.sent.map((r) => r.url)).toEqual([
      `${API}/_apis/projects?api-version=7.2-preview.1`,
      'https://vssps.dev.azure.com/contoso/_apis/graph/users?api-version=6.0-preview.1&%24top=25&subjectTypes=aad&deep=true&id=p1'
    ]);
  });

  test('bodies: objects as JSON with the default content type, strings as they are, templates typed', async () => {
    const h = createRunHarness(() => ok({ id: 7, name: 'web' }));
    await h.run(`
- name: repo
  url: _apis/git/repositories
  method: post
  body: { name: "{{ organization.name }}-web", id: 5, tags: [a] }
  headers: { X-Repo: fixed }
`);
    const h2 = createRunHarness(() => ok({ id: 7, name: 'web' }));
    await h2.run(`
- name: repo
  url: _apis/git/repositories/web
- url: _apis/wit/workitems/$Bug
  method: PATCH
  body: '[{"op":"add","path":"/fields/System.Title","value":"x"}]'
  content-type: application/json-patch+json
- url: "_apis/git/repositories/{{ results.repo.id }}"
  method: patch
  headers: { X-Repo: "repo {{ results.repo.name }}" }
  body: { id: "{{ results.repo.id }}", label: "id {{ results.repo.id }}" }
- url: _test/x
  method: delete
  content-type: text/plain
`);
    expect(h.client.sent[0]).toMatchObject({
      method: 'POST',
      headers: { 'X-Repo': 'fixed', 'content-type': 'application/json' },
      body: '{"name":"contoso-web","id":5,"tags":["a"]}'
    });
    expect(h2.client.sent.slice(1)).toEqual([
      expect.objectContaining({
        method: 'PATCH',
        headers: { 'content-type': 'application/json-patch+json' },
        body: '[{"op":"add","path":"/fields/System.Title","value":"x"}]'
      }),
      expect.objectContaining({
        method: 'PATCH',
        url: `${API}/_apis/git/repositories/7?api-version=7.1`,
        headers: { 'X-Repo': 'repo web', 'content-type': 'application/json' },
        body: '{"id":7,"label":"id 7"}'
      }),
      expect.objectContaining({
        method: 'DELETE',
        headers: { 'content-type': 'text/plain' },
        body: undefined
      })
    ]);
  });

  test('select applies JMESPath to the response; expect accepts the listed statuses only', async () => {
    const h = createRunHarness((r) =>
      r.url.includes('missing') ? ok(NOT_FOUND, {}, 404) : ok({ value: [{ id: 1, name: 'a' }] })
    );
    const results = await h.run(`
- name: names
  url: _apis/projects
  select: "value[].name"
- name: gone
  url: _test/missing
  expect: [200, 404]
  select: typeKey
`);
    expect(results).toEqual({ names: ['a'], gone: 'GitRepositoryNotFoundException' });
    const refused = createRunHarness(() => ok({ id: 1 }, {}, 201));
    const error = await rejectionOf(
      refused.run('- url: _apis/projects\n  method: POST\n  body: {}\n  expect: 200')
    );
    expect(error).toBeInstanceOf(AzureDevOpsError);
    expect(error.message).toBe(`operation 1 failed: POST ${API}/_apis/projects answered HTTP 201.`);
  });

  test('an unexpected status fails with the code, the operation and the fix', async () => {
    const h = createRunHarness(() => ok(NOT_FOUND, {}, 404));
    const error = (await rejectionOf(
      h.run('- name: repo\n  url: _apis/git/repositories/nope\n- url: x')
    )) as AzureDevOpsError;
    expect(error).toBeInstanceOf(AzureDevOpsError);
    expect([error.status, error.code]).toEqual([404, 'TF401019']);
    expect(error.message).toBe(
      `operation 1 ('repo') failed: GET ${API}/_apis/git/repositories/nope answered HTTP 404: ${NOT_FOUND.message.slice(0, -1)} (GitRepositoryNotFoundException). Check the organization name ('contoso') and the path; a missing project or repository also looks like this when the identity cannot see it.`
    );
    expect(h.client.sent).toHaveLength(1);
  });

  test('continue-on-error keeps the error as the result, warns, and the run goes on', async () => {
    const h = createRunHarness((r) => (r.url.includes('nope') ? ok(NOT_FOUND, {}, 404) : ok({ ok: true })));
    const results = await h.run(`
- name: repo
  url: _apis/git/repositories/nope
  continue-on-error: true
- name: after
  url: "_test/status/{{ results.repo.error.status }}"
  select: ok
`);
    expect(results).toEqual({
      repo: {
        error: {
          status: 404,
          message: NOT_FOUND.message,
          typeKey: 'GitRepositoryNotFoundException',
          code: 'TF401019',
          activityId: '',
          e2eId: '',
          msEdgeRef: ''
        }
      },
      after: true
    });
    expect(h.client.sent[1]?.url).toBe(`${API}/_test/status/404?api-version=7.1`);
    expect(h.platform.lines('warning')).toEqual([
      expect.stringMatching(
        /^operation 1 \('repo'\) failed: GET .* answered HTTP 404: TF401019: .*\(continue-on-error: the run goes on\)$/
      )
    ]);
  });

  test('continue-on-error: the request IDs of the answer are in the warning and in the result', async () => {
    const ids = {
      activityid: '2a3b4c5d-0000-4000-8000-000000000011',
      'x-vss-e2eid': '6e7f8091-0000-4000-8000-000000000012',
      'x-msedge-ref':
        'Ref A: 0123456789ABCDEF0123456789ABCDEF Ref B: AMS231032607033 Ref C: 2026-12-04T13:55:00Z'
    };
    const h = createRunHarness(() => ok(NOT_FOUND, ids, 404));
    const results = await h.run(
      '- name: repo\n  url: _apis/git/repositories/nope\n  continue-on-error: true'
    );
    expect(results).toEqual({
      repo: {
        error: expect.objectContaining({
          code: 'TF401019',
          activityId: ids.activityid,
          e2eId: ids['x-vss-e2eid'],
          msEdgeRef: ids['x-msedge-ref']
        }) as unknown
      }
    });
    expect(h.platform.lines('warning')).toEqual([
      expect.stringContaining(
        `(Azure DevOps activity ID ${ids.activityid}, E2E ID ${ids['x-vss-e2eid']}, edge ref '${ids['x-msedge-ref']}'; give these to Microsoft support if you need their help.) (continue-on-error: the run goes on)`
      )
    ]);
  });

  test('a url template that gives no string fails naming the field', async () => {
    const h = createRunHarness(() => ok({ id: null }));
    const error = await rejectionOf(h.run('- name: a\n  url: x\n- url: "{{ results.a.id }}"'));
    expect(error).toBeInstanceOf(OperationFormatError);
    expect(error.message).toBe("operation 2, field 'url': the template gave null, not a URL.");
  });
});

describe('runOperations: environment and summary', () => {
  test('templates see env without credentials, inputs, endpoints, runner internals or state', async () => {
    const env = {
      BUILD_BUILDID: '42',
      HOME: '/home/runner',
      SYSTEM_ACCESSTOKEN: 'x',
      ACTIONS_ID_TOKEN_REQUEST_URL: 'x',
      INPUT_CLIENT_ID: 'x',
      ENDPOINT_URL_SVC: 'x',
      STATE_token: 'x',
      MY_SECRET_VALUE: 'x',
      DB_PASSWORD: 'x',
      AZURE_CREDENTIALS: 'x',
      github_token: 'x',
      UNSET: undefined
    };
    const h = createRunHarness(() => ok({}), env);
    await h.run('- url: x\n  method: POST\n  body: "{{ env }}"');
    expect(JSON.parse(h.client.sent[0]?.body ?? '')).toEqual({ BUILD_BUILDID: '42', HOME: '/home/runner' });
  });

  test('the summary counts only this run: operations, requests, retries and time held back', async () => {
    const h = createRunHarness(
      async (_, n) => {
        if (n === 0) {
          h.stats.retries++;
          h.throttle.pause(2500, 'test');
        } else await h.throttle.wait();
        return ok({});
      },
      {},
      { requests: 5, retries: 2 }
    );
    // Time held back before the run (verification, say) is not this run's.
    h.throttle.pause(1000, 'before the run');
    await h.throttle.wait();
    await h.run('- url: a\n- url: b');
    expect(h.platform.lines('info').at(-1)).toMatch(
      /^Operations done: 2 operations, 2 requests, 1 retries, 2\.5 s held back by rate limits, \d+\.\d s in all\.$/
    );
  });
});

describe('runOperations with the real client', () => {
  // Regression (fixed): run.ts sets headers['content-type'] = 'application/json' next to the user's 'Content-Type'
  // header; the client lower-cases both and the default overwrites the explicit header.
  test('a Content-Type header is not overwritten by the default for bodies', async () => {
    const h = createClientHarness([json(200, {})]);
    const ops = parseOperations(
      '- url: _apis/wit/workitems/$Task\n  method: POST\n  headers: { Content-Type: application/json-patch+json }\n  body: []',
      'ops',
      ORG
    );
    const { guard } = createTestGuard();
    const ctx = { client: h.client, organization: ORG, identity: IDENTITY, env: {}, guard, stats: h.stats };
    await runOperations(ops, { ...ctx, throttle: h.throttle });
    expect(h.transport.requests[0]?.headers?.['content-type']).toBe('application/json-patch+json');
  });
});
