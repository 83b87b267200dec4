import { afterEach, beforeEach, describe, expect, test } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCliBundle, type CliRun } from './cli-runner.js';
import { azureOptions, expectNoLeaks, failureText, githubEnv, githubInputs, useEmulator } from './fixture.js';
import { runAzureTask, runGitHubAction } from './runner.js';

// Issue 11 (hardening): cross-origin redirects, response size, the time budgets and proxy refusals, on the
// GitHub bundle, the Azure Pipelines bundle and the CLI bundle.
const emu = useEmulator();
const ONE_MIB = 1024 * 1024;
const PROXY_PASSWORD = 'Pr0xyPass-e2e-5512';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'http-bounds-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** The CLI as a GitLab job runs it: the default app, federated with a GitHub-issued token in a variable. */
function runCli(args: string[], env: Record<string, string> = {}): Promise<CliRun> {
  return runCliBundle(
    [
      ...args,
      '--federated-token-env',
      'OIDC_TOKEN',
      '--client-id',
      emu.app.clientId,
      '--tenant-id',
      emu.tenantId,
      '--authority-host',
      emu.httpsUrl
    ],
    dir,
    { ...emu.env.common, OIDC_TOKEN: emu.github.mintToken({ aud: 'api://AzureADTokenExchange' }), ...env }
  );
}

function cliLeaks(run: CliRun): string[] {
  return emu.secrets().filter((s) => s.length >= 6 && (run.stderr.includes(s) || run.stdout.includes(s)));
}

const proxyWithPassword = (): string => emu.proxyUrl.replace('http://', `http://corp:${PROXY_PASSWORD}@`);
const shownProxy = (): string => emu.proxyUrl.replace(/\/$/, '');

describe('a write redirected to another origin is refused; a read goes there bare', () => {
  const writeRoute = (): (() => void) =>
    emu.devops.route('POST', '/_test/moved-write', () => ({
      status: 307,
      headers: { location: `${emu.trap.url}/landing` },
      body: ''
    }));
  const operations = `- name: create\n  method: POST\n  url: _test/moved-write\n  headers: { X-Release: r1 }\n  body: { secret: payload }\n`;
  const refusal = (status: number): string =>
    `operation 1 ('create'): POST ${emu.devops.orgUrl}/_test/moved-write answered HTTP ${status} redirecting to another origin (${emu.trap.url})`;

  test('GitHub Action', async () => {
    const remove = writeRoute();
    const run = await runGitHubAction({ inputs: githubInputs(emu, { operations }) }, githubEnv(emu));
    remove();
    expect(failureText(run)).toContain(refusal(307));
    expect(emu.trap.connections).toHaveLength(0);
    expectNoLeaks(run, emu, [run.outputs.token ?? '']);
  });

  test('Azure Pipelines task', async () => {
    const remove = writeRoute();
    const run = await runAzureTask(azureOptions(emu, { inputs: { operations } }));
    remove();
    expect(run.result).toBe('Failed');
    expect(failureText(run)).toContain(refusal(307));
    expect(emu.trap.connections).toHaveLength(0);
    expectNoLeaks(run, emu);
  });

  test('CLI run', async () => {
    const remove = writeRoute();
    const run = await runCli(['run', '--organization', emu.devops.orgUrl, '--operations', operations]);
    remove();
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toContain(refusal(307));
    expect(emu.trap.connections).toHaveLength(0);
    expect(cliLeaks(run)).toEqual([]);
  });

  test('a GET redirected to another host gets neither the token nor the custom headers', async () => {
    const ops = `- name: moved\n  url: _test/redirect\n  query: { to: "${emu.trap.url}/landing" }\n  headers: { X-Release: r1 }\n`;
    const run = await runGitHubAction({ inputs: githubInputs(emu, { operations: ops }) }, githubEnv(emu));
    expect(run.errors).toEqual([]);
    expect(emu.trap.requests).toHaveLength(1);
    expect(emu.trap.requests[0]?.headers).not.toHaveProperty('authorization');
    expect(emu.trap.requests[0]?.headers).not.toHaveProperty('x-release');
    expect(emu.requestsFor('devops').at(-1)?.headers['x-release']).toBe('r1');
  });
});

