import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { ProxyError, ResponseTooLargeError } from '../../../../src/core/errors.js';
import { HttpsProxyAgent } from 'https-proxy-agent';
import {
  createDeadline,
  createTransport,
  formatBytes,
  type HttpTransport,
  NetworkError
} from '../../../../src/core/http/transport.js';
import { loadProxyAgents } from '../../../../src/core/http/proxy.js';
import { sendWithRetry } from '../../../../src/core/http/retry.js';
import { createRecordingLogger, rejectionOf } from '../../fakes.js';

/** What the server saw of each streamed body: how much it wrote before the client hung up. */
const streamed: { written: number; closed: Promise<void> }[] = [];
let server: http.Server;
let base: string;
/** A proxy that refuses every CONNECT with `proxyStatus` and answers absolute-URI requests with it too. */
let proxy: http.Server;
let proxyUrl: string;
let proxyStatus = 407;
const connects: string[] = [];
const sockets = new Set<Socket>();

const CHUNK = Buffer.alloc(64 * 1024, 'a');

beforeAll(async () => {
  server = http.createServer((req, res) => {
    if (req.url === '/declared') {
      res.writeHead(200, { 'content-length': String(10 * 1024 * 1024) });
      res.write(CHUNK);
      return; // never finishes: the client must give up on the header alone
    }
    if (req.url?.startsWith('/endless')) {
      // No content-length: only counting what arrives can stop this one.
      const record = { written: 0, closed: new Promise<void>((resolve) => res.on('close', resolve)) };
      streamed.push(record);
      res.writeHead(200, { 'content-type': 'application/json' });
      const pump = (): void => {
        while (!res.destroyed && record.written < 50 * 1024 * 1024) {
          record.written += CHUNK.length;
          if (!res.write(CHUNK)) return void res.once('drain', pump);
        }
      };
      pump();
      return;
    }
    const small = JSON.stringify({ small: true });
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(small.length) });
    res.end(small);
  });
  proxy = http.createServer((_req, res) => {
    res.writeHead(proxyStatus, { 'proxy-authenticate': 'Basic realm="corp"' });
    res.end('proxy says no');
  });
  proxy.on('connect', (req: http.IncomingMessage, socket: Socket) => {
    connects.push(req.url ?? '');
    socket.end(`HTTP/1.1 ${proxyStatus} ${http.STATUS_CODES[proxyStatus]}\r\ncontent-length: 0\r\n\r\n`);
  });
  for (const s of [server, proxy]) {
    // Every socket, tunnels included (closeAllConnections does not know a CONNECT socket), is destroyed at the end.
    s.on('connection', (socket: Socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    });
    await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  }
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  proxyUrl = `http://corp-user:proxy-pass-7781@127.0.0.1:${(proxy.address() as AddressInfo).port}`;
});

afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  for (const s of [server, proxy]) {
    s.closeAllConnections();
    await new Promise<void>((resolve) => s.close(() => resolve()));
  }
});

beforeEach(() => {
  connects.length = 0;
  proxyStatus = 407;
});

function transport(options: { maxResponseBytes?: number } = {}): HttpTransport {
  return createTransport({
    agentFor: () => undefined,
    requestTimeoutMs: 5000,
    userAgent: 'unit-test/1.0',
    logger: createRecordingLogger(),
    ...(options.maxResponseBytes ? { maxResponseBytes: options.maxResponseBytes } : {})
  });
}

async function proxiedTransport(): Promise<HttpTransport> {
  const factory = await loadProxyAgents(true);
  return createTransport({
    agentFor: (url) => factory(proxyUrl, url),
    requestTimeoutMs: 5000,
    userAgent: 'unit-test/1.0',
    logger: createRecordingLogger()
  });
}

