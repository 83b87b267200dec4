import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { acquireAzureDevOpsToken, describeMethod, type AcquireOptions } from '../../../src/core/acquire.js';
import { createRunTransport } from '../../../src/core/http/transport.js';
import type { InputNames } from '../../../src/core/auth/entra-errors.js';
import { AuthenticationError, AzureDevOpsError, BudgetExceededError } from '../../../src/core/errors.js';
import { HostNotAllowedError } from '../../../src/core/devops/host-policy.js';
import type { HttpRequest, HttpTransport } from '../../../src/core/http/transport.js';
import { userAgent } from '../../../src/core/product.js';
import type { CredentialSettings, Settings } from '../../../src/core/settings.js';
import { createStepReport } from '../../../src/core/summary.js';
import { TIMEOUT_VARIABLE } from '../../../src/core/validate.js';
import { IDENTITY, ORG } from '../devops-fakes.js';
import {
  createFakeTransport,
  createTestGuard,
  json,
  makeJwt,
  rejectionOf,
  type FakePlatform,
  type TransportStep
} from '../fakes.js';

const SCOPE = '499b84ac-1321-427f-aa17-267ca6975798/.default';
/** 2026-11-22T09:00:00.250Z: the milliseconds show that expiresOn drops them. */
const START = Date.UTC(2026, 10, 22, 9, 0, 0, 250);
const AUTHORITY = 'https://login.microsoftonline.com';
/** The tenant as configured (a domain), unlike the tenant ID the token's claims carry. */
const CONFIGURED_TENANT = 'contoso.onmicrosoft.com';
const OIDC_TOKEN = makeJwt({
  iss: 'https://gitlab.example.com',
  sub: 'project_path:group/app:ref_type:branch:ref:main',
  aud: 'api://AzureADTokenExchange'
});
const ACCESS_TOKEN = makeJwt({
  tid: IDENTITY.tenantId,
  oid: IDENTITY.objectId,
  appid: IDENTITY.clientId,
  azp: 'dddddddd-0000-4000-8000-000000000004'
});
const CONNECTION_DATA = `${ORG.url}/_apis/connectionData`;
const VERIFIED = json(200, {
  authenticatedUser: { id: 'user-id-0001', providerDisplayName: 'release-bot' }
});
const NAMES: InputNames = {
  clientId: "'client-id'",
  tenantId: "'tenant-id'",
  cloud: "'cloud'",
  scope: "'scope'",
  managedIdentitySelectors: "'client-id' or 'managed-identity-object-id'"
};
const SUBJECT_ADVICE = 'Add a federated credential whose subject matches the job.';

const FEDERATED_ENV: CredentialSettings = {
  kind: 'federated',
  tenantId: CONFIGURED_TENANT,
  clientId: IDENTITY.clientId,
  authorityHost: AUTHORITY,
  oidc: { kind: 'env', variable: 'CI_JOB_JWT_V2', token: OIDC_TOKEN }
};

function settingsFor(overrides: Partial<Settings> = {}): Settings {
  return {
    credential: FEDERATED_ENV,
    scope: SCOPE,
    organization: ORG,
    verify: true,
    timeoutSeconds: 30,
    allowedHosts: [],
    operations: undefined,
    operationsTimeout: { seconds: 600, input: 'operations-timeout' },
    dryRun: false,
    gitCredentials: false,
    feeds: [],
    ...overrides
  };
}

/** A token endpoint answer with the given token and lifetime in seconds. */
function issued(token = ACCESS_TOKEN, expiresIn = 3600): TransportStep {
  return json(200, { token_type: 'Bearer', access_token: token, expires_in: expiresIn });
}

/** A clock that stays put unless advanced. */
function createClock(start = START): { now: () => number; advance: (ms: number) => void } {
  let time = start;
  return {
    now: () => time,
    advance: (ms) => {
      time += ms;
    }
  };
}

interface Run {
  platform: FakePlatform;
  transport: ReturnType<typeof createFakeTransport>;
  options: AcquireOptions;
}