describe('a token endpoint answer just over 1 MiB fails cleanly, naming the endpoint and the limit', () => {
  const oversized = (): void =>
    emu.fault('entra-token', {
      status: 200,
      headers: { 'content-type': 'application/json' },
      body: `{"pad":"${'x'.repeat(ONE_MIB)}"}`
    });
  const expected = 'Microsoft Entra token endpoint';

  test('GitHub Action', async () => {
    oversized();
    const run = await runGitHubAction({ inputs: githubInputs(emu), debug: true }, githubEnv(emu));
    expect(failureText(run)).toContain(`The ${expected} (${emu.httpsUrl}/${emu.tenantId}/oauth2/v2.0/token)`);
    expect(failureText(run)).toContain('sent a response larger than 1 MiB, the limit for this endpoint');
    expect(emu.requestsFor('entra-token')).toHaveLength(1);
    expectNoLeaks(run, emu);
  });

  test('Azure Pipelines task', async () => {
    oversized();
    const run = await runAzureTask(azureOptions(emu));
    expect(run.result).toBe('Failed');
    expect(failureText(run)).toContain('sent a response larger than 1 MiB');
    expect(failureText(run)).toContain(expected);
  });

  test('CLI', async () => {
    oversized();
    const run = await runCli(['token']);
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toContain(
      `${expected} (${emu.httpsUrl}/${emu.tenantId}/oauth2/v2.0/token) sent a response larger than 1 MiB`
    );
    expect(run.stdout).toBe('');
  });
});

