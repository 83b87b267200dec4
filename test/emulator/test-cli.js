// Helpers for the emulator's own tests that drive real clients (git, npm, pip) against it: a child
// process runner and environments isolated from the machine's config (global npmrc, git config, CA env).
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Runs a command without a shell; never rejects.
 * @param {string} command
 * @param {string[]} args
 * @param {{ cwd?: string, env: Record<string, string> }} options
 * @returns {Promise<{ code: number, stdout: string, stderr: string }>}
 */
export function runCommand(command, args, { cwd, env }) {
  const [file, fileArgs] = portableCommand(command, args);
  return new Promise((resolve) => {
    execFile(file, fileArgs, { cwd, env, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code, stdout: String(stdout), stderr: String(stderr) });
    });
  });
}

/**
 * The same command on every OS, without a shell: npm runs as `node npm-cli.js` when npm started the tests
 * (npm_execpath), because on Windows `npm` is npm.cmd, which execFile cannot start; Windows runners have
 * `python`, not `python3`.
 * @param {string} command
 * @param {string[]} args
 * @returns {[string, string[]]}
 */
export function portableCommand(command, args) {
  const npmCli = process.env.npm_execpath;
  if (command === 'npm' && npmCli && /npm-cli\.c?js$/.test(npmCli))
    return [process.execPath, [npmCli, ...args]];
  if (command === 'python3' && process.platform === 'win32') return ['python', args];
  return [command, args];
}

/** A scratch directory under the OS temp dir. */
export const scratchDir = (/** @type {string} */ prefix) =>
  mkdtempSync(join(tmpdir(), `ado-emulator-${prefix}-`));

/**
 * An environment for the git client: no system / global config, no prompts, the emulator CA only.
 * @param {{ caFile: string }} emu
 * @param {string} home
 * @param {Record<string, string>} [extra]
 */
export function gitClientEnv(emu, home, extra = {}) {
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: home,
    LANG: 'C',
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_TERMINAL_PROMPT: '0',
    GIT_SSL_CAINFO: emu.caFile,
    GIT_AUTHOR_NAME: 'Test',
    GIT_AUTHOR_EMAIL: 'test@contoso.example',
    GIT_COMMITTER_NAME: 'Test',
    GIT_COMMITTER_EMAIL: 'test@contoso.example',
    ...extra
  };
}

/**
 * An environment for npm: the given user npmrc, an empty global npmrc (a machine-wide `cafile=` would
 * replace Node's CA store and with it NODE_EXTRA_CA_CERTS), the emulator CA, no retries, no notifier.
 * @param {{ caFile: string }} emu
 * @param {string} dir      scratch directory (npmrc files and the cache go here)
 * @param {string} npmrc    user npmrc contents
 */
export function npmClientEnv(emu, dir, npmrc) {
  writeFileSync(join(dir, 'user-npmrc'), npmrc);
  writeFileSync(join(dir, 'global-npmrc'), '');
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: dir,
    NPM_CONFIG_USERCONFIG: join(dir, 'user-npmrc'),
    NPM_CONFIG_GLOBALCONFIG: join(dir, 'global-npmrc'),
    NPM_CONFIG_CACHE: join(dir, 'cache'),
    NPM_CONFIG_FETCH_RETRIES: '0',
    NPM_CONFIG_UPDATE_NOTIFIER: 'false',
    NODE_EXTRA_CA_CERTS: emu.caFile
  };
}

/**
 * POSTs `chunks` with Transfer-Encoding: chunked (no Content-Length) and resolves with the raw response.
 * @param {{ caPem: string }} emu
 * @param {string} url
 * @param {Buffer[]} chunks
 * @param {Record<string, string>} headers
 * @returns {Promise<{ status: number, headers: import('node:http').IncomingHttpHeaders, body: Buffer }>}
 */
export function postChunked(emu, url, chunks, headers) {
  const request = url.startsWith('https:') ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', ca: emu.caPem, agent: false, headers }, (res) => {
      /** @type {Buffer[]} */
      const parts = [];
      res.on('data', (part) => parts.push(part));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(parts) })
      );
      res.on('error', reject);
    });
    req.on('error', reject);
    for (const chunk of chunks.slice(0, -1)) req.write(chunk);
    req.end(chunks[chunks.length - 1]);
  });
}