/** A run over a fake transport, on a clock fixed at START unless `clock` is 'real' (no `now` given). */
function setup(
  steps: TransportStep[],
  extra: Partial<AcquireOptions> = {},
  clock: 'fixed' | 'real' = 'fixed'
): Run {
  const { platform, guard } = createTestGuard();
  const transport = createFakeTransport(steps);
  const options: AcquireOptions = {
    platform,
    guard,
    names: NAMES,
    subjectAdvice: SUBJECT_ADVICE,
    ...(clock === 'fixed' ? { now: () => START } : {}),
    transport,
    ...extra
  };
  return { platform, transport, options };
}

const AUTHENTICATING =
  'Authenticating with workload identity federation (environment variable CI_JOB_JWT_V2).';
const APPLICATION = `Tenant ${CONFIGURED_TENANT}, client ID ${IDENTITY.clientId}, authority ${AUTHORITY}, scope ${SCOPE}.`;
const ISSUED = `Access token issued to application ${IDENTITY.clientId} (object ID ${IDENTITY.objectId}) in tenant ${IDENTITY.tenantId}; expires 2026-11-22T10:00:00Z (in 60 minutes).`;
const VERIFIED_LINE = `Verified: organization 'contoso' (${ORG.url}) accepts the token as 'release-bot' (id user-id-0001).`;

describe('describeMethod', () => {
  const app = { tenantId: CONFIGURED_TENANT, clientId: IDENTITY.clientId, authorityHost: AUTHORITY };
  test.each<[string, CredentialSettings, string]>([
    [
      'federated, GitHub',
      {
        kind: 'federated',
        ...app,
        oidc: {
          kind: 'github',
          requestUrl: 'https://token.actions.githubusercontent.com/x?api-version=2.0',
          requestToken: 'request-token-0001',
          audience: 'api://AzureADTokenExchange'
        }
      },
      'workload identity federation (GitHub OIDC token)'
    ],
    [
      'federated, Azure Pipelines',
      {
        kind: 'federated',
        ...app,
        oidc: {
          kind: 'azure-pipelines',
          requestUri:
            'https://dev.azure.com/contoso/_apis/distributedtask/hubs/build/plans/p/jobs/j/oidctoken',
          systemAccessToken: 'system-access-token-0001',
          serviceConnectionId: 'eeeeeeee-0000-4000-8000-000000000005',
          serviceConnectionInput: 'azureSubscription'
        }
      },
      'workload identity federation (Azure Pipelines OIDC token)'
    ],
    [
      'federated, token file',
      {
        kind: 'federated',
        ...app,
        oidc: {
          kind: 'file',
          path: '/var/run/secrets/azure/tokens/azure-identity-token',
          input: 'AZURE_FEDERATED_TOKEN_FILE'
        }
      },
      'workload identity federation (federated token file /var/run/secrets/azure/tokens/azure-identity-token)'
    ],
    [
      'federated, token file whose path says endpoint',
      {
        kind: 'federated',
        ...app,
        oidc: { kind: 'file', path: '/mnt/oidc endpoint/token', input: '--federated-token-file' }
      },
      'workload identity federation (federated token file /mnt/oidc endpoint/token)'
    ],
    [
      'federated, variable',
      FEDERATED_ENV,
      'workload identity federation (environment variable CI_JOB_JWT_V2)'
    ],
    [
      'client secret',
      { kind: 'client-secret', ...app, clientSecret: 'client-secret-0001' },
      'service principal with a client secret'
    ],
    [
      'certificate',
      { kind: 'client-certificate', ...app, certificatePem: '-----BEGIN CERTIFICATE-----' },
      'service principal with a certificate'
    ],
    [
      'managed identity, none selected',
      { kind: 'managed-identity', selector: undefined },
      'managed identity (system-assigned, or the only one assigned)'
    ],
    [
      'managed identity by client ID',
      { kind: 'managed-identity', selector: { kind: 'clientId', value: IDENTITY.clientId } },
      `user-assigned managed identity (clientId ${IDENTITY.clientId})`
    ],
    [
      'managed identity by object ID',
      { kind: 'managed-identity', selector: { kind: 'objectId', value: IDENTITY.objectId } },
      `user-assigned managed identity (objectId ${IDENTITY.objectId})`
    ],
    [
      'managed identity by resource ID',
      {
        kind: 'managed-identity',
        selector: {
          kind: 'resourceId',
          value:
            '/subscriptions/s/resourceGroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/deployer'
        }
      },
      'user-assigned managed identity (resourceId /subscriptions/s/resourceGroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/deployer)'
    ],
    [
      'Azure CLI, any tenant',
      { kind: 'azure-cli', tenantId: undefined },
      "the Azure CLI's signed-in account (az account get-access-token)"
    ],
    [
      'Azure CLI, empty tenant',
      { kind: 'azure-cli', tenantId: '' },
      "the Azure CLI's signed-in account (az account get-access-token)"
    ],
    [
      'Azure CLI, one tenant',
      { kind: 'azure-cli', tenantId: CONFIGURED_TENANT },
      `the Azure CLI's signed-in account (az account get-access-token --tenant ${CONFIGURED_TENANT})`
    ]
  ])('%s', (_, credential, expected) => {
    expect(describeMethod(credential)).toBe(expected);
  });
});

