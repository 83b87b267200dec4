// Managed identity: Azure IMDS and the App Service endpoint, identity selection and every error.
import { startEmulator } from '../index.js';
import { claimsOf, send } from '../test-client.js';

/** @type {Awaited<ReturnType<typeof startEmulator>>} */
let emu;
/** @type {import('./managed-identity.js').ManagedIdentityConfig} */
let defaults;
beforeAll(async () => {
  emu = await startEmulator();
  defaults = emu.managedIdentity;
});
afterAll(async () => {
  await emu?.close();
});
afterEach(() => {
  emu.setManagedIdentities(defaults);
});

const ADO = '499b84ac-1321-427f-aa17-267ca6975798';

/**
 * @param {string} query
 * @param {Record<string, string>} [headers]
 */
const imds = (query, headers = { metadata: 'true' }) =>
  send(emu, `${emu.imdsUrl}/metadata/identity/oauth2/token?api-version=2018-02-01&${query}`, { headers });
/**
 * @param {string} query
 * @param {Record<string, string>} [headers]
 */
const appService = (query, headers = { 'x-identity-header': emu.appService.identityHeader }) =>
  send(emu, `${emu.appService.endpoint}?api-version=2019-08-01&${query}`, { headers });

function twoUserAssigned() {
  return emu.setManagedIdentities({
    systemAssigned: null,
    userAssigned: [
      { displayName: 'deployer' },
      { displayName: 'reader', clientId: '11111111-2222-3333-4444-555555555555' }
    ]
  }).userAssigned;
}

describe('IMDS', () => {
  it('issues a token for the system-assigned identity with string numbers', async () => {
    const system = emu.managedIdentity.systemAssigned;
    const res = await imds(`resource=${ADO}`);
    expect(res.status).toBe(200);
    expect(res.json).toEqual({
      access_token: expect.any(String),
      client_id: system?.clientId,
      expires_in: '86399',
      expires_on: expect.stringMatching(/^\d+$/),
      ext_expires_in: '86399',
      not_before: expect.stringMatching(/^\d+$/),
      resource: ADO,
      token_type: 'Bearer'
    });
    expect(claimsOf(res.json.access_token)).toMatchObject({
      aud: ADO,
      oid: system?.objectId,
      appid: system?.clientId,
      tid: emu.tenantId,
      xms_mirid: system?.resourceId
    });
  });

  it('accepts a resource with /.default and uses managedIdentityTokenLifetimeSeconds', async () => {
    emu.managedIdentityTokenLifetimeSeconds = 3600;
    const res = await imds(`resource=${ADO}/.default`);
    emu.managedIdentityTokenLifetimeSeconds = 86399;
    expect(res.json).toMatchObject({ resource: ADO, expires_in: '3600' });
  });

  it('requires the Metadata header', async () => {
    const res = await imds(`resource=${ADO}`, {});
    expect(res.status).toBe(400);
    expect(res.json).toEqual({
      error: 'invalid_request',
      error_description: 'Required metadata header not specified'
    });
  });

  it('selects a user-assigned identity by client_id, object_id or msi_res_id', async () => {
    const [deployer, reader] = twoUserAssigned();
    expect((await imds(`resource=${ADO}&client_id=${reader?.clientId}`)).json.client_id).toBe(
      reader?.clientId
    );
    expect(
      claimsOf((await imds(`resource=${ADO}&object_id=${deployer?.objectId}`)).json.access_token).oid
    ).toBe(deployer?.objectId);
    const byResource = await imds(
      `resource=${ADO}&msi_res_id=${encodeURIComponent(String(deployer?.resourceId).toUpperCase())}`
    );
    expect(byResource.json.client_id).toBe(deployer?.clientId);
  });

  it('answers the IMDS errors for unknown, ambiguous and missing identities', async () => {
    const notFound = { error: 'invalid_request', error_description: 'Identity not found' };
    expect((await imds(`resource=${ADO}&client_id=00000000-0000-0000-0000-000000000000`)).json).toEqual(
      notFound
    );
    twoUserAssigned();
    const ambiguous = await imds(`resource=${ADO}`);
    expect(ambiguous.status).toBe(400);
    expect(ambiguous.json.error_description).toBe(
      'Multiple user assigned identities exist, please specify the clientId / resourceId of the identity in the token request'
    );
    emu.setManagedIdentities({ userAssigned: [] });
    const none = await imds(`resource=${ADO}`);
    expect([none.status, none.json]).toEqual([400, notFound]);
  });

  it('uses the only user-assigned identity when there is no system-assigned one', async () => {
    const [only] = emu.setManagedIdentities({ userAssigned: [{ displayName: 'solo' }] }).userAssigned;
    expect((await imds(`resource=${ADO}`)).json.client_id).toBe(only?.clientId);
  });

  it('requires the resource parameter', async () => {
    expect((await imds('')).json.error_description).toBe("Required query variable 'resource' is missing");
  });
});

describe('App Service', () => {
  it('issues a token with the App Service response shape', async () => {
    const system = emu.managedIdentity.systemAssigned;
    const res = await appService(`resource=${ADO}`);
    expect(res.status).toBe(200);
    expect(res.json).toEqual({
      access_token: expect.any(String),
      expires_on: expect.stringMatching(/^\d+$/),
      resource: ADO,
      token_type: 'Bearer',
      client_id: system?.clientId
    });
  });

  it('requires the X-IDENTITY-HEADER secret', async () => {
    expect((await appService(`resource=${ADO}`, {})).status).toBe(400);
    const wrong = await appService(`resource=${ADO}`, { 'x-identity-header': 'wrong' });
    expect(wrong.status).toBe(401);
    expect(wrong.json).toEqual({
      statusCode: 401,
      message: expect.any(String),
      correlationId: expect.any(String)
    });
  });

  it('selects by client_id, principal_id or mi_res_id and reports selection errors', async () => {
    const [deployer, reader] = twoUserAssigned();
    expect((await appService(`resource=${ADO}&principal_id=${reader?.objectId}`)).json.client_id).toBe(
      reader?.clientId
    );
    expect(
      (await appService(`resource=${ADO}&mi_res_id=${encodeURIComponent(deployer?.resourceId ?? '')}`)).json
        .client_id
    ).toBe(deployer?.clientId);
    expect((await appService(`resource=${ADO}&client_id=${deployer?.clientId}`)).json.client_id).toBe(
      deployer?.clientId
    );
    const ambiguous = await appService(`resource=${ADO}`);
    expect([ambiguous.status, ambiguous.json.message]).toEqual([
      400,
      expect.stringContaining('Multiple user assigned identities exist')
    ]);
    const unknown = await appService(`resource=${ADO}&client_id=nobody`);
    expect([unknown.status, unknown.json.message]).toEqual([
      400,
      'No Managed Identity found for specified ClientId/ResourceId/PrincipalId.'
    ]);
  });
});
