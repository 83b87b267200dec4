// Request shapes pinned to the official clients (issue 10). Each exchange the product performs itself is sent
// once by the product's core and once by Microsoft's or GitHub's own client against the emulator, and the two
// recorded requests are compared field by field: method, path, query, headers, body. The fields left out are
// listed below, each with its reason; every other difference is asserted where it shows, with why it is kept.
import { afterEach, describe, expect, test } from '@jest/globals';
import { AzurePipelinesCredential, ClientAssertionCredential } from '@azure/identity';
import { execFile } from 'node:child_process';
import { Agent } from 'node:https';
import { promisify } from 'node:util';
import { createRunTransport } from '../../src/core/http/transport.js';
import type { Platform } from '../../src/core/platform.js';
import { createSecretGuard } from '../../src/core/secrets.js';
import type { OidcSource } from '../../src/core/settings.js';
import { createTokenProvider, type AccessToken } from '../../src/core/auth/token-provider.js';
import { AZURE_DEVOPS_SCOPE, decodeClaims, useEmulator, type Emulator } from '../e2e/fixture.js';
import { ROOT } from './manifests.js';

/** Headers not compared (names lower-case). Everything else is compared exactly. */
const IGNORED_HEADERS: Readonly<Record<string, string>> = {
  'user-agent': 'names the client and its version: differs by design',
  'client-request-id': 'our random correlation id, new for every token request',
  'x-ms-client-request-id': "random per-request id from @azure/core-rest-pipeline's setClientRequestIdPolicy",
  connection: "hop-by-hop (RFC 9110 §7.6.1): keep-alive or close is the HTTP agent's choice",
  'content-length': 'framing: follows from the body, which is compared on its own'
};

/** Query parameters not compared. */
const IGNORED_QUERY_PARAMETERS: Readonly<Record<string, string>> = {
  'client-request-id': "MSAL's random correlation id (createTokenQueryParameters)"
};

/** Form fields not compared (names are case-sensitive, as on the wire). */
const IGNORED_FORM_FIELDS: Readonly<Record<string, string>> = {
  'client-request-id': "MSAL's random correlation id again, in the body",
  'x-client-SKU': 'MSAL telemetry: library name (addLibraryInfo)',
  'x-client-VER': 'MSAL telemetry: library version (addLibraryInfo)',
  'x-client-OS': 'MSAL telemetry: operating system (addLibraryInfo)',
  'x-client-CPU': 'MSAL telemetry: processor architecture (addLibraryInfo)',
  'x-client-current-telemetry': 'MSAL server telemetry: API id and cache state of this call',
  'x-client-last-telemetry': 'MSAL server telemetry: failures of earlier calls',
  'x-ms-lib-capability':
    "MSAL's flag that it honours Retry-After on 429 (addThrottling), not a grant parameter; ours honours it too (retry.ts)"
};

const RESOURCE = '499b84ac-1321-427f-aa17-267ca6975798';
const EXCHANGE_AUDIENCE = 'api://AzureADTokenExchange';
const JWT_BEARER = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
const NAMES = {
  clientId: 'client-id',
  tenantId: 'tenant-id',
  cloud: 'cloud',
  scope: 'scope',
  managedIdentitySelectors: 'the managed identity inputs'
};

type Recorded = Emulator['requests'][number];

/** A recorded request reduced to what is compared. */
interface Shape {
  method: string;
  path: string;
  /** Sorted [name, value] pairs: order-insensitive, repeats kept. */
  query: string[][];
  /** Lower-case names. */
  headers: Record<string, string>;
  /** A form: sorted [name, value] pairs; JSON: the parsed value; no body: undefined. */
  body: unknown;
}

const emu = useEmulator();
const agents: Agent[] = [];
afterEach(() => agents.splice(0).forEach((agent) => agent.destroy()));

const sortedPairs = (params: URLSearchParams): string[][] =>
  [...params].sort(([a = '', x = ''], [b = '', y = '']) => a.localeCompare(b) || x.localeCompare(y));