describe('acquireAzureDevOpsToken: workload identity federation with a token from a variable', () => {
  test('exchanges the OIDC token at the tenant token endpoint, then verifies with connectionData', async () => {
    const run = setup([issued(), VERIFIED]);
    await acquireAzureDevOpsToken(settingsFor(), run.options);
    const [exchange, verification] = run.transport.requests;
    expect(run.transport.requests).toHaveLength(2);
    expect(exchange).toMatchObject({
      method: 'POST',
      url: `${AUTHORITY}/${CONFIGURED_TENANT}/oauth2/v2.0/token`,
      headers: {
        'content-type': 'application/x-www-form-urlencoded;charset=utf-8',
        accept: 'application/json',
        'client-request-id': expect.stringMatching(
          /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/
        )
      },
      endpoint: 'Microsoft Entra token endpoint'
    });
    expect(Object.fromEntries(new URLSearchParams(exchange?.body))).toEqual({
      client_id: IDENTITY.clientId,
      scope: SCOPE,
      grant_type: 'client_credentials',
      client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
      client_assertion: OIDC_TOKEN
    });
    expect(exchange?.deadline?.seconds).toBe(30);
    expect(verification).toMatchObject({
      method: 'GET',
      url: CONNECTION_DATA,
      headers: {
        accept: 'application/json',
        'x-tfs-fedauthredirect': 'Suppress',
        authorization: `Bearer ${ACCESS_TOKEN}`
      },
      endpoint: 'Azure DevOps host dev.azure.com'
    });
    expect(verification?.body).toBeUndefined();
    // Verification gets the run's budget: timeoutSeconds, none of it spent on the fixed clock.
    expect(verification?.deadline?.seconds).toBe(30);
    expect(verification?.deadline?.remainingMs()).toBe(30_000);
  });

  test('returns the token, its expiry without milliseconds, the claims and the verified identity', async () => {
    const run = setup([issued(), VERIFIED]);
    const { result } = await acquireAzureDevOpsToken(settingsFor(), run.options);
    expect(result).toEqual({
      token: ACCESS_TOKEN,
      expiresOn: '2026-11-22T10:00:00Z',
      tenantId: IDENTITY.tenantId,
      objectId: IDENTITY.objectId,
      clientId: IDENTITY.clientId,
      identity: 'release-bot'
    });
  });

  test('logs the method, the application, the token issued, the request and the verification, in order', async () => {
    const run = setup([issued(), VERIFIED]);
    await acquireAzureDevOpsToken(settingsFor(), run.options);
    const lines = run.platform.lines('info');
    expect(lines).toEqual([
      AUTHENTICATING,
      APPLICATION,
      "Presented OIDC token: issuer 'https://gitlab.example.com', subject 'project_path:group/app:ref_type:branch:ref:main', audience 'api://AzureADTokenExchange'.",
      ISSUED,
      expect.stringMatching(
        /^GET https:\/\/dev\.azure\.com\/contoso\/_apis\/connectionData -> 200 \(\d+ ms\)$/
      ),
      VERIFIED_LINE
    ]);
    expect(run.platform.lines('warning')).toEqual([]);
  });

  test('the access token is masked before any line about it, and no line carries it or the OIDC token', async () => {
    const run = setup([issued(), VERIFIED]);
    await acquireAzureDevOpsToken(settingsFor(), run.options);
    const calls = run.platform.calls;
    const masked = calls.findIndex((c) => c.kind === 'setSecret' && c.value === ACCESS_TOKEN);
    const issuedLine = calls.findIndex((c) => c.kind === 'info' && c.value === ISSUED);
    expect(masked).toBeGreaterThanOrEqual(0);
    expect(issuedLine).toBeGreaterThan(masked);
    expect(calls.findIndex((c) => c.kind === 'setSecret' && c.value === OIDC_TOKEN)).toBeLessThan(masked);
    for (const line of run.platform.lines()) {
      expect(line).not.toContain(ACCESS_TOKEN);
      expect(line).not.toContain(OIDC_TOKEN);
    }
  });

  test('the report gets the result and the verification', async () => {
    const report = createStepReport('method', ORG, true);
    const run = setup([issued(), VERIFIED], { report });
    const { result } = await acquireAzureDevOpsToken(settingsFor(), run.options);
    expect(report.result).toBe(result);
    expect(report.verified).toBe(true);
  });

  test('a refused verification still leaves the issued token in the report, not verified', async () => {
    const report = createStepReport('method', ORG, true);
    const run = setup([issued(), json(401, {})], { report });
    const error = await rejectionOf(acquireAzureDevOpsToken(settingsFor(), run.options));
    expect(error).toBeInstanceOf(AzureDevOpsError);
    // The identity named is the one from the token's claims.
    expect(error.message).toContain(
      `The identity (object ID ${IDENTITY.objectId}, application ID ${IDENTITY.clientId}, tenant ${IDENTITY.tenantId}) is not a member of organization 'contoso'.`
    );
    expect(report.result?.token).toBe(ACCESS_TOKEN);
    expect(report.result?.identity).toBe('');
    expect(report.verified).toBe(false);
    expect(run.platform.lines('info')).not.toContainEqual(expect.stringMatching(/^Verified/));
  });

  test('without a report nothing is recorded, and the run still succeeds', async () => {
    const run = setup([issued(), VERIFIED], { report: undefined });
    const { result } = await acquireAzureDevOpsToken(settingsFor(), run.options);
    expect(result.identity).toBe('release-bot');
  });

  test('a refused exchange fails the run before any verification, with nothing in the report', async () => {
    const report = createStepReport('method', ORG, true);
    const run = setup(
      [
        json(400, {
          error: 'invalid_client',
          error_description:
            "AADSTS700213: No matching federated identity record found for presented assertion subject 'project_path:group/app:ref_type:branch:ref:main'."
        })
      ],
      { report }
    );
    const error = await rejectionOf(acquireAzureDevOpsToken(settingsFor(), run.options));
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error.message).toContain('Microsoft Entra ID refused the token request: AADSTS700213');
    expect(run.transport.requests).toHaveLength(1);
    expect(report.result).toBeUndefined();
    expect(report.verified).toBe(false);
    expect(run.platform.lines('info').slice(0, 2)).toEqual([AUTHENTICATING, APPLICATION]);
    expect(run.platform.lines('info')).not.toContainEqual(expect.stringMatching(/^Access token issued/));
  });
});

