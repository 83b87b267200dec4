// The emulated Azure DevOps REST API: bearer authentication like dev.azure.com, connectionData, errors,
// and the route extension point.
import { startEmulator } from '../index.js';
import { ADO_SCOPE, send } from '../test-client.js';

/** @type {Awaited<ReturnType<typeof startEmulator>>} */
let emu;
/** @type {string} */
let token;
beforeAll(async () => {
  emu = await startEmulator();
  const form = {
    grant_type: 'client_credentials',
    client_id: emu.app.clientId,
    scope: ADO_SCOPE,
    client_secret: emu.app.clientSecret ?? ''
  };
  token = (await send(emu, `${emu.httpsUrl}/${emu.tenantId}/oauth2/v2.0/token`, { form })).json.access_token;
});
afterAll(async () => {
  await emu?.close();
});
afterEach(() => {
  emu.setClockOffset(0);
});

const SUPPRESS = { 'x-tfs-fedauthredirect': 'Suppress' };
/** @param {Record<string, string>} [headers] */
const connectionData = (headers = {}, org = 'contoso') =>
  send(emu, `${emu.httpsUrl}/${org}/_apis/connectionData?api-version=7.1`, { headers });

describe('connectionData', () => {
  it('answers the caller identity for an org member', async () => {
    const res = await connectionData({ authorization: `Bearer ${token}`, ...SUPPRESS });
    expect(res.status).toBe(200);
    const user = res.json.authenticatedUser;
    expect(user).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      descriptor: expect.stringContaining(emu.app.objectId),
      subjectDescriptor: expect.stringMatching(/^aadsp\./),
      providerDisplayName: 'release-bot',
      isActive: true,
      properties: {}
    });
    expect(res.json).toMatchObject({
      authorizedUser: user,
      instanceId: emu.devops.getOrganization()?.id,
      deploymentType: 'hosted',
      locationServiceData: {
        defaultAccessMappingMoniker: 'PublicAccessMapping',
        lastChangeId: 1,
        lastChangeId64: 1,
        serviceOwner: expect.any(String)
      }
    });
    const again = await send(emu, `${emu.devops.orgUrl}/_apis/connectionData`, {
      headers: { authorization: `Bearer ${token}` }
    });
    expect(again.json.authenticatedUser.id).toBe(user.id);
  });

  it('accepts a managed identity token for the default system-assigned identity', async () => {
    const mi = await send(
      emu,
      `${emu.imdsUrl}/metadata/identity/oauth2/token?api-version=2018-02-01&resource=499b84ac-1321-427f-aa17-267ca6975798`,
      { headers: { metadata: 'true' } }
    );
    const res = await connectionData({ authorization: `Bearer ${mi.json.access_token}`, ...SUPPRESS });
    expect(res.json.authenticatedUser.providerDisplayName).toBe(
      emu.managedIdentity.systemAssigned?.displayName
    );
  });

  it('answers 203 with an HTML sign-in page without X-TFS-FedAuthRedirect', async () => {
    const res = await connectionData();
    expect(res.status).toBe(203);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.text).toContain('<html');
    expect((await connectionData({ authorization: 'Bearer not-a-token' })).status).toBe(203);
  });

  it('answers 401 with the tenant challenge when redirects are suppressed', async () => {
    const res = await connectionData(SUPPRESS);
    expect(res.status).toBe(401);
    expect(String(res.headers['www-authenticate'])).toContain(
      `Bearer authorization_uri=https://login.microsoftonline.com/${emu.tenantId}`
    );
    expect(res.headers['x-vss-resourcetenant']).toBe(emu.tenantId);
    expect(res.json).toMatchObject({
      $id: '1',
      typeKey: 'UnauthorizedRequestException',
      message: expect.stringMatching(/^TF400813: /)
    });
  });

  it('answers 401 TF400813 for a valid token of a non-member', async () => {
    emu.devops.removeMember(emu.app.objectId);
    const res = await connectionData({ authorization: `Bearer ${token}`, ...SUPPRESS });
    emu.devops.addMember(emu.app.objectId, emu.app.displayName);
    expect(res.status).toBe(401);
    expect(res.json).toEqual({
      $id: '1',
      innerException: null,
      message: `TF400813: The user '${emu.app.objectId}' is not authorized to access this resource.`,
      typeName:
        'Microsoft.TeamFoundation.Framework.Server.UnauthorizedRequestException, Microsoft.TeamFoundation.Framework.Server',
      typeKey: 'UnauthorizedRequestException',
      errorCode: 0,
      eventId: 3000
    });
  });

  it('rejects an expired token, a token for another resource and a token from another tenant', async () => {
    emu.setClockOffset(3600_000);
    expect((await connectionData({ authorization: `Bearer ${token}`, ...SUPPRESS })).status).toBe(401);
    expect((await connectionData({ authorization: `Bearer ${token}` })).status).toBe(203);
    emu.setClockOffset(0);
    const arm = emu.issueAccessToken({ resource: 'https://management.azure.com' });
    expect((await connectionData({ authorization: `Bearer ${arm}`, ...SUPPRESS })).json.message).toMatch(
      /anonymous access/
    );
    const foreign = emu.issueAccessToken({ tenantId: emu.addTenant().id });
    expect((await connectionData({ authorization: `Bearer ${foreign}`, ...SUPPRESS })).json.message).toMatch(
      /is not authorized/
    );
  });
});