describe('response size limit', () => {
  test('formatBytes names the limit the way the messages do', () => {
    expect([
      formatBytes(64 * 1024 * 1024),
      formatBytes(1024 * 1024),
      formatBytes(4096),
      formatBytes(100)
    ]).toEqual(['64 MiB', '1 MiB', '4 KiB', '100 bytes']);
  });

  test('formatBytes uses a unit only for whole multiples of it', () => {
    expect(
      [
        0,
        1023,
        1024,
        1025,
        1500,
        1024 * 1024 - 1024,
        1024 * 1024 + 1024,
        1024 * 1024 + 1,
        3 * 1024 * 1024
      ].map(formatBytes)
    ).toEqual([
      '0 bytes',
      '1023 bytes',
      '1 KiB',
      '1025 bytes',
      '1500 bytes',
      '1023 KiB',
      '1025 KiB',
      '1048577 bytes',
      '3 MiB'
    ]);
  });

  test('the default limit is 1 MiB: a longer answer without content-length fails and the socket is closed', async () => {
    const error = await rejectionOf(
      transport().send({
        method: 'GET',
        url: `${base}/endless?x=1`,
        endpoint: 'Microsoft Entra token endpoint'
      })
    );
    expect(error).toBeInstanceOf(ResponseTooLargeError);
    expect(error.message).toBe(
      `The Microsoft Entra token endpoint (${base}/endless) sent a response larger than 1 MiB, the limit for this endpoint; it was not read to the end. Check that the URL points at the right endpoint (and that no proxy or captive portal answers in its place).`
    );
    expect((error as ResponseTooLargeError).limit).toBe(1024 * 1024);
    // The server saw the connection close long before its 50 MiB were written.
    const record = streamed.at(-1);
    await record?.closed;
    expect(record?.written).toBeLessThan(10 * 1024 * 1024);
  });

  test('a declared content-length over the limit fails before the body is read', async () => {
    const send = transport({ maxResponseBytes: 1024 * 1024 }).send({
      method: 'GET',
      url: `${base}/declared`,
      endpoint: 'Azure DevOps host 127.0.0.1',
      maxBytes: 2 * 1024 * 1024,
      tooLargeAdvice: 'Page with $top.'
    });
    const error = await rejectionOf(send);
    expect(error.message).toMatch(/larger than 2 MiB, the limit for this endpoint; .* Page with \$top\.$/);
  });

  test('answers within the limit are read whole', async () => {
    const response = await transport({ maxResponseBytes: 100 }).send({
      method: 'GET',
      url: `${base}/small`,
      endpoint: 'test endpoint'
    });
    expect(JSON.parse(response.body)).toEqual({ small: true });
  });

  test('an answer exactly at the limit is read whole, one byte over is not', async () => {
    const size = Buffer.byteLength(JSON.stringify({ small: true }));
    const response = await transport({ maxResponseBytes: size }).send({
      method: 'GET',
      url: `${base}/small`,
      endpoint: 'test endpoint'
    });
    expect(response.headers['content-length']).toBe(String(size));
    expect(JSON.parse(response.body)).toEqual({ small: true });
    const error = await rejectionOf(
      transport({ maxResponseBytes: size - 1 }).send({ method: 'GET', url: `${base}/small`, endpoint: 'E' })
    );
    expect(error).toBeInstanceOf(ResponseTooLargeError);
    expect((error as ResponseTooLargeError).limit).toBe(size - 1);
  });

  test('an oversized answer is not retried', async () => {
    let sends = 0;
    const inner = transport();
    const counting: HttpTransport = {
      send: (request, signal) => {
        sends++;
        return inner.send(request, signal);
      }
    };
    const error = await rejectionOf(
      sendWithRetry(
        { method: 'GET', url: `${base}/endless`, endpoint: 'GitHub OIDC endpoint' },
        { transport: counting, deadline: createDeadline(20), logger: createRecordingLogger() }
      )
    );
    expect([error.name, sends]).toEqual(['ResponseTooLargeError', 1]);
  });
});