describe('acquireAzureDevOpsToken: what the token says about itself', () => {
  const issuedLine = (platform: FakePlatform): string | undefined =>
    platform.lines('info').find((line) => line.startsWith('Access token issued'));

  test.each<[number, string, number]>([
    // 89.5 minutes rounds up, 89.48 down.
    [5370, '2026-11-22T10:29:30Z', 90],
    [5369, '2026-11-22T10:29:29Z', 89],
    [59, '2026-11-22T09:00:59Z', 1],
    [29, '2026-11-22T09:00:29Z', 0]
  ])('a lifetime of %i s expires at %s, in %i minutes', async (expiresIn, expiresOn, minutes) => {
    const run = setup([issued(ACCESS_TOKEN, expiresIn)], {});
    const { result } = await acquireAzureDevOpsToken(settingsFor({ verify: false }), run.options);
    expect(result.expiresOn).toBe(expiresOn);
    expect(issuedLine(run.platform)).toBe(
      `Access token issued to application ${IDENTITY.clientId} (object ID ${IDENTITY.objectId}) in tenant ${IDENTITY.tenantId}; expires ${expiresOn} (in ${minutes} minutes).`
    );
  });

  test('the minutes left count from when the token arrived, not from when the run started', async () => {
    const clock = createClock();
    const fake = createFakeTransport([issued(ACCESS_TOKEN, 3600)]);
    // The exchange takes 45 s: the token lives 3600 s from the request, so 59.25 minutes are left.
    const transport: HttpTransport = {
      send: (request) => {
        clock.advance(45_000);
        return fake.send(request);
      }
    };
    const run = setup([], { transport, now: clock.now });
    await acquireAzureDevOpsToken(settingsFor({ verify: false, timeoutSeconds: 50 }), run.options);
    expect(issuedLine(run.platform)).toMatch(/; expires 2026-11-22T10:00:00Z \(in 59 minutes\)\.$/);
  });

  test('the client ID falls back to azp when the token has no appid', async () => {
    const token = makeJwt({
      tid: IDENTITY.tenantId,
      oid: IDENTITY.objectId,
      azp: 'dddddddd-0000-4000-8000-000000000004'
    });
    const run = setup([issued(token)]);
    const { result } = await acquireAzureDevOpsToken(settingsFor({ verify: false }), run.options);
    expect(result.clientId).toBe('dddddddd-0000-4000-8000-000000000004');
    expect(issuedLine(run.platform)).toBe(
      `Access token issued to application dddddddd-0000-4000-8000-000000000004 (object ID ${IDENTITY.objectId}) in tenant ${IDENTITY.tenantId}; expires 2026-11-22T10:00:00Z (in 60 minutes).`
    );
  });

  test('a JWT without the claims is described with placeholders, and the result has empty strings', async () => {
    const token = makeJwt({ aud: '499b84ac-1321-427f-aa17-267ca6975798' });
    const run = setup([issued(token)]);
    const { result } = await acquireAzureDevOpsToken(settingsFor({ verify: false }), run.options);
    expect(result).toEqual({
      token,
      expiresOn: '2026-11-22T10:00:00Z',
      tenantId: '',
      objectId: '',
      clientId: '',
      identity: ''
    });
    expect(issuedLine(run.platform)).toBe(
      'Access token issued to application (unknown) (object ID unknown) in tenant unknown; expires 2026-11-22T10:00:00Z (in 60 minutes).'
    );
  });

  test('a token that is not a JWT is issued without an identity to show', async () => {
    const token = 'opaque-access-token-0001';
    const run = setup([issued(token)]);
    const { result } = await acquireAzureDevOpsToken(settingsFor({ verify: false }), run.options);
    expect(result).toEqual({
      token,
      expiresOn: '2026-11-22T10:00:00Z',
      tenantId: '',
      objectId: '',
      clientId: '',
      identity: ''
    });
    expect(issuedLine(run.platform)).toBe(
      'Access token issued (not a JWT, so its identity cannot be shown); expires 2026-11-22T10:00:00Z (in 60 minutes).'
    );
    expect(run.platform.secrets()).toContain(token);
  });
});

