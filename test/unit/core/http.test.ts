import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { EndpointTimeoutError } from '../../../src/core/errors.js';
import { createDeadline, createTransport, displayUrl, NetworkError } from '../../../src/core/http.js';
import { createRecordingLogger, fixedDeadline, rejectionOf } from '../fakes.js';

interface Seen {
  method: string | undefined;
  url: string | undefined;
  headers: http.IncomingHttpHeaders;
  body: string;
}

const seen: Seen[] = [];
let server: http.Server;
let base: string;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      seen.push({
        method: req.method,
        url: req.url,
        headers: req.headers,
        body: Buffer.concat(chunks).toString()
      });
      if (req.url?.startsWith('/hang')) return; // never answers
      res.writeHead(201, { 'X-Custom': 'Yes', 'Content-Type': 'text/plain' });
      res.end('hello');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

beforeEach(() => {
  seen.length = 0;
});

function transport(requestTimeoutMs = 2000, deadline = createDeadline(10)) {
  const logger = createRecordingLogger();
  const client = createTransport({
    agentFor: () => undefined,
    requestTimeoutMs,
    userAgent: 'unit-test/1.0',
    logger
  });
  // Each request carries the budget it belongs to.
  const send = (request: Parameters<typeof client.send>[0]) => client.send({ deadline, ...request });
  return { logger, send };
}

describe('createTransport', () => {
  test('sends method, headers, body and user-agent; returns status, lower-case headers and body', async () => {
    const { send, logger } = transport();
    const response = await send({
      method: 'POST',
      url: `${base}/echo?code=secret`,
      headers: { 'X-Test': 'a', Authorization: 'Bearer abc' },
      body: '{"a":"é"}',
      endpoint: 'Test endpoint'
    });
    expect(response.status).toBe(201);
    expect(response.headers['x-custom']).toBe('Yes');
    expect(response.headers['content-type']).toBe('text/plain');
    expect(response.body).toBe('hello');
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ method: 'POST', url: '/echo?code=secret', body: '{"a":"é"}' });
    expect(seen[0]?.headers).toMatchObject({
      'x-test': 'a',
      authorization: 'Bearer abc',
      'user-agent': 'unit-test/1.0',
      'content-length': '10'
    });
    expect(logger.lines).toHaveLength(1);
    expect(logger.lines[0]).toMatch(new RegExp(`^debug: POST ${base}/echo -> 201 \\(\\d+ ms\\)$`));
  });

  test('a request header can override the user-agent', async () => {
    const { send } = transport();
    await send({ method: 'GET', url: `${base}/echo`, headers: { 'User-Agent': 'custom' }, endpoint: 'E' });
    expect(seen[0]?.headers['user-agent']).toBe('custom');
    expect(seen[0]?.headers['content-length']).toBeUndefined();
  });

  test('a request that takes too long raises EndpointTimeoutError naming the endpoint, URL without query', async () => {
    const { send } = transport(200);
    const started = Date.now();
    const error = await rejectionOf(
      send({ method: 'GET', url: `${base}/hang?token=abc`, endpoint: 'Test endpoint' })
    );
    expect(Date.now() - started).toBeLessThan(1500);
    expect(error).toBeInstanceOf(EndpointTimeoutError);
    expect(error).toMatchObject({ endpoint: 'Test endpoint', url: `${base}/hang`, seconds: 0.2 });
    expect(error.message).toBe(
      `The Test endpoint (${base}/hang) did not answer within 0.2 seconds. Check that the host is reachable from this machine (firewall, proxy settings, DNS) and try again.`
    );
  });

  // Regression (fixed): on timeout req.destroy() later emits 'error' (socket hang up) and fail() runs again, logging a
  // second, misleading "failed ... socket hang up" debug line; createTransport promises one line per request.
  test('a timed-out request logs one debug line', async () => {
    const { send, logger } = transport(150);
    await rejectionOf(send({ method: 'GET', url: `${base}/hang`, endpoint: 'Test endpoint' }));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(logger.lines).toHaveLength(1);
    expect(logger.lines[0]).toContain('did not answer within');
  });

  test('the per-request timeout is cut to what is left of the deadline', async () => {
    const { send } = transport(5000, fixedDeadline(150, 50));
    const error = await rejectionOf(send({ method: 'GET', url: `${base}/hang`, endpoint: 'E' }));
    expect(error).toMatchObject({ name: 'EndpointTimeoutError', seconds: 0.2 });
  });

  test('a spent deadline rejects at once without sending', async () => {
    const { send } = transport(2000, fixedDeadline(0, 50));
    const error = await rejectionOf(
      send({ method: 'GET', url: `${base}/echo?x=1`, endpoint: 'Test endpoint' })
    );
    expect(error).toBeInstanceOf(EndpointTimeoutError);
    expect(error.message).toMatch(
      new RegExp(`^The Test endpoint \\(${base}/echo\\) did not answer within 50 seconds\\.`)
    );
    expect(seen).toHaveLength(0);
  });

  test('a refused connection becomes a NetworkError naming the endpoint', async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const { send } = transport(300);
    const error = await rejectionOf(
      send({ method: 'GET', url: `http://127.0.0.1:${port}/x?q=1`, endpoint: 'Test endpoint' })
    );
    expect(error).toBeInstanceOf(NetworkError);
    expect((error as NetworkError).code).toBe('ECONNREFUSED');
    expect(error.message).toBe(
      `Could not reach the Test endpoint (http://127.0.0.1:${port}/x): connect ECONNREFUSED 127.0.0.1:${port}.`
    );
  });
});

describe('displayUrl and createDeadline', () => {
  test('displayUrl drops the query and fragment', () => {
    expect(displayUrl('https://host.test:8443/a/b?secret=1#f')).toBe('https://host.test:8443/a/b');
  });

  test('createDeadline counts down on the injected clock', () => {
    let now = 1000;
    const deadline = createDeadline(5, () => now);
    expect(deadline.seconds).toBe(5);
    expect(deadline.remainingMs()).toBe(5000);
    now += 4500;
    expect(deadline.remainingMs()).toBe(500);
  });
});
