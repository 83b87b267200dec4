import { beforeEach, describe, expect, test } from '@jest/globals';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expectNoLeaks, failureText, githubEnv, githubInputs, useEmulator } from './fixture.js';
import { runGitHubAction, type GitHubRun } from './runner.js';

const emu = useEmulator();
beforeEach(() => {
  emu.github.subject = 'repo:contoso/release:environment:production';
});

function expectFailure(run: GitHubRun, ...fragments: string[]): string {
  expect(run.exitCode).toBe(1);
  expect(run.errors).toHaveLength(1);
  const text = failureText(run);
  for (const fragment of fragments) expect(text).toContain(fragment);
  expect(run.outputs).toEqual({});
  expectNoLeaks(run, emu);
  return text;
}

describe('GitHub Action: bad input fails before any network call', () => {
  test.each([
    [{ 'client-id': 'not-a-guid' }, ["Input 'client-id' is 'not-a-guid'", 'GUID', 'Overview page']],
    [{ 'auth-type': 'oidc' }, ["Input 'auth-type' is 'oidc'", 'federated, managed-identity']],
    [
      { cloud: 'AzureGermany' },
      ["Input 'cloud' is 'AzureGermany'", 'AzureCloud, AzureUSGovernment, AzureChinaCloud']
    ],
    [
      { 'authority-host': 'http://login.example.test' },
      ["Input 'authority-host' is 'http://login.example.test'", 'must use https']
    ],
    [
      { organization: 'https://example.com/contoso' },
      ["Input 'organization' is 'https://example.com/contoso'", 'https://dev.azure.com/contoso']
    ],
    [
      { organization: 'http://dev.azure.com/contoso' },
      ["Input 'organization' is 'http://dev.azure.com/contoso'", 'https']
    ],
    [{ 'tenant-id': 'common' }, ["Input 'tenant-id' is 'common'", 'specific tenant']],
    [{ 'tenant-id': '' }, ["Input 'tenant-id' is required", 'Directory (tenant) ID']],
    [{ verify: 'yes' }, ["Input 'verify' is 'yes'", 'auto, true or false']],
    [{ 'export-variable': 'GITHUB_TOKEN' }, ["Input 'export-variable' is 'GITHUB_TOKEN'", 'reserved']],
    [
      { 'managed-identity-object-id': '00000000-0000-0000-0000-000000000001' },
      ["'managed-identity-object-id' is set", 'managed-identity']
    ],
    [
      {
        'auth-type': 'managed-identity',
        'authority-host': '',
        'client-id': '00000000-0000-0000-0000-000000000001',
        'managed-identity-object-id': '00000000-0000-0000-0000-000000000002'
      },
      ["'client-id' and 'managed-identity-object-id' are both set"]
    ],
    [
      { 'auth-type': 'managed-identity' },
      ["Input 'authority-host' is set, but it only applies when 'auth-type' is federated"]
    ]
  ])('%j', async (inputs, fragments) => {
    const run = await runGitHubAction({ inputs: githubInputs(emu, inputs) }, githubEnv(emu));
    expectFailure(run, ...fragments);
    expect(emu.requests).toEqual([]);
  });

  test('missing id-token permission says which permission to add', async () => {
    const run = await runGitHubAction(
      { inputs: githubInputs(emu) },
      {
        ...githubEnv(emu),
        ACTIONS_ID_TOKEN_REQUEST_URL: '<unset>',
        ACTIONS_ID_TOKEN_REQUEST_TOKEN: '<unset>'
      }
    );
    expectFailure(run, 'ACTIONS_ID_TOKEN_REQUEST_URL', 'permissions: id-token: write');
    expect(emu.requests).toEqual([]);
  });

  test('a pull request from a fork is explained as such', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'event-'));
    const eventPath = join(dir, 'event.json');
    writeFileSync(
      eventPath,
      JSON.stringify({
        pull_request: {
          head: { repo: { full_name: 'mallory/release', fork: true } },
          base: { repo: { full_name: 'contoso/release' } }
        }
      })
    );
    const env = {
      ...githubEnv(emu),
      ACTIONS_ID_TOKEN_REQUEST_URL: '<unset>',
      ACTIONS_ID_TOKEN_REQUEST_TOKEN: '<unset>',
      GITHUB_EVENT_NAME: 'pull_request',
      GITHUB_EVENT_PATH: eventPath
    };
    const run = await runGitHubAction({ inputs: githubInputs(emu) }, env).finally(() =>
      rmSync(dir, { recursive: true, force: true })
    );
    expectFailure(run, 'pull request from a fork', 'never gives those runs an OIDC token');
  });
});

