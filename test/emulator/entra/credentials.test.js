// The emulated Entra token endpoint with client secrets and certificate assertions, request validation,
// and the AADSTS errors of those paths.
import { startEmulator } from '../index.js';
import {
  ADO_SCOPE,
  claimsOf,
  expectEntraError,
  JWT_BEARER,
  send,
  signCertificateAssertion
} from '../test-client.js';

/** @type {Awaited<ReturnType<typeof startEmulator>>} */
let emu;
beforeAll(async () => {
  emu = await startEmulator();
});
afterAll(async () => {
  await emu?.close();
});

const tokenUrl = (tenant = emu.tenantId) => `${emu.httpsUrl}/${tenant}/oauth2/v2.0/token`;

describe('client secret', () => {
  /** @param {Record<string, string>} extra */
  const withSecret = (extra) =>
    send(emu, tokenUrl(), {
      form: { grant_type: 'client_credentials', client_id: emu.app.clientId, scope: ADO_SCOPE, ...extra }
    });

  it('issues a token for a valid secret (appidacr 1)', async () => {
    const res = await withSecret({ client_secret: emu.app.clientSecret ?? '' });
    expect(res.status).toBe(200);
    expect(claimsOf(res.json.access_token).appidacr).toBe('1');
  });

  it('answers 7000222 for an expired secret and 7000215 for a wrong one', async () => {
    const app = emu.registerApp({ secrets: ['current-secret-value'], expiredSecrets: ['old-secret-value'] });
    const form = { grant_type: 'client_credentials', client_id: app.clientId, scope: ADO_SCOPE };
    const expired = await send(emu, tokenUrl(), { form: { ...form, client_secret: 'old-secret-value' } });
    expect(expectEntraError(expired, 401, 7000222)).toContain(
      `client secret keys for app '${app.clientId}' are expired`
    );
    expect(expectEntraError(await withSecret({ client_secret: 'wrong' }), 401, 7000215)).toContain(
      'Invalid client secret provided.'
    );
    expect(
      (await send(emu, tokenUrl(), { form: { ...form, client_secret: 'current-secret-value' } })).status
    ).toBe(200);
  });

  it('answers 7000218 without any credential', async () => {
    expectEntraError(await withSecret({}), 401, 7000218);
  });

  it('validates the request parameters', async () => {
    expectEntraError(
      await withSecret({ scope: '499b84ac-1321-427f-aa17-267ca6975798', client_secret: 'x' }),
      400,
      1002012
    );
    expectEntraError(
      await withSecret({ scope: 'not a resource/.default', client_secret: 'x' }),
      400,
      1002012
    );
    expectEntraError(await withSecret({ scope: 'storage/.default', client_secret: 'x' }), 400, 500011);
    expectEntraError(await withSecret({ grant_type: 'password' }), 400, 70003);
    expectEntraError(
      await send(emu, tokenUrl(), { form: { grant_type: 'client_credentials' } }),
      400,
      900144
    );
    expectEntraError(
      await send(emu, tokenUrl(), { form: { grant_type: 'client_credentials', client_id: 'x' } }),
      400,
      90014
    );
    expectEntraError(await withSecret({ client_assertion: 'x' }), 400, 90014);
  });

  it('echoes client-request-id (header, or query as MSAL sends it) as the correlation id', async () => {
    const correlationId = '0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0';
    const form = { grant_type: 'client_credentials', client_id: emu.app.clientId, scope: ADO_SCOPE };
    const res = await send(emu, tokenUrl(), { form, headers: { 'client-request-id': correlationId } });
    expect(res.json.correlation_id).toBe(correlationId);
    const viaQuery = await send(emu, `${tokenUrl()}?client-request-id=${correlationId}`, { form });
    expect(viaQuery.json.error_description).toContain(`Correlation ID: ${correlationId}`);
  });
});

describe('certificate assertion', () => {
  const certForm = (/** @type {string} */ assertion) => ({
    grant_type: 'client_credentials',
    client_id: emu.app.clientId,
    scope: ADO_SCOPE,
    client_assertion_type: JWT_BEARER,
    client_assertion: assertion
  });
  const sign = (/** @type {Partial<Parameters<typeof signCertificateAssertion>[0]>} */ overrides = {}) =>
    signCertificateAssertion({
      certificatePem: emu.app.certificatePem ?? '',
      clientId: emu.app.clientId,
      audience: tokenUrl(),
      ...overrides
    });

  it('accepts an assertion signed with the registered certificate (x5t + RS256, x5t#S256 + PS256)', async () => {
    const res = await send(emu, tokenUrl(), { form: certForm(sign()) });
    expect(res.status).toBe(200);
    expect(claimsOf(res.json.access_token)).toMatchObject({ appidacr: '2', oid: emu.app.objectId });
    expect((await send(emu, tokenUrl(), { form: certForm(sign({ sha256: true })) })).status).toBe(200);
  });

  it('answers 700027 for a certificate that is not registered', async () => {
    const stranger = emu.registerApp({ withCertificate: true });
    const res = await send(emu, tokenUrl(), {
      form: certForm(sign({ certificatePem: stranger.certificatePem ?? '' }))
    });
    expect(expectEntraError(res, 401, 700027)).toContain('is not registered on application');
  });

  it('answers 50012 for a wrong audience, 700021 for a wrong issuer, 700024 when expired', async () => {
    expectEntraError(
      await send(emu, tokenUrl(), { form: certForm(sign({ audience: 'https://login.example.com/token' })) }),
      401,
      50012
    );
    expectEntraError(
      await send(emu, tokenUrl(), { form: certForm(sign({ claims: { iss: 'someone-else' } })) }),
      401,
      700021
    );
    expectEntraError(
      await send(emu, tokenUrl(), { form: certForm(sign({ claims: { exp: 1000 } })) }),
      400,
      700024
    );
  });
});
