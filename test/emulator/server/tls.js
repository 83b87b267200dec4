// Test PKI made with the openssl CLI: a throwaway CA, a server certificate for every emulated host,
// and client certificates for certificate-credential apps.
import { execFileSync } from 'node:child_process';
import { createHash, X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Host names the server certificate covers, so proxied and Host-routed requests verify. */
export const SERVER_NAMES = Object.freeze([
  'localhost',
  'login.microsoftonline.com',
  'login.microsoftonline.us',
  'login.chinacloudapi.cn',
  'dev.azure.com',
  '*.dev.azure.com',
  '*.visualstudio.com',
  'token.actions.githubusercontent.com',
  'management.azure.com'
]);

/** Addresses the server certificate covers: the emulator (127.0.0.1) and the trap server (127.0.0.2). */
export const SERVER_ADDRESSES = Object.freeze(['127.0.0.1', '127.0.0.2']);

/**
 * @typedef {object} ServerPki
 * @property {string} caPem   the CA certificate (trust this one)
 * @property {string} certPem server certificate, signed by the CA
 * @property {string} keyPem  server private key
 */

/** @type {ServerPki | undefined} */
let cachedPki;

/**
 * The CA and server certificate, generated on first use and reused for the rest of the process
 * because RSA key generation through openssl takes a noticeable fraction of a second.
 * @returns {ServerPki}
 */
export function getServerPki() {
  cachedPki ??= withScratchDir(generateServerPki);
  return cachedPki;
}

/**
 * @typedef {object} ClientCertificate
 * @property {string} certificatePem certificate followed by its PKCS#8 private key (spnCertificate shape)
 * @property {string} certPem        certificate only
 * @property {string} keyPem         private key only
 * @property {string} thumbprintSha1   base64url SHA-1 of the DER certificate (JWT `x5t`)
 * @property {string} thumbprintSha256 base64url SHA-256 of the DER certificate (JWT `x5t#S256`)
 * @property {string} thumbprintHex    upper-case hex SHA-1, as the Azure portal shows it
 */

/**
 * A self-signed certificate for an app registration's certificate credential.
 * @param {string} commonName
 * @returns {ClientCertificate}
 */
export function createClientCertificate(commonName) {
  return withScratchDir((dir) => {
    const keyFile = join(dir, 'client.key');
    const certFile = join(dir, 'client.pem');
    openssl(
      ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', keyFile, '-out', certFile].concat([
        '-days',
        '30',
        '-subj',
        `/CN=${commonName.replace(/[/=]/g, '-')}`
      ])
    );
    const certPem = readFileSync(certFile, 'utf8');
    const keyPem = readFileSync(keyFile, 'utf8');
    const der = new X509Certificate(certPem).raw;
    return {
      certificatePem: `${certPem.trim()}\n${keyPem.trim()}\n`,
      certPem,
      keyPem,
      thumbprintSha1: createHash('sha1').update(der).digest('base64url'),
      thumbprintSha256: createHash('sha256').update(der).digest('base64url'),
      thumbprintHex: createHash('sha1').update(der).digest('hex').toUpperCase()
    };
  });
}

/** @type {Map<string, ClientCertificate>} */
const cachedClientCertificates = new Map();

/**
 * Like createClientCertificate, but generated once per process per common name (for default apps).
 * @param {string} commonName
 * @returns {ClientCertificate}
 */
export function getCachedClientCertificate(commonName) {
  let certificate = cachedClientCertificates.get(commonName);
  if (!certificate) {
    certificate = createClientCertificate(commonName);
    cachedClientCertificates.set(commonName, certificate);
  }
  return certificate;
}

/**
 * @param {string} dir
 * @returns {ServerPki}
 */
function generateServerPki(dir) {
  const file = (/** @type {string} */ name) => join(dir, name);
  openssl(
    ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', file('ca.key'), '-out', file('ca.pem')]
      .concat(['-days', '30', '-subj', '/CN=Azure DevOps Token Emulator Test CA'])
      .concat([
        '-addext',
        'basicConstraints=critical,CA:TRUE',
        '-addext',
        'keyUsage=critical,keyCertSign,cRLSign'
      ])
  );
  openssl(
    [
      'req',
      '-new',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      file('server.key'),
      '-out',
      file('server.csr')
    ].concat(['-subj', '/CN=localhost'])
  );
  const altNames = [
    ...SERVER_ADDRESSES.map((ip) => `IP:${ip}`),
    ...SERVER_NAMES.map((name) => `DNS:${name}`)
  ].join(',');
  writeFileSync(
    file('server.ext'),
    [
      'basicConstraints=critical,CA:FALSE',
      'keyUsage=critical,digitalSignature,keyEncipherment',
      'extendedKeyUsage=serverAuth',
      'subjectKeyIdentifier=hash',
      'authorityKeyIdentifier=keyid,issuer',
      `subjectAltName=${altNames}`
    ].join('\n')
  );
  openssl(
    ['x509', '-req', '-in', file('server.csr'), '-CA', file('ca.pem'), '-CAkey', file('ca.key')]
      .concat(['-set_serial', `0x${Date.now().toString(16)}`, '-days', '30', '-sha256'])
      .concat(['-extfile', file('server.ext'), '-out', file('server.pem')])
  );
  return {
    caPem: readFileSync(file('ca.pem'), 'utf8'),
    certPem: readFileSync(file('server.pem'), 'utf8'),
    keyPem: readFileSync(file('server.key'), 'utf8')
  };
}

/** @param {string[]} args */
function openssl(args) {
  execFileSync('openssl', args, { stdio: ['ignore', 'ignore', 'pipe'] });
}

/**
 * @template T
 * @param {(dir: string) => T} work
 * @returns {T}
 */
function withScratchDir(work) {
  const dir = mkdtempSync(join(tmpdir(), 'ado-emulator-pki-'));
  try {
    return work(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