describe('GitHub Action: Entra errors keep their code and explain the fix', () => {
  test('AADSTS700213: subject mismatch prints the presented issuer, subject and audience', async () => {
    emu.github.subject = 'repo:contoso/release:ref:refs/heads/feature';
    const run = await runGitHubAction({ inputs: githubInputs(emu) }, githubEnv(emu));
    expectFailure(
      run,
      'AADSTS700213',
      `subject 'repo:contoso/release:ref:refs/heads/feature'`,
      `issuer '${emu.github.issuer}'`,
      "audience 'api://AzureADTokenExchange'",
      'exactly (case-sensitive)',
      'Federated credentials',
      'repo:OWNER/REPO:environment:NAME'
    );
  });

  test('AADSTS7002138: a subject that differs only in case', async () => {
    emu.github.subject = 'repo:Contoso/release:environment:production';
    const run = await runGitHubAction({ inputs: githubInputs(emu) }, githubEnv(emu));
    expectFailure(
      run,
      'AADSTS7002138',
      "subject 'repo:Contoso/release:environment:production'",
      'exactly (case-sensitive)'
    );
  });

  test('AADSTS70021: the older generic federation error gets the same explanation', async () => {
    emu.github.subject = 'repo:contoso/release:ref:refs/heads/feature';
    emu.legacyFederatedErrors = true;
    try {
      const run = await runGitHubAction({ inputs: githubInputs(emu) }, githubEnv(emu));
      expectFailure(
        run,
        'AADSTS70021',
        "subject 'repo:contoso/release:ref:refs/heads/feature'",
        'exactly (case-sensitive)'
      );
    } finally {
      emu.legacyFederatedErrors = false;
    }
  });

  test('AADSTS700211: issuer mismatch', async () => {
    const app = emu.registerApp({
      federatedCredentials: [
        {
          issuer: 'https://token.actions.githubusercontent.com/contoso',
          subject: emu.github.subject,
          audience: 'api://AzureADTokenExchange'
        }
      ]
    });
    const run = await runGitHubAction(
      { inputs: githubInputs(emu, { 'client-id': app.clientId }) },
      githubEnv(emu)
    );
    expectFailure(run, 'AADSTS700211', `issuer '${emu.github.issuer}'`, 'exactly (case-sensitive)');
  });

  test('AADSTS70025: the app has no federated credentials', async () => {
    const app = emu.registerApp({ federatedCredentials: [] });
    const run = await runGitHubAction(
      { inputs: githubInputs(emu, { 'client-id': app.clientId }) },
      githubEnv(emu)
    );
    expectFailure(
      run,
      'AADSTS70025',
      'has no federated credentials at all',
      `subject '${emu.github.subject}'`
    );
  });

  test('AADSTS700024: an expired OIDC token', async () => {
    emu.fault('github-oidc', {
      status: 200,
      body: {
        value: emu.github.mintToken({
          aud: 'api://AzureADTokenExchange',
          exp: Math.floor(Date.now() / 1000) - 600,
          iat: Math.floor(Date.now() / 1000) - 900,
          nbf: Math.floor(Date.now() / 1000) - 900
        })
      }
    });
    const run = await runGitHubAction({ inputs: githubInputs(emu) }, githubEnv(emu));
    expectFailure(run, 'AADSTS700024', "machine's clock");
  });

  test('AADSTS700016: unknown client ID', async () => {
    const run = await runGitHubAction(
      { inputs: githubInputs(emu, { 'client-id': '11111111-2222-3333-4444-555555555555' }) },
      githubEnv(emu)
    );
    expectFailure(run, 'AADSTS700016', "'client-id' (11111111-2222-3333-4444-555555555555)", "'tenant-id'");
  });

  test('AADSTS90002: unknown tenant', async () => {
    const run = await runGitHubAction(
      { inputs: githubInputs(emu, { 'tenant-id': '99999999-2222-3333-4444-555555555555' }) },
      githubEnv(emu)
    );
    expectFailure(run, 'AADSTS90002', "'tenant-id' (99999999-2222-3333-4444-555555555555)", "'cloud'");
  });
});

describe('GitHub Action: Azure DevOps verification', () => {
  test('TF400813: the identity is not in the organization', async () => {
    emu.devops.removeMember(emu.app.objectId);
    try {
      const run = await runGitHubAction({ inputs: githubInputs(emu) }, githubEnv(emu));
      expectFailure(
        run,
        'TF400813',
        `object ID ${emu.app.objectId}`,
        'Organization settings',
        'access level'
      );
    } finally {
      emu.devops.addMember(emu.app.objectId, 'release-bot');
    }
  });

  test('a 203 sign-in page is an authentication failure, not success', async () => {
    emu.fault('devops', {
      status: 203,
      body: '<html><body>Sign in</body></html>',
      headers: { 'content-type': 'text/html' }
    });
    const run = await runGitHubAction({ inputs: githubInputs(emu) }, githubEnv(emu));
    expectFailure(run, 'sign-in page', `object ID ${emu.app.objectId}`);
  });
});

describe('GitHub Action: transient faults and hangs', () => {
  test('OIDC 500 and Entra 503 are retried', async () => {
    emu.fault('github-oidc', { status: 500, body: { message: 'oops' } });
    emu.fault('entra-token', { status: 503, body: 'busy', headers: { 'retry-after': '1' } });
    const run = await runGitHubAction({ inputs: githubInputs(emu) }, githubEnv(emu));
    expect(run.errors).toEqual([]);
    expect(emu.requestsFor('github-oidc')).toHaveLength(2);
    expect(emu.requestsFor('entra-token')).toHaveLength(2);
    expect(run.infoLines.join('\n')).toContain('The GitHub OIDC endpoint answered HTTP 500; retrying');
    expectNoLeaks(run, emu, [run.outputs.token ?? '']);
  });

  test('a hanging OIDC endpoint fails within the time budget, naming the endpoint', async () => {
    emu.fault('github-oidc', { hang: true, always: true });
    const run = await runGitHubAction(
      { inputs: githubInputs(emu) },
      { ...githubEnv(emu), AZURE_DEVOPS_ENTRA_TOKEN_TIMEOUT: '4' }
    );
    expect(run.durationMs).toBeLessThan(10_000);
    expectFailure(run, 'GitHub OIDC endpoint', '/_github/idtoken', 'did not answer');
    emu.clearFaults();
  });

  test('a hanging Entra token endpoint fails within 60 seconds with the default budget', async () => {
    emu.fault('entra-token', { hang: true, always: true });
    const run = await runGitHubAction({ inputs: githubInputs(emu) }, githubEnv(emu));
    expect(run.durationMs).toBeLessThan(60_000);
    expectFailure(
      run,
      'Microsoft Entra token endpoint',
      `${emu.httpsUrl}/${emu.tenantId}/oauth2/v2.0/token`,
      'did not answer'
    );
    emu.clearFaults();
  }, 90_000);
});
