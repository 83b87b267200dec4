import { afterEach, describe, expect, jest, test } from '@jest/globals';
import type { DevOpsClient, DevOpsRequest } from '../../../../src/core/devops/client.js';
import { AzureDevOpsError } from '../../../../src/core/errors.js';
import { OperationFormatError, OperationSecretError } from '../../../../src/core/operations/model.js';
import { parseOperations } from '../../../../src/core/operations/parse.js';
import { runOperations, type RunContext } from '../../../../src/core/operations/run.js';
import { templateEnvironment } from '../../../../src/core/operations/template-env.js';
import type { Organization } from '../../../../src/core/settings.js';
import type { OperationRecord } from '../../../../src/core/summary.js';
import { createThrottle } from '../../../../src/core/http/throttle.js';
import {
  createFakeClient,
  createFakeClock,
  createRunHarness,
  IDENTITY,
  ok,
  ORG,
  type Reply,
  type SentRequest
} from '../../devops-fakes.js';
import { createTestGuard, rejectionOf } from '../../fakes.js';

const API = 'https://dev.azure.com/contoso';

afterEach(() => {
  jest.restoreAllMocks();
});

/** runOperations with records, an optional organization and a clock under the test's control. */
function setup(
  reply: (request: SentRequest, n: number) => Reply | Promise<Reply>,
  org: Organization | null = ORG
) {
  const organization = org ?? undefined;
  const { platform, guard } = createTestGuard();
  const clock = createFakeClock();
  const stats = { requests: 0, retries: 0 };
  const client = createFakeClient(reply, stats);
  const records: OperationRecord[] = [];
  const ctx: RunContext = {
    client,
    organization,
    identity: IDENTITY,
    env: {},
    guard,
    stats,
    throttle: createThrottle(guard, clock.sleep, clock.now),
    records
  };
  const run = (yaml: string) => runOperations(parseOperations(yaml, 'ops', ORG), ctx);
  return { client, platform, guard, records, run };
}

describe('runOperations: the summary records', () => {
  test('one request: its status, its path without the query, the time it took and its retries', async () => {
    let now = 5_000_000;
    jest.spyOn(Date, 'now').mockImplementation(() => now);
    const h = setup(() => {
      now += 1500;
      return { ...ok({}), retries: 2 };
    });
    await h.run('- name: p\n  url: "_apis/projects?$top=5"\n- url: _apis/teams');
    expect(h.records).toEqual([
      {
        label: "operation 1 ('p')",
        method: 'GET',
        path: '/contoso/_apis/projects',
        status: '200',
        durationMs: 1500,
        retries: 2
      },
      {
        label: 'operation 2',
        method: 'GET',
        path: '/contoso/_apis/teams',
        status: '200',
        durationMs: 1500,
        retries: 2
      }
    ]);
    expect(h.platform.lines('info').at(-1)).toBe(
      'Operations done: 2 operations, 2 requests, 0 retries, 0.0 s held back by rate limits, 3.0 s in all.'
    );
  });

  test('for-each: statuses counted and sorted, the template path when the paths differ', async () => {
    const statuses = [404, 200, 201, 404];
    const h = setup((_, n) => ok({}, {}, statuses[n]));
    await h.run(
      '- url: "_test/items/{{ item }}?x=1"\n  for-each: [a, b, c, d]\n  concurrency: 1\n  expect: [200, 201, 404]'
    );
    expect(h.records.map((r) => [r.path, r.status])).toEqual([
      ['_test/items/{{ item }}', '200 ×1, 201 ×1, 404 ×2']
    ]);
  });

  test('one status more than once is counted; a single status counted once is the bare code', async () => {
    const h = setup((_, n) => ok({}, {}, n < 2 ? 200 : 404));
    await h.run(
      '- url: _test/same\n  for-each: [a, b]\n- url: _test/x\n  for-each: [a, b]\n  expect: [404]\n  continue-on-error: true'
    );
    expect(h.records.map((r) => [r.path, r.status])).toEqual([
      ['/contoso/_test/same', '200 ×2'],
      ['/contoso/_test/x', '404 ×2']
    ]);
    const single = setup((_, n) => ok({}, {}, n === 0 ? 201 : 200));
    await single.run('- url: _test/a\n  for-each: [a, b]\n  concurrency: 1\n  expect: [200, 201]');
    expect(single.records.map((r) => r.status)).toEqual(['200 ×1, 201 ×1']);
  });

  test('a failure before any request is "failed" with the template path; after one, with its status', async () => {
    const h = setup(() => ok(null));
    const error = await rejectionOf(
      h.run('- name: a\n  url: a\n- url: "_test/x?y=1"\n  for-each: "{{ results.a }}"')
    );
    expect(error.message).toContain('gave null, not a list');
    expect(h.records.map((r) => [r.path, r.status])).toEqual([
      ['/contoso/a', '200'],
      ['_test/x', 'failed']
    ]);
    const failed = setup(() => ok({}, {}, 500));
    await rejectionOf(failed.run('- url: _test/y'));
    expect(failed.records.map((r) => r.status)).toEqual(['failed (500)']);
  });
});

