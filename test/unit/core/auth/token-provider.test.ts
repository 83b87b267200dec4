import { afterEach, beforeAll, describe, expect, jest, test } from '@jest/globals';
import type { InputNames } from '../../../../src/core/auth/entra-errors.js';
import {
  AuthenticationError,
  EndpointTimeoutError,
  OidcTokenError,
  ProxyError,
  ResponseTooLargeError
} from '../../../../src/core/errors.js';
import { NetworkError } from '../../../../src/core/http/transport.js';
import type { CredentialSettings, OidcSource } from '../../../../src/core/settings.js';
import { createTokenProvider, getToken, withDeadline } from '../../../../src/core/auth/token-provider.js';
import {
  createFakeTransport,
  createTestGuard,
  fixedDeadline,
  json,
  makeJwt,
  rejectionOf,
  type TransportStep
} from '../../fakes.js';

const SCOPE = '499b84ac-1321-427f-aa17-267ca6975798/.default';
const START = Date.UTC(2026, 10, 22, 9, 0, 0);
const AUTHORITY = 'https://login.microsoftonline.com';
const TENANT = '11111111-2222-4333-8444-555555555555';
const CLIENT = '66666666-7777-4888-8999-000000000000';
const NAMES: InputNames = {
  clientId: "'client-id'",
  tenantId: "'tenant-id'",
  cloud: "'cloud'",
  scope: "'scope'",
  managedIdentitySelectors: "'client-id'"
};
const OIDC_TOKEN = makeJwt({
  iss: 'https://gitlab.example.com',
  sub: 'project_path:group/app:ref_type:branch:ref:main',
  aud: 'api://AzureADTokenExchange'
});
const ENV_SOURCE: OidcSource = { kind: 'env', variable: 'CI_JOB_JWT_V2', token: OIDC_TOKEN };
const federated = (oidc: OidcSource = ENV_SOURCE): CredentialSettings => ({
  kind: 'federated',
  tenantId: TENANT,
  clientId: CLIENT,
  authorityHost: AUTHORITY,
  oidc
});
const SECRET: CredentialSettings = {
  kind: 'client-secret',
  tenantId: TENANT,
  clientId: CLIENT,
  clientSecret: 'client-secret-value-0001',
  authorityHost: AUTHORITY
};
const MANAGED: CredentialSettings = { kind: 'managed-identity', selector: undefined };

function issued(token: string, expiresIn: number): TransportStep {
  return json(200, { token_type: 'Bearer', access_token: token, expires_in: expiresIn });
}

/**
 * A provider over a fake transport on a clock that moves only when told. A budget of one second leaves no room
 * for retries, so a failure is reported at once.
 */
function setup(credential: CredentialSettings, steps: TransportStep[], timeoutSeconds = 1) {
  let time = START;
  const transport = createFakeTransport(steps);
  const { guard, platform } = createTestGuard();
  const tokens = createTokenProvider({
    credential,
    scope: SCOPE,
    transport,
    guard,
    names: NAMES,
    subjectAdvice: 'Check the subject.',
    timeoutSeconds,
    env: {},
    now: () => time
  });
  return {
    tokens,
    transport,
    platform,
    at: (ms: number) => {
      time = ms;
    }
  };
}

describe('createTokenProvider: when the cached token is refreshed', () => {
  test('a long-lived token is kept until five minutes before expiry, then replaced (with a line saying so)', async () => {
    const run = setup(federated(), [issued('access-token-0001', 3600), issued('access-token-0002', 3600)]);
    expect((await run.tokens.get()).token).toBe('access-token-0001');
    const expires = START + 3_600_000;
    run.at(expires - 300_000 - 1);
    expect(await run.tokens.get()).toEqual({ token: 'access-token-0001', expiresOnTimestamp: expires });
    expect(run.transport.requests).toHaveLength(1);
    expect(run.platform.lines('info').filter((l) => l.startsWith('The access token'))).toEqual([]);
    run.at(expires - 300_000);
    expect((await run.tokens.get()).token).toBe('access-token-0002');
    expect(run.transport.requests).toHaveLength(2);
    expect(run.platform.lines('info')).toContain(
      'The access token expires at 2026-11-22T10:00:00.000Z; getting a fresh one.'
    );
  });

  test('a short-lived token is kept for half its lifetime, then replaced', async () => {
    const run = setup(federated(), [issued('access-token-0001', 120), issued('access-token-0002', 120)]);
    await run.tokens.get();
    run.at(START + 60_000 - 1);
    expect((await run.tokens.get()).token).toBe('access-token-0001');
    run.at(START + 60_000);
    expect((await run.tokens.get()).token).toBe('access-token-0002');
    expect(run.transport.requests).toHaveLength(2);
  });

  test('refresh() gets a new token even while the cached one is valid; presented() is the OIDC token', async () => {
    const run = setup(federated(), [issued('access-token-0001', 3600), issued('access-token-0002', 3600)]);
    await run.tokens.get();
    expect((await run.tokens.refresh()).token).toBe('access-token-0002');
    expect(run.tokens.presented()?.subject).toBe('project_path:group/app:ref_type:branch:ref:main');
  });
});

