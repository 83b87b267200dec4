// Azure Repos over git smart HTTP: `/{org}/{project}/_git/{repo}/info/refs` and the upload-pack /
// receive-pack POSTs, authenticated like Azure DevOps (Bearer token, or Basic with the token as the
// password), then served by the real `git http-backend` CGI with its response streamed back.
import { execFileSync, spawn } from 'node:child_process';
import { basename, join } from 'node:path';
import { PassThrough } from 'node:stream';
import { requestIdHeaders } from '../devops/errors.js';
import { compilePattern } from '../server/router.js';
import { isolatedGitEnv } from './repos.js';

/** @type {string | undefined} */
let backendPath;
/** `git-http-backend` in `git --exec-path`. */
function httpBackend() {
  backendPath ??= join(execFileSync('git', ['--exec-path'], { encoding: 'utf8' }).trim(), 'git-http-backend');
  return backendPath;
}

/** @type {import('../devops/token-credentials.js').Rejection} */
const reject = (status, message, headers = {}) => ({
  status,
  headers: { ...headers, 'content-type': 'text/plain; charset=utf-8' },
  body: `${message}\n`
});

/**
 * @param {{
 *   root: string,
 *   find: ReturnType<typeof import('./repos.js').createGitRepositories>['find'],
 *   authenticate: ReturnType<typeof import('../devops/token-credentials.js').createTokenGate>
 * }} deps
 */
export function createGitHttp({ root, find, authenticate }) {
  /** @type {Set<import('node:child_process').ChildProcess>} */
  const children = new Set();

  /**
   * @param {string} method
   * @param {string} suffix  `info/refs`, `git-upload-pack` or `git-receive-pack`
   * @returns {import('../server/router.js').Route}
   */
  const route = (method, suffix) => {
    const match = compilePattern(`/{org}/{project}/_git/{repo}/${suffix}`);
    return {
      service: 'git',
      methods: [method],
      match,
      serviceHeaders: requestIdHeaders,
      async handle(req, { org = '', project = '', repo: name = '' }) {
        const raw = /** @type {Buffer} */ (/** @type {any} */ (req).rawBody ?? Buffer.alloc(0));
        req.body = '';
        req.bodyBytes = raw.length;
        const auth = authenticate(req, org, reject);
        if ('response' in auth) return auth.response;
        const repo = find(org, project, name);
        if (!repo)
          return reject(
            404,
            `TF401019: The Git repository with name or identifier ${name} does not exist or you do not have permissions for the operation you are attempting.`
          );
        const service = suffix === 'info/refs' ? req.query.service : suffix;
        if (service !== 'git-upload-pack' && service !== 'git-receive-pack')
          return reject(
            403,
            'Only the smart HTTP protocol is served: ?service=git-upload-pack or git-receive-pack.'
          );
        return runBackend(req, raw, `/${basename(repo.path)}/${suffix}`, auth.identity.displayName);
      }
    };
  };

  /**
   * Runs `git http-backend` for one request: CGI environment in, `Status:` and headers parsed, the rest
   * of stdout streamed as the body. Request bodies arrive whole (the router reads them, so chunked
   * uploads are already de-chunked); gzip bodies pass through with HTTP_CONTENT_ENCODING.
   * @param {import('../server/recorder.js').RecordedRequest} req
   * @param {Buffer} raw
   * @param {string} pathInfo
   * @param {string} remoteUser
   * @returns {Promise<import('../server/router.js').EmulatorResponse>}
   */
  function runBackend(req, raw, pathInfo, remoteUser) {
    const optional = {
      HTTP_CONTENT_ENCODING: req.headers['content-encoding'],
      HTTP_GIT_PROTOCOL: req.headers['git-protocol'],
      HTTP_USER_AGENT: req.headers['user-agent']
    };
    const env = isolatedGitEnv({
      GIT_PROJECT_ROOT: root,
      GIT_HTTP_EXPORT_ALL: '1',
      GIT_HTTP_MAX_REQUEST_BUFFER: '100M',
      GIT_CONFIG_COUNT: '1',
      GIT_CONFIG_KEY_0: 'http.receivepack',
      GIT_CONFIG_VALUE_0: 'true',
      GATEWAY_INTERFACE: 'CGI/1.1',
      SERVER_PROTOCOL: 'HTTP/1.1',
      REQUEST_METHOD: req.method,
      PATH_INFO: pathInfo,
      QUERY_STRING: req.url.includes('?') ? req.url.slice(req.url.indexOf('?') + 1) : '',
      CONTENT_TYPE: req.headers['content-type'] ?? '',
      CONTENT_LENGTH: String(raw.length),
      REMOTE_USER: remoteUser,
      REMOTE_ADDR: '127.0.0.1',
      ...Object.fromEntries(Object.entries(optional).filter(([, value]) => value))
    });
    const child = spawn(httpBackend(), [], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    children.add(child);
    child.once('close', () => children.delete(child));
    child.stdin.on('error', () => {});
    child.stdin.end(raw);
    let stderr = '';
    child.stderr.on('data', (chunk) => void (stderr = `${stderr}${chunk}`.slice(-4000)));
    child.once('close', () => void (stderr.trim() && (req.note = `http-backend: ${stderr.trim()}`)));

    return new Promise((resolve) => {
      let head = Buffer.alloc(0);
      const onData = (/** @type {Buffer} */ chunk) => {
        head = Buffer.concat([head, chunk]);
        const text = head.toString('latin1');
        const end = /\r?\n\r?\n/.exec(text);
        if (!end) return;
        child.stdout.off('data', onData);
        child.stdout.off('end', onEnd);
        const body = new PassThrough();
        body.once('close', () => {
          if (child.exitCode === null && child.signalCode === null) child.kill();
        });
        body.write(head.subarray(end.index + end[0].length));
        child.stdout.pipe(body);
        resolve(parseCgiHead(text.slice(0, end.index), body));
      };
      const onEnd = () =>
        resolve({ status: 502, body: { error: 'git_http_backend', message: 'No CGI headers.', stderr } });
      child.stdout.on('data', onData);
      child.stdout.once('end', onEnd);
      child.once('error', (error) =>
        resolve({ status: 500, body: { error: 'spawn', message: String(error) } })
      );
    });
  }

  return {
    routes: [route('GET', 'info/refs'), route('POST', 'git-upload-pack'), route('POST', 'git-receive-pack')],
    /** Kills http-backend processes still running (emu.close). */
    killAll() {
      for (const child of children) child.kill('SIGKILL');
    }
  };
}

/**
 * @param {string} head CGI header lines
 * @param {import('node:stream').Readable} body
 * @returns {import('../server/router.js').EmulatorResponse}
 */
function parseCgiHead(head, body) {
  let status = 200;
  /** @type {Record<string, string>} */
  const headers = {};
  for (const line of head.split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    if (name === 'status') status = Number.parseInt(value, 10) || 500;
    else headers[name] = value;
  }
  return { status, headers, body };
}