describe('acquireAzureDevOpsToken: verification on and off', () => {
  test.each<[string, Partial<Settings>]>([
    ['verify is off', { verify: false }],
    ['there is no organization', { organization: undefined }]
  ])('when %s, connectionData is not called and the identity stays empty', async (_, overrides) => {
    const report = createStepReport('method', overrides.organization, true);
    const run = setup([issued(), VERIFIED], { report });
    const { result, session } = await acquireAzureDevOpsToken(settingsFor(overrides), run.options);
    expect(run.transport.requests.map((r) => `${r.method} ${r.url}`)).toEqual([
      `POST ${AUTHORITY}/${CONFIGURED_TENANT}/oauth2/v2.0/token`
    ]);
    expect(result.identity).toBe('');
    expect(report.result).toBe(result);
    expect(report.verified).toBe(false);
    expect(session.stats).toEqual({ requests: 0, retries: 0 });
    expect(run.platform.lines('info')).toEqual([
      AUTHENTICATING,
      APPLICATION,
      expect.stringMatching(/^Presented/),
      ISSUED
    ]);
  });
});

describe('acquireAzureDevOpsToken: one budget for getting and verifying the token', () => {
  /** A transport whose token exchange takes `ms` on the clock. */
  function slowExchange(ms: number, clock: ReturnType<typeof createClock>, steps: TransportStep[]) {
    const fake = createFakeTransport(steps);
    const transport: HttpTransport & { requests: HttpRequest[] } = {
      requests: fake.requests,
      send: (request) => {
        if (request.method === 'POST') clock.advance(ms);
        return fake.send(request);
      }
    };
    return transport;
  }

  test('an exchange that used up the budget fails verification with the budget, naming the variable', async () => {
    const clock = createClock();
    const transport = slowExchange(20_000, clock, [issued(), VERIFIED]);
    const run = setup([], { transport, now: clock.now });
    const error = await rejectionOf(
      acquireAzureDevOpsToken(settingsFor({ timeoutSeconds: 20 }), run.options)
    );
    expect(error).toBeInstanceOf(BudgetExceededError);
    expect((error as BudgetExceededError).seconds).toBe(20);
    expect(error.message).toBe(
      `Verifying the token against organization 'contoso' did not finish: the 20-second budget for getting and verifying the token ran out before GET ${CONNECTION_DATA} could be sent. Check that the organization's host is reachable from this machine (firewall, proxy, DNS), or raise the ${TIMEOUT_VARIABLE} environment variable (seconds, 1 to 600; default 50).`
    );
    expect(TIMEOUT_VARIABLE).toBe('AZURE_DEVOPS_ENTRA_TOKEN_TIMEOUT');
    expect(transport.requests.map((r) => r.method)).toEqual(['POST']);
  });

  test('with a millisecond left, verification is sent with what the exchange left of the budget', async () => {
    const clock = createClock();
    const transport = slowExchange(19_999, clock, [issued(), VERIFIED]);
    const run = setup([], { transport, now: clock.now });
    const { result } = await acquireAzureDevOpsToken(settingsFor({ timeoutSeconds: 20 }), run.options);
    expect(result.identity).toBe('release-bot');
    expect(transport.requests[1]?.deadline?.remainingMs()).toBe(1);
  });
});