describe('runOperations: requests in detail', () => {
  test('for-each over null names null', async () => {
    const h = createRunHarness(() => ok({ v: null }));
    const error = await rejectionOf(h.run('- name: a\n  url: x\n- url: y\n  for-each: "{{ results.a.v }}"'));
    expect(error.message).toBe(
      "operation 2, field 'for-each': '{{ results.a.v }}' gave null, not a list. Point it at a list, such as {{ results.repos }} where repos selects value[]."
    );
  });

  test('a Content-Type header moves to content-type; other headers, even one named "undefined", stay', async () => {
    const h = createRunHarness(() => ok({}));
    await h.run(`
- url: _test/a
  headers: { Content-Type: text/plain }
- url: _test/b
  method: POST
  body: { a: 1 }
  headers: { undefined: kept }
- url: _test/c
  body: null
`);
    expect(h.client.sent.map((r) => [r.headers, r.body])).toStrictEqual([
      [{ 'content-type': 'text/plain' }, undefined],
      [{ undefined: 'kept', 'content-type': 'application/json' }, '{"a":1}'],
      [{}, undefined]
    ]);
  });

  test('a request without a body has no body field at all', async () => {
    const requests: DevOpsRequest[] = [];
    const client: DevOpsClient = {
      send: (request) => {
        requests.push(request);
        return Promise.resolve({
          status: 200,
          headers: {},
          body: '',
          data: null,
          retries: 0,
          url: request.url
        });
      }
    };
    const { guard } = createTestGuard();
    const clock = createFakeClock();
    const ops = parseOperations('- url: _test/a\n- url: _test/b\n  method: POST\n  body: "x"', 'ops', ORG);
    await runOperations(ops, {
      client,
      organization: ORG,
      identity: IDENTITY,
      env: {},
      guard,
      stats: { requests: 0, retries: 0 },
      throttle: createThrottle(guard, clock.sleep, clock.now)
    });
    expect(requests.map((r) => 'body' in r)).toEqual([false, true]);
  });

  test('a secret with characters JSON escapes is refused in a string body', async () => {
    const h = createRunHarness(() => ok({ s: 'tok"en\\secret' }));
    h.guard.mask('tok"en\\secret');
    const error = await rejectionOf(
      h.run('- name: a\n  url: x\n- url: y\n  method: POST\n  body: "{{ results.a.s }}"')
    );
    expect(error).toBeInstanceOf(OperationSecretError);
    expect([error.name, (error as OperationSecretError).field]).toEqual(['OperationSecretError', 'body']);
  });

  test('a query value that is undefined (operations built in code) is left out', async () => {
    const h = setup(() => ok({}));
    const [operation] = parseOperations('- url: _test/x', 'ops', ORG);
    if (operation === undefined) throw new Error('no operation');
    await runOperations([{ ...operation, query: { a: undefined, b: 'x' } }], {
      client: h.client,
      organization: ORG,
      identity: IDENTITY,
      env: {},
      guard: h.guard,
      stats: { requests: 0, retries: 0 },
      throttle: createThrottle(h.guard, createFakeClock().sleep, createFakeClock().now)
    });
    expect(h.client.sent[0]?.url).toBe(`${API}/_test/x?api-version=7.1&b=x`);
  });

  test('without an organization, error hints name an empty organization', async () => {
    const h = setup(() => ok({}, {}, 403), null);
    const error = await rejectionOf(h.run('- url: https://dev.azure.com/contoso/_test/x'));
    expect(error.message).toBe(
      `operation 1 failed: GET ${API}/_test/x answered HTTP 403. The identity is a member of '' but lacks permission for this call. Grant it the needed permission or add it to a group that has it.`
    );
  });

  test('paginate: an answer with null data fails as an Azure DevOps error', async () => {
    const h = createRunHarness(() => ({ status: 200, headers: {}, data: null }));
    const error = await rejectionOf(h.run('- url: _test/x\n  paginate: true'));
    expect(error).toBeInstanceOf(AzureDevOpsError);
    expect(error.message).toBe(
      `operation 1: paginate needs a response with a 'value' list, but GET ${API}/_test/x answered without one.`
    );
  });

  test('paginate stops after exactly 10000 pages', async () => {
    const h = createRunHarness((_, n) =>
      ok({ value: [] }, n < 10_005 ? { 'x-ms-continuationtoken': `t${n}` } : {})
    );
    const error = await rejectionOf(h.run('- url: _test/x\n  paginate: true'));
    expect(error.message).toBe(
      "operation 1: Azure DevOps repeated continuation token 't9999' (or sent more than 10000 pages); stopping instead of looping."
    );
    expect(h.client.sent).toHaveLength(10_000);
  });

  test.each([199, 300])('status %i is not a success without expect', async (status) => {
    const h = createRunHarness(() => ok({}, {}, status));
    const error = await rejectionOf(h.run('- url: _test/x'));
    expect(error).toBeInstanceOf(AzureDevOpsError);
    expect((error as AzureDevOpsError).status).toBe(status);
  });

  test('continue-on-error with an answer that is not an Azure DevOps error gives empty fields', async () => {
    const h = setup(() => ({ status: 500, headers: {}, body: 'oops', data: null }), null);
    const results = await h.run(
      '- name: r\n  url: https://dev.azure.com/contoso/_test/x\n  continue-on-error: true'
    );
    expect(results).toEqual({
      r: {
        error: { status: 500, message: '', typeKey: '', code: '', activityId: '', e2eId: '', msEdgeRef: '' }
      }
    });
    expect(h.platform.lines('warning')).toEqual([
      `operation 1 ('r') failed: GET ${API}/_test/x answered HTTP 500. (continue-on-error: the run goes on)`
    ]);
  });
});

