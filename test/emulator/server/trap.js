// The trap: a second HTTPS server on another loopback address that answers anything and records every
// TCP connection and request, so tests can prove that a token never went to a host it should not.
// git smart-HTTP paths get 401 + `WWW-Authenticate: Basic`, which makes git consult credential helpers.
import { createServer } from 'node:https';

/**
 * @typedef {object} TrapConnection
 * @property {number} time           epoch ms
 * @property {string} remoteAddress
 * @property {number} remotePort
 */

/**
 * @typedef {object} TrapRequest
 * @property {number} time
 * @property {string} method
 * @property {string} url       path and query as sent
 * @property {Record<string, string>} headers  lower-case names, as received (authorization included)
 */

/**
 * Starts the trap on 127.0.0.2 (any free port), or on 127.0.0.1 where 127.0.0.2 cannot be bound.
 * @param {{ pki: import('./tls.js').ServerPki, host?: string }} deps
 */
export async function startTrap({ pki, host = '127.0.0.2' }) {
  /** @type {TrapConnection[]} */
  let connections = [];
  /** @type {TrapRequest[]} */
  let requests = [];
  /** @type {Set<import('node:net').Socket>} */
  const sockets = new Set();

  const server = createServer({ key: pki.keyPem, cert: pki.certPem }, (req, res) => {
    req.resume();
    req.on('end', () => {
      /** @type {Record<string, string>} */
      const headers = {};
      for (const [name, value] of Object.entries(req.headers)) {
        if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
      }
      requests.push({ time: Date.now(), method: req.method ?? 'GET', url: req.url ?? '/', headers });
      const sawAuthorization = 'authorization' in headers;
      // git asks its credential helpers only after a 401, so a git URL answers one with a Basic challenge.
      const git = /\/(info\/refs|git-upload-pack|git-receive-pack)$/.test(
        (req.url ?? '/').split('?')[0] ?? ''
      );
      res.writeHead(git ? 401 : 200, {
        'content-type': 'application/json; charset=utf-8',
        ...(git ? { 'www-authenticate': `Basic realm="https://${boundHost}:${port}/"` } : {})
      });
      res.end(JSON.stringify({ trap: true, sawAuthorization }));
    });
  });
  server.on('connection', (/** @type {import('node:net').Socket} */ socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    connections.push({
      time: Date.now(),
      remoteAddress: socket.remoteAddress ?? '',
      remotePort: socket.remotePort ?? 0
    });
  });
  server.on('tlsClientError', () => {});
  server.on('clientError', (_error, socket) => socket.destroy());

  const boundHost = await listenOn(server, host).catch(() => listenOn(server, '127.0.0.1'));
  const address = server.address();
  const port = address && typeof address === 'object' ? address.port : 0;
  return {
    /** `https://127.0.0.2:PORT` (the certificate has an IP SAN for 127.0.0.2). */
    url: `https://${boundHost}:${port}`,
    host: boundHost,
    port,
    /** Every TCP connection accepted, TLS or not. */
    get connections() {
      return [...connections];
    },
    /** Every HTTP request received, with its headers. */
    get requests() {
      return [...requests];
    },
    clear() {
      connections = [];
      requests = [];
    },
    /** Destroys open sockets and stops listening. */
    close() {
      const closed = new Promise((resolve) => server.close(() => resolve(undefined)));
      for (const socket of sockets) socket.destroy();
      return closed;
    }
  };
}

/**
 * @param {import('node:net').Server} server
 * @param {string} host
 * @returns {Promise<string>}
 */
function listenOn(server, host) {
  return new Promise((resolve, reject) => {
    const onError = (/** @type {Error} */ error) => reject(error);
    server.once('error', onError);
    server.listen(0, host, () => {
      server.off('error', onError);
      resolve(host);
    });
  });
}