describe('acquireAzureDevOpsToken: the session for later work', () => {
  test('shares the token, the request count and the client', async () => {
    const run = setup([issued(), VERIFIED, json(200, { count: 0, value: [] })]);
    const { session } = await acquireAzureDevOpsToken(settingsFor(), run.options);
    expect(session.stats).toEqual({ requests: 1, retries: 0 });
    // The cached token: no second exchange.
    expect(await session.tokens.get()).toEqual({
      token: ACCESS_TOKEN,
      expiresOnTimestamp: START + 3_600_000
    });
    const response = await session.client.send({
      method: 'GET',
      url: new URL(`${ORG.url}/_apis/projects?api-version=7.1`)
    });
    expect(response.data).toEqual({ count: 0, value: [] });
    expect(session.stats).toEqual({ requests: 2, retries: 0 });
    expect(run.transport.requests.map((r) => `${r.method} ${r.url}`)).toEqual([
      `POST ${AUTHORITY}/${CONFIGURED_TENANT}/oauth2/v2.0/token`,
      `GET ${CONNECTION_DATA}`,
      `GET ${ORG.url}/_apis/projects?api-version=7.1`
    ]);
    expect(run.transport.requests[2]?.headers?.authorization).toBe(`Bearer ${ACCESS_TOKEN}`);
    // The client logs each request on the run's log.
    expect(run.platform.lines('info').at(-1)).toMatch(
      /^GET https:\/\/dev\.azure\.com\/contoso\/_apis\/projects -> 200 \(\d+ ms\)$/
    );
  });

  test("the token goes to the allowed hosts besides Azure DevOps' own, and to no other", async () => {
    const run = setup([issued(), json(200, { ok: true })]);
    const { session } = await acquireAzureDevOpsToken(
      settingsFor({ verify: false, allowedHosts: ['vsrm.contoso.example'] }),
      run.options
    );
    const response = await session.client.send({
      method: 'GET',
      url: new URL('https://vsrm.contoso.example/_apis/release/releases')
    });
    expect(response.data).toEqual({ ok: true });
    const error = await rejectionOf(
      session.client.send({ method: 'GET', url: new URL('https://other.example/_apis/x') })
    );
    expect(error).toBeInstanceOf(HostNotAllowedError);
    expect(run.transport.requests).toHaveLength(2);
  });

  test('the client names the organization in its errors', async () => {
    const run = setup([issued(), { status: 203, headers: { 'content-type': 'text/html' }, body: '<html/>' }]);
    const { session } = await acquireAzureDevOpsToken(settingsFor({ verify: false }), run.options);
    const error = await rejectionOf(
      session.client.send({ method: 'GET', url: new URL(`${ORG.url}/_apis/projects`) })
    );
    expect(error.message).toContain(
      `The identity (object ID ${IDENTITY.objectId}, application ID ${IDENTITY.clientId}, tenant ${IDENTITY.tenantId}) is not a member of organization 'contoso'.`
    );
  });

  test('without an organization the client names none', async () => {
    const run = setup([issued(), { status: 203, headers: { 'content-type': 'text/html' }, body: '<html/>' }]);
    const { session } = await acquireAzureDevOpsToken(settingsFor({ organization: undefined }), run.options);
    const error = await rejectionOf(
      session.client.send({ method: 'GET', url: new URL(`${ORG.url}/_apis/projects`) })
    );
    expect(error.message).toContain(") is not a member of organization ''.");
  });

  test('the throttle is shared: a rate-limit warning on verification holds the next request back', async () => {
    const run = setup([
      issued(),
      json(
        200,
        { authenticatedUser: { id: 'user-id-0001', providerDisplayName: 'release-bot' } },
        { 'x-ratelimit-remaining': '0', 'retry-after': '0.05' }
      ),
      json(200, { value: [] })
    ]);
    const { session } = await acquireAzureDevOpsToken(settingsFor(), run.options);
    expect(run.platform.lines('info')).toContain(
      'Azure DevOps reports the rate limit for dev.azure.com is used up (X-RateLimit-Remaining: 0): holding requests for 0.1 s.'
    );
    const sent = session.client.send({ method: 'GET', url: new URL(`${ORG.url}/_apis/projects`) });
    // The pause is a real wait on a timer, not a busy loop: other timers run while the request is held.
    const whileHeld = new Promise<number>((resolve) => {
      setTimeout(() => resolve(run.transport.requests.length), 0);
    });
    expect(await whileHeld).toBe(2);
    await sent;
    expect(run.transport.requests).toHaveLength(3);
    expect(session.throttle.waitedMs).toBeGreaterThan(0);
  });
});

