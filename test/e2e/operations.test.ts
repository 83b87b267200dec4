import { beforeEach, describe, expect, test } from '@jest/globals';
import { expectNoLeaks, failureText, githubEnv, githubInputs, useEmulator } from './fixture.js';
import { runGitHubAction, type GitHubRun } from './runner.js';

const emu = useEmulator();
beforeEach(() => {
  emu.devops.resetStats();
});

const P = 'release-project';
const run = (operations: string, extra: Record<string, string> = {}, debug = false): Promise<GitHubRun> =>
  runGitHubAction({ inputs: githubInputs(emu, { operations, ...extra }), debug }, githubEnv(emu));
const results = (r: GitHubRun): Record<string, unknown> =>
  JSON.parse(r.outputs.results ?? 'null') as Record<string, unknown>;
const devopsCalls = (path: string) => emu.requestsFor('devops').filter((r) => r.path === path);

function expectOk(r: GitHubRun): void {
  expect(r.errors).toEqual([]);
  expect(r.exitCode).toBe(0);
  expectNoLeaks(r, emu, [r.outputs.token ?? '']);
}

function expectFailed(r: GitHubRun, ...fragments: string[]): string {
  expect(r.exitCode).toBe(1);
  const text = failureText(r);
  for (const fragment of fragments) expect(text).toContain(fragment);
  expectNoLeaks(r, emu, [r.outputs.token ?? '']);
  return text;
}

describe('operations on GitHub: paging, templates, for-each', () => {
  test.each([false, true])(
    'paging + select gathers every page (an empty page before the last: %s)',
    async (emptyPage) => {
      emu.devops.setRepositoryCount(250);
      emu.devops.emptyPageBeforeLast = emptyPage;
      try {
        const r = await run(
          `- name: repos\n  url: ${P}/_apis/git/repositories\n  paginate: true\n  select: "value[].name"\n`,
          {},
          true
        );
        expectOk(r);
        const names = results(r).repos as string[];
        expect(names).toHaveLength(250);
        expect(names.slice(0, 2)).toEqual(['repo-001', 'repo-002']);
        expect(names.at(-1)).toBe('repo-250');
        const pages = devopsCalls(`/contoso/${P}/_apis/git/repositories`);
        expect(pages.length).toBe(emptyPage ? 4 : 3);
        expect(pages[0]?.query).toEqual({ 'api-version': '7.1' });
        expect(pages[1]?.query.continuationToken).toBeTruthy();
        for (const page of pages)
          expect(page.headers).toMatchObject({
            authorization: `Bearer ${r.outputs.token}`,
            accept: 'application/json',
            'x-tfs-fedauthredirect': 'Suppress'
          });
        const log = r.infoLines.join('\n');
        expect(log).toContain(`GET ${emu.httpsUrl}/contoso/${P}/_apis/git/repositories -> 200 (`);
        expect(log).toMatch(
          /Operations done: 1 operations, \d+ requests, 0 retries, 0\.0 s held back by rate limits/
        );
      } finally {
        emu.devops.emptyPageBeforeLast = false;
        emu.devops.setRepositoryCount(250);
      }
    }
  );

  test('a work item created from a previous result (json-patch), typed templates, results output shape', async () => {
    const operations = `
- name: first
  url: ${P}/_apis/git/repositories
  query: { "$top": 1 }
  select: "value[0].{name: name, size: size}"
- name: bug
  method: post
  url: "${P}/_apis/wit/workitems/$Task"
  content-type: application/json-patch+json
  body:
    - { op: add, path: /fields/System.Title, value: "Release of {{ results.first.name }}" }
    - { op: add, path: /fields/Custom.Size, value: "{{ results.first.size }}" }
  select: "{id: id, title: fields.\\"System.Title\\"}"
`;
    const r = await run(operations);
    expectOk(r);
    const out = results(r);
    expect(Object.keys(out)).toEqual(['first', 'bug']);
    expect(out.bug).toEqual({ id: expect.any(Number), title: 'Release of repo-001' });
    const create = emu.requestsFor('devops').find((x) => x.method === 'POST');
    expect(create?.path).toBe(`/contoso/${P}/_apis/wit/workitems/$Task`);
    expect(create?.headers['content-type']).toBe('application/json-patch+json');
    const patch = JSON.parse(create?.body ?? '[]') as { path: string; value: unknown }[];
    // A string that is exactly one template keeps the value's type.
    expect(patch[1]?.value).toEqual(expect.any(Number));
  });

  test('for-each over 200 items runs 4 at a time and keeps item order', async () => {
    const operations = `
- name: items
  url: _test/items
  query: { count: 200 }
  select: value
- name: names
  url: "_test/item/{{ item.id }}"
  for-each: "{{ results.items }}"
  select: name
`;
    const r = await run(operations);
    expectOk(r);
    const names = results(r).names as string[];
    expect(names).toHaveLength(200);
    expect(names).toEqual(Array.from({ length: 200 }, (_, i) => `item-${i + 1}`));
    expect(emu.devops.maxConcurrency('item')).toBeLessThanOrEqual(4);
    expect(emu.devops.maxConcurrency('item')).toBeGreaterThanOrEqual(2);
    expect(r.infoLines.join('\n')).toContain('for 200 items, 4 at a time');
  });

  test('concurrency is configurable per operation', async () => {
    const r = await run(
      `- name: n\n  url: "_test/item/{{ item }}"\n  for-each: [1, 2, 3, 4, 5, 6, 7, 8]\n  concurrency: 1\n  select: id\n`
    );
    expectOk(r);
    expect(results(r).n).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(emu.devops.maxConcurrency('item')).toBe(1);
  });
});

