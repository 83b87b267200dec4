import { describe, expect, test } from '@jest/globals';
import {
  AZURE_DEVOPS_SCOPE,
  azureOptions,
  decodeClaims,
  expectNoLeaks,
  failureText,
  useEmulator,
  wifEndpoint
} from './fixture.js';
import { runAzureTask, type AzureRun } from './runner.js';

const emu = useEmulator();

function tokenOf(run: AzureRun, name = 'AZURE_DEVOPS_TOKEN'): string {
  return run.variables.find((v) => v.name === name && !v.isOutput)?.value ?? '';
}

function expectSuccess(run: AzureRun): string {
  expect(run.resultMessage).toBe('Azure DevOps access token acquired.');
  expect(run.result).toBe('Succeeded');
  expect(run.errors).toEqual([]);
  const token = tokenOf(run);
  expect(token).not.toBe('');
  expectNoLeaks(run, emu);
  return token;
}

function expectFailure(run: AzureRun, ...fragments: string[]): string {
  expect(run.result).toBe('Failed');
  const text = failureText(run);
  for (const fragment of fragments) expect(text).toContain(fragment);
  expect(run.variables.filter((v) => v.name === 'AZURE_DEVOPS_TOKEN')).toEqual([]);
  expectNoLeaks(run, emu);
  return text;
}

describe('Azure Pipelines task, workload identity federation', () => {
  test.each([false, true])(
    'azureRM connection: gets, masks, verifies and sets the secret variables (debug %s)',
    async (debug) => {
      const run = await runAzureTask(azureOptions(emu, { debug }));
      const token = expectSuccess(run);
      expect(decodeClaims(token)).toMatchObject({
        aud: '499b84ac-1321-427f-aa17-267ca6975798',
        oid: emu.app.objectId,
        appid: emu.app.clientId,
        tid: emu.tenantId
      });
      // Secret for the later steps of the job AND secret output for later jobs.
      expect(run.variables.filter((v) => v.name === 'AZURE_DEVOPS_TOKEN')).toEqual([
        { name: 'AZURE_DEVOPS_TOKEN', value: token, isSecret: true, isOutput: false },
        { name: 'AZURE_DEVOPS_TOKEN', value: token, isSecret: true, isOutput: true }
      ]);
      const outputs = Object.fromEntries(
        run.variables.filter((v) => v.isOutput && !v.isSecret).map((v) => [v.name, v.value])
      );
      expect(outputs).toMatchObject({
        tenantId: emu.tenantId,
        objectId: emu.app.objectId,
        clientId: emu.app.clientId,
        // canary: verify
        identity: 'release-bot'
      });
      expect(outputs.expiresOn).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);

      const oidc = emu.requestsFor('azure-oidc');
      expect(oidc).toHaveLength(1);
      expect(oidc[0]).toMatchObject({ method: 'POST', body: '{}' });
      expect(oidc[0]?.query).toMatchObject({
        'api-version': '7.1',
        serviceConnectionId: emu.azurePipelines.serviceConnectionId
      });
      expect(oidc[0]?.headers).toMatchObject({
        authorization: `Bearer ${emu.azurePipelines.systemAccessToken}`,
        'content-type': 'application/json',
        'x-tfs-fedauthredirect': 'Suppress'
      });
      const tokenRequest = emu.requestsFor('entra-token');
      expect(tokenRequest).toHaveLength(1);
      expect(tokenRequest[0]?.form).toMatchObject({
        client_id: emu.app.clientId,
        scope: AZURE_DEVOPS_SCOPE,
        client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer'
      });
      expect(decodeClaims(tokenRequest[0]?.form?.client_assertion ?? '')).toMatchObject({
        iss: emu.azurePipelines.issuer,
        aud: 'api://AzureADTokenExchange'
      });
      expect(emu.requestsFor('devops')[0]?.headers).toMatchObject({
        authorization: `Bearer ${token}`,
        'x-tfs-fedauthredirect': 'Suppress'
      });
      expect(emu.requestsFor('devops')[0]?.headers['user-agent']).toContain('(Azure Pipelines;');
      expect(emu.requestsFor('instance-discovery')).toHaveLength(0);

      const log = run.infoLines.join('\n');
      expect(log).toContain('workload identity federation (Azure Pipelines OIDC token)');
      expect(log).toContain(`issuer '${emu.azurePipelines.issuer}'`);
      expect(log).toContain("audience 'api://AzureADTokenExchange'");
      expect(log).toContain("accepts the token as 'release-bot'");
    }
  );

  test('azureDevOps (WorkloadIdentityUser) connection and a custom variable name', async () => {
    const endpoint = wifEndpoint(emu, { url: 'https://dev.azure.com/contoso/' });
    const options = azureOptions(emu, {
      inputs: {
        connectionType: 'azureDevOps',
        azureSubscription: '',
        azureDevOpsServiceConnection: endpoint.id,
        variableName: 'ADO_TOKEN'
      },
      endpoints: [endpoint]
    });
    const run = await runAzureTask(options);
    expect(run.result).toBe('Succeeded');
    expect(run.variables.filter((v) => v.name === 'ADO_TOKEN').map((v) => [v.isSecret, v.isOutput])).toEqual([
      [true, false],
      [true, true]
    ]);
    expect(emu.requestsFor('azure-oidc')[0]?.query.serviceConnectionId).toBe(endpoint.id);
    expectNoLeaks(run, emu);
  });

  test('the cloud comes from the connection environment, through the agent proxy, with one token request', async () => {
    const endpoint = wifEndpoint(emu, { data: { environment: 'AzureUSGovernment' } });
    const run = await runAzureTask(
      azureOptions(emu, { endpoints: [endpoint], variables: { 'Agent.ProxyUrl': emu.proxyUrl } })
    );
    expectSuccess(run);
    expect(emu.requestsFor('proxy').map((r) => r.url)).toEqual(['login.microsoftonline.us:443']);
    expect(emu.requestsFor('entra-token')).toHaveLength(1);
    expect(emu.requestsFor('entra-metadata')).toHaveLength(0);
  });

  test.each([
    ['WorkloadIdentityFederation (the OIDC assertion)', undefined],
    ['ServicePrincipal (the client secret)', 'spnKey']
  ])(
    'an AZURE_AUTHORITY_HOST variable cannot redirect the credentials of a %s connection',
    async (_what, authenticationType) => {
      const base = wifEndpoint(emu, { data: { environment: 'AzureCloud' } });
      const endpoint =
        authenticationType === undefined
          ? base
          : {
              ...base,
              scheme: 'ServicePrincipal',
              parameters: {
                serviceprincipalid: emu.app.clientId,
                tenantid: emu.tenantId,
                authenticationType,
                serviceprincipalkey: emu.app.clientSecret ?? ''
              }
            };
      const run = await runAzureTask(
        azureOptions(emu, { endpoints: [endpoint], env: { AZURE_AUTHORITY_HOST: emu.trap.url }, debug: true })
      );
      expectFailure(
        run,
        `The AZURE_AUTHORITY_HOST variable is '${emu.trap.url}'`,
        'whose Entra authority host is https://login.microsoftonline.com',
        'Remove the AZURE_AUTHORITY_HOST variable'
      );
      expect(emu.requests).toEqual([]);
      expect(emu.trap.connections).toEqual([]);
      expect(run.stdout).not.toContain(emu.app.clientSecret ?? '<none>');
    }
  );
});

