import { afterEach, describe, expect, jest, test } from '@jest/globals';
import { AzureDevOpsError } from '../../../../src/core/errors.js';
import { HostNotAllowedError } from '../../../../src/core/devops/host-policy.js';
import { createClientHarness, IDENTITY } from '../../devops-fakes.js';
import { json, rejectionOf } from '../../fakes.js';

const PROJECTS = 'https://dev.azure.com/contoso/_apis/projects?api-version=7.1';
const TOKEN = 'first-access-token-0001';
const NOT_A_MEMBER = `The identity (object ID ${IDENTITY.objectId}, application ID ${IDENTITY.clientId}, tenant ${IDENTITY.tenantId}) is not a member of organization 'contoso'.`;

describe('DevOpsClient: requests', () => {
  test('sends the bearer token, Accept, FedAuthRedirect and the caller headers lower-cased', async () => {
    const h = createClientHarness([json(200, { count: 1, value: ['p'] })]);
    const response = await h.client.send({
      method: 'POST',
      url: new URL(PROJECTS),
      headers: { 'X-Custom': 'a', 'Content-Type': 'application/json' },
      body: '{"name":"p"}'
    });
    expect(h.transport.requests).toEqual([
      {
        method: 'POST',
        url: PROJECTS,
        headers: {
          accept: 'application/json',
          'x-tfs-fedauthredirect': 'Suppress',
          'x-custom': 'a',
          'content-type': 'application/json',
          authorization: `Bearer ${TOKEN}`
        },
        body: '{"name":"p"}',
        endpoint: 'Azure DevOps host dev.azure.com',
        timeoutMs: 60_000,
        maxBytes: 64 * 1024 * 1024,
        tooLargeAdvice: expect.stringContaining('$top')
      }
    ]);
    expect(response).toMatchObject({ status: 200, data: { count: 1, value: ['p'] }, retries: 0 });
    expect(response.url.href).toBe(PROJECTS);
    expect(h.stats).toEqual({ requests: 1, retries: 0 });
    expect(h.tokens.gets).toBe(1);
  });

  test('a request without a body is sent without a body field', async () => {
    const h = createClientHarness([json(200, {})]);
    await h.client.send({ method: 'GET', url: new URL(PROJECTS) });
    expect(h.transport.requests).toStrictEqual([
      {
        method: 'GET',
        url: PROJECTS,
        headers: {
          accept: 'application/json',
          'x-tfs-fedauthredirect': 'Suppress',
          authorization: `Bearer ${TOKEN}`
        },
        endpoint: 'Azure DevOps host dev.azure.com',
        timeoutMs: 60_000,
        maxBytes: 64 * 1024 * 1024,
        tooLargeAdvice:
          'Ask for less per request: use paginate: true with a smaller $top in query, or narrow the query (a path, a date range, fewer fields).'
      }
    ]);
  });

  test('the log line gives the time from send to the answer', async () => {
    const times = [5_000, 5_042];
    jest.spyOn(Date, 'now').mockImplementation(() => times.shift() ?? 5_042);
    const h = createClientHarness([json(200, {})]);
    await h.client.send({ method: 'GET', url: new URL(PROJECTS) });
    expect(h.logged).toEqual(['GET https://dev.azure.com/contoso/_apis/projects -> 200 (42 ms)']);
  });

  test('logs one line per request through logRequest, the body only at debug level and scrubbed', async () => {
    const h = createClientHarness([json(200, { echoed: TOKEN })]);
    await h.client.send({ method: 'GET', url: new URL(PROJECTS) });
    expect(h.logged).toEqual([
      expect.stringMatching(/^GET https:\/\/dev\.azure\.com\/contoso\/_apis\/projects -> 200 \(\d+ ms\)$/)
    ]);
    expect(h.platform.lines('debug')).toEqual(['Response body: {"echoed":"***"}']);
    expect(h.platform.lines('info')).toEqual([]);
    expect(JSON.stringify(h.platform.calls.filter((c) => c.kind !== 'setSecret'))).not.toContain(TOKEN);
  });

  test.each([
    [{ status: 204, headers: {}, body: '' }, null],
    [{ status: 200, headers: { 'content-type': 'text/plain' }, body: 'plain text' }, 'plain text'],
    [{ status: 200, headers: {}, body: ' {"a":1}' }, { a: 1 }],
    [{ status: 200, headers: { 'content-type': 'application/json' }, body: '{oops' }, '{oops'],
    [
      { status: 404, headers: { 'content-type': 'application/json' }, body: '{"message":"no"}' },
      { message: 'no' }
    ]
  ])('%j → data %j', async (step, data) => {
    const h = createClientHarness([step]);
    expect((await h.client.send({ method: 'GET', url: new URL(PROJECTS) })).data).toEqual(data);
  });

  test('a host outside the allow-list is refused before any token or request', async () => {
    const h = createClientHarness([json(200, {})]);
    const error = await rejectionOf(
      h.client.send({ method: 'GET', url: new URL('https://evil.example/_apis') })
    );
    expect(error).toBeInstanceOf(HostNotAllowedError);
    expect(error.message).toContain('Refused to send the token to evil.example: it is not an allowed host');
    expect([h.transport.requests.length, h.tokens.gets]).toEqual([0, 0]);
  });

  test('allowed-hosts extends the list', async () => {
    const h = createClientHarness([json(200, { ok: true })], { allowed: ['vsrm.contoso.example'] });
    const response = await h.client.send({
      method: 'GET',
      url: new URL('https://vsrm.contoso.example/_apis/x')
    });
    expect(response.data).toEqual({ ok: true });
    expect(h.transport.requests[0]?.headers?.authorization).toBe(`Bearer ${TOKEN}`);
  });
});

