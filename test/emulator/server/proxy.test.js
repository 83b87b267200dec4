// The CONNECT proxy (tunnels to the HTTPS server whatever host is asked) and absolute-URI proxying.
import { request as httpRequest } from 'node:http';
import { startEmulator } from '../index.js';
import { ADO_SCOPE, openTunnel, secretForm, send } from '../test-client.js';

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

describe('proxy', () => {
  it('tunnels CONNECT login.microsoftonline.com:443 to the token endpoint', async () => {
    const secure = await openTunnel(emu, 'login.microsoftonline.com:443');
    const res = await send(emu, `https://login.microsoftonline.com/${emu.tenantId}/oauth2/v2.0/token`, {
      form: secretForm(emu),
      createConnection: () => secure
    });
    expect(res.status).toBe(200);
    expect(emu.requestsFor('proxy')).toEqual([
      expect.objectContaining({ method: 'CONNECT', target: 'login.microsoftonline.com:443', status: 200 })
    ]);
    expect(emu.requestsFor('entra-token')[0]).toMatchObject({
      host: 'login.microsoftonline.com',
      scheme: 'https',
      status: 200
    });
  });

  it('serves the metadata with the tunnelled host as issuer', async () => {
    const secure = await openTunnel(emu, 'login.microsoftonline.com:443');
    const res = await send(
      emu,
      `https://login.microsoftonline.com/${emu.tenantId}/v2.0/.well-known/openid-configuration`,
      { createConnection: () => secure }
    );
    expect(res.json.issuer).toBe(`https://login.microsoftonline.com/${emu.tenantId}/v2.0`);
  });

  it('routes absolute-URI requests by path and records both services', async () => {
    const target = `http://169.254.169.254/metadata/identity/oauth2/token?api-version=2018-02-01&resource=${ADO_SCOPE}`;
    const res = await new Promise((resolve, reject) => {
      const { port } = new URL(emu.proxyUrl);
      const req = httpRequest(
        { host: '127.0.0.1', port, path: target, headers: { metadata: 'true' }, agent: false },
        (response) => {
          response.resume();
          response.on('end', () => resolve(response.statusCode));
        }
      );
      req.on('error', reject);
      req.end();
    });
    expect(res).toBe(200);
    expect(emu.requests.map((r) => [r.service, r.status])).toEqual([
      ['proxy', 200],
      ['imds', 200]
    ]);
    expect(emu.requestsFor('proxy')[0]?.target).toBe(target);
  });

  it('can refuse a tunnel with a proxy fault', async () => {
    emu.fault('proxy', { status: 407, headers: { 'proxy-authenticate': 'Basic realm="corp"' } });
    await expect(openTunnel(emu, 'dev.azure.com:443')).rejects.toThrow('proxy answered 407');
    expect(emu.requestsFor('proxy')[0]?.status).toBe(407);
  });
});