describe('System.OidcRequestUri is checked before System.AccessToken is sent to it', () => {
  const oidcPath = (): string => new URL(emu.azurePipelines.oidcRequestUri).pathname;
  test.each([
    ['another host', () => `${emu.trap.url}${oidcPath()}`, "not on the host of the job's collection"],
    ['plain http', () => `${emu.httpUrl}${oidcPath()}`, "not on the host of the job's collection"],
    ['a query', () => `${emu.azurePipelines.oidcRequestUri}?x=1`, 'no credentials, query or fragment']
  ])('an OIDC request URI on %s is refused with no request sent', async (_what, uri, problem) => {
    const requestUri = uri();
    const run = await runAzureTask(
      azureOptions(emu, { variables: { 'System.OidcRequestUri': requestUri }, debug: true })
    );
    expectFailure(
      run,
      `System.OidcRequestUri is '${requestUri}'`,
      problem,
      'System.AccessToken is not sent there'
    );
    expect(emu.requests).toEqual([]);
    expect(emu.trap.connections).toEqual([]);
  });

  test('the OIDC request URI on the loopback collection itself is used (tests only)', async () => {
    const run = await runAzureTask(azureOptions(emu));
    expectSuccess(run);
    expect(emu.requestsFor('azure-oidc')).toHaveLength(1);
  });
});

