import { afterAll, describe, expect, test } from '@jest/globals';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OidcTokenError } from '../../../../src/core/errors.js';
import { fetchOidcToken, readTokenFile, type OidcContext } from '../../../../src/core/auth/oidc.js';
import type { OidcSource } from '../../../../src/core/settings.js';
import {
  createFakeSleep,
  createFakeTransport,
  createTestGuard,
  fixedDeadline,
  json,
  makeJwt,
  rejectionOf,
  type TransportStep
} from '../../fakes.js';

const REQUEST_TOKEN = 'gh-request-token-0123456789';
const SYSTEM_TOKEN = 'ado-system-access-token-0123456789';
const CLAIMS = {
  iss: 'https://token.actions.githubusercontent.com',
  sub: 'repo:contoso/app:environment:prod',
  aud: 'api://AzureADTokenExchange',
  exp: 1_900_000_000
};
const JWT = makeJwt(CLAIMS);

const GITHUB: OidcSource = {
  kind: 'github',
  requestUrl: 'https://pipelines.actions.example.test/abc/idtoken?api-version=2.0',
  requestToken: REQUEST_TOKEN,
  audience: 'api://AzureADTokenExchange'
};
const AZURE: OidcSource = {
  kind: 'azure-pipelines',
  requestUri: 'https://dev.azure.com/contoso/p1/_apis/distributedtask/hubs/build/plans/p/jobs/j/oidctoken',
  systemAccessToken: SYSTEM_TOKEN,
  serviceConnectionId: 'prod connection',
  serviceConnectionInput: 'azureSubscription'
};

function setup(steps: TransportStep[]) {
  const transport = createFakeTransport(steps);
  const { platform, guard } = createTestGuard();
  const context: OidcContext = {
    transport,
    guard,
    logger: guard,
    sleep: createFakeSleep(),
    deadline: fixedDeadline(),
    random: () => 0
  };
  return { transport, platform, context };
}

/** Each request carries the run's budget; the tests compare the rest. */
function withoutDeadline<T extends { deadline?: unknown }>(request: T): Omit<T, 'deadline'> {
  const copy = { ...request };
  delete copy.deadline;
  return copy;
}

describe('fetchOidcToken from GitHub', () => {
  test('GETs the request URL with the audience, bearing the request token', async () => {
    const { transport, context } = setup([json(200, { value: JWT })]);
    const { token, info } = await fetchOidcToken(GITHUB, context);
    expect(token).toBe(JWT);
    expect(info).toEqual({
      issuer: CLAIMS.iss,
      subject: CLAIMS.sub,
      audience: CLAIMS.aud,
      expiresAt: CLAIMS.exp * 1000
    });
    expect(transport.requests.map(withoutDeadline)).toEqual([
      {
        method: 'GET',
        url: 'https://pipelines.actions.example.test/abc/idtoken?api-version=2.0&audience=api%3A%2F%2FAzureADTokenExchange',
        headers: { authorization: `Bearer ${REQUEST_TOKEN}`, accept: 'application/json' },
        endpoint: 'GitHub OIDC endpoint'
      }
    ]);
  });

  test('masks the token before logging its issuer, subject and audience', async () => {
    const { platform, context } = setup([json(200, { value: JWT })]);
    await fetchOidcToken(GITHUB, context);
    const maskAt = platform.calls.findIndex((c) => c.kind === 'setSecret' && c.value === JWT);
    const infoAt = platform.calls.findIndex((c) => c.kind === 'info');
    expect(maskAt).toBeGreaterThanOrEqual(0);
    expect(infoAt).toBeGreaterThan(maskAt);
    expect(platform.lines('info')).toEqual([
      `Presented OIDC token: issuer '${CLAIMS.iss}', subject '${CLAIMS.sub}', audience '${CLAIMS.aud}', expires 2030-03-17T17:46:40.000Z.`
    ]);
  });

  test('accepts an opaque token, logging empty claims', async () => {
    const { platform, context } = setup([json(200, { value: 'opaque-oidc-token' })]);
    const { info } = await fetchOidcToken(GITHUB, context);
    expect(info).toEqual({ issuer: '', subject: '', audience: '', expiresAt: undefined });
    expect(platform.lines('info')).toEqual(["Presented OIDC token: issuer '', subject '', audience ''."]);
  });

  test.each([401, 403])('HTTP %i says the request token was refused and how to fix it', async (status) => {
    const { transport, context } = setup([json(status, { message: 'nope' })]);
    const error = await rejectionOf(fetchOidcToken(GITHUB, context));
    expect(error).toBeInstanceOf(OidcTokenError);
    expect(error.message).toContain(`The GitHub OIDC endpoint answered HTTP ${status}.`);
    expect(error.message).toContain('`permissions: id-token: write`');
    expect(error.message).not.toContain(REQUEST_TOKEN);
    expect(transport.requests).toHaveLength(1);
  });

  test('HTTP 404 points at GitHub status', async () => {
    const { context } = setup([{ status: 404 }]);
    expect((await rejectionOf(fetchOidcToken(GITHUB, context))).message).toBe(
      'The GitHub OIDC endpoint answered HTTP 404. Retry the job; if it persists, check https://www.githubstatus.com.'
    );
  });

  test('HTTP 500 is retried, then reported', async () => {
    const { transport, context } = setup([{ status: 500, body: 'oops' }]);
    const error = await rejectionOf(fetchOidcToken(GITHUB, context));
    expect(transport.requests).toHaveLength(4);
    expect(error.message).toBe(
      'The GitHub OIDC endpoint answered HTTP 500. Retry the job; if it persists, check https://www.githubstatus.com.'
    );
  });

  test.each([199, 300])('HTTP %i, though it carries a token, is an error', async (status) => {
    const { context } = setup([json(status, { value: JWT })]);
    const error = await rejectionOf(fetchOidcToken(GITHUB, context));
    expect(error.message).toBe(
      `The GitHub OIDC endpoint answered HTTP ${status}. Retry the job; if it persists, check https://www.githubstatus.com.`
    );
  });

  test('a body that is not JSON', async () => {
    const { context } = setup([{ status: 200, body: '<html>' }]);
    const error = await rejectionOf(fetchOidcToken(GITHUB, context));
    expect(error).toBeInstanceOf(OidcTokenError);
    expect(error.message).toContain(
      'The GitHub OIDC endpoint answered HTTP 200 with a body that is not JSON'
    );
    expect(error.message).not.toContain(REQUEST_TOKEN);
  });

  test.each([{}, { value: '' }, { value: 42 }, null])(
    'a JSON body %j without the value field',
    async (body) => {
      const { context } = setup([json(200, body)]);
      expect((await rejectionOf(fetchOidcToken(GITHUB, context))).message).toBe(
        "The GitHub OIDC endpoint answered without a token (no 'value' field in its JSON). Retry the job; if it persists, the platform's token service is having problems."
      );
    }
  );
});

