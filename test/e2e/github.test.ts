import { describe, expect, test } from '@jest/globals';
import {
  AZURE_DEVOPS_SCOPE,
  decodeClaims,
  expectNoLeaks,
  failureText,
  githubEnv,
  githubInputs,
  useEmulator
} from './fixture.js';
import { runGitHubAction } from './runner.js';

const emu = useEmulator();

describe('GitHub Action, federated', () => {
  test.each([false, true])('gets, masks, verifies and publishes a token (debug %s)', async (debug) => {
    const run = await runGitHubAction({ inputs: githubInputs(emu), debug }, githubEnv(emu));
    expect(run.errors).toEqual([]);
    expect(run.exitCode).toBe(0);

    const token = run.outputs.token ?? '';
    const claims = decodeClaims(token);
    expect(claims).toMatchObject({
      aud: '499b84ac-1321-427f-aa17-267ca6975798',
      tid: emu.tenantId,
      oid: emu.app.objectId,
      appid: emu.app.clientId
    });
    expect(run.outputs).toMatchObject({
      'tenant-id': emu.tenantId,
      'object-id': emu.app.objectId,
      'client-id': emu.app.clientId,
      // canary: verify
      identity: 'release-bot'
    });
    expect(run.outputs['expires-on']).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(Math.abs(Date.parse(run.outputs['expires-on'] ?? '') - Number(claims.exp) * 1000)).toBeLessThan(
      2000
    );
    expect(run.masks).toContain(token);
    expect(run.exportedEnv).toEqual({});

    // The wire: one OIDC request, one token POST (no metadata GET, even on this unknown host), one verification.
    const oidc = emu.requestsFor('github-oidc');
    expect(oidc).toHaveLength(1);
    expect(oidc[0]?.query.audience).toBe('api://AzureADTokenExchange');
    expect(oidc[0]?.headers.authorization).toBe(`Bearer ${emu.github.requestToken}`);
    expect(emu.requestsFor('entra-metadata')).toHaveLength(0);
    const tokenRequests = emu.requestsFor('entra-token');
    expect(tokenRequests).toHaveLength(1);
    expect(tokenRequests[0]?.path).toBe(`/${emu.tenantId}/oauth2/v2.0/token`);
    expect(tokenRequests[0]?.form).toMatchObject({
      grant_type: 'client_credentials',
      client_id: emu.app.clientId,
      scope: AZURE_DEVOPS_SCOPE,
      client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer'
    });
    expect(decodeClaims(tokenRequests[0]?.form?.client_assertion ?? '')).toMatchObject({
      iss: emu.github.issuer,
      sub: emu.github.subject
    });
    expect(emu.requestsFor('instance-discovery')).toHaveLength(0);
    const verify = emu.requestsFor('devops');
    expect(verify).toHaveLength(1);
    expect(verify[0]).toMatchObject({ method: 'GET', path: '/contoso/_apis/connectionData' });
    expect(verify[0]?.headers).toMatchObject({
      authorization: `Bearer ${token}`,
      'x-tfs-fedauthredirect': 'Suppress',
      accept: 'application/json'
    });
    expect(verify[0]?.headers['user-agent']).toMatch(
      /^azure-devops-entra-token\/\d+\.\d+\.\d+ \(GitHub Actions/
    );
    expect(emu.requests.map((r) => r.service).sort()).toEqual(['devops', 'entra-token', 'github-oidc']);

    // What the user reads: the account of what happened.
    const log = run.infoLines.join('\n');
    expect(log).toContain('workload identity federation (GitHub OIDC token)');
    expect(log).toContain(`Tenant ${emu.tenantId}, client ID ${emu.app.clientId}, authority ${emu.httpsUrl}`);
    expect(log).toContain(
      `issuer '${emu.github.issuer}', subject '${emu.github.subject}', audience 'api://AzureADTokenExchange'`
    );
    expect(log).toContain(`object ID ${emu.app.objectId}`);
    expect(log).toContain(`expires ${run.outputs['expires-on']}`);
    expect(log).toContain("accepts the token as 'release-bot'");
    expectNoLeaks(run, emu, [token]);
  });

  test('on a known Microsoft authority the whole exchange is one OIDC request and one token request (through HTTPS_PROXY)', async () => {
    const inputs = githubInputs(emu, { 'authority-host': '' });
    const run = await runGitHubAction({ inputs }, { ...githubEnv(emu), HTTPS_PROXY: emu.proxyUrl });
    expect(run.errors).toEqual([]);
    expect(emu.requestsFor('proxy').map((r) => r.url)).toEqual(['login.microsoftonline.com:443']);
    expect(emu.requestsFor('github-oidc')).toHaveLength(1);
    expect(emu.requestsFor('entra-token')).toHaveLength(1);
    expect(emu.requestsFor('entra-token')[0]?.headers.host).toBe('login.microsoftonline.com');
    expect(emu.requestsFor('entra-metadata')).toHaveLength(0);
    expect(emu.requestsFor('instance-discovery')).toHaveLength(0);
    expectNoLeaks(run, emu, [run.outputs.token ?? '']);
  });

  test('cloud sets the authority host and the OIDC audience', async () => {
    const inputs = githubInputs(emu, { 'authority-host': '', cloud: 'AzureUSGovernment', organization: '' });
    const run = await runGitHubAction({ inputs }, { ...githubEnv(emu), HTTPS_PROXY: emu.proxyUrl });
    expect(emu.requestsFor('proxy').map((r) => r.url)).toEqual(['login.microsoftonline.us:443']);
    expect(emu.requestsFor('github-oidc')[0]?.query.audience).toBe('api://AzureADTokenExchangeUSGov');
    // The default app trusts only the public-cloud audience, so Entra refuses and says why.
    expect(failureText(run)).toContain('AADSTS700212');
    expect(failureText(run)).toContain("audience 'api://AzureADTokenExchangeUSGov'");
    expectNoLeaks(run, emu);
  });

  test('export-variable exports the token for later steps; verify false skips Azure DevOps', async () => {
    const run = await runGitHubAction(
      { inputs: githubInputs(emu, { 'export-variable': 'ADO_TOKEN', verify: 'false' }) },
      githubEnv(emu)
    );
    expect(run.errors).toEqual([]);
    expect(run.exportedEnv).toEqual({ ADO_TOKEN: run.outputs.token });
    expect(run.outputs.identity).toBe('');
    expect(emu.requestsFor('devops')).toHaveLength(0);
    expect(run.infoLines.join('\n')).toContain('Exported the token as environment variable ADO_TOKEN');
    expectNoLeaks(run, emu, [run.outputs.token ?? '']);
  });

  test('client-id and tenant-id fall back to AZURE_CLIENT_ID and AZURE_TENANT_ID; AZURE_AUTHORITY_HOST is honoured', async () => {
    const inputs = githubInputs(emu, { 'client-id': '', 'tenant-id': '', 'authority-host': '' });
    const run = await runGitHubAction(
      { inputs },
      {
        ...githubEnv(emu),
        AZURE_CLIENT_ID: emu.app.clientId,
        AZURE_TENANT_ID: emu.tenantDomain,
        AZURE_AUTHORITY_HOST: emu.httpsUrl
      }
    );
    expect(run.errors).toEqual([]);
    expect(emu.requestsFor('entra-token')[0]?.path).toBe(`/${emu.tenantDomain}/oauth2/v2.0/token`);
    expect(run.outputs['tenant-id']).toBe(emu.tenantId);
    expectNoLeaks(run, emu, [run.outputs.token ?? '']);
  });
});