describe('acquireAzureDevOpsToken: managed identity and the Azure CLI', () => {
  beforeAll(async () => {
    // Loaded one after the other: jest's ESM loader trips over the two concurrent imports token-source.ts makes.
    await import('../../../src/core/auth/identity-http.js');
    await import('@azure/identity');
  });

  test('managed identity logs the scope only, asks IMDS, and counts minutes on the real clock', async () => {
    const env: NodeJS.ProcessEnv = { AZURE_FEDERATED_TOKEN_FILE: '/var/run/secrets/token' };
    const run = setup(
      [
        json(200, {
          access_token: ACCESS_TOKEN,
          client_id: IDENTITY.clientId,
          expires_in: '3600',
          expires_on: String(Math.floor(Date.now() / 1000) + 3600),
          resource: '499b84ac-1321-427f-aa17-267ca6975798',
          token_type: 'Bearer'
        }),
        VERIFIED
      ],
      { env },
      'real'
    );
    const { result } = await acquireAzureDevOpsToken(
      settingsFor({
        credential: { kind: 'managed-identity', selector: { kind: 'clientId', value: IDENTITY.clientId } }
      }),
      run.options
    );
    expect(run.transport.requests.map((r) => `${r.method} ${r.url}`)).toEqual([
      `GET http://169.254.169.254/metadata/identity/oauth2/token?api-version=2018-02-01&resource=499b84ac-1321-427f-aa17-267ca6975798&client_id=${IDENTITY.clientId}`,
      `GET ${CONNECTION_DATA}`
    ]);
    const lines = run.platform.lines('info');
    expect(lines.slice(0, 2)).toEqual([
      `Authenticating with user-assigned managed identity (clientId ${IDENTITY.clientId}).`,
      `Scope ${SCOPE}.`
    ]);
    expect(lines[2]).toMatch(
      new RegExp(
        `^Access token issued to application ${IDENTITY.clientId} \\(object ID ${IDENTITY.objectId}\\) in tenant ${IDENTITY.tenantId}; expires \\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ \\(in (59|60) minutes\\)\\.$`
      )
    );
    expect(lines.at(-1)).toBe(VERIFIED_LINE);
    expect(result.identity).toBe('release-bot');
    // The environment given is the one the credential sees: managed identity was asked for, so no token file.
    expect(env).toEqual({});
    expect(run.platform.lines('debug')).toContain(
      'Ignoring AZURE_FEDERATED_TOKEN_FILE because managed identity was requested.'
    );
  });

  test('the Azure CLI logs the scope only, before it asks the CLI', async () => {
    // A tenant @azure/identity refuses: the credential fails before any `az` process starts.
    const run = setup([]);
    const error = await rejectionOf(
      acquireAzureDevOpsToken(settingsFor({ credential: { kind: 'azure-cli', tenantId: 'not a tenant' } }), {
        ...run.options,
        names: { ...NAMES, azureCli: "'--azure-cli'", otherModes: "'--managed-identity'" }
      })
    );
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error.message).toMatch(/^The Azure CLI did not issue a token: Invalid tenant id provided\./);
    expect(run.platform.lines('info')).toEqual([
      "Authenticating with the Azure CLI's signed-in account (az account get-access-token --tenant not a tenant).",
      `Scope ${SCOPE}.`
    ]);
    expect(run.transport.requests).toEqual([]);
  });
});

