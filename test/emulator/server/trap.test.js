// The trap server: a second HTTPS listener on 127.0.0.2 that records every connection and request.
import { X509Certificate } from 'node:crypto';
import { connect } from 'node:net';
import { startEmulator } from '../index.js';
import { getServerPki } from './tls.js';
import { callDevOps, send } from '../test-client.js';

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

/** @param {string} url resolves once a raw TCP connection was opened and closed */
const touch = (url) =>
  new Promise((resolve, reject) => {
    const { hostname, port } = new URL(url);
    const socket = connect({ host: hostname, port: Number(port) }, () => socket.end());
    socket.on('close', resolve);
    socket.on('error', reject);
  });

describe('trap', () => {
  it('listens on 127.0.0.2 with a certificate the emulator CA signed for that address', async () => {
    expect(emu.trap.url).toMatch(/^https:\/\/127\.0\.0\.2:\d+$/);
    expect(new X509Certificate(getServerPki().certPem).subjectAltName).toContain('IP Address:127.0.0.2');
    const res = await send(emu, `${emu.trap.url}/anything?x=1`);
    expect([res.status, res.json]).toEqual([200, { trap: true, sawAuthorization: false }]);
  });

  it('records connections and requests with their headers, and reports an Authorization header', async () => {
    const res = await send(emu, `${emu.trap.url}/collect`, {
      method: 'POST',
      body: '{}',
      headers: { authorization: 'Bearer leaked', 'user-agent': 'release-tool/1.0' }
    });
    expect(res.json.sawAuthorization).toBe(true);
    await touch(emu.trap.url);
    expect(emu.trap.connections).toHaveLength(2);
    expect(emu.trap.connections[0]).toEqual({
      time: expect.any(Number),
      remoteAddress: '127.0.0.1',
      remotePort: expect.any(Number)
    });
    expect(emu.trap.requests).toEqual([
      {
        time: expect.any(Number),
        method: 'POST',
        url: '/collect',
        headers: expect.objectContaining({ authorization: 'Bearer leaked', 'user-agent': 'release-tool/1.0' })
      }
    ]);
  });

  it('is where the redirect route can send a client; reset clears its records', async () => {
    const token = emu.issueAccessToken();
    const to = `${emu.trap.url}/stolen`;
    const redirect = await callDevOps(emu, token, `/_test/redirect?to=${encodeURIComponent(to)}`);
    const followed = await send(emu, String(redirect.headers.location));
    expect(followed.json.sawAuthorization).toBe(false);
    expect(emu.trap.requests.map((request) => request.url)).toEqual(['/stolen']);
    emu.reset();
    expect([emu.trap.connections, emu.trap.requests]).toEqual([[], []]);
  });

  it('closes with the emulator', async () => {
    const other = await startEmulator();
    await touch(other.trap.url);
    await other.close();
    await expect(touch(other.trap.url)).rejects.toThrow(/ECONNREFUSED/);
  });
});