afterEach(() => {
  jest.restoreAllMocks();
});

describe('DevOpsClient: sign-in page', () => {
  test.each([
    [{ status: 203, headers: { 'content-type': 'text/html' }, body: '<html>Sign in</html>' }],
    [{ status: 203, headers: { 'content-type': 'application/json' }, body: '{}' }],
    [{ status: 200, headers: { 'content-type': 'text/html; charset=utf-8' }, body: '<html/>' }]
  ])('%j is an AzureDevOpsError that says the token was not accepted', async (step) => {
    const h = createClientHarness([step]);
    const error = await rejectionOf(
      h.client.send({ method: 'GET', url: new URL(PROJECTS), description: "operation 1 ('projects')" })
    );
    expect(error).toBeInstanceOf(AzureDevOpsError);
    expect((error as AzureDevOpsError).status).toBe(step.status);
    expect(error.message).toContain(
      `operation 1 ('projects') failed: ${PROJECTS.split('?')[0]} answered HTTP ${step.status} with a sign-in page instead of JSON, which means it did not accept the token. ${NOT_A_MEMBER}`
    );
    expect(h.logged).toHaveLength(1);
  });

  test('without a description the message starts with the method and URL', async () => {
    const h = createClientHarness([{ status: 203, headers: {}, body: '' }]);
    const error = await rejectionOf(h.client.send({ method: 'GET', url: new URL(PROJECTS) }));
    expect(error.message).toMatch(/^GET https:\/\/dev\.azure\.com\/contoso\/_apis\/projects failed: /);
  });

  test.each([
    [199, false],
    [200, true],
    [299, true],
    [300, false]
  ])('HTML with status %i is taken for a sign-in page: %p', async (code, signIn) => {
    const h = createClientHarness([
      { status: code, headers: { 'content-type': 'text/html' }, body: '<html/>' }
    ]);
    const outcome = await h.client.send({ method: 'GET', url: new URL(PROJECTS) }).catch((e: unknown) => e);
    if (signIn) expect(outcome).toBeInstanceOf(AzureDevOpsError);
    else expect(outcome).toMatchObject({ status: code, data: '<html/>' });
  });

  test('a 400 with HTML is returned as the error status, not taken for a sign-in page', async () => {
    const h = createClientHarness([
      { status: 400, headers: { 'content-type': 'text/html' }, body: '<h1>Bad</h1>' }
    ]);
    const response = await h.client.send({ method: 'POST', url: new URL(PROJECTS) });
    expect([response.status, response.data]).toEqual([400, '<h1>Bad</h1>']);
  });
});