describe('Azure Pipelines task, service principal and managed identity connections', () => {
  test('ServicePrincipal with a client secret', async () => {
    const endpoint = wifEndpoint(emu, {
      scheme: 'ServicePrincipal',
      parameters: {
        serviceprincipalid: emu.app.clientId,
        tenantid: emu.tenantId,
        authenticationType: 'spnKey',
        serviceprincipalkey: emu.app.clientSecret ?? ''
      }
    });
    const run = await runAzureTask(azureOptions(emu, { endpoints: [endpoint], debug: true }));
    expectSuccess(run);
    expect(run.secrets).toContain(emu.app.clientSecret);
    expect(emu.requestsFor('entra-token')[0]?.form).toMatchObject({
      client_id: emu.app.clientId,
      client_secret: emu.app.clientSecret
    });
    expect(emu.requestsFor('azure-oidc')).toHaveLength(0);
  });

  test('ServicePrincipal with a certificate', async () => {
    const endpoint = wifEndpoint(emu, {
      scheme: 'ServicePrincipal',
      parameters: {
        serviceprincipalid: emu.app.clientId,
        tenantid: emu.tenantId,
        authenticationType: 'spnCertificate',
        servicePrincipalCertificate: emu.app.certificatePem ?? ''
      }
    });
    const run = await runAzureTask(azureOptions(emu, { endpoints: [endpoint], debug: true }));
    expectSuccess(run);
    const assertion = emu.requestsFor('entra-token')[0]?.form?.client_assertion ?? '';
    const header = JSON.parse(
      Buffer.from(assertion.split('.')[0] ?? '', 'base64url').toString('utf8')
    ) as Record<string, unknown>;
    expect(header['x5t#S256'] ?? header.x5t).toBeDefined();
  });

  test.each([
    ['expiredSecrets', 'AADSTS7000222', 'has expired'],
    ['wrong', 'AADSTS7000215', "secret's Value"]
  ])('ServicePrincipal secret %s', async (kind, code, hint) => {
    const app = emu.registerApp({
      secrets: ['valid-secret-value-123'],
      expiredSecrets: ['expired-secret-value-456']
    });
    emu.devops.addMember(app.objectId, 'other-bot');
    const secret = kind === 'wrong' ? 'not-the-secret-value-789' : 'expired-secret-value-456';
    const endpoint = wifEndpoint(emu, {
      scheme: 'ServicePrincipal',
      parameters: {
        serviceprincipalid: app.clientId,
        tenantid: emu.tenantId,
        authenticationType: 'spnKey',
        serviceprincipalkey: secret
      }
    });
    const run = await runAzureTask(azureOptions(emu, { endpoints: [endpoint], debug: true }));
    const text = expectFailure(run, code, hint);
    expect(text).not.toContain(secret);
    expect(
      run.stdout.split('\n').filter((l) => l.includes(secret) && !l.startsWith('##vso[task.setsecret]'))
    ).toEqual([]);
  });

  test('ManagedServiceIdentity connection uses the agent machine identity (IMDS)', async () => {
    const endpoint = wifEndpoint(emu, {
      scheme: 'ManagedServiceIdentity',
      parameters: { tenantid: emu.tenantId }
    });
    const run = await runAzureTask(azureOptions(emu, { endpoints: [endpoint], env: emu.env.imds }));
    const token = expectSuccess(run);
    const imds = emu.requestsFor('imds');
    expect(imds).toHaveLength(1);
    expect(imds[0]?.headers.metadata).toBe('true');
    expect(decodeClaims(token).oid).toBe(emu.managedIdentity.systemAssigned?.objectId);
  });

  test('managedIdentity connection type with a user-assigned identity selected by client ID', async () => {
    const machine = emu.setManagedIdentities({
      userAssigned: [{ displayName: 'deployer' }, { displayName: 'other' }]
    });
    const chosen = machine.userAssigned[0];
    if (!chosen) throw new Error('no identity');
    emu.devops.addMember(chosen.objectId, 'deployer');
    try {
      const options = azureOptions(emu, {
        inputs: {
          connectionType: 'managedIdentity',
          azureSubscription: '',
          managedIdentityClientId: chosen.clientId
        },
        env: emu.env.imds
      });
      const run = await runAzureTask(options);
      const token = expectSuccess(run);
      expect(emu.requestsFor('imds')[0]?.query.client_id).toBe(chosen.clientId);
      expect(decodeClaims(token).oid).toBe(chosen.objectId);
      expect(run.variables.find((v) => v.name === 'identity')?.value).toBe('deployer');
    } finally {
      emu.setManagedIdentities({ systemAssigned: { displayName: 'agent-vm' } });
    }
  });
});