describe('organizations and routes', () => {
  it('answers 404 for an unknown organization and an unknown route', async () => {
    const org = await connectionData({ authorization: `Bearer ${token}`, ...SUPPRESS }, 'fabrikam');
    expect([org.status, org.json.typeKey]).toEqual([404, 'HostDoesNotExistException']);
    const route = await send(emu, `${emu.devops.orgUrl}/_apis/nothing-here`, {
      headers: { authorization: `Bearer ${token}`, ...SUPPRESS }
    });
    expect([route.status, route.json.message]).toEqual([
      404,
      expect.stringContaining('/contoso/_apis/nothing-here')
    ]);
  });

  it('lets other suites add routes that receive the authenticated identity', async () => {
    const remove = emu.devops.route('GET', '/{project}/_apis/git/repositories', (req, ctx) => ({
      status: 200,
      body: {
        count: 0,
        value: [],
        project: ctx.params.project,
        caller: ctx.identity.objectId,
        org: ctx.org.name,
        top: req.query.$top
      }
    }));
    const url = `${emu.devops.orgUrl}/release-project/_apis/git/repositories?api-version=7.1&$top=5`;
    const res = await send(emu, url, { headers: { authorization: `Bearer ${token}`, ...SUPPRESS } });
    expect(res.json).toEqual({
      count: 0,
      value: [],
      project: 'release-project',
      caller: emu.app.objectId,
      org: 'contoso',
      top: '5'
    });
    expect((await send(emu, url)).status).toBe(203);
    remove();
    // Without the override the built-in repositories route answers again (a page of $top=5).
    const builtIn = await send(emu, url, { headers: { authorization: `Bearer ${token}`, ...SUPPRESS } });
    expect([builtIn.status, builtIn.json.count]).toEqual([200, 5]);
  });

  it('serves additional organizations connected to other tenants', async () => {
    const tenant = emu.addTenant({ domain: 'fabrikam.onmicrosoft.com' });
    emu.devops.addOrganization({ name: 'fabrikam', tenantId: tenant.id });
    emu.devops.addMember(emu.app.objectId, 'guest-bot', 'fabrikam');
    const res = await connectionData(SUPPRESS, 'fabrikam');
    expect(res.headers['x-vss-resourcetenant']).toBe(tenant.id);
    const guestToken = emu.issueAccessToken({ tenantId: tenant.id });
    const ok = await connectionData({ authorization: `Bearer ${guestToken}`, ...SUPPRESS }, 'fabrikam');
    expect(ok.json.authenticatedUser.providerDisplayName).toBe('guest-bot');
  });
});