describe('fetchOidcToken from Azure Pipelines', () => {
  test('POSTs to the request URI for the service connection, bearing the system token', async () => {
    const { transport, platform, context } = setup([json(200, { oidcToken: JWT })]);
    const { token } = await fetchOidcToken(AZURE, context);
    expect(token).toBe(JWT);
    expect(transport.requests.map(withoutDeadline)).toEqual([
      {
        method: 'POST',
        url: `${AZURE.kind === 'azure-pipelines' ? AZURE.requestUri : ''}?api-version=7.1&serviceConnectionId=prod%20connection`,
        headers: {
          authorization: `Bearer ${SYSTEM_TOKEN}`,
          'content-type': 'application/json',
          accept: 'application/json',
          'x-tfs-fedauthredirect': 'Suppress'
        },
        body: '{}',
        endpoint: 'Azure Pipelines OIDC endpoint'
      }
    ]);
    expect(platform.secrets()).toContain(JWT);
    expect(platform.lines('info')[0]).toContain(`subject '${CLAIMS.sub}'`);
  });

  test.each([401, 403])('HTTP %i says the system access token was refused', async (status) => {
    const { context } = setup([json(status, { message: 'Access denied' })]);
    const error = await rejectionOf(fetchOidcToken(AZURE, context));
    expect(error.message).toContain(
      `The Azure Pipelines OIDC endpoint answered HTTP ${status}: Access denied.`
    );
    expect(error.message).toContain("The job's system access token was refused.");
    expect(error.message).not.toContain(SYSTEM_TOKEN);
  });

  test('HTTP 404 keeps the service message and names the input to check', async () => {
    const { context } = setup([json(404, { message: 'Service connection prod connection not found' })]);
    const error = await rejectionOf(fetchOidcToken(AZURE, context));
    expect(error.message).toBe(
      "The Azure Pipelines OIDC endpoint answered HTTP 404: Service connection prod connection not found. Check that 'azureSubscription' names a workload identity federation service connection that this pipeline is authorized to use (Project settings → Service connections → the connection → Security)."
    );
  });

  // Regression (fixed): Azure DevOps messages end with a period, and oidcStatusError appends another ("found.. Check").
  test('a service message ending with a period is not doubled', async () => {
    const { context } = setup([json(404, { message: 'Service connection prod connection not found.' })]);
    const error = await rejectionOf(fetchOidcToken(AZURE, context));
    expect(error.message).toContain('HTTP 404: Service connection prod connection not found. Check that');
  });

  test('HTTP 500 after retries, without a JSON message', async () => {
    const { transport, context } = setup([{ status: 503, body: 'unavailable' }]);
    const error = await rejectionOf(fetchOidcToken(AZURE, context));
    expect(transport.requests).toHaveLength(4);
    expect(error.message).toMatch(
      /^The Azure Pipelines OIDC endpoint answered HTTP 503\. Check that 'azureSubscription'/
    );
  });

  test('a service message with periods inside, not at its end, is kept whole', async () => {
    const { context } = setup([json(404, { message: 'Service connection v1.2 not found, see aka.ms' })]);
    const error = await rejectionOf(fetchOidcToken(AZURE, context));
    expect(error.message).toMatch(
      /^The Azure Pipelines OIDC endpoint answered HTTP 404: Service connection v1\.2 not found, see aka\.ms\. Check that /
    );
  });

  test('a service message ending with a period and spaces loses both', async () => {
    const { context } = setup([json(404, { message: 'Service connection not found.  ' })]);
    const error = await rejectionOf(fetchOidcToken(AZURE, context));
    expect(error.message).toMatch(
      /^The Azure Pipelines OIDC endpoint answered HTTP 404: Service connection not found\. Check that /
    );
  });

  test('a JSON body without oidcToken', async () => {
    const { context } = setup([json(200, { value: JWT })]);
    const error = await rejectionOf(fetchOidcToken(AZURE, context));
    expect(error.message).toContain("answered without a token (no 'oidcToken' field in its JSON)");
    expect(error.message).not.toContain(SYSTEM_TOKEN);
  });
});

