import { describe, expect, test } from '@jest/globals';
import { EntraErrorResponse } from '../../../../src/core/auth/entra-error-details.js';
import { explainCredentialError } from '../../../../src/core/auth/entra-errors.js';
import { FederatedTokenExchange } from '../../../../src/core/auth/federated-exchange.js';
import { AuthenticationError } from '../../../../src/core/errors.js';
import {
  createFakeSleep,
  createFakeTransport,
  createRecordingLogger,
  fixedDeadline,
  json,
  rejectionOf,
  type TransportStep
} from '../../fakes.js';

const TENANT = '99999999-8888-4777-8666-555555555555';
const CLIENT = '11111111-2222-4333-8444-555555555555';
const ASSERTION = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.sig';
const SCOPE = '499b84ac-1321-427f-aa17-267ca6975798/.default';

function exchange(
  steps: TransportStep[],
  authorityHost = 'https://login.microsoftonline.com',
  tenantId = TENANT
) {
  const transport = createFakeTransport(steps);
  const sleep = createFakeSleep();
  let assertions = 0;
  const credential = new FederatedTokenExchange({
    tenantId,
    clientId: CLIENT,
    authorityHost,
    getAssertion: () => {
      assertions++;
      return Promise.resolve(ASSERTION);
    },
    transport,
    deadline: fixedDeadline(),
    logger: createRecordingLogger(),
    now: () => 1_000_000,
    sleep
  });
  return { credential, transport, sleep, assertions: () => assertions };
}

