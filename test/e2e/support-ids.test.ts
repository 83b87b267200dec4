// Every Entra and Azure DevOps failure line ends with the IDs Microsoft support asks for, taken from the answer the
// emulator actually sent, on each target, with debug logging on and no secret anywhere in the output.
import { afterEach, beforeEach, describe, expect, test } from '@jest/globals';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCliBundle } from './cli-runner.js';
import {
  azureOptions,
  expectNoLeaks,
  failureText,
  githubEnv,
  githubInputs,
  useEmulator,
  wifEndpoint,
  type Emulator
} from './fixture.js';
import { runAzureTask, runGitHubAction, type AzureRun, type GitHubRun } from './runner.js';

const emu = useEmulator();
const SUPPORT = 'give these to Microsoft support if you need their help.)';

/** The IDs of the newest Entra error answer the emulator sent. */
function sentEntraIds(emulator: Emulator): { traceId: string; correlationId: string; timestamp: string } {
  const body = emulator.requestsFor('entra-token').at(-1)?.responseBody ?? '{}';
  const answer = JSON.parse(body) as { trace_id?: string; correlation_id?: string; timestamp?: string };
  expect(answer.trace_id).toMatch(/^[0-9a-f-]{36}$/);
  expect(answer.correlation_id).toMatch(/^[0-9a-f-]{36}$/);
  return {
    traceId: answer.trace_id ?? '',
    correlationId: answer.correlation_id ?? '',
    timestamp: answer.timestamp ?? ''
  };
}

/** The exact ending every Entra failure line has. */
function entraEnding(emulator: Emulator): string {
  const ids = sentEntraIds(emulator);
  return ` (Entra trace ID ${ids.traceId}, correlation ID ${ids.correlationId}, timestamp ${ids.timestamp}; ${SUPPORT}`;
}

/** The one failure line; it is the last thing the user reads, so it must end with the IDs. */
function failureLine(run: GitHubRun | AzureRun): string {
  const text = failureText(run);
  expect(text.split('\n')).toHaveLength(1);
  return text;
}

