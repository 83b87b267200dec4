import { RedirectRefusedError } from '../../../../src/core/devops/redirect.js';
import { HostNotAllowedError } from '../../../../src/core/devops/host-policy.js';
import { NetworkError } from '../../../../src/core/http/transport.js';
import { createClientHarness } from '../../devops-fakes.js';
import { json, rejectionOf } from '../../fakes.js';

const ORIGIN = 'https://dev.azure.com';
const START = `${ORIGIN}/contoso/_apis/items?api-version=7.1`;
/** How log lines and errors show it: without the query. */
const SHOWN = `${ORIGIN}/contoso/_apis/items`;
const BEARER = 'Bearer first-access-token-0001';
const to = (location: string, status = 302) => ({ status, headers: { location }, body: '' });
const auth = (h: ReturnType<typeof createClientHarness>): (string | undefined)[] =>
  h.transport.requests.map((r) => r.headers?.authorization);

describe('DevOpsClient: redirects', () => {
  test('a same-origin redirect is followed with the token, relative locations resolved', async () => {
    const h = createClientHarness([to('/contoso/_apis/moved?api-version=7.1'), json(200, { ok: 1 })]);
    const response = await h.client.send({ method: 'GET', url: new URL(START) });
    expect(h.transport.requests.map((r) => r.url)).toEqual([
      START,
      `${ORIGIN}/contoso/_apis/moved?api-version=7.1`
    ]);
    expect(auth(h)).toEqual([BEARER, BEARER]);
    expect([response.status, response.url.href]).toEqual([
      200,
      `${ORIGIN}/contoso/_apis/moved?api-version=7.1`
    ]);
    expect(h.logged).toEqual([
      expect.stringMatching(/^GET https:\/\/dev\.azure\.com\/contoso\/_apis\/items -> 200 /)
    ]);
  });

  test('303 turns a POST into a GET without the body; 307 and 308 keep both', async () => {
    const see = createClientHarness([to('/contoso/_apis/result', 303), json(200, {})]);
    await see.client.send({ method: 'POST', url: new URL(START), body: '{"a":1}' });
    expect(see.transport.requests.map((r) => [r.method, r.body])).toEqual([
      ['POST', '{"a":1}'],
      ['GET', undefined]
    ]);
    for (const status of [307, 308]) {
      const keep = createClientHarness([to('/contoso/_apis/other', status), json(201, {})]);
      await keep.client.send({ method: 'POST', url: new URL(START), body: '{"a":1}' });
      expect(keep.transport.requests.map((r) => [r.method, r.body])).toEqual([
        ['POST', '{"a":1}'],
        ['POST', '{"a":1}']
      ]);
    }
  });

  test.each([
    'https://contoso.visualstudio.com/_apis/items',
    'https://blob.storage.example/container/item?sig=abc'
  ])('a cross-origin redirect to %s is followed without the Authorization header', async (target) => {
    const h = createClientHarness([to(target), json(200, { there: true })]);
    const response = await h.client.send({ method: 'GET', url: new URL(START) });
    expect(h.transport.requests.map((r) => r.url)).toEqual([START, target]);
    expect(auth(h)).toEqual([BEARER, undefined]);
    expect(h.transport.requests[1]?.headers).toEqual({
      accept: 'application/json',
      'x-tfs-fedauthredirect': 'Suppress'
    });
    expect([response.data, response.url.href]).toEqual([{ there: true }, target]);
    expect(h.platform.lines('info')).toEqual([
      `GET ${SHOWN} redirected to ${new URL(target).host}: following without the Authorization header, the body or custom headers.`
    ]);
  });

  test('a cross-origin redirect that is not https is refused', async () => {
    const h = createClientHarness([to('http://evil.example/steal')]);
    const error = await rejectionOf(
      h.client.send({ method: 'GET', url: new URL(START), description: "operation 1 ('items')" })
    );
    expect(error).toBeInstanceOf(RedirectRefusedError);
    expect(error.message).toBe(
      `operation 1 ('items'): GET ${ORIGIN}/contoso/_apis/items answered HTTP 302 redirecting to http://evil.example, which is not https; the redirect was not followed. Point the operation at the final https URL.`
    );
    expect(h.transport.requests).toHaveLength(1);
  });

  test.each([301, 302, 303, 307, 308])(
    'a write redirected (%i) to another origin is refused, naming the operation, status and target',
    async (status) => {
      for (const method of ['POST', 'PUT', 'PATCH', 'DELETE']) {
        const h = createClientHarness([to('https://contoso.visualstudio.com/_apis/items', status)]);
        const error = await rejectionOf(
          h.client.send({
            method,
            url: new URL(START),
            headers: { 'X-Release': 'r1' },
            body: '{"secret":"payload"}',
            description: "operation 2 ('create')"
          })
        );
        expect(error).toBeInstanceOf(RedirectRefusedError);
        expect(error.message).toBe(
          `operation 2 ('create'): ${method} ${ORIGIN}/contoso/_apis/items answered HTTP ${status} redirecting to another origin (https://contoso.visualstudio.com); a ${method} is not sent on to another host, so nothing was sent there. Point the operation at the URL that should receive it (add its host to the allowed hosts if it must get the token).`
        );
        expect(h.transport.requests).toHaveLength(1);
      }
    }
  );

  test('a cross-origin GET goes without the body and custom headers; 307 keeps HEAD a HEAD', async () => {
    const h = createClientHarness([to('https://blob.storage.example/a', 307), json(200, {})]);
    await h.client.send({
      method: 'GET',
      url: new URL(START),
      headers: { 'X-Release': 'r1', 'If-Match': 'abc' }
    });
    expect(h.transport.requests[1]).toMatchObject({ method: 'GET', url: 'https://blob.storage.example/a' });
    expect(h.transport.requests[1]?.headers).toEqual({
      accept: 'application/json',
      'x-tfs-fedauthredirect': 'Suppress'
    });
    expect(h.transport.requests[1]?.body).toBeUndefined();
    const head = createClientHarness([to('https://blob.storage.example/a', 307), { status: 200 }]);
    await head.client.send({ method: 'HEAD', url: new URL(START) });
    expect(head.transport.requests.map((r) => r.method)).toEqual(['HEAD', 'HEAD']);
  });

  test('same-origin redirects of a write keep its method, body and headers (307) as before', async () => {
    const h = createClientHarness([to('/contoso/_apis/other', 307), json(201, {})]);
    await h.client.send({
      method: 'PATCH',
      url: new URL(START),
      headers: { 'X-Release': 'r1' },
      body: '[]'
    });
    expect(h.transport.requests[1]).toMatchObject({
      method: 'PATCH',
      body: '[]',
      headers: { 'x-release': 'r1', authorization: BEARER }
    });
  });

  test('plain http is followed only from one loopback http host to another (the local emulator)', async () => {
    const loopback = { name: 'contoso', url: 'http://127.0.0.1:8080/contoso' };
    const ok = createClientHarness([to('http://127.0.0.2:9090/x'), json(200, { ok: true })], {
      organization: loopback
    });
    const response = await ok.client.send({ method: 'GET', url: new URL('http://127.0.0.1:8080/contoso/a') });
    expect(response.data).toEqual({ ok: true });
    const away = createClientHarness([to('http://files.example/x')], { organization: loopback });
    const error = await rejectionOf(
      away.client.send({ method: 'GET', url: new URL('http://127.0.0.1:8080/contoso/a') })
    );
    expect(error.message).toContain('redirecting to http://files.example, which is not https');
    expect(away.transport.requests).toHaveLength(1);
  });

  test('more than 5 redirects fail after 6 requests', async () => {
    const h = createClientHarness([to('/contoso/_apis/loop')]);
    const error = await rejectionOf(h.client.send({ method: 'GET', url: new URL(START) }));
    expect(error.message).toBe(`GET ${SHOWN} was redirected more than 5 times.`);
    expect(h.transport.requests).toHaveLength(6);
  });

  test('exactly 5 redirects are followed', async () => {
    const steps = [1, 2, 3, 4, 5].map((n) => to(`/contoso/_apis/hop${n}`));
    const h = createClientHarness([...steps, json(200, { hops: 5 })]);
    expect((await h.client.send({ method: 'GET', url: new URL(START) })).data).toEqual({ hops: 5 });
  });

  test('a redirect without a location is returned as it is', async () => {
    const h = createClientHarness([{ status: 302, headers: {}, body: '' }]);
    expect((await h.client.send({ method: 'GET', url: new URL(START) })).status).toBe(302);
  });

  // Regression (fixed): devops/client.ts compares each hop with the previous URL, not the original origin, so a second
  // hop within the foreign host counts as "same origin": it gets the token (allowed host) or fails.
  test('after leaving the origin, further hops on the other host still go without the token', async () => {
    const h = createClientHarness([
      to('https://contoso.visualstudio.com/a'),
      to('https://contoso.visualstudio.com/b'),
      json(200, {})
    ]);
    await h.client.send({ method: 'GET', url: new URL(START) });
    expect(auth(h)).toEqual([BEARER, undefined, undefined]);
    expect(h.platform.lines('info')).toEqual([
      `GET ${SHOWN} redirected to contoso.visualstudio.com: following without the Authorization header, the body or custom headers.`
    ]);
  });

  test('an error from the other host ends the request with that error', async () => {
    const offline = new NetworkError('Could not reach the host (blob.storage.example): reset.', 'ECONNRESET');
    const h = createClientHarness([to('https://blob.storage.example/a'), offline]);
    expect(await rejectionOf(h.client.send({ method: 'GET', url: new URL(START) }))).toBe(offline);
    expect(h.transport.requests).toHaveLength(2);
  });

  // Regression (fixed): same cause; a second hop on a host outside the allow-list throws instead of being followed.
  test('a second hop on a foreign host is followed, not refused', async () => {
    const h = createClientHarness([
      to('https://blob.storage.example/a'),
      to('https://blob.storage.example/b'),
      json(200, { done: true })
    ]);
    const outcome = await h.client.send({ method: 'GET', url: new URL(START) }).catch((e: unknown) => e);
    expect(outcome).not.toBeInstanceOf(HostNotAllowedError);
    expect(h.transport.requests.map((r) => r.url)).toEqual([
      START,
      'https://blob.storage.example/a',
      'https://blob.storage.example/b'
    ]);
  });

  // Regression (fixed): send() overwrites `retries` with the last hop's count, so retries made before a redirect
  // disappear from the response and from the request's log line.
  test('retries before a same-origin redirect still count in the response and the log line', async () => {
    const h = createClientHarness([
      { status: 503, headers: { 'retry-after': '0' }, body: '' },
      to('/contoso/_apis/moved'),
      json(200, {})
    ]);
    const response = await h.client.send({ method: 'GET', url: new URL(START) });
    expect([response.retries, h.stats.retries]).toEqual([1, 1]);
    expect(h.logged).toEqual([expect.stringMatching(/ -> 200 \(\d+ ms, 1 retry\)$/)]);
  });

  test('retries after a same-origin redirect count too', async () => {
    const h = createClientHarness([
      to('/contoso/_apis/moved'),
      { status: 503, headers: { 'retry-after': '0' }, body: '' },
      json(200, {})
    ]);
    const response = await h.client.send({ method: 'GET', url: new URL(START) });
    expect([response.retries, h.stats.retries]).toEqual([1, 1]);
    expect(h.logged).toEqual([expect.stringMatching(/ -> 200 \(\d+ ms, 1 retry\)$/)]);
  });
});
