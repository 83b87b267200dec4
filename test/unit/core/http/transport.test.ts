import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { EndpointTimeoutError } from '../../../../src/core/errors.js';
import {
  type CancelSignal,
  createDeadline,
  createTransport,
  displayUrl,
  NetworkError
} from '../../../../src/core/http/transport.js';
import { createRecordingLogger, fixedDeadline, rejectionOf } from '../../fakes.js';

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
      if (req.url === '/partial') {
        // Promises 100 bytes, sends 10 and hangs up: the response itself fails.
        res.writeHead(200, { 'content-length': '100' });
        res.write('0123456789', () => setTimeout(() => res.socket?.destroy(), 20));
        return;
      }
      if (req.url === '/407') {
        res.writeHead(407, { 'proxy-authenticate': 'Basic' });
        return void res.end('endpoint says 407');
      }
      if (req.url === '/cookies') {
        res.setHeader('set-cookie', ['a=1', 'b=2']);
        return void res.end('cookies');
      }
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

describe('createTransport, edges', () => {
  /** The milliseconds in a debug line: a duration, not a clock reading. */
  const ms = (line: string | undefined): number => Number(/(?:\(| after )(\d+) ms/.exec(line ?? '')?.[1]);

  test('debug lines give the duration of the request', async () => {
    const { send, logger } = transport(150);
    await send({ method: 'GET', url: `${base}/echo`, endpoint: 'E' });
    await rejectionOf(send({ method: 'GET', url: `${base}/hang`, endpoint: 'E' }));
    expect(logger.lines).toHaveLength(2);
    expect(logger.lines[0]).toMatch(new RegExp(`^debug: GET ${base}/echo -> 201 \\(\\d+ ms\\)$`));
    expect(logger.lines[1]).toMatch(new RegExp(`^debug: GET ${base}/hang failed after \\d+ ms: The E `));
    expect(ms(logger.lines[0])).toBeLessThan(60_000);
    expect(ms(logger.lines[1])).toBeGreaterThanOrEqual(100);
    expect(ms(logger.lines[1])).toBeLessThan(60_000);
  });

  test('a zero timeout without a deadline rejects at once, naming 0 seconds', async () => {
    const client = createTransport({
      agentFor: () => undefined,
      requestTimeoutMs: 2000,
      userAgent: 'u',
      logger: createRecordingLogger()
    });
    const error = await rejectionOf(
      client.send({ method: 'GET', url: `${base}/echo`, endpoint: 'E', timeoutMs: 0 })
    );
    expect(error).toBeInstanceOf(EndpointTimeoutError);
    expect(error).toMatchObject({ endpoint: 'E', url: `${base}/echo`, seconds: 0 });
    expect(seen).toHaveLength(0);
  });

  test('an empty body is still declared, with content-length 0', async () => {
    const { send } = transport();
    await send({ method: 'GET', url: `${base}/echo`, body: '', endpoint: 'E' });
    expect(seen[0]?.headers['content-length']).toBe('0');
    expect(seen[0]?.headers['transfer-encoding']).toBeUndefined();
  });

  test('a 407 from the endpoint itself (no proxy) is its answer, not a proxy refusal', async () => {
    const { send } = transport();
    const response = await send({ method: 'GET', url: `${base}/407`, endpoint: 'E' });
    expect(response).toMatchObject({ status: 407, body: 'endpoint says 407' });
  });

  test('a repeated header is joined with ", "', async () => {
    const { send } = transport();
    const response = await send({ method: 'GET', url: `${base}/cookies`, endpoint: 'E' });
    expect(response.headers['set-cookie']).toBe('a=1, b=2');
  });

  test('a response cut off mid-body is a NetworkError naming the endpoint', async () => {
    const { send } = transport();
    const error = await rejectionOf(send({ method: 'GET', url: `${base}/partial`, endpoint: 'E' }));
    expect(error).toBeInstanceOf(NetworkError);
    expect(error.message).toBe(`Could not reach the E (${base}/partial): aborted (ECONNRESET).`);
  });

  function fakeSignal(reason?: unknown) {
    const calls: string[] = [];
    let listener: (() => void) | undefined;
    const signal: CancelSignal = {
      aborted: false,
      reason,
      addEventListener: (type, l, options) => {
        calls.push(`add ${type} ${JSON.stringify(options)}`);
        listener = l;
      },
      removeEventListener: (type, l) => calls.push(`remove ${type} ${l === listener ? 'same' : 'other'}`)
    };
    return { signal, calls, abort: () => listener?.() };
  }

  test('the cancel signal is listened to once, and let go when the request ends', async () => {
    const { send } = transport();
    const { signal, calls } = fakeSignal();
    const client = createTransport({
      agentFor: () => undefined,
      requestTimeoutMs: 2000,
      userAgent: 'u',
      logger: createRecordingLogger()
    });
    await client.send({ method: 'GET', url: `${base}/echo`, endpoint: 'E' }, signal);
    expect(calls).toEqual(['add abort {"once":true}', 'remove abort same']);
    await send({ method: 'GET', url: `${base}/echo`, endpoint: 'E' }); // no signal: nothing to listen to
  });

  // Regression (fixed): the message without an Error reason ended in "cancelled.." (networkError adds the period).
  test('cancelling fails with the reason when it is an Error, and says so otherwise', async () => {
    const client = createTransport({
      agentFor: () => undefined,
      requestTimeoutMs: 2000,
      userAgent: 'u',
      logger: createRecordingLogger()
    });
    const reason = new Error('the caller gave up');
    const first = fakeSignal(reason);
    const pending = client.send(
      { method: 'GET', url: `${base}/hang`, endpoint: 'Test endpoint' },
      first.signal
    );
    setTimeout(first.abort, 30);
    const cancelled = await rejectionOf(pending);
    expect(cancelled).toBeInstanceOf(NetworkError);
    expect(cancelled.message).toBe(`Could not reach the Test endpoint (${base}/hang): the caller gave up.`);
    expect(first.calls).toEqual(['add abort {"once":true}', 'remove abort same']);

    const second = fakeSignal('not an error');
    const again = client.send(
      { method: 'GET', url: `${base}/hang`, endpoint: 'Test endpoint' },
      second.signal
    );
    setTimeout(second.abort, 30);
    const error = await rejectionOf(again);
    expect(error).toBeInstanceOf(NetworkError);
    expect(error.message).toBe(
      `Could not reach the Test endpoint (${base}/hang): The request to the Test endpoint was cancelled.`
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