describe('operations on GitHub: rate limits, faults, failures', () => {
  test('429 waits Retry-After before retrying, and the emulator saw no early retry', async () => {
    const r = await run(`- name: t\n  url: _test/throttled\n  query: { key: k1, times: 1, retryAfter: 1 }\n`);
    expectOk(r);
    const log = emu.devops.throttleLog('k1');
    expect(log.map((e) => e.status)).toEqual([429, 200]);
    expect((log[1]?.time ?? 0) - (log[0]?.time ?? 0)).toBeGreaterThanOrEqual(950);
    expect(r.infoLines.join('\n')).toMatch(/answered 429 \(Retry-After 1\): holding requests for 1\.0 s/);
    expect(r.infoLines.join('\n')).toMatch(/1 retries, 1\.\d s held back by rate limits/);
  });

  test('X-RateLimit-Remaining: 0 slows later requests down before Azure DevOps blocks them', async () => {
    const r = await run(
      `- url: _test/slowdown\n  for-each: [1, 2, 3]\n  concurrency: 1\n  query: { key: slow, delay: 0.3 }\n`
    );
    expectOk(r);
    const times = emu.devops.throttleLog('slow').map((e) => e.time);
    expect(times).toHaveLength(3);
    // The first answer announces the limit; the next request waits the advised delay.
    expect((times[1] ?? 0) - (times[0] ?? 0)).toBeGreaterThanOrEqual(280);
    expect((times[2] ?? 0) - (times[1] ?? 0)).toBeGreaterThanOrEqual(280);
    expect(r.infoLines.join('\n')).toContain(
      `rate limit for ${new URL(emu.httpsUrl).host} is used up (X-RateLimit-Remaining: 0)`
    );
  });

  test('503 is retried for GET and POST; 500 is retried for GET only', async () => {
    const ok = await run(
      `- url: _test/flaky\n  query: { key: g503, failures: 1 }\n- method: POST\n  url: _test/flaky\n  query: { key: p503, failures: 1 }\n  body: {}\n- url: _test/flaky\n  query: { key: g500, failures: 1, status: 500 }\n`
    );
    expectOk(ok);
    expect(emu.requestsFor('devops').filter((x) => x.path === '/contoso/_test/flaky')).toHaveLength(6);
    emu.reset();
    const failed = await run(
      `- method: POST\n  url: _test/flaky\n  query: { key: p500, failures: 1, status: 500 }\n  body: {}\n`
    );
    expectFailed(failed, 'operation 1 failed: POST', '/_test/flaky', 'answered HTTP 500');
    expect(emu.requestsFor('devops').filter((x) => x.path === '/contoso/_test/flaky')).toHaveLength(1);
  });

  test('an unexpected status fails with the Azure DevOps message, typeKey and a hint', async () => {
    const r = await run(`- name: repo\n  url: ${P}/_apis/git/repositories/does-not-exist\n`);
    expectFailed(
      r,
      "operation 1 ('repo') failed: GET",
      'answered HTTP 404: TF401019',
      '(GitRepositoryNotFoundException)',
      'Check the organization name'
    );
    expect(r.outputs.results).toBeUndefined();
  });

  test('continue-on-error stores the error and goes on; expect accepts listed statuses', async () => {
    const operations = `
- name: missing
  url: ${P}/_apis/git/repositories/does-not-exist
  continue-on-error: true
- name: accepted
  url: ${P}/_apis/git/repositories/also-missing
  expect: [404]
  select: typeKey
- name: wrongType
  method: POST
  url: "${P}/_apis/wit/workitems/$Task"
  body: [{ op: add, path: /fields/System.Title, value: x }]
  continue-on-error: true
  unchecked: true
`;
    // unchecked: the pre-flight would give the route's content type (JSON Patch); sent as written, it is JSON: 415.
    const r = await run(operations);
    expectOk(r);
    const out = results(r);
    // The request IDs are those of the answer the emulator sent.
    const sent = devopsCalls(`/contoso/${P}/_apis/git/repositories/does-not-exist`)[0]?.responseHeaders ?? {};
    expect(out.missing).toEqual({
      error: {
        status: 404,
        message: expect.stringContaining('TF401019'),
        typeKey: 'GitRepositoryNotFoundException',
        code: 'TF401019',
        activityId: sent.activityid,
        e2eId: sent['x-vss-e2eid'],
        msEdgeRef: sent['x-msedge-ref']
      }
    });
    expect(sent.activityid).toMatch(/^[0-9a-f-]{36}$/);
    expect(r.stdout).toContain(`activity ID ${sent.activityid}, E2E ID ${sent['x-vss-e2eid']}`);
    expect(out.accepted).toBe('GitRepositoryNotFoundException');
    expect(out.wrongType).toMatchObject({
      error: { status: 415, typeKey: 'VssRequestContentTypeNotSupportedException' }
    });
    expect(r.stdout).toContain('::warning::');
  });

  test('a 401 mid-run gets one new token and one retry', async () => {
    const r = await run(`- name: r\n  url: _test/revoke-once\n  query: { key: rv1 }\n`);
    expectOk(r);
    expect(results(r).r).toEqual({ ok: true });
    expect(emu.requestsFor('entra-token')).toHaveLength(2);
    const calls = devopsCalls('/contoso/_test/revoke-once');
    expect(calls).toHaveLength(2);
    expect(calls[0]?.headers.authorization).not.toBe(calls[1]?.headers.authorization);
    expect(r.infoLines.join('\n')).toContain('answered 401: getting a new access token and trying once more');
  });

  test('a run that outlives the access token refreshes it before it expires', async () => {
    emu.accessTokenLifetimeSeconds = 3;
    emu.fault('devops', { delayMs: 700, always: true });
    try {
      const r = await run(
        `- name: n\n  url: "_test/item/{{ item }}"\n  for-each: [1, 2, 3, 4, 5, 6]\n  concurrency: 1\n  select: id\n`,
        { verify: 'false' }
      );
      expectOk(r);
      expect(results(r).n).toEqual([1, 2, 3, 4, 5, 6]);
      expect(emu.requestsFor('entra-token').length).toBeGreaterThanOrEqual(2);
      expect(devopsCalls('/contoso/_test/item/1')).toHaveLength(1);
      expect(r.infoLines.join('\n')).toContain('getting a fresh one');
    } finally {
      emu.accessTokenLifetimeSeconds = 3599;
      emu.clearFaults();
    }
  });
});