/** The compared shape of a request, and what was left out of it (`header:…`, `query:…`, `form:…`). */
function shapeOf(record: Recorded): { shape: Shape; ignored: string[] } {
  const ignored: string[] = [];
  const kept = (kind: string, list: Readonly<Record<string, string>>, name: string): boolean => {
    if (!Object.hasOwn(list, name)) return true;
    ignored.push(`${kind}:${name}`);
    return false;
  };
  const headers = Object.fromEntries(
    Object.entries(record.headers)
      .map(([name, value]) => [name.toLowerCase(), value])
      .filter(([name = '']) => kept('header', IGNORED_HEADERS, name))
  );
  const query = sortedPairs(new URL(record.url, emu.httpsUrl).searchParams).filter(([name = '']) =>
    kept('query', IGNORED_QUERY_PARAMETERS, name)
  );
  let body: unknown;
  if (record.form !== undefined)
    body = sortedPairs(new URLSearchParams(record.body)).filter(([name = '']) =>
      kept('form', IGNORED_FORM_FIELDS, name)
    );
  else if (record.body !== '') body = JSON.parse(record.body);
  return {
    shape: { method: record.method, path: record.path, query, headers, body },
    ignored: ignored.sort()
  };
}

/** A copy without the named headers, once the test has asserted (and explained) how they differ. */
function withoutHeaders(shape: Shape, ...names: string[]): Shape {
  const headers = { ...shape.headers };
  for (const name of names) delete headers[name];
  return { ...shape, headers };
}

/** The requests recorded so far, and a clean record for the next client. */
function takeRecords(): Recorded[] {
  const records = emu.requests;
  emu.reset();
  return records;
}

function only(records: Recorded[], service: string, index = 0): Recorded {
  const record = records.filter((r) => r.service === service)[index];
  if (record === undefined) throw new Error(`No ${service} request #${index + 1} was recorded.`);
  return record;
}

/**
 * The product's core with its real transport (createRunTransport: user agent, time budget, retries). The bundles
 * trust the emulator CA through NODE_EXTRA_CA_CERTS, which Node reads only at start-up; in this process the CA
 * goes where the platform puts its proxy agent.
 */
function ourTokens(oidc: OidcSource): { get(): Promise<AccessToken> } {
  const agent = new Agent({ ca: emu.caPem });
  agents.push(agent);
  const platform: Platform = {
    name: 'conformance test',
    isDebug: false,
    info: () => undefined,
    warning: () => undefined,
    debug: () => undefined,
    setSecret: () => undefined,
    agentFor: () => agent
  };
  const guard = createSecretGuard(platform);
  return createTokenProvider({
    credential: {
      kind: 'federated',
      tenantId: emu.tenantId,
      clientId: emu.app.clientId,
      authorityHost: emu.httpsUrl,
      oidc
    },
    scope: AZURE_DEVOPS_SCOPE,
    transport: createRunTransport(platform, guard),
    guard,
    names: NAMES,
    subjectAdvice: '',
    timeoutSeconds: 30
  });
}

/** @azure/identity as a user would point it at the emulator; the test CA goes through core-rest-pipeline's tlsOptions. */
function identityOptions(): {
  authorityHost: string;
  disableInstanceDiscovery: true;
  tlsOptions: { ca: string };
} {
  return { authorityHost: emu.httpsUrl, disableInstanceDiscovery: true, tlsOptions: { ca: emu.caPem } };
}

async function withEnv<T>(variables: Record<string, string>, run: () => Promise<T>): Promise<T> {
  const saved = new Map(Object.keys(variables).map((name) => [name, process.env[name]]));
  Object.assign(process.env, variables);
  try {
    return await run();
  } finally {
    for (const [name, value] of saved) {
      if (value === undefined) Reflect.deleteProperty(process.env, name);
      else process.env[name] = value;
    }
  }
}