describe('Entra support IDs: a failed federated exchange (AADSTS700213) on each target', () => {
  test('GitHub Action', async () => {
    emu.github.subject = 'repo:contoso/release:ref:refs/heads/feature';
    try {
      const run = await runGitHubAction({ inputs: githubInputs(emu), debug: true }, githubEnv(emu));
      expect(run.exitCode).toBe(1);
      const line = failureLine(run);
      expect(line).toMatch(/^Microsoft Entra ID refused the token request: AADSTS700213: /);
      expect(line).toContain("subject 'repo:contoso/release:ref:refs/heads/feature'");
      expect(line).toContain('exactly (case-sensitive)');
      expect(line.endsWith(entraEnding(emu))).toBe(true);
      expect(run.stdout).toContain('::debug::');
      expectNoLeaks(run, emu);
    } finally {
      emu.github.subject = 'repo:contoso/release:environment:production';
    }
  });

  test('Azure Pipelines task', async () => {
    const connection = emu.azurePipelines.addServiceConnection(undefined, { name: 'unknown-to-the-app' });
    const run = await runAzureTask(
      azureOptions(emu, {
        inputs: { azureSubscription: connection.id },
        endpoints: [wifEndpoint(emu, { id: connection.id })],
        debug: true
      })
    );
    expect(run.result).toBe('Failed');
    const line = failureLine(run);
    expect(line).toMatch(/^Microsoft Entra ID refused the token request: AADSTS700213: /);
    expect(line).toContain(`subject '${connection.subject}'`);
    expect(line).toContain('sc://ORGANIZATION/PROJECT/SERVICE-CONNECTION-NAME');
    expect(line.endsWith(entraEnding(emu))).toBe(true);
    expect(run.stdout).toContain('##vso[task.debug]');
    expectNoLeaks(run, emu);
  });

  test('Azure Pipelines task, client secret (through @azure/identity and MSAL): AADSTS7000215', async () => {
    const app = emu.registerApp({ secrets: ['valid-secret-value-123'] });
    const endpoint = wifEndpoint(emu, {
      scheme: 'ServicePrincipal',
      parameters: {
        serviceprincipalid: app.clientId,
        tenantid: emu.tenantId,
        authenticationType: 'spnKey',
        serviceprincipalkey: 'not-the-secret-value-789'
      }
    });
    const run = await runAzureTask(azureOptions(emu, { endpoints: [endpoint], debug: true }));
    expect(run.result).toBe('Failed');
    const line = failureLine(run);
    expect(line).toMatch(/^Microsoft Entra ID refused the token request: AADSTS7000215: /);
    expect(line).toContain("secret's Value");
    expect(line.endsWith(entraEnding(emu))).toBe(true);
    expect(
      run.stdout
        .split('\n')
        .filter((l) => l.includes('not-the-secret-value-789') && !l.startsWith('##vso[task.setsecret]'))
    ).toEqual([]);
    expectNoLeaks(run, emu);
  });

  describe('command line', () => {
    let dir: string;
    beforeEach(() => {
      dir = mkdtempSync(join(tmpdir(), 'support-ids-'));
    });
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    test('token --debug with a federated token file', async () => {
      const issuer = 'https://eastus.oic.prod-aks.azure.com/4b1c7e2a-93d5-4f08-a6e1-2c9d8b7f3a15/5e6f7a8b/';
      const app = emu.registerApp({
        federatedCredentials: [
          {
            issuer,
            subject: 'system:serviceaccount:release:deployer',
            audience: 'api://AzureADTokenExchange'
          }
        ]
      });
      const token = emu
        .addOidcIssuer(issuer)
        .mintToken({ sub: 'system:serviceaccount:default:default', aud: 'api://AzureADTokenExchange' });
      writeFileSync(join(dir, 'token'), token);
      const run = await runCliBundle(
        [
          'token',
          '--debug',
          '--federated-token-file',
          join(dir, 'token'),
          '--client-id',
          app.clientId,
          '--tenant-id',
          emu.tenantId,
          '--authority-host',
          emu.httpsUrl,
          '--organization',
          emu.devops.orgUrl
        ],
        dir,
        emu.env.common
      );
      expect(run.exitCode).toBe(1);
      expect(run.stdout).toBe('');
      expect(run.stderr).toContain('debug: ');
      const lines = run.stderr.split('\n').filter((l) => l.startsWith('error: '));
      expect(lines).toHaveLength(1);
      const line = lines[0] ?? '';
      expect(line).toMatch(/^error: Microsoft Entra ID refused the token request: AADSTS700213: /);
      expect(line).toContain("subject 'system:serviceaccount:default:default'");
      expect(line.endsWith(entraEnding(emu))).toBe(true);
      for (const secret of emu.secrets().filter((s) => s.length >= 6)) {
        expect(run.stderr.includes(secret) ? `stderr leaks ${secret.slice(0, 4)}…` : 'ok').toBe('ok');
      }
    });
  });
});

describe('Azure DevOps request IDs: verification answered 401', () => {
  test('GitHub Action: TF400813 with the hint, then the activity ID, E2E ID and edge ref of that answer', async () => {
    emu.devops.removeMember(emu.app.objectId);
    try {
      const run = await runGitHubAction({ inputs: githubInputs(emu), debug: true }, githubEnv(emu));
      expect(run.exitCode).toBe(1);
      const line = failureLine(run);
      const answer = emu.requestsFor('devops').find((r) => r.path === '/contoso/_apis/connectionData');
      expect(answer?.status).toBe(401);
      const sent = answer?.responseHeaders ?? {};
      expect(sent.activityid).toMatch(/^[0-9a-f-]{36}$/);
      expect(line).toContain('answered HTTP 401: TF400813');
      expect(line).toContain('Organization settings → Users');
      expect(
        line.endsWith(
          ` (Azure DevOps activity ID ${sent.activityid}, E2E ID ${sent['x-vss-e2eid']}, edge ref '${sent['x-msedge-ref']}'; ${SUPPORT}`
        )
      ).toBe(true);
      expectNoLeaks(run, emu);
    } finally {
      emu.devops.addMember(emu.app.objectId, 'release-bot');
    }
  });
});
