// Fault injection: queued and repeating statuses, delays, and hung requests that close() ends.
import { startEmulator } from '../index.js';
import { ADO_SCOPE, secretForm, send } from '../test-client.js';

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

describe('faults', () => {
  const tokenUrl = () => `${emu.httpsUrl}/${emu.tenantId}/oauth2/v2.0/token`;

  it('answers queued statuses once each, then handles normally', async () => {
    emu.fault(
      'entra-token',
      { status: 503, body: { error: 'temporarily_unavailable' }, headers: { 'retry-after': '1' } },
      { status: 429, body: 'slow down' }
    );
    const first = await send(emu, tokenUrl(), { form: secretForm(emu) });
    expect([first.status, first.json, first.headers['retry-after']]).toEqual([
      503,
      { error: 'temporarily_unavailable' },
      '1'
    ]);
    const second = await send(emu, tokenUrl(), { form: secretForm(emu) });
    expect([second.status, second.text]).toEqual([429, 'slow down']);
    expect((await send(emu, tokenUrl(), { form: secretForm(emu) })).status).toBe(200);
    expect(emu.requestsFor('entra-token').map((r) => r.status)).toEqual([503, 429, 200]);
  });

  it('repeats an always step until the faults are cleared', async () => {
    emu.fault('imds', { status: 410, always: true });
    const url = `${emu.imdsUrl}/metadata/identity/oauth2/token?api-version=2018-02-01&resource=${ADO_SCOPE}`;
    for (let i = 0; i < 3; i += 1)
      expect((await send(emu, url, { headers: { metadata: 'true' } })).status).toBe(410);
    emu.clearFaults();
    expect((await send(emu, url, { headers: { metadata: 'true' } })).status).toBe(200);
  });

  it('delays a response', async () => {
    emu.fault('entra-token', { delayMs: 300 });
    const started = Date.now();
    expect((await send(emu, tokenUrl(), { form: secretForm(emu) })).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
  });

  it('rejects malformed steps', () => {
    expect(() => emu.fault('imds', /** @type {any} */ ({ statsu: 500 }))).toThrow(/fault step/);
  });

  it('hangs until close() destroys the socket', async () => {
    const hung = await startEmulator();
    hung.fault('github-oidc', { hang: true });
    hung.fault('entra-token', { delayMs: 60_000 });
    const pending = send(hung, hung.github.requestUrl, {
      headers: { authorization: `Bearer ${hung.github.requestToken}` }
    });
    const delayed = send(hung, `${hung.httpsUrl}/${hung.tenantId}/oauth2/v2.0/token`, {
      form: { grant_type: 'client_credentials' }
    });
    const outcome = Promise.allSettled([pending, delayed]);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(hung.requestsFor('github-oidc')[0]?.status).toBeUndefined();
    const started = Date.now();
    await hung.close();
    expect(Date.now() - started).toBeLessThan(2000);
    expect((await outcome).map((result) => result.status)).toEqual(['rejected', 'rejected']);
  });
});