describe('verification belongs to the token budget (AZURE_DEVOPS_ENTRA_TOKEN_TIMEOUT)', () => {
  const budget = 'budget for getting and verifying the token ran out while waiting for GET';
  const hang = (): void => emu.fault('devops', { hang: true, always: true });

  test('GitHub Action: a hung connectionData fails at the budget, not after 6 × 60 s', async () => {
    hang();
    const run = await runGitHubAction(
      { inputs: githubInputs(emu) },
      { ...githubEnv(emu), AZURE_DEVOPS_ENTRA_TOKEN_TIMEOUT: '2' }
    );
    expect(failureText(run)).toContain(
      `Verifying the token against organization 'contoso' did not finish: the 2-second ${budget}`
    );
    expect(failureText(run)).toContain('raise the AZURE_DEVOPS_ENTRA_TOKEN_TIMEOUT environment variable');
    expect(run.durationMs).toBeLessThan(10_000);
    expect(emu.requestsFor('devops')).toHaveLength(1);
  });

  test('Azure Pipelines task', async () => {
    hang();
    const run = await runAzureTask(azureOptions(emu, { env: { AZURE_DEVOPS_ENTRA_TOKEN_TIMEOUT: '2' } }));
    expect(run.result).toBe('Failed');
    expect(failureText(run)).toContain(`the 2-second ${budget}`);
    expect(run.durationMs).toBeLessThan(10_000);
  });

  test('CLI', async () => {
    hang();
    const started = Date.now();
    const run = await runCli(['token', '--organization', emu.devops.orgUrl], {
      AZURE_DEVOPS_ENTRA_TOKEN_TIMEOUT: '2'
    });
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toContain(`the 2-second ${budget}`);
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});

describe('operations have a total budget: operations-timeout / operationsTimeout / --operations-timeout', () => {
  const operations = `- name: slow\n  url: _test/item/1\n`;
  const hangOperations = (): void => emu.fault('devops', { hang: true, always: true });
  const message = (input: string): string =>
    `Operation 1 ('slow') did not finish: the operations' time budget of 1 second ran out while waiting for GET ${emu.devops.orgUrl}/_test/item/1 to answer. Raise '${input}' (seconds)`;

  test('GitHub Action', async () => {
    hangOperations();
    const run = await runGitHubAction(
      { inputs: githubInputs(emu, { verify: 'false', operations, 'operations-timeout': '1' }) },
      githubEnv(emu)
    );
    expect(failureText(run)).toContain(message('operations-timeout'));
    expect(run.durationMs).toBeLessThan(10_000);
    expectNoLeaks(run, emu, [run.outputs.token ?? '']);
  });

  test('Azure Pipelines task', async () => {
    hangOperations();
    const run = await runAzureTask(
      azureOptions(emu, { inputs: { verify: 'false', operations, operationsTimeout: '1' } })
    );
    expect(run.result).toBe('Failed');
    expect(failureText(run)).toContain(message('operationsTimeout'));
    expect(run.durationMs).toBeLessThan(10_000);
  });

  test('CLI', async () => {
    hangOperations();
    const run = await runCli([
      'run',
      '--organization',
      emu.devops.orgUrl,
      '--verify',
      'false',
      '--operations',
      operations,
      '--operations-timeout',
      '1'
    ]);
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toContain(message('--operations-timeout'));
  });

  test.each([
    ['GitHub', 'operations-timeout'],
    ['Azure', 'operationsTimeout'],
    ['CLI', '--operations-timeout']
  ])('%s: a bad value fails before any request', async (target, input) => {
    const text =
      target === 'GitHub'
        ? failureText(
            await runGitHubAction(
              { inputs: githubInputs(emu, { operations, 'operations-timeout': '1.5' }) },
              githubEnv(emu)
            )
          )
        : target === 'Azure'
          ? failureText(
              await runAzureTask(azureOptions(emu, { inputs: { operations, operationsTimeout: '1.5' } }))
            )
          : (
              await runCli([
                'run',
                '--organization',
                'contoso',
                '--operations',
                operations,
                '--operations-timeout',
                '1.5'
              ])
            ).stderr;
    expect(text).toContain(`'${input}' is '1.5': it must be a whole number of seconds, 1 or more`);
    expect(emu.requests).toEqual([]);
  });
});

describe('a proxy refusal names the proxy and the fix, not the endpoint', () => {
  test('GitHub Action: 407 on the CONNECT to the OIDC endpoint is not "check githubstatus"', async () => {
    emu.fault('proxy', { status: 407, headers: { 'proxy-authenticate': 'Basic realm="corp"' } });
    const env = githubEnv(emu);
    const run = await runGitHubAction(
      { inputs: githubInputs(emu), debug: true },
      {
        ...env,
        ACTIONS_ID_TOKEN_REQUEST_URL: emu.github.requestUrl.replace(
          '127.0.0.1',
          'token.actions.githubusercontent.com'
        ),
        HTTPS_PROXY: proxyWithPassword()
      }
    );
    const text = failureText(run);
    expect(text).toContain(
      `The proxy ${shownProxy()} refused the request to the GitHub OIDC endpoint (https://token.actions.githubusercontent.com:`
    );
    expect(text).toContain('with HTTP 407 Proxy Authentication Required');
    expect(text).toContain('Give the proxy credentials it accepts');
    expect(text).not.toContain('githubstatus');
    expect(text).not.toContain(PROXY_PASSWORD);
    expect(emu.requestsFor('proxy')).toHaveLength(1);
    expect(emu.requestsFor('github-oidc')).toHaveLength(0);
    expectNoLeaks(run, emu);
  });

  test("Azure Pipelines task: 403 on the CONNECT to Entra names the agent's proxy and its allow-list", async () => {
    emu.fault('proxy', { status: 403 });
    const endpoint = {
      id: emu.azurePipelines.serviceConnectionId,
      scheme: 'WorkloadIdentityFederation',
      parameters: { serviceprincipalid: emu.app.clientId, tenantid: emu.tenantId },
      data: { environment: 'AzureCloud' }
    };
    const run = await runAzureTask(
      azureOptions(emu, { endpoints: [endpoint], variables: { 'Agent.ProxyUrl': emu.proxyUrl } })
    );
    expect(run.result).toBe('Failed');
    expect(failureText(run)).toContain(
      `The proxy ${shownProxy()} refused the request to the Microsoft Entra token endpoint (https://login.microsoftonline.com) with HTTP 403 Forbidden`
    );
    expect(failureText(run)).toContain("allow login.microsoftonline.com (the proxy's allow-list)");
    expect(emu.requestsFor('entra-token')).toHaveLength(0);
  });

  test('CLI: a 403 on the CONNECT to Azure DevOps is not "the identity lacks permission"', async () => {
    // The token request gets through; the proxy refuses dev.azure.com.
    emu.fault('proxy', { delayMs: 0 }, { status: 403 });
    const run = await runCliBundle(
      [
        'token',
        '--federated-token-env',
        'OIDC_TOKEN',
        '--client-id',
        emu.app.clientId,
        '--tenant-id',
        emu.tenantId,
        '--organization',
        'https://dev.azure.com/contoso'
      ],
      dir,
      {
        ...emu.env.common,
        OIDC_TOKEN: emu.github.mintToken({ aud: 'api://AzureADTokenExchange' }),
        HTTPS_PROXY: proxyWithPassword()
      }
    );
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toContain(
      `The proxy ${shownProxy()} refused the request to the Azure DevOps host dev.azure.com (https://dev.azure.com) with HTTP 403 Forbidden`
    );
    expect(run.stderr).not.toContain('lacks permission');
    expect(run.stderr).not.toContain(PROXY_PASSWORD);
    expect(emu.requestsFor('proxy').map((r) => r.url)).toEqual([
      'login.microsoftonline.com:443',
      'dev.azure.com:443'
    ]);
    expect(emu.requestsFor('devops')).toHaveLength(0);
    expect(cliLeaks(run)).toEqual([]);
  });
});
