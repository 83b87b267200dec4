// HTTP CONNECT proxy on the plain-HTTP server: records the tunnel and splices it to the emulator's own
// HTTPS server, whatever host:port was asked for, so no connection ever leaves loopback.
import { STATUS_CODES } from 'node:http';
import { connect } from 'node:net';

/**
 * @param {import('node:http').Server} server
 * @param {{
 *   httpsPort: () => number,
 *   recorder: ReturnType<typeof import('./recorder.js').createRecorder>,
 *   runFault: (service: string) => Promise<'continue' | 'hang' | import('./router.js').EmulatorResponse>,
 *   track: (socket: import('node:net').Socket) => void
 * }} deps
 */
export function attachConnectProxy(server, { httpsPort, recorder, runFault, track }) {
  server.on('connect', (req, clientSocket, head) => {
    const socket = /** @type {import('node:net').Socket} */ (clientSocket);
    socket.on('error', () => socket.destroy());
    const target = req.url ?? '';
    /** @type {Record<string, string>} */
    const headers = {};
    for (const [name, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
    }
    const record = recorder.add({
      service: 'proxy',
      method: 'CONNECT',
      url: target,
      path: '',
      query: {},
      headers,
      body: '',
      form: undefined,
      time: Date.now(),
      status: undefined,
      scheme: 'http',
      host: target,
      target
    });
    void runFault('proxy').then((outcome) => {
      if (outcome === 'hang' || socket.destroyed) return;
      if (outcome !== 'continue') {
        record.status = outcome.status;
        socket.end(rawResponse(outcome));
        return;
      }
      const upstream = connect(httpsPort(), '127.0.0.1');
      track(upstream);
      upstream.on('error', () => socket.destroy());
      upstream.on('close', () => socket.destroy());
      socket.on('close', () => upstream.destroy());
      upstream.on('connect', () => {
        record.status = 200;
        socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
        if (head.length > 0) upstream.write(head);
        upstream.pipe(socket);
        socket.pipe(upstream);
      });
    });
  });
}

/**
 * A fault answer written straight onto the CONNECT socket (e.g. 407 Proxy Authentication Required).
 * @param {import('./router.js').EmulatorResponse} response
 */
function rawResponse({ status, headers = {}, body }) {
  const payload = body === undefined || typeof body === 'string' ? (body ?? '') : JSON.stringify(body);
  const lines = [`HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Unknown'}`];
  for (const [name, value] of Object.entries(headers)) {
    for (const item of Array.isArray(value) ? value : [value]) lines.push(`${name}: ${item}`);
  }
  lines.push(`content-length: ${Buffer.byteLength(payload)}`, 'connection: close', '', payload);
  return lines.join('\r\n');
}