describe('Azure Pipelines OIDC errors', () => {
  const url = () =>
    `${emu.azurePipelines.oidcRequestUri}?api-version=7.1&serviceConnectionId=${emu.azurePipelines.serviceConnectionId}`;

  it('requires the system access token', async () => {
    const res = await send(emu, url(), {
      method: 'POST',
      body: '{}',
      headers: { 'content-type': 'application/json', ...SUPPRESS }
    });
    expect([res.status, res.json.typeKey]).toEqual([401, 'UnauthorizedRequestException']);
  });

  it('requires a registered service connection and honours added ones', async () => {
    const headers = {
      authorization: `Bearer ${emu.azurePipelines.systemAccessToken}`,
      'content-type': 'application/json'
    };
    const unknown = await send(
      emu,
      `${emu.azurePipelines.oidcRequestUri}?api-version=7.1&serviceConnectionId=6b7c0f0e-0000-0000-0000-000000000000`,
      { method: 'POST', body: '{}', headers }
    );
    expect([unknown.status, unknown.json.message]).toEqual([
      400,
      expect.stringContaining('6b7c0f0e-0000-0000-0000-000000000000')
    ]);
    const added = emu.azurePipelines.addServiceConnection(undefined, { name: 'deploy-prod' });
    const res = await send(
      emu,
      `${emu.azurePipelines.oidcRequestUri}?api-version=7.1&serviceConnectionId=${added.id}`,
      { method: 'POST', body: '{}', headers }
    );
    expect(JSON.parse(Buffer.from(res.json.oidcToken.split('.')[1], 'base64url').toString()).sub).toBe(
      'sc://contoso/release-project/deploy-prod'
    );
  });
});

describe('request IDs on every Azure DevOps answer', () => {
  const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
  const EDGE_REF = /^Ref A: [0-9A-F]{32} Ref B: [A-Z0-9]+ Ref C: \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/;

  /** @param {import('node:http').IncomingHttpHeaders} headers */
  function expectRequestIds(headers) {
    expect(headers.activityid).toMatch(UUID);
    expect(headers['x-tfs-session']).toBe(headers.activityid);
    expect(headers['x-vss-e2eid']).toMatch(UUID);
    expect(headers['x-vss-e2eid']).not.toBe(headers.activityid);
    expect(headers['x-msedge-ref']).toMatch(EDGE_REF);
  }

  it('on success, on 401, on 404, on the sign-in page and on injected faults, fresh per answer', async () => {
    emu.reset();
    const answers = [
      await connectionData({ authorization: `Bearer ${token}`, ...SUPPRESS }),
      await connectionData(SUPPRESS),
      await connectionData({ authorization: `Bearer ${token}`, ...SUPPRESS }, 'no-such-org'),
      await connectionData()
    ];
    emu.fault('devops', { status: 503, body: { message: 'busy' } });
    answers.push(await connectionData({ authorization: `Bearer ${token}`, ...SUPPRESS }));
    expect(answers.map((res) => res.status)).toEqual([200, 401, 404, 203, 503]);
    for (const res of answers) expectRequestIds(res.headers);
    expect(new Set(answers.map((res) => res.headers.activityid)).size).toBe(answers.length);
    // Recorded as sent, so tests can compare them with what a client printed.
    const records = emu.requestsFor('devops');
    expect(records.map((r) => r.responseHeaders?.activityid)).toEqual(
      answers.map((res) => res.headers.activityid)
    );
    expect(records[1]?.responseHeaders?.['x-vss-e2eid']).toBe(answers[1]?.headers['x-vss-e2eid']);
    expect(JSON.parse(records[1]?.responseBody ?? '{}').message).toContain('TF400813');
  });

  it('on the Azure Pipelines OIDC endpoint too; an answer that sets its own ActivityId keeps it', async () => {
    const res = await send(emu, `${emu.azurePipelines.oidcRequestUri}?api-version=7.1`, {
      method: 'POST',
      body: '{}',
      headers: { 'content-type': 'application/json', ...SUPPRESS }
    });
    expect(res.status).toBe(401);
    expectRequestIds(res.headers);
    const flaky = await send(emu, `${emu.devops.orgUrl}/_test/flaky?api-version=7.1&key=ids`, {
      headers: { authorization: `Bearer ${token}`, ...SUPPRESS }
    });
    expect(flaky.status).toBe(503);
    expectRequestIds(flaky.headers);
    expect(flaky.json.message).toBe(
      `TF400898: An Internal Error Occurred. Activity Id: ${flaky.headers.activityid}.`
    );
  });
});