/** Each side's token is a real Entra access token for the app. */
function expectAccessToken(token: string): void {
  expect(decodeClaims(token)).toMatchObject({ aud: RESOURCE, appid: emu.app.clientId, tid: emu.tenantId });
}

/**
 * Token POSTs differ in two headers, asserted here: we send `Accept: application/json` (the answer we parse;
 * MSAL sends none and Entra answers JSON either way), and core-rest-pipeline's decompressResponsePolicy sends
 * `Accept-Encoding: gzip,deflate`, which our transport must not send because it does not inflate bodies.
 */
function expectTokenPostHeaders(ours: Shape, theirs: Shape): void {
  expect(ours.headers.accept).toBe('application/json');
  expect(theirs.headers.accept).toBeUndefined();
  expect(theirs.headers['accept-encoding']).toBe('gzip,deflate');
  expect(ours.headers['accept-encoding']).toBeUndefined();
}

const OUR_TOKEN_POST_IGNORED = [
  'header:client-request-id',
  'header:connection',
  'header:content-length',
  'header:user-agent'
];
const MSAL_TOKEN_POST_IGNORED = [
  'form:client-request-id',
  'form:x-client-CPU',
  'form:x-client-OS',
  'form:x-client-SKU',
  'form:x-client-VER',
  'form:x-client-current-telemetry',
  'form:x-client-last-telemetry',
  'form:x-ms-lib-capability',
  'header:connection',
  'header:content-length',
  'header:user-agent',
  'header:x-ms-client-request-id',
  'query:client-request-id'
];

