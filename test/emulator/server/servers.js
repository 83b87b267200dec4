// The two listeners: HTTPS for everything Microsoft serves over TLS, plain HTTP for IMDS / App Service
// and the CONNECT proxy. Both bind 127.0.0.1 only and track every socket so close() never hangs.
import { createServer as createHttpServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { attachConnectProxy } from './proxy.js';

/**
 * @param {{
 *   pki: import('./tls.js').ServerPki,
 *   dispatch: (req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse, scheme: 'http' | 'https') => Promise<void>,
 *   runFault: (service: string) => Promise<'continue' | 'hang' | import('./router.js').EmulatorResponse>,
 *   recorder: ReturnType<typeof import('./recorder.js').createRecorder>,
 *   httpsPort?: number | undefined,
 *   httpPort?: number | undefined
 * }} deps
 */
export async function startServers({ pki, dispatch, runFault, recorder, httpsPort = 0, httpPort = 0 }) {
  /** @type {Set<import('node:net').Socket>} */
  const sockets = new Set();
  /** @param {import('node:net').Socket} socket */
  const track = (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  };
  /**
   * @param {'http' | 'https'} scheme
   * @returns {import('node:http').RequestListener}
   */
  const listener = (scheme) => (req, res) => {
    dispatch(req, res, scheme).catch(() => res.destroy());
  };

  const secure = createHttpsServer({ key: pki.keyPem, cert: pki.certPem }, listener('https'));
  const plain = createHttpServer(listener('http'));
  for (const server of [secure, plain]) {
    server.on('connection', track);
    server.on('clientError', (_error, socket) => socket.destroy());
  }
  secure.on('tlsClientError', () => {});
  attachConnectProxy(plain, { httpsPort: () => portOf(secure), recorder, runFault, track });

  await Promise.all([listen(secure, httpsPort), listen(plain, httpPort)]);
  return {
    httpsUrl: `https://127.0.0.1:${portOf(secure)}`,
    httpUrl: `http://127.0.0.1:${portOf(plain)}`,
    /** Destroys every socket (including hung requests and tunnels) and stops listening. */
    async close() {
      const closed = [secure, plain].map(
        (server) => new Promise((resolve) => server.close(() => resolve(undefined)))
      );
      for (const socket of sockets) socket.destroy();
      await Promise.all(closed);
    }
  };
}

/**
 * @param {import('node:net').Server} server
 * @param {number} port
 */
function listen(server, port) {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(undefined));
  });
}

/** @param {import('node:net').Server} server */
function portOf(server) {
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('The emulator server is not listening.');
  return address.port;
}