describe('createRunTransport and the default transport, over loopback', () => {
  interface Seen {
    method: string;
    url: string;
    userAgent: string | undefined;
  }
  const seen: Seen[] = [];
  let server: http.Server;
  let base = '';

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', userAgent: req.headers['user-agent'] });
      req.resume();
      req.on('end', () => {
        res.setHeader('content-type', 'application/json');
        if (req.method === 'POST')
          res.end(JSON.stringify({ token_type: 'Bearer', access_token: ACCESS_TOKEN, expires_in: 3600 }));
        else
          res.end(
            JSON.stringify({ authenticatedUser: { id: 'user-id-0001', providerDisplayName: 'loopback-bot' } })
          );
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  test("sends with the product's user agent for the platform, asks the platform for an agent and logs on the guard", async () => {
    const { platform, guard } = createTestGuard();
    const asked: string[] = [];
    const named = Object.assign(Object.create(platform) as FakePlatform, {
      name: 'Loopback CI',
      agentFor: (url: URL) => {
        asked.push(url.href);
        return undefined;
      }
    });
    seen.length = 0;
    const transport = createRunTransport(named, guard);
    const response = await transport.send({ method: 'GET', url: `${base}/probe?x=1`, endpoint: 'loopback' });
    expect(response.status).toBe(200);
    expect(seen).toEqual([
      {
        method: 'GET',
        url: '/probe?x=1',
        userAgent: `azure-devops-entra-token/1.0.0 (Loopback CI; node ${process.versions.node})`
      }
    ]);
    expect(userAgent('Loopback CI')).toBe(seen[0]?.userAgent);
    expect(asked).toEqual([`${base}/probe?x=1`]);
    expect(platform.lines('debug')).toEqual([
      expect.stringMatching(new RegExp(`^GET ${base}/probe -> 200 \\(\\d+ ms\\)$`))
    ]);
  });

  test('without a transport given, the run uses its own: token and verification over loopback', async () => {
    const { platform, guard } = createTestGuard();
    seen.length = 0;
    const { result } = await acquireAzureDevOpsToken(
      settingsFor({
        credential: { ...FEDERATED_ENV, authorityHost: base },
        organization: { name: 'contoso', url: `${base}/contoso` }
      }),
      { platform, guard, names: NAMES, subjectAdvice: SUBJECT_ADVICE }
    );
    expect(seen).toEqual([
      {
        method: 'POST',
        url: `/${CONFIGURED_TENANT}/oauth2/v2.0/token`,
        userAgent: `azure-devops-entra-token/1.0.0 (Test Platform; node ${process.versions.node})`
      },
      {
        method: 'GET',
        url: '/contoso/_apis/connectionData',
        userAgent: `azure-devops-entra-token/1.0.0 (Test Platform; node ${process.versions.node})`
      }
    ]);
    expect(result.token).toBe(ACCESS_TOKEN);
    expect(result.identity).toBe('loopback-bot');
  });
});