describe('proxy refusals are blamed on the proxy', () => {
  test.each([
    [407, 'Give the proxy credentials it accepts'],
    [403, "Ask the proxy's administrators to allow login.microsoftonline.com (the proxy's allow-list)"]
  ])('a CONNECT answered %i names the proxy without its password, and the fix', async (status, fix) => {
    proxyStatus = status;
    const send = (await proxiedTransport()).send({
      method: 'POST',
      url: 'https://login.microsoftonline.com/tenant/oauth2/v2.0/token',
      body: 'client_secret=never-sent-to-proxy',
      endpoint: 'Microsoft Entra token endpoint'
    });
    const error = await rejectionOf(send);
    expect(error).toBeInstanceOf(ProxyError);
    const proxyShown = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
    expect(error.message).toContain(
      `The proxy ${proxyShown} refused the request to the Microsoft Entra token endpoint (https://login.microsoftonline.com) with HTTP ${status} ${http.STATUS_CODES[status]}; the request never reached login.microsoftonline.com. ${fix}`
    );
    expect(error.message).toContain('add login.microsoftonline.com to NO_PROXY');
    expect(error.message).not.toContain('proxy-pass-7781');
    expect(error.message).not.toContain('corp-user');
    expect(connects).toEqual(['login.microsoftonline.com:443']);
  });

  test('a 407 from the proxy on an http (absolute-URI) request is a ProxyError, not the endpoint answering', async () => {
    const error = await rejectionOf(
      (await proxiedTransport()).send({
        method: 'GET',
        url: 'http://metadata.example/identity/token',
        endpoint: 'managed identity endpoint'
      })
    );
    expect(error).toBeInstanceOf(ProxyError);
    expect((error as ProxyError).status).toBe(407);
    expect(error.message).toContain('refused the request to the managed identity endpoint');
  });

  test('an http (absolute-URI) answer through the proxy other than 407 is the answer', async () => {
    proxyStatus = 200;
    const response = await (
      await proxiedTransport()
    ).send({ method: 'GET', url: 'http://metadata.example/identity/token', endpoint: 'E' });
    expect(response).toMatchObject({ status: 200, body: 'proxy says no' });
  });

  test('a CONNECT the proxy accepts is not a refusal: a tunnel that then fails is a network error through the proxy', async () => {
    proxyStatus = 200;
    const error = await rejectionOf(
      (await proxiedTransport()).send({
        method: 'GET',
        url: 'https://login.microsoftonline.com/tenant/x?y=1',
        endpoint: 'Microsoft Entra token endpoint'
      })
    );
    expect(connects).toEqual(['login.microsoftonline.com:443']);
    expect(error).toBeInstanceOf(NetworkError);
    const proxyShown = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
    expect(error.message).toBe(
      `Could not reach the Microsoft Entra token endpoint (https://login.microsoftonline.com/tenant/x through the proxy ${proxyShown}): Client network socket disconnected before secure TLS connection was established (ECONNRESET).`
    );
  });

  test('a refusal through a proxy agent we did not make names no proxy URL', async () => {
    const agent = new HttpsProxyAgent(proxyUrl);
    const error = await rejectionOf(
      createTransport({
        agentFor: () => agent,
        requestTimeoutMs: 5000,
        userAgent: 'unit-test/1.0',
        logger: createRecordingLogger()
      }).send({ method: 'GET', url: 'https://oidc.example/token', endpoint: 'E' })
    );
    expect(error).toBeInstanceOf(ProxyError);
    expect(error.message).toMatch(
      /^The proxy configured for this URL refused the request to the E \(https:\/\/oidc\.example\) with HTTP 407 Proxy Authentication Required;/
    );
  });

  test('a proxy refusal is not retried', async () => {
    const inner = await proxiedTransport();
    let sends = 0;
    const error = await rejectionOf(
      sendWithRetry(
        { method: 'GET', url: 'https://oidc.example/token', endpoint: 'GitHub OIDC endpoint' },
        {
          transport: { send: (r, s) => (sends++, inner.send(r, s)) },
          deadline: createDeadline(20),
          logger: createRecordingLogger()
        }
      )
    );
    expect([error.name, sends]).toEqual(['ProxyError', 1]);
    expect(error.message).not.toContain('githubstatus');
  });
});