describe('createTokenProvider: failures', () => {
  test('an OIDC endpoint failure is reported as it is', async () => {
    const run = setup(
      federated({
        kind: 'github',
        requestUrl: 'https://token.actions.example.test/idtoken?api-version=2.0',
        requestToken: 'request-token-0001',
        audience: 'api://AzureADTokenExchange'
      }),
      [{ status: 404, body: '' }]
    );
    const error = await rejectionOf(run.tokens.get());
    expect(error).toBeInstanceOf(OidcTokenError);
    expect(error.message).toBe(
      'The GitHub OIDC endpoint answered HTTP 404. Retry the job; if it persists, check https://www.githubstatus.com.'
    );
  });

  test('a credential that returns no token', async () => {
    const error = await rejectionOf(getToken({ getToken: () => Promise.resolve(null) }, SCOPE));
    expect(error.message).toBe('The credential returned no token.');
  });
});

describe('createTokenProvider with @azure/identity credentials', () => {
  beforeAll(async () => {
    // Loaded one after the other: jest's ESM loader trips over the two concurrent imports token-source.ts makes.
    await import('../../../../src/core/auth/identity-http.js');
    await import('@azure/identity');
  });

  test('a client secret: the token endpoint is named as such; no OIDC token is presented', async () => {
    const run = setup(SECRET, [issued('access-token-0001', 3600)]);
    expect((await run.tokens.get()).token).toBe('access-token-0001');
    expect(run.transport.requests.map((r) => [r.method, r.url.replace(/\?.*/, ''), r.endpoint])).toEqual([
      ['POST', `${AUTHORITY}/${TENANT}/oauth2/v2.0/token`, 'Microsoft Entra token endpoint']
    ]);
    expect(run.tokens.presented()).toBeUndefined();
  });

  test('an authority MSAL has no metadata for: its openid-configuration is the metadata endpoint', async () => {
    const run = setup({ ...SECRET, authorityHost: 'https://login.example.test' }, [json(404, {})]);
    await rejectionOf(run.tokens.get());
    expect(run.transport.requests.map((r) => [r.method, r.url, r.endpoint])).toEqual([
      [
        'GET',
        `https://login.example.test/${TENANT}/v2.0/.well-known/openid-configuration`,
        'Microsoft Entra metadata endpoint'
      ]
    ]);
  });

  test('managed identity: the request goes to the managed identity endpoint', async () => {
    const run = setup(MANAGED, [
      json(200, {
        access_token: 'access-token-0001',
        expires_in: '3600',
        expires_on: String(Math.floor(Date.now() / 1000) + 3600),
        resource: '499b84ac-1321-427f-aa17-267ca6975798',
        token_type: 'Bearer'
      })
    ]);
    expect((await run.tokens.get()).token).toBe('access-token-0001');
    expect(run.transport.requests.map((r) => [r.method, r.url, r.endpoint])).toEqual([
      [
        'GET',
        'http://169.254.169.254/metadata/identity/oauth2/token?api-version=2018-02-01&resource=499b84ac-1321-427f-aa17-267ca6975798',
        'managed identity endpoint'
      ]
    ]);
  });

  test.each<[string, Error]>([
    [
      'a timeout',
      new EndpointTimeoutError(
        'Microsoft Entra token endpoint',
        `${AUTHORITY}/${TENANT}/oauth2/v2.0/token`,
        1
      )
    ],
    [
      'a proxy refusal',
      new ProxyError('The proxy refused the request (HTTP 407).', 407, 'http://proxy:3128')
    ],
    ['an oversized answer', new ResponseTooLargeError('The answer is larger than 1 MiB.', 1_048_576)],
    [
      'a network failure',
      new NetworkError('Could not reach the Microsoft Entra token endpoint.', 'ECONNRESET')
    ]
  ])('%s the library wraps is reported as the transport saw it', async (_, thrown) => {
    const run = setup(SECRET, [thrown]);
    expect(await rejectionOf(run.tokens.get())).toBe(thrown);
  });

  test('another transport error is explained, not reported raw', async () => {
    const thrown = new Error('socket hang up');
    const run = setup(SECRET, [thrown]);
    const error = await rejectionOf(run.tokens.get());
    expect(error).not.toBe(thrown);
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error.message).toBe(
      'Microsoft Entra ID did not issue a token: network_error: See https://aka.ms/msal.js.errors#network_error for details'
    );
  });

  test("an error answer's status and support IDs are kept, though the library drops them", async () => {
    const run = setup(SECRET, [
      json(400, {
        error: 'invalid_client',
        error_description:
          "AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '66666666-7777-4888-8999-000000000000'. Trace ID: 0b8c0e5a-1111-4222-8333-444444444444 Correlation ID: 7d1e2f3a-5555-4666-8777-888888888888 Timestamp: 2026-11-22 09:00:00Z",
        error_codes: [7000215],
        timestamp: '2026-11-22 09:00:00Z',
        trace_id: '0b8c0e5a-1111-4222-8333-444444444444',
        correlation_id: '7d1e2f3a-5555-4666-8777-888888888888'
      })
    ]);
    const error = await rejectionOf(run.tokens.get());
    expect(error).toBeInstanceOf(AuthenticationError);
    expect((error as AuthenticationError).status).toBe(400);
    expect(error.message).toBe(
      "Microsoft Entra ID refused the token request: AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '66666666-7777-4888-8999-000000000000'. The client secret is wrong. Use the secret's Value (not its Secret ID) and update the service connection — or better, convert it to workload identity federation so there is no secret to rotate. (Entra trace ID 0b8c0e5a-1111-4222-8333-444444444444, correlation ID 7d1e2f3a-5555-4666-8777-888888888888, timestamp 2026-11-22 09:00:00Z; give these to Microsoft support if you need their help.)"
    );
  });

  test('an answer that is not an error (2xx) is not kept as one', async () => {
    const run = setup(SECRET, [
      json(200, {
        error: 'invalid_client',
        error_description: 'AADSTS7000215: Invalid client secret provided.',
        error_codes: [7000215]
      })
    ]);
    const error = await rejectionOf(run.tokens.get());
    expect((error as AuthenticationError).status).toBeUndefined();
    expect(error.message).toBe(
      "Microsoft Entra ID refused the token request: AADSTS7000215: Invalid client secret provided. - Correlation ID: Not Available - The client secret is wrong. Use the secret's Value (not its Secret ID) and update the service connection — or better, convert it to workload identity federation so there is no secret to rotate."
    );
  });
});

