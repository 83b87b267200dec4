import { beforeEach, describe, expect, test } from '@jest/globals';
import { decodeClaims, expectNoLeaks, failureText, useEmulator, type Emulator } from './fixture.js';
import { runGitHubAction, type GitHubRun } from './runner.js';

const emu = useEmulator();
beforeEach(() => {
  const machine = emu.setManagedIdentities({ systemAssigned: { displayName: 'runner-vm' } });
  if (machine.systemAssigned) emu.devops.addMember(machine.systemAssigned.objectId, 'runner-vm');
});

const MI_INPUTS = (emu: Emulator, extra: Record<string, string> = {}): Record<string, string> => ({
  'auth-type': 'managed-identity',
  organization: emu.devops.orgUrl,
  ...extra
});
const imdsEnv = (emu: Emulator): Record<string, string> => ({ ...emu.env.common, ...emu.env.imds });

function expectFailure(run: GitHubRun, ...fragments: string[]): void {
  expect(run.exitCode).toBe(1);
  for (const fragment of fragments) expect(failureText(run)).toContain(fragment);
  expectNoLeaks(run, emu);
}

describe('GitHub Action, managed identity', () => {
  test.each([false, true])(
    'IMDS, system-assigned: exactly one request, token published (debug %s)',
    async (debug) => {
      const run = await runGitHubAction({ inputs: MI_INPUTS(emu), debug }, imdsEnv(emu));
      expect(run.errors).toEqual([]);
      const imds = emu.requestsFor('imds');
      expect(imds).toHaveLength(1);
      expect(imds[0]?.headers.metadata).toBe('true');
      expect(imds[0]?.query).toMatchObject({ resource: '499b84ac-1321-427f-aa17-267ca6975798' });
      expect(emu.requests.filter((r) => r.service !== 'devops')).toHaveLength(1);
      const system = emu.managedIdentity.systemAssigned;
      expect(decodeClaims(run.outputs.token ?? '').oid).toBe(system?.objectId);
      expect(run.outputs).toMatchObject({
        'object-id': system?.objectId,
        'client-id': system?.clientId,
        identity: 'runner-vm'
      });
      expect(run.infoLines.join('\n')).toContain(
        'managed identity (system-assigned, or the only one assigned)'
      );
      expectNoLeaks(run, emu, [run.outputs.token ?? '']);
    }
  );

  test('App Service / Functions endpoint (IDENTITY_ENDPOINT + IDENTITY_HEADER)', async () => {
    const run = await runGitHubAction(
      { inputs: MI_INPUTS(emu), debug: true },
      { ...emu.env.common, ...emu.env.appService }
    );
    expect(run.errors).toEqual([]);
    const requests = emu.requestsFor('app-service');
    expect(requests).toHaveLength(1);
    expect(requests[0]?.headers['x-identity-header']).toBe(emu.appService.identityHeader);
    expect(emu.requestsFor('imds')).toHaveLength(0);
    expectNoLeaks(run, emu, [run.outputs.token ?? '']);
  });

  test.each<[string, 'clientId' | 'objectId' | 'resourceId', string]>([
    ['client-id', 'clientId', 'client_id'],
    ['managed-identity-object-id', 'objectId', 'object_id'],
    ['managed-identity-resource-id', 'resourceId', 'msi_res_id']
  ])('a user-assigned identity selected by %s', async (input, field, query) => {
    const machine = emu.setManagedIdentities({
      userAssigned: [{ displayName: 'deployer' }, { displayName: 'other' }]
    });
    const chosen = machine.userAssigned[1];
    if (!chosen) throw new Error('no identity');
    emu.devops.addMember(chosen.objectId, 'other');
    const run = await runGitHubAction({ inputs: MI_INPUTS(emu, { [input]: chosen[field] }) }, imdsEnv(emu));
    expect(run.errors).toEqual([]);
    expect(emu.requestsFor('imds')[0]?.query[query]).toBe(chosen[field]);
    expect(run.outputs['object-id']).toBe(chosen.objectId);
    expect(run.outputs.identity).toBe('other');
  });

  test('several user-assigned identities and none selected', async () => {
    emu.setManagedIdentities({ userAssigned: [{ displayName: 'a' }, { displayName: 'b' }] });
    const run = await runGitHubAction({ inputs: MI_INPUTS(emu) }, imdsEnv(emu));
    expectFailure(
      run,
      'several user-assigned managed identities',
      "'client-id', 'managed-identity-object-id' or 'managed-identity-resource-id'"
    );
  });

  test('a selected identity that is not on the machine', async () => {
    const run = await runGitHubAction(
      { inputs: MI_INPUTS(emu, { 'client-id': '0a0a0a0a-1b1b-2c2c-3d3d-4e4e4e4e4e4e' }) },
      imdsEnv(emu)
    );
    expectFailure(run, 'no identity matching the request', 'Identity');
  });

  test('no managed identity endpoint on this machine', async () => {
    const run = await runGitHubAction(
      { inputs: MI_INPUTS(emu) },
      {
        ...emu.env.common,
        AZURE_POD_IDENTITY_AUTHORITY_HOST: 'http://127.0.0.1:9',
        AZURE_DEVOPS_ENTRA_TOKEN_TIMEOUT: '8'
      }
    );
    expectFailure(run, 'No managed identity endpoint answered', 'workload identity federation');
  });

  test('IMDS 404 (identity not yet ready) is retried', async () => {
    emu.fault('imds', { status: 404, body: { error: 'not_found' } });
    const run = await runGitHubAction({ inputs: MI_INPUTS(emu, { verify: 'false' }) }, imdsEnv(emu));
    expect(run.errors).toEqual([]);
    expect(emu.requestsFor('imds').map((r) => r.status)).toEqual([404, 200]);
    expectNoLeaks(run, emu, [run.outputs.token ?? '']);
  });

  test('IMDS 429 and 503 are retried', async () => {
    emu.fault(
      'imds',
      { status: 429, body: { error: 'too_many_requests' }, headers: { 'retry-after': '1' } },
      { status: 503, body: 'busy' }
    );
    const run = await runGitHubAction({ inputs: MI_INPUTS(emu, { verify: 'false' }) }, imdsEnv(emu));
    expect(run.errors).toEqual([]);
    expect(emu.requestsFor('imds')).toHaveLength(3);
    expectNoLeaks(run, emu, [run.outputs.token ?? '']);
  });

  test('AZURE_FEDERATED_TOKEN_FILE does not silently switch managed identity to another flow', async () => {
    const run = await runGitHubAction(
      { inputs: MI_INPUTS(emu, { verify: 'false' }) },
      {
        ...imdsEnv(emu),
        AZURE_CLIENT_ID: '',
        AZURE_TENANT_ID: emu.tenantId,
        AZURE_FEDERATED_TOKEN_FILE: '/nonexistent/token'
      }
    );
    expect(run.errors).toEqual([]);
    expect(emu.requestsFor('imds')).toHaveLength(1);
    expect(emu.requestsFor('entra-token')).toHaveLength(0);
  });
});