describe('runOperations: resolving the url', () => {
  test('without an organization, absolute URLs work and relative ones fail naming the trimmed text', async () => {
    const h = setup(() => ok({ p: ' _test/x ' }), null);
    await h.run('- url: "https://vssps.dev.azure.com/contoso/_test/x"\n- url: "Git+ssh.x-y://h/p"');
    expect(h.client.sent.map((r) => r.url)).toEqual([
      'https://vssps.dev.azure.com/contoso/_test/x?api-version=7.1',
      'git+ssh.x-y://h/p?api-version=7.1'
    ]);
    const error = await rejectionOf(
      h.run('- name: a\n  url: "https://dev.azure.com/contoso/a"\n- url: "{{ results.a.p }}"')
    );
    expect(error).toBeInstanceOf(OperationFormatError);
    expect(error.message).toBe(
      "operation 2, field 'url': '_test/x' is relative, but no organization is set."
    );
  });

  test('relative URLs: leading slashes and spaces are dropped, a URL in the query stays in the query', async () => {
    const h = createRunHarness(() => ok({ b: ' /_test/b' }));
    await h.run('- name: r\n  url: "//_test/a"\n- url: "{{ results.r.b }}"\n- url: "_test/c?to=https://x"');
    expect(h.client.sent.map((r) => r.url)).toEqual([
      `${API}/_test/a?api-version=7.1`,
      `${API}/_test/b?api-version=7.1`,
      `${API}/_test/c?to=https%3A%2F%2Fx&api-version=7.1`
    ]);
  });

  test('a url template that gives only spaces is not a URL', async () => {
    const h = createRunHarness(() => ok({ s: '   ' }));
    const error = await rejectionOf(h.run('- name: a\n  url: x\n- url: "{{ results.a.s }}"'));
    expect(error).toBeInstanceOf(OperationFormatError);
    expect(error.name).toBe('OperationFormatError');
    expect(error.message).toBe(`operation 2, field 'url': the template gave "   ", not a URL.`);
  });
});

describe('templateEnvironment', () => {
  test('leaves out unset variables entirely', () => {
    expect(templateEnvironment({ A: 'a', UNSET: undefined })).toStrictEqual({ A: 'a' });
  });
});