describe('Azure Pipelines task errors', () => {
  test('no System.OidcRequestUri', async () => {
    const run = await runAzureTask(azureOptions(emu, { variables: { 'System.OidcRequestUri': '' } }));
    expectFailure(run, 'System.OidcRequestUri', 'agent 3.230.2');
    expect(emu.requests).toEqual([]);
  });

  test('a service connection not referenced by this task', async () => {
    const run = await runAzureTask(azureOptions(emu, { endpoints: [] }));
    expectFailure(
      run,
      `Input 'azureSubscription' is '${emu.azurePipelines.serviceConnectionId}'`,
      'no such service connection is available to this task',
      'Pipeline permissions'
    );
    expect(emu.requests).toEqual([]);
  });

  test('an unsupported scheme', async () => {
    const run = await runAzureTask(
      azureOptions(emu, { endpoints: [wifEndpoint(emu, { scheme: 'PublishProfile' })] })
    );
    expectFailure(
      run,
      "'PublishProfile'",
      'WorkloadIdentityFederation, ServicePrincipal, ManagedServiceIdentity'
    );
    expect(emu.requests).toEqual([]);
  });

  test.each([
    [
      { organization: 'https://example.com/contoso' },
      "Input 'organization' is 'https://example.com/contoso'"
    ],
    [{ variableName: 'SYSTEM_ACCESSTOKEN' }, "Input 'variableName' is 'SYSTEM_ACCESSTOKEN'"],
    [{ connectionType: 'spn' }, "Input 'connectionType' is 'spn'"],
    [
      { connectionType: 'managedIdentity', managedIdentityClientId: 'abc' },
      "Input 'managedIdentityClientId' is 'abc'"
    ],
    [{ scope: 'a b' }, "Input 'scope' is 'a b'"]
  ])('bad input %j fails before any network call', async (inputs, fragment) => {
    const run = await runAzureTask(azureOptions(emu, { inputs }));
    expectFailure(run, fragment);
    expect(emu.requests).toEqual([]);
  });

  test('the OIDC endpoint refuses a connection this pipeline may not use', async () => {
    const endpoint = wifEndpoint(emu, { id: '0b2f6a4e-1c3d-4e5f-8a9b-0c1d2e3f4a5b' });
    const run = await runAzureTask(
      azureOptions(emu, { inputs: { azureSubscription: endpoint.id }, endpoints: [endpoint] })
    );
    expectFailure(
      run,
      'Azure Pipelines OIDC endpoint answered HTTP 400',
      "'azureSubscription'",
      'workload identity federation service connection'
    );
  });

  test('AADSTS700213 for a service connection whose subject is not on the app', async () => {
    const connection = emu.azurePipelines.addServiceConnection(undefined, { name: 'renamed-connection' });
    const endpoint = wifEndpoint(emu, { id: connection.id });
    const run = await runAzureTask(
      azureOptions(emu, { inputs: { azureSubscription: connection.id }, endpoints: [endpoint] })
    );
    expectFailure(
      run,
      'AADSTS700213',
      `subject '${connection.subject}'`,
      `issuer '${emu.azurePipelines.issuer}'`,
      'sc://ORGANIZATION/PROJECT/SERVICE-CONNECTION-NAME'
    );
  });

  test('TF400813 when the identity is not in the organization', async () => {
    emu.devops.removeMember(emu.app.objectId);
    try {
      const run = await runAzureTask(azureOptions(emu, { debug: true }));
      expectFailure(run, 'TF400813', emu.app.objectId, 'Organization settings');
    } finally {
      emu.devops.addMember(emu.app.objectId, 'release-bot');
    }
  });

  test('a hanging Azure Pipelines OIDC endpoint fails within the budget, naming it', async () => {
    emu.fault('azure-oidc', { hang: true, always: true });
    const run = await runAzureTask(azureOptions(emu, { env: { AZURE_DEVOPS_ENTRA_TOKEN_TIMEOUT: '3' } }));
    expect(run.durationMs).toBeLessThan(10_000);
    expectFailure(run, 'Azure Pipelines OIDC endpoint', 'did not answer');
    emu.clearFaults();
  });
});
