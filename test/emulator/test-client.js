// Helpers for the emulator's own tests: real HTTP(S) requests that trust the emulator CA, and
// client assertions signed the way MSAL signs them.
import { constants, createHash, createPrivateKey, randomUUID, sign, X509Certificate } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { connect as tlsConnect } from 'node:tls';
import { signJwt } from './server/jwt.js';

/** Scope of an Azure DevOps token, and the client assertion type of a JWT assertion. */
export const ADO_SCOPE = '499b84ac-1321-427f-aa17-267ca6975798/.default';
export const JWT_BEARER = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

/**
 * @typedef {object} ClientResponse
 * @property {number} status
 * @property {import('node:http').IncomingHttpHeaders} headers
 * @property {string} text
 * @property {any} json  parsed body, or undefined when it is not JSON
 */

/**
 * Sends one request (no keep-alive) and resolves with the whole response.
 * @param {{ caPem: string }} emu
 * @param {string} url
 * @param {{ method?: string, headers?: Record<string, string>, body?: string, form?: Record<string, string>,
 *   createConnection?: () => import('node:net').Socket, signal?: AbortSignal }} [options]
 * @returns {Promise<ClientResponse>}
 */
export function send(emu, url, options = {}) {
  const target = new URL(url);
  const body = options.form ? new URLSearchParams(options.form).toString() : (options.body ?? '');
  /** @type {Record<string, string>} */
  const headers = { host: target.host, ...options.headers };
  if (options.form) headers['content-type'] = 'application/x-www-form-urlencoded';
  if (body) headers['content-length'] = String(Buffer.byteLength(body));
  const request = target.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = request(
      target,
      {
        method: options.method ?? (body ? 'POST' : 'GET'),
        headers,
        ca: emu.caPem,
        agent: options.createConnection ? undefined : false,
        ...(options.createConnection ? { createConnection: options.createConnection } : {}),
        ...(options.signal ? { signal: options.signal } : {})
      },
      (res) => {
        const chunks = /** @type {Buffer[]} */ ([]);
        res.on('data', (chunk) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json;
          try {
            json = JSON.parse(text);
          } catch {
            json = undefined;
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
        });
      }
    );
    req.on('error', reject);
    req.end(body);
  });
}

/**
 * Decodes a JWT's payload (no verification).
 * @param {string} token
 * @returns {Record<string, any>}
 */
export function claimsOf(token) {
  return JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8'));
}

/**
 * A certificate client assertion as MSAL builds it: iss = sub = client id, and either x5t with RS256 or
 * (sha256) x5t#S256 with PS256.
 * @param {{ certificatePem: string, clientId: string, audience: string, sha256?: boolean,
 *   claims?: Record<string, unknown> }} spec
 */
export function signCertificateAssertion({
  certificatePem,
  clientId,
  audience,
  sha256 = false,
  claims = {}
}) {
  const der = new X509Certificate(certificatePem).raw;
  const key = createPrivateKey(certificatePem);
  const thumbprint = createHash(sha256 ? 'sha256' : 'sha1')
    .update(der)
    .digest('base64url');
  const now = Math.floor(Date.now() / 1000);
  const payload = {
    aud: audience,
    iss: clientId,
    sub: clientId,
    jti: randomUUID(),
    nbf: now,
    exp: now + 600,
    ...claims
  };
  if (!sha256) return signJwt(key, payload, { x5t: thumbprint });
  const encode = (/** @type {object} */ part) => Buffer.from(JSON.stringify(part)).toString('base64url');
  const input = `${encode({ alg: 'PS256', typ: 'JWT', 'x5t#S256': thumbprint })}.${encode(payload)}`;
  const pss = { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_DIGEST };
  return `${input}.${sign('sha256', Buffer.from(input), pss).toString('base64url')}`;
}

/**
 * Asserts an Entra error response (jest only): status, error_codes and the description layout.
 * @param {ClientResponse} res
 * @param {number} status
 * @param {number} code
 */
export function expectEntraError(res, status, code) {
  expect(res.status).toBe(status);
  expect(res.json.error_codes).toEqual([code]);
  expect(res.json.error_description).toMatch(
    new RegExp(
      `^AADSTS${code}: .+\\r\\nTrace ID: [0-9a-f-]{36}\\r\\nCorrelation ID: [0-9a-f-]{36}\\r\\nTimestamp: \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\dZ$`,
      's'
    )
  );
  expect(res.json).toEqual(
    expect.objectContaining({
      trace_id: expect.any(String),
      correlation_id: expect.any(String),
      timestamp: expect.any(String)
    })
  );
  expect(res.json.error_uri).toContain(`code=${code}`);
  return /** @type {string} */ (res.json.error_description);
}

/**
 * Client-secret form fields for the default app and Azure DevOps.
 * @param {{ app: { clientId: string, clientSecret?: string | undefined } }} emu
 */
export function secretForm(emu) {
  return {
    grant_type: 'client_credentials',
    client_id: emu.app.clientId,
    scope: ADO_SCOPE,
    client_secret: emu.app.clientSecret ?? ''
  };
}

/**
 * Opens a CONNECT tunnel through the emulator proxy and a TLS session over it, as a proxied client does.
 * @param {{ proxyUrl: string, caPem: string }} emu
 * @param {string} authority host:port asked of the proxy
 * @returns {Promise<import('node:tls').TLSSocket>}
 */
export function openTunnel(emu, authority) {
  const { port } = new URL(emu.proxyUrl);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, method: 'CONNECT', path: authority, agent: false });
    req.on('connect', (res, socket) => {
      if (res.statusCode !== 200) return reject(new Error(`proxy answered ${res.statusCode}`));
      const secure = tlsConnect({ socket, servername: authority.split(':')[0], ca: emu.caPem }, () =>
        resolve(secure)
      );
      secure.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

/**
 * Calls an Azure DevOps route of the default organization as a well-behaved client: bearer token,
 * `X-TFS-FedAuthRedirect: Suppress`, and `api-version=7.1` unless `apiVersion` is false or the path has one.
 * An object body is sent as JSON (content type overridable through `headers`).
 * @param {{ caPem: string, devops: { orgUrl: string } }} emu
 * @param {string} token
 * @param {string} path  below the organization, e.g. `/_apis/projects`
 * @param {{ method?: string, body?: unknown, headers?: Record<string, string>, apiVersion?: boolean }} [options]
 */
export function callDevOps(emu, token, path, { method, body, headers = {}, apiVersion = true } = {}) {
  const versioned = apiVersion && !path.includes('api-version=');
  const url = `${emu.devops.orgUrl}${path}${versioned ? `${path.includes('?') ? '&' : '?'}api-version=7.1` : ''}`;
  const json = body === undefined || typeof body === 'string' ? body : JSON.stringify(body);
  return send(emu, url, {
    method: method ?? (json === undefined ? 'GET' : 'POST'),
    headers: {
      authorization: `Bearer ${token}`,
      'x-tfs-fedauthredirect': 'Suppress',
      ...(json === undefined ? {} : { 'content-type': 'application/json' }),
      ...headers
    },
    ...(json === undefined ? {} : { body: json })
  });
}