describe('request shapes pinned to the official clients', () => {
  test('federated token POST: FederatedTokenExchange vs @azure/identity ClientAssertionCredential', async () => {
    const assertion = emu.github.mintToken({ aud: EXCHANGE_AUDIENCE });
    const ours = await ourTokens({ kind: 'env', variable: 'OIDC_TOKEN', token: assertion }).get();
    const ourRecords = takeRecords();
    const credential = new ClientAssertionCredential(
      emu.tenantId,
      emu.app.clientId,
      () => Promise.resolve(assertion),
      identityOptions()
    );
    const theirs = await credential.getToken(AZURE_DEVOPS_SCOPE);
    const theirRecords = takeRecords();
    expectAccessToken(ours.token);
    expectAccessToken(theirs.token);

    // MSAL first GETs openid-configuration (127.0.0.1 is no host it has built-in metadata for): that is its
    // discovery, not part of the token request, so only the token POSTs are compared. Ours needs no discovery.
    expect(ourRecords.map((r) => r.service)).toEqual(['entra-token']);
    expect(theirRecords.map((r) => r.service)).toEqual(['entra-metadata', 'entra-token']);
    const ourPost = shapeOf(only(ourRecords, 'entra-token'));
    const theirPost = shapeOf(only(theirRecords, 'entra-token'));
    expect([only(ourRecords, 'entra-token').status, only(theirRecords, 'entra-token').status]).toEqual([
      200, 200
    ]);
    expect(ourPost.ignored).toEqual(OUR_TOKEN_POST_IGNORED);
    expect(theirPost.ignored).toEqual(MSAL_TOKEN_POST_IGNORED);

    expectTokenPostHeaders(ourPost.shape, theirPost.shape);
    expect(withoutHeaders(ourPost.shape, 'accept')).toEqual(
      withoutHeaders(theirPost.shape, 'accept-encoding')
    );
    // Not a comparison of two empty shapes: the grant itself, and the headers that remain.
    expect(ourPost.shape.body).toEqual(
      sortedPairs(
        new URLSearchParams({
          client_id: emu.app.clientId,
          scope: AZURE_DEVOPS_SCOPE,
          grant_type: 'client_credentials',
          client_assertion_type: JWT_BEARER,
          client_assertion: assertion
        })
      )
    );
    expect(Object.keys(withoutHeaders(ourPost.shape, 'accept').headers).sort()).toEqual([
      'content-type',
      'host'
    ]);
    expect(ourPost.shape.headers['content-type']).toBe('application/x-www-form-urlencoded;charset=utf-8');
  });

  test('Azure Pipelines OIDC POST (and the token POST after it): oidc.ts vs @azure/identity AzurePipelinesCredential', async () => {
    const pipelines = emu.azurePipelines;
    const ours = await ourTokens({
      kind: 'azure-pipelines',
      requestUri: pipelines.oidcRequestUri,
      systemAccessToken: pipelines.systemAccessToken,
      serviceConnectionId: pipelines.serviceConnectionId,
      serviceConnectionInput: 'azureSubscription'
    }).get();
    const ourRecords = takeRecords();
    // The credential reads SYSTEM_OIDCREQUESTURI from process.env (in its constructor); set only for this call.
    const theirs = await withEnv({ SYSTEM_OIDCREQUESTURI: pipelines.oidcRequestUri }, () =>
      new AzurePipelinesCredential(
        emu.tenantId,
        emu.app.clientId,
        pipelines.serviceConnectionId,
        pipelines.systemAccessToken,
        identityOptions()
      ).getToken(AZURE_DEVOPS_SCOPE)
    );
    const theirRecords = takeRecords();
    expectAccessToken(ours.token);
    expectAccessToken(theirs.token);

    // One OIDC token per exchange for us (createOidcTokenCache). The credential fetches two per getToken:
    // msal-node resolves the assertion callback in acquireTokenByClientCredential (ConfidentialClientApplication)
    // and again in buildOauthClientConfiguration (ClientApplication); the token POST carries the first.
    expect(ourRecords.map((r) => r.service)).toEqual(['azure-oidc', 'entra-token']);
    expect(theirRecords.map((r) => r.service)).toEqual([
      'azure-oidc',
      'entra-metadata',
      'azure-oidc',
      'entra-token'
    ]);
    expect(theirRecords.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    expect(ourRecords.map((r) => r.status)).toEqual([200, 200]);
    const ourOidc = shapeOf(only(ourRecords, 'azure-oidc'));
    const theirOidc = shapeOf(only(theirRecords, 'azure-oidc'));
    expect(shapeOf(only(theirRecords, 'azure-oidc', 1)).shape).toEqual(theirOidc.shape);
    expect(ourOidc.ignored).toEqual(['header:connection', 'header:content-length', 'header:user-agent']);
    expect(theirOidc.ignored).toEqual([
      'header:connection',
      'header:content-length',
      'header:user-agent',
      'header:x-ms-client-request-id'
    ]);

    // Deliberate: a JSON body `{}` (no extra claims), as Microsoft's own tasks send it through
    // azure-devops-node-api's TaskApi.createOidcToken({}, …); @azure/identity sends no body (Content-Length 0).
    expect(ourOidc.shape.body).toEqual({});
    expect(theirOidc.shape.body).toBeUndefined();
    // Deliberate: we ask for the JSON we parse (azure-devops-node-api does too); the credential sends no Accept.
    expect(ourOidc.shape.headers.accept).toBe('application/json');
    expect(theirOidc.shape.headers.accept).toBeUndefined();
    // core-rest-pipeline asks for compression; our transport does not inflate bodies, so it must not ask.
    expect(theirOidc.shape.headers['accept-encoding']).toBe('gzip,deflate');
    expect(ourOidc.shape.headers['accept-encoding']).toBeUndefined();
    expect({ ...withoutHeaders(ourOidc.shape, 'accept'), body: undefined }).toEqual(
      withoutHeaders(theirOidc.shape, 'accept-encoding')
    );
    // The query matched above: ours percent-encodes the connection id, the credential puts it in raw, which
    // is the same for the GUIDs service connections have.
    expect(ourOidc.shape).toMatchObject({
      method: 'POST',
      query: [
        ['api-version', '7.1'],
        ['serviceConnectionId', pipelines.serviceConnectionId]
      ],
      headers: {
        authorization: `Bearer ${pipelines.systemAccessToken}`,
        'content-type': 'application/json',
        'x-tfs-fedauthredirect': 'Suppress'
      }
    });

    // The token POST that follows, as in the first test. Each OIDC fetch mints a new token (jti, iat), so the
    // assertions are compared by what Entra matches: issuer, subject, audience.
    const ourPost = shapeOf(only(ourRecords, 'entra-token'));
    const theirPost = shapeOf(only(theirRecords, 'entra-token'));
    expect(ourPost.ignored).toEqual(OUR_TOKEN_POST_IGNORED);
    expect(theirPost.ignored).toEqual(MSAL_TOKEN_POST_IGNORED);
    expectTokenPostHeaders(ourPost.shape, theirPost.shape);
    const matched = (shape: Shape): Shape => ({
      ...shape,
      body: (shape.body as string[][]).map(([name = '', value = '']) => {
        if (name !== 'client_assertion') return [name, value];
        const { iss, sub, aud } = decodeClaims(value);
        return [name, JSON.stringify({ iss, sub, aud })];
      })
    });
    expect(matched(withoutHeaders(ourPost.shape, 'accept'))).toEqual(
      matched(withoutHeaders(theirPost.shape, 'accept-encoding'))
    );
    expect(JSON.stringify(matched(ourPost.shape).body)).toContain(pipelines.issuer);
  });

  test('GitHub OIDC GET: oidc.ts vs @actions/core getIDToken', async () => {
    const github = emu.github;
    const ours = await ourTokens({
      kind: 'github',
      requestUrl: github.requestUrl,
      requestToken: github.requestToken,
      audience: EXCHANGE_AUDIENCE
    }).get();
    const ourRecords = takeRecords();
    expectAccessToken(ours.token);

    // getIDToken runs in a child node: @actions/http-client builds its own https.Agent with no CA option
    // (_getAgent) and Node reads NODE_EXTRA_CA_CERTS only at start-up, so a child started with it is the simplest
    // way to run the toolkit unmodified over https, the scheme ours uses. Its environment is what a step gets
    // from a job with `id-token: write`: ACTIONS_ID_TOKEN_REQUEST_URL / _TOKEN (and PATH).
    const script = [
      "import { getIDToken } from '@actions/core';",
      `const token = await getIDToken(${JSON.stringify(EXCHANGE_AUDIENCE)});`,
      "process.stdout.write('\\n' + JSON.stringify({ token }) + '\\n');"
    ].join('\n');
    const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...emu.env.common, ...emu.env.github },
      timeout: 60_000
    });
    const theirRecords = takeRecords();
    const { token } = JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as { token: string };
    expect(decodeClaims(token)).toMatchObject({
      iss: github.issuer,
      sub: github.subject,
      aud: EXCHANGE_AUDIENCE
    });
    expect(stdout).toContain(`::add-mask::${token}`);

    expect(ourRecords.map((r) => r.service)).toEqual(['github-oidc', 'entra-token']);
    expect(theirRecords.map((r) => [r.service, r.status])).toEqual([['github-oidc', 200]]);
    const ourGet = shapeOf(only(ourRecords, 'github-oidc'));
    const theirGet = shapeOf(only(theirRecords, 'github-oidc'));
    expect(ourGet.ignored).toEqual(['header:connection', 'header:user-agent']);
    expect(theirGet.ignored).toEqual(['header:connection', 'header:user-agent']);
    // Fixed: we sent `Accept: application/json; api-version=2.0`; the toolkit's getJson sends application/json and
    // the request URL already carries api-version=2.0.
    expect(ourGet.shape).toEqual(theirGet.shape);
    expect(ourGet.shape).toEqual({
      method: 'GET',
      path: '/_github/idtoken',
      query: [
        ['api-version', '2.0'],
        ['audience', EXCHANGE_AUDIENCE]
      ],
      headers: {
        accept: 'application/json',
        authorization: `Bearer ${github.requestToken}`,
        host: new URL(emu.httpsUrl).host
      },
      body: undefined
    });
  });
});
