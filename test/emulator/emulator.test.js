// The emulator's infrastructure: TLS and the process-wide CA, Entra metadata, the request log and secrets.
import { X509Certificate } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { startEmulator } from './index.js';
import { ADO_SCOPE, openTunnel, secretForm, send } from './test-client.js';

/** @type {Awaited<ReturnType<typeof startEmulator>>} */
let emu;
beforeAll(async () => {
  emu = await startEmulator();
});
afterAll(async () => {
  await emu?.close();
});
afterEach(() => {
  emu.reset();
});

describe('startup and TLS', () => {
  it('listens on loopback with a CA the clients can trust', () => {
    expect(emu.httpsUrl).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(emu.httpUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect([emu.proxyUrl, emu.imdsUrl]).toEqual([emu.httpUrl, emu.httpUrl]);
    expect(existsSync(emu.caFile) && readFileSync(emu.caFile, 'utf8')).toBe(emu.caPem);
    expect(new X509Certificate(emu.caPem).ca).toBe(true);
    expect(emu.devops.orgUrl).toBe(`${emu.httpsUrl}/contoso`);
    expect(emu.azurePipelines.collectionUri).toBe(`${emu.httpsUrl}/contoso/`);
    expect(emu.github.requestUrl).toBe(`${emu.httpsUrl}/_github/idtoken?api-version=2.0`);
  });

  it('serves a certificate for every emulated Microsoft host', async () => {
    const secure = await openTunnel(emu, 'login.microsoftonline.com:443');
    const names = secure.getPeerCertificate().subjectaltname;
    secure.destroy();
    for (const name of [
      'DNS:localhost',
      'IP Address:127.0.0.1',
      'DNS:login.microsoftonline.com',
      'DNS:login.microsoftonline.us',
      'DNS:login.chinacloudapi.cn',
      'DNS:*.dev.azure.com',
      'DNS:*.visualstudio.com',
      'DNS:token.actions.githubusercontent.com',
      'DNS:management.azure.com'
    ]) {
      expect(names).toContain(name);
    }
  });

  it('reuses the process-wide CA for a second emulator running side by side', async () => {
    const second = await startEmulator({
      organization: 'fabrikam',
      tenantId: '9d3f6b2c-1a4e-4c7b-8f0d-2e5a7c9b1d30'
    });
    try {
      expect(second.caPem).toBe(emu.caPem);
      expect(second.httpsUrl).not.toBe(emu.httpsUrl);
      expect(
        (
          await send(second, `${second.httpsUrl}/${second.tenantId}/oauth2/v2.0/token`, {
            form: {
              grant_type: 'client_credentials',
              client_id: second.app.clientId,
              scope: ADO_SCOPE,
              client_secret: second.app.clientSecret ?? ''
            }
          })
        ).status
      ).toBe(200);
    } finally {
      await second.close();
    }
    expect(existsSync(second.caFile)).toBe(false);
  });
});

describe('Entra metadata', () => {
  it('builds the OpenID configuration from the request host', async () => {
    const res = await send(
      emu,
      `${emu.httpsUrl}/contoso.onmicrosoft.com/v2.0/.well-known/openid-configuration`
    );
    const base = `${emu.httpsUrl}/${emu.tenantId}`;
    expect(res.json).toMatchObject({
      issuer: `${base}/v2.0`,
      token_endpoint: `${base}/oauth2/v2.0/token`,
      authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
      jwks_uri: `${base}/discovery/v2.0/keys`,
      end_session_endpoint: `${base}/oauth2/v2.0/logout`,
      tenant_region_scope: 'WW'
    });
    expect(emu.requestsFor('entra-metadata')).toHaveLength(1);
  });

  it('answers 90002 for an unknown tenant', async () => {
    const res = await send(
      emu,
      `${emu.httpsUrl}/fabrikam.onmicrosoft.com/v2.0/.well-known/openid-configuration`
    );
    expect([res.status, res.json.error_codes]).toEqual([400, [90002]]);
  });

  it('publishes the signing keys and records instance discovery', async () => {
    const keys = (await send(emu, `${emu.httpsUrl}/${emu.tenantId}/discovery/v2.0/keys`)).json.keys;
    expect(keys[0]).toEqual(
      expect.objectContaining({
        kty: 'RSA',
        use: 'sig',
        kid: expect.any(String),
        n: expect.any(String),
        e: 'AQAB'
      })
    );
    const discovery = await send(
      emu,
      `${emu.httpsUrl}/common/discovery/instance?api-version=1.1&authorization_endpoint=https://login.microsoftonline.com/${emu.tenantId}/oauth2/v2.0/authorize`
    );
    expect(discovery.json.tenant_discovery_endpoint).toContain(
      `/${emu.tenantId}/v2.0/.well-known/openid-configuration`
    );
    expect(emu.requestsFor('instance-discovery')).toHaveLength(1);
    expect(emu.requestsFor('entra-keys')).toHaveLength(1);
  });
});
describe('request log and secrets', () => {
  it('records method, path, query, lower-case headers, body, form and status', async () => {
    await send(emu, `${emu.httpsUrl}/${emu.tenantId}/oauth2/v2.0/token?x=1`, {
      form: secretForm(emu),
      headers: { 'X-Custom': 'yes' }
    });
    const [record] = emu.requests;
    expect(record).toMatchObject({
      service: 'entra-token',
      method: 'POST',
      url: `/${emu.tenantId}/oauth2/v2.0/token?x=1`,
      path: `/${emu.tenantId}/oauth2/v2.0/token`,
      query: { x: '1' },
      headers: expect.objectContaining({ 'x-custom': 'yes' }),
      form: secretForm(emu),
      status: 200,
      scheme: 'https'
    });
    expect(record?.body).toContain('grant_type=client_credentials');
    expect(Math.abs(Date.now() - (record?.time ?? 0))).toBeLessThan(5000);
    emu.requests.pop();
    expect(emu.requests).toHaveLength(1);
    emu.reset();
    expect(emu.requests).toHaveLength(0);
  });

  it('labels requests without a route as unknown and answers 404 / 405', async () => {
    expect((await send(emu, `${emu.httpsUrl}/nowhere`)).status).toBe(404);
    expect((await send(emu, `${emu.httpsUrl}/${emu.tenantId}/oauth2/v2.0/token`)).status).toBe(405);
    expect(emu.requests.map((r) => r.service)).toEqual(['unknown', 'entra-token']);
  });

  it('lists every secret it issued or holds', async () => {
    const issued = (
      await send(emu, `${emu.httpsUrl}/${emu.tenantId}/oauth2/v2.0/token`, { form: secretForm(emu) })
    ).json.access_token;
    const oidc = (
      await send(emu, emu.github.requestUrl, {
        headers: { authorization: `Bearer ${emu.github.requestToken}` }
      })
    ).json.value;
    const secrets = emu.secrets();
    const keyLines =
      (emu.app.certificatePem ?? '')
        .split('-----BEGIN PRIVATE KEY-----')[1]
        ?.split('\n')
        .filter((line) => line.length >= 40) ?? [];
    expect(keyLines.length).toBeGreaterThan(10);
    for (const value of [
      issued,
      oidc,
      emu.app.clientSecret,
      emu.github.requestToken,
      emu.azurePipelines.systemAccessToken,
      emu.appService.identityHeader,
      ...keyLines
    ]) {
      expect(secrets).toContain(value);
    }
    expect(secrets.some((value) => value.includes('PRIVATE KEY'))).toBe(true);
  });
});