describe('operations on GitHub: where the token may go', () => {
  test('a host outside the allow-list is refused before any byte is sent', async () => {
    const r = await run(`- url: ${emu.trap.url}/_apis/anything\n`);
    expectFailed(r, 'Refused to send the token to 127.0.0.2', 'not an allowed host', 'allowed hosts');
    expect(emu.trap.connections).toHaveLength(0);
    expect(emu.trap.requests).toHaveLength(0);
    // A literal URL is checked with the rest of the document: nothing at all was sent.
    expect(emu.requests).toEqual([]);
  });

  test('a templated URL that lands outside the allow-list is refused when it runs, before any byte is sent', async () => {
    const r = await runGitHubAction(
      { inputs: githubInputs(emu, { operations: `- url: "{{ env.TRAP_URL }}/_apis/anything"\n` }) },
      { ...githubEnv(emu), TRAP_URL: emu.trap.url }
    );
    expectFailed(r, 'Refused to send the token to 127.0.0.2', 'not an allowed host');
    expect(emu.trap.connections).toHaveLength(0);
    expect(emu.requestsFor('entra-token')).toHaveLength(1);
  });

  test('allowed-hosts lets a trusted host receive the token', async () => {
    const r = await run(`- name: t\n  url: ${emu.trap.url}/_apis/anything\n`, {
      'allowed-hosts': 'example.test, 127.0.0.2'
    });
    expectOk(r);
    expect(results(r).t).toEqual({ trap: true, sawAuthorization: true });
  });

  test('a redirect to another host is followed without the Authorization header', async () => {
    const r = await run(`- name: moved\n  url: _test/redirect\n  query: { to: "${emu.trap.url}/landing" }\n`);
    expectOk(r);
    expect(results(r).moved).toEqual({ trap: true, sawAuthorization: false });
    expect(emu.trap.requests[0]?.headers.authorization).toBeUndefined();
    expect(r.infoLines.join('\n')).toContain('redirected to 127.0.0.2');
  });

  test('an HTML 2xx is the sign-in page: an authentication failure', async () => {
    const r = await run(`- url: _test/html\n`, { verify: 'false' });
    expectFailed(r, 'sign-in page', emu.app.objectId);
  });

  test('request headers: bearer, Accept, X-TFS-FedAuthRedirect, User-Agent; custom headers pass', async () => {
    const r = await run(
      `- name: echo\n  url: _test/echo\n  headers: { X-Release: "{{ organization.name }}" }\n`
    );
    expectOk(r);
    const echo = results(r).echo as { headers: Record<string, string> };
    expect(echo.headers).toMatchObject({
      accept: 'application/json',
      'x-tfs-fedauthredirect': 'Suppress',
      'x-release': 'contoso'
    });
    expect(echo.headers['user-agent']).toMatch(
      /^azure-devops-entra-token\/1\.\d+\.\d+ \(GitHub Actions; node /
    );
    expect(devopsCalls('/contoso/_test/echo')[0]?.headers.authorization).toBe(`Bearer ${r.outputs.token}`);
  });
});

describe('operations on GitHub: a bad document fails before any request', () => {
  test.each([
    ['- url: [unclosed', "Input 'operations' is not valid YAML at line 1"],
    ['- url: x\n  retries: 3', "operation 1, field 'retries': unknown field"],
    ['- name: a\n  method: GET', "operation 1 ('a'), field 'url': is required"],
    [
      '- url: x\n  method: FETCH',
      "field 'method': 'FETCH' is not one of GET, POST, PUT, PATCH, DELETE, HEAD"
    ],
    ['- url: "{{ results.nope.id }}"', 'uses results.nope, but no operation has that name'],
    ['- name: a\n  url: "x/{{ results.b }}"\n- name: b\n  url: y', 'uses results.b, which runs later'],
    ['- url: "x/{{ item.id }}"', "uses 'item', which exists only in an operation with for-each"],
    ['- url: x\n  select: "value[?"', "field 'select': 'value[?' is not a valid JMESPath expression"],
    ['- url: x\n  headers: { authorization: "Bearer abc" }', 'Authorization cannot be set'],
    ['- name: a\n  url: x\n- name: a\n  url: y', "the name 'a' is used twice"],
    ['- url: x\n  concurrency: 2', "field 'concurrency': applies only to an operation with for-each"],
    ['url: x', 'must be a YAML list of operations']
  ])('%j', async (operations, fragment) => {
    const r = await run(operations);
    expectFailed(r, fragment);
    expect(emu.requests).toEqual([]);
  });

  test('operations-file is read from the workspace; both inputs at once is an error', async () => {
    // canary: projects-read
    const file = `- name: p\n  url: _apis/projects\n  select: "value[].name"\n`;
    const ok = await runGitHubAction(
      { inputs: githubInputs(emu, { 'operations-file': 'ops.yml' }), files: { 'ops.yml': file } },
      githubEnv(emu)
    );
    expectOk(ok);
    expect(results(ok).p).toEqual([P]);
    emu.reset();
    const both = await runGitHubAction(
      {
        inputs: githubInputs(emu, { 'operations-file': 'ops.yml', operations: file }),
        files: { 'ops.yml': file }
      },
      githubEnv(emu)
    );
    expectFailed(both, "Inputs 'operations' and 'operations-file' are both set");
    expect(emu.requests).toEqual([]);
  });
});