describe('fetchOidcToken from a file or a variable (the command line)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'oidc-file-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const fileSource = (path: string): OidcSource => ({ kind: 'file', path, input: '--federated-token-file' });

  test('reads the file on every fetch (the Kubernetes webhook rotates it), masks it, sends nothing', async () => {
    const path = join(dir, 'token');
    const { transport, platform, context } = setup([]);
    writeFileSync(path, `${JWT}\n`);
    expect((await fetchOidcToken(fileSource(path), context)).token).toBe(JWT);
    const rotated = makeJwt({ ...CLAIMS, sub: 'system:serviceaccount:release:deployer' });
    writeFileSync(path, rotated);
    const second = await fetchOidcToken(fileSource(path), context);
    expect(second.token).toBe(rotated);
    expect(second.info.subject).toBe('system:serviceaccount:release:deployer');
    expect(transport.requests).toEqual([]);
    expect(platform.calls.filter((c) => c.kind === 'setSecret').map((c) => c.value)).toEqual([JWT, rotated]);
  });

  test.each<[string, (path: string) => void, string]>([
    ['missing', () => undefined, 'does not exist'],
    ['empty', (path) => writeFileSync(path, ' \n'), 'is empty'],
    ['a directory', (path) => mkdirSync(path), 'is a directory']
  ])('a %s file names the file, the option and the fix', async (name, make, problem) => {
    const path = join(dir, `case-${name.replace(/ /g, '-')}`);
    make(path);
    const { context } = setup([]);
    const error = await rejectionOf(fetchOidcToken(fileSource(path), context));
    expect(error).toBeInstanceOf(OidcTokenError);
    expect(error.message).toContain(
      `The federated token file '${path}' (from --federated-token-file) ${problem}.`
    );
  });

  test('a path through a regular file names the error code', async () => {
    const file = join(dir, 'plain-file');
    writeFileSync(file, JWT);
    const { context } = setup([]);
    const error = await rejectionOf(fetchOidcToken(fileSource(join(file, 'token')), context));
    expect(error.message).toContain(
      `'${join(file, 'token')}' (from --federated-token-file) cannot be read (ENOTDIR).`
    );
  });

  /** A source whose first read of the path throws an error with this code, as readFileSync would. */
  const failingOnce = (code: string | undefined): { path: string; input: string } => {
    let reads = 0;
    return {
      input: 'AZURE_FEDERATED_TOKEN_FILE',
      get path(): string {
        if (reads++ === 0) throw Object.assign(new Error('read failed'), code === undefined ? {} : { code });
        return '/var/run/secrets/azure/tokens/azure-identity-token';
      }
    };
  };

  test.each<[string | undefined, string]>([
    ['EACCES', 'cannot be read by this user'],
    ['EIO', 'cannot be read (EIO)'],
    [undefined, 'cannot be read (unknown error)']
  ])('a read failing with %s says so', (code, problem) => {
    expect(() => readTokenFile(failingOnce(code))).toThrow(
      new OidcTokenError(
        `The federated token file '/var/run/secrets/azure/tokens/azure-identity-token' (from AZURE_FEDERATED_TOKEN_FILE) ${problem}. Point AZURE_FEDERATED_TOKEN_FILE at the file that holds the OIDC token: on Kubernetes the workload identity webhook mounts it (check the pod's azure.workload.identity/use label and service account); in GitLab CI write the id_tokens variable to a file first.`
      )
    );
  });

  test('a variable: the token it held, masked; a token that is not a JWT gets a warning', async () => {
    const { platform, context } = setup([]);
    const { token } = await fetchOidcToken(
      { kind: 'env', variable: 'CI_JOB_JWT', token: 'not-a-jwt-token' },
      context
    );
    expect(token).toBe('not-a-jwt-token');
    expect(platform.calls.some((c) => c.kind === 'setSecret' && c.value === 'not-a-jwt-token')).toBe(true);
    expect(platform.lines('warning')).toEqual([
      'The presented OIDC token is not a JWT, so Microsoft Entra ID will refuse it. Check that the token source holds an OIDC ID token (three base64url parts separated by dots).'
    ]);
  });
});