describe('FederatedTokenExchange: workload identity federation in one request', () => {
  test("POSTs the client credentials grant with the OIDC token as client assertion to the tenant's token endpoint", async () => {
    const { credential, transport } = exchange([json(200, { access_token: 'at-123456', expires_in: 3599 })]);
    expect(await credential.getToken(SCOPE)).toEqual({
      token: 'at-123456',
      expiresOnTimestamp: 1_000_000 + 3_599_000
    });
    expect(transport.requests).toHaveLength(1);
    const [request] = transport.requests;
    expect(request?.method).toBe('POST');
    expect(request?.url).toBe(`https://login.microsoftonline.com/${TENANT}/oauth2/v2.0/token`);
    expect(request?.endpoint).toBe('Microsoft Entra token endpoint');
    expect(request?.headers?.['content-type']).toBe('application/x-www-form-urlencoded;charset=utf-8');
    expect(Object.fromEntries(new URLSearchParams(String(request?.body)))).toEqual({
      client_id: CLIENT,
      scope: SCOPE,
      grant_type: 'client_credentials',
      client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
      client_assertion: ASSERTION
    });
  });

  test('a custom authority host (sovereign, emulator) gets the same one request: no metadata GET', async () => {
    const { credential, transport } = exchange(
      [json(200, { access_token: 'at-123456', expires_in: 60 })],
      'https://127.0.0.1:8443'
    );
    await credential.getToken(SCOPE);
    expect(transport.requests.map((r) => r.url)).toEqual([
      `https://127.0.0.1:8443/${TENANT}/oauth2/v2.0/token`
    ]);
  });

  test('an Entra refusal is thrown with its AADSTS text and fields, which the explanation keeps with the support IDs', async () => {
    const body = {
      error: 'invalid_client',
      error_description:
        "AADSTS700213: No matching federated identity record found for presented assertion subject 'repo:x'.\r\nTrace ID: 0a1b2c3d-0000-4000-8000-000000000001\r\nCorrelation ID: 5c6d7e8f-0000-4000-8000-000000000002\r\nTimestamp: 2026-12-04 13:55:00Z",
      error_codes: [700213],
      timestamp: '2026-12-04 13:55:00Z',
      trace_id: '0a1b2c3d-0000-4000-8000-000000000001',
      correlation_id: '5c6d7e8f-0000-4000-8000-000000000002'
    };
    const { credential, transport } = exchange([json(401, body)]);
    const error = await rejectionOf(credential.getToken(SCOPE));
    expect(error).toBeInstanceOf(EntraErrorResponse);
    expect(error.message).toContain('invalid_client: AADSTS700213: No matching federated identity record');
    expect((error as EntraErrorResponse).details).toEqual({
      code: 'AADSTS700213',
      error: 'invalid_client',
      description: "No matching federated identity record found for presented assertion subject 'repo:x'.",
      traceId: '0a1b2c3d-0000-4000-8000-000000000001',
      correlationId: '5c6d7e8f-0000-4000-8000-000000000002',
      timestamp: '2026-12-04 13:55:00Z',
      status: 401
    });
    expect(transport.requests).toHaveLength(1); // a 401 is not retried
    const explained = explainCredentialError(error, {
      credential: {
        kind: 'federated',
        tenantId: TENANT,
        clientId: CLIENT,
        authorityHost: 'https://login.microsoftonline.com',
        oidc: { kind: 'env', variable: 'T', token: ASSERTION }
      },
      names: {
        clientId: "'client-id'",
        tenantId: "'tenant-id'",
        cloud: "'cloud'",
        scope: "'scope'",
        managedIdentitySelectors: ''
      },
      presented: undefined,
      subjectAdvice: ''
    });
    expect(explained).toBeInstanceOf(AuthenticationError);
    expect(explained).toMatchObject({
      code: 'AADSTS700213',
      traceId: '0a1b2c3d-0000-4000-8000-000000000001',
      correlationId: '5c6d7e8f-0000-4000-8000-000000000002',
      timestamp: '2026-12-04 13:55:00Z',
      status: 401,
      cause: error
    });
    expect(explained.message).toMatch(
      / \(Entra trace ID 0a1b2c3d-0000-4000-8000-000000000001, correlation ID 5c6d7e8f-0000-4000-8000-000000000002, timestamp 2026-12-04 13:55:00Z; give these to Microsoft support if you need their help\.\)$/
    );
    expect(explained.message).not.toContain(ASSERTION);
  });

  test('503 and 429 are retried after their Retry-After; the assertion is built once', async () => {
    const { credential, transport, sleep, assertions } = exchange([
      json(503, { error: 'temporarily_unavailable' }, { 'retry-after': '1' }),
      json(429, { error: 'throttled' }, { 'retry-after': '2' }),
      json(200, { access_token: 'at-123456', expires_in: 3599 })
    ]);
    expect((await credential.getToken(SCOPE)).token).toBe('at-123456');
    expect(transport.requests).toHaveLength(3);
    expect(sleep.delays).toEqual([1000, 2000]);
    expect(assertions()).toBe(1);
  });

  test('asks for JSON and sends a fresh client-request-id on each exchange', async () => {
    const { credential, transport } = exchange([json(200, { access_token: 'at-123456', expires_in: 60 })]);
    await credential.getToken(SCOPE);
    await credential.getToken(SCOPE);
    const ids = transport.requests.map((r) => r.headers?.['client-request-id']);
    expect(transport.requests[0]?.headers?.accept).toBe('application/json');
    expect(ids[0]).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(ids[1]).not.toBe(ids[0]);
  });

  test('the tenant is one path segment even if it holds a slash', async () => {
    const { credential, transport } = exchange(
      [json(200, { access_token: 'at-123456', expires_in: 60 })],
      'https://login.microsoftonline.com',
      'contoso/../x'
    );
    await credential.getToken(SCOPE);
    expect(transport.requests[0]?.url).toBe(
      'https://login.microsoftonline.com/contoso%2F..%2Fx/oauth2/v2.0/token'
    );
  });

  test.each<[string, unknown, number]>([
    ['a number', 3599, 3_599_000],
    ['a string (as Entra v1 sends it)', '1800', 1_800_000],
    ['missing', undefined, 3_600_000],
    ['zero', 0, 3_600_000],
    ['negative', -5, 3_600_000],
    ['not a number', 'soon', 3_600_000]
  ])('expires_in %s → the token expires %i ms after the request', async (_name, expiresIn, lifetimeMs) => {
    const { credential } = exchange([json(200, { access_token: 'at-123456', expires_in: expiresIn })]);
    expect(await credential.getToken(SCOPE)).toEqual({
      token: 'at-123456',
      expiresOnTimestamp: 1_000_000 + lifetimeMs
    });
  });

  test.each<[string, TransportStep, string]>([
    [
      'an empty access_token',
      json(200, { access_token: '', expires_in: 3599 }),
      'HTTP 200: the token endpoint issued no access token.'
    ],
    [
      'an access_token that is not a string',
      json(200, { access_token: 12345678, expires_in: 3599 }),
      'HTTP 200: the token endpoint issued no access token.'
    ],
    [
      'an access_token with another success status',
      json(203, { access_token: 'at-123456', expires_in: 3599 }),
      'HTTP 203: the token endpoint issued no access token.'
    ],
    [
      'an access_token next to an error',
      json(401, {
        access_token: 'at-123456',
        error: 'invalid_client',
        error_description: 'AADSTS7000215: bad.'
      }),
      'invalid_client: AADSTS7000215: bad.'
    ]
  ])('%s is a failure, never a token', async (_name, step, message) => {
    const { credential } = exchange([step]);
    const error = await rejectionOf(credential.getToken(SCOPE));
    expect(error).toBeInstanceOf(EntraErrorResponse);
    expect(error.message).toBe(message);
  });

  test('an answer that is not an Entra error keeps the HTTP status in its details', async () => {
    const { credential } = exchange([json(404, { message: 'not here' })]);
    const error = await rejectionOf(credential.getToken(SCOPE));
    expect(error.message).toBe('HTTP 404: the token endpoint issued no access token.');
    expect((error as EntraErrorResponse).details).toEqual({ status: 404 });
  });

  test.each<[string, TransportStep, string]>([
    [
      'a body that is not JSON',
      { status: 200, headers: {}, body: '<html>' },
      'The Microsoft Entra token endpoint answered HTTP 200 with a body that is not JSON.'
    ],
    [
      'a 200 without access_token',
      json(200, { token_type: 'Bearer' }),
      'HTTP 200: the token endpoint issued no access token.'
    ],
    [
      'an error without a description',
      json(400, { error: 'invalid_request' }),
      'invalid_request: the token endpoint issued no access token.'
    ],
    [
      'an error whose description is not text',
      json(400, { error: 'invalid_request', error_description: 42 }),
      'invalid_request: the token endpoint issued no access token.'
    ]
  ])('%s is a clear error', async (_name, step, message) => {
    const { credential } = exchange([step]);
    expect((await rejectionOf(credential.getToken(SCOPE))).message).toContain(message);
  });
});