describe('withDeadline', () => {
  afterEach(() => {
    jest.useRealTimers();
  });

  const never = new Promise<never>(() => undefined);

  function settle(promise: Promise<unknown>): () => unknown {
    let outcome: unknown;
    promise.then(
      (value) => (outcome = { value }),
      (error: unknown) => (outcome = error)
    );
    return () => outcome;
  }

  test.each<[string, CredentialSettings, string]>([
    ['managed identity', MANAGED, 'managed identity endpoint (see the log above)'],
    ['the Azure CLI', { kind: 'azure-cli', tenantId: undefined }, 'Azure CLI (see the log above)'],
    ['federation', federated(), `OIDC or Microsoft Entra token endpoint (${AUTHORITY})`],
    ['a client secret', SECRET, `Microsoft Entra token endpoint (${AUTHORITY})`]
  ])('%s: ends a grace second after the budget, naming the endpoint', async (_, cred, named) => {
    jest.useFakeTimers();
    const outcome = settle(withDeadline(never, fixedDeadline(5000, 5), [], cred));
    await jest.advanceTimersByTimeAsync(5999);
    expect(outcome()).toBeUndefined();
    await jest.advanceTimersByTimeAsync(1);
    expect(outcome()).toBeInstanceOf(EndpointTimeoutError);
    expect((outcome() as Error).message).toBe(
      `The ${named} did not answer within 5 seconds. Check that the host is reachable from this machine (firewall, proxy settings, DNS) and try again.`
    );
  });

  test('a budget already spent still waits the grace second; a timeout the transport saw wins', async () => {
    jest.useFakeTimers();
    const timeouts: EndpointTimeoutError[] = [];
    const outcome = settle(withDeadline(never, fixedDeadline(-5000, 5), timeouts, SECRET));
    const seen = new EndpointTimeoutError(
      'Microsoft Entra metadata endpoint',
      'https://login.example.test',
      5
    );
    timeouts.push(seen);
    await jest.advanceTimersByTimeAsync(999);
    expect(outcome()).toBeUndefined();
    await jest.advanceTimersByTimeAsync(1);
    expect(outcome()).toBe(seen);
  });

  test('a promise that settles in time: its value, and no timer left behind', async () => {
    jest.useFakeTimers();
    expect(await withDeadline(Promise.resolve('token'), fixedDeadline(5000, 5), [], SECRET)).toBe('token');
    expect(jest.getTimerCount()).toBe(0);
  });
});
