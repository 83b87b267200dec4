// Azure Repos over git smart HTTP, served by the real `git http-backend` and driven by the real git CLI.
import { randomBytes } from 'node:crypto';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { startEmulator } from '../index.js';
import { gitClientEnv, postChunked, runCommand, scratchDir } from '../test-cli.js';
import { send } from '../test-client.js';

/** @type {Awaited<ReturnType<typeof startEmulator>>} */
let emu;
/** @type {Awaited<ReturnType<Awaited<ReturnType<typeof startEmulator>>['git']['createRepository']>>} */
let app;
let token = '';
let dir = '';
beforeAll(async () => {
  emu = await startEmulator();
  token = emu.issueAccessToken();
  dir = scratchDir('git-client');
  app = await emu.git.createRepository('app', { files: { 'README.md': '# app\n', 'src/main.txt': 'v1\n' } });
  await emu.git.createRepository('shared-lib');
});
afterAll(async () => {
  await emu?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});
afterEach(() => emu.reset());

/** A credential helper that answers the token as the password for any host it is asked about. */
const HELPER = '!f() { test "$1" = get && echo username=build && echo "password=$ADO_TOKEN"; }; f';
/** @param {string[]} args @param {string} [cwd] */
const git = (args, cwd = dir) =>
  runCommand('git', args, { cwd, env: gitClientEnv(emu, dir, { ADO_TOKEN: token }) });
const bearer = () => ['-c', `http.extraheader=AUTHORIZATION: bearer ${token}`];

describe('git smart HTTP', () => {
  it('creates bare repositories with the real git CLI; the same files give the same commit', async () => {
    expect(app).toEqual(
      expect.objectContaining({
        name: 'app',
        project: 'release-project',
        cloneUrl: `${emu.httpsUrl}/contoso/release-project/_git/app`,
        headSha: expect.stringMatching(/^[0-9a-f]{40}$/)
      })
    );
    expect(await emu.git.refs('app')).toEqual({ 'refs/heads/main': app.headSha });
    const twin = await emu.git.createRepository('twin', {
      files: { 'README.md': '# app\n', 'src/main.txt': 'v1\n' }
    });
    expect(twin.headSha).toBe(app.headSha);
    await expect(emu.git.createRepository('app')).rejects.toThrow(/already exists/);
  });

  it('clones with a Bearer extraheader and accepts a push of a new commit to main', async () => {
    const clone = await git([...bearer(), 'clone', '--quiet', app.cloneUrl, 'bearer-clone']);
    expect(clone).toEqual(expect.objectContaining({ code: 0 }));
    const work = join(dir, 'bearer-clone');
    writeFileSync(join(work, 'pushed.txt'), 'pushed\n');
    await git(['add', 'pushed.txt'], work);
    await git(['commit', '--quiet', '-m', 'Push from a test'], work);
    const head = (await git(['rev-parse', 'HEAD'], work)).stdout.trim();
    expect(await git([...bearer(), 'push', '--quiet', 'origin', 'main'], work)).toEqual(
      expect.objectContaining({ code: 0 })
    );
    expect((await emu.git.refs('app'))['refs/heads/main']).toBe(head);
    const records = emu.requestsFor('git');
    expect(records.map((r) => `${r.method} ${r.url.replace(/^.*_git\/app/, '')} ${r.status}`)).toEqual([
      'GET /info/refs?service=git-upload-pack 200',
      ...records.slice(1, -2).map(() => 'POST /git-upload-pack 200'),
      'GET /info/refs?service=git-receive-pack 200',
      'POST /git-receive-pack 200'
    ]);
    const fingerprint = `sha256:${(await import('node:crypto')).createHash('sha256').update(token).digest('hex').slice(0, 12)}`;
    expect(records.every((r) => r.authKind === 'bearer' && r.tokenFingerprint === fingerprint)).toBe(true);
  });

  it('answers 401 + Basic realm without credentials, so git asks its helper and retries with Basic', async () => {
    const result = await git([
      '-c',
      `credential.helper=${HELPER}`,
      'ls-remote',
      app.cloneUrl,
      'refs/heads/main'
    ]);
    expect(result.stdout).toContain('refs/heads/main');
    // git asks its helper after the 401; curl (CURLAUTH_ANY) may probe once more before sending Basic.
    const records = emu.requestsFor('git');
    expect([records[0]?.status, records[0]?.authKind]).toEqual([401, 'none']);
    const retried = records.find((r) => r.authKind === 'basic');
    expect(retried?.status).toBe(200);
    expect(records.filter((r) => r.status === 401).every((r) => r.authKind === 'none')).toBe(true);
    const res = await send(emu, `${app.cloneUrl}/info/refs?service=git-upload-pack`);
    expect(res.headers['www-authenticate']).toContain(`Basic realm="${emu.httpsUrl}/"`);
    expect(res.text).toContain('TF400813');
    const blob = /^Basic (\S+)$/.exec(retried?.headers.authorization ?? '')?.[1];
    expect(emu.secrets()).toContain(blob);
  });

  it('clones a submodule on the same host with the same helper (--recurse-submodules)', async () => {
    const lib = emu.git.repositories().find((repo) => repo.name === 'shared-lib');
    const { sha } = await emu.git.addSubmodule('app', { path: 'libs/shared', url: String(lib?.cloneUrl) });
    expect(sha).toBe(lib?.headSha);
    const clone = await git([
      '-c',
      `credential.helper=${HELPER}`,
      'clone',
      '--quiet',
      '--recurse-submodules',
      app.cloneUrl,
      'with-sub'
    ]);
    expect(clone.code).toBe(0);
    expect((await git(['rev-parse', 'HEAD'], join(dir, 'with-sub', 'libs', 'shared'))).stdout.trim()).toBe(
      sha
    );
    const paths = new Set(
      emu
        .requestsFor('git')
        .filter((r) => r.status === 200)
        .map((r) => r.path.split('/')[4])
    );
    expect(paths).toEqual(new Set(['app', 'shared-lib']));
  });

  it('takes chunked pushes (pack > http.postBuffer) and gzip / chunked request bodies', async () => {
    await git([...bearer(), 'clone', '--quiet', app.cloneUrl, 'big']);
    const work = join(dir, 'big');
    writeFileSync(join(work, 'random.bin'), randomBytes(300_000));
    await git(['add', 'random.bin'], work);
    await git(['commit', '--quiet', '-m', 'Large'], work);
    emu.reset();
    const push = await git([...bearer(), '-c', 'http.postBuffer=65536', 'push', 'origin', 'main'], work);
    expect(push.code).toBe(0);
    const receive = emu.requestsFor('git').filter((r) => r.path.endsWith('/git-receive-pack'));
    expect(receive.map((r) => r.headers['transfer-encoding'])).toContain('chunked');
    expect(Math.max(...receive.map((r) => r.bodyBytes ?? 0))).toBeGreaterThan(300_000);

    // A v0 upload-pack request, gzipped and sent in chunks, answered with NAK and a pack.
    const want = `want ${app.headSha}\n`;
    const body = gzipSync(`${(want.length + 4).toString(16).padStart(4, '0')}${want}00000009done\n`);
    const reply = await postChunked(
      emu,
      `${app.cloneUrl}/git-upload-pack`,
      [body.subarray(0, 10), body.subarray(10)],
      {
        authorization: `Bearer ${token}`,
        'content-type': 'application/x-git-upload-pack-request',
        'content-encoding': 'gzip'
      }
    );
    expect([reply.status, reply.headers['content-type']]).toEqual([
      200,
      'application/x-git-upload-pack-result'
    ]);
    expect(reply.body.toString('latin1')).toMatch(/^0008NAK\nPACK/);
    const last = emu.requestsFor('git').at(-1);
    expect([last?.headers['transfer-encoding'], last?.headers['content-encoding']]).toEqual([
      'chunked',
      'gzip'
    ]);
  });

  it('inflates the gzip bodies real git sends while negotiating a fetch with many local commits', async () => {
    const repo = await emu.git.createRepository('negotiation');
    await git([...bearer(), 'clone', '--quiet', repo.cloneUrl, 'neg-local']);
    await git([...bearer(), 'clone', '--quiet', repo.cloneUrl, 'neg-other']);
    const local = join(dir, 'neg-local');
    const other = join(dir, 'neg-other');
    // 80 local commits (newer than the shared one) in one fast-import stream: many "have" lines, so git
    // gzips its request bodies (it does above 1 KiB).
    const commits = Array.from({ length: 80 }, (_, i) =>
      [
        'commit refs/heads/main',
        `committer Test <test@contoso.example> ${1_740_000_000 + i} +0000`,
        `data ${`local ${i}`.length}`,
        `local ${i}`,
        ...(i === 0 ? [`from ${repo.headSha}`] : []),
        'M 644 inline local.txt',
        `data ${String(i).length}`,
        String(i),
        ''
      ].join('\n')
    );
    const importer = join(dir, 'neg-import');
    writeFileSync(importer, commits.join(''));
    await runCommand('sh', ['-c', `git fast-import --quiet < "${importer}"`], {
      cwd: local,
      env: gitClientEnv(emu, dir)
    });
    writeFileSync(join(other, 'remote.txt'), 'remote\n');
    await git(['add', 'remote.txt'], other);
    await git(['commit', '--quiet', '-m', 'Remote change'], other);
    await git([...bearer(), 'push', '--quiet', 'origin', 'main'], other);
    emu.reset();
    const fetched = await git([...bearer(), 'fetch', '--quiet', 'origin'], local);
    expect(fetched.code).toBe(0);
    const uploads = emu.requestsFor('git').filter((r) => r.path.endsWith('/git-upload-pack'));
    expect(uploads.some((r) => r.headers['content-encoding'] === 'gzip' && r.status === 200)).toBe(true);
    expect(uploads.every((r) => r.status === 200 && !r.note)).toBe(true);
  });

  it('rejects invalid, expired and non-member tokens; unknown repositories and dumb HTTP', async () => {
    const url = `${app.cloneUrl}/info/refs?service=git-upload-pack`;
    const get = (/** @type {string} */ target, /** @type {string} */ authorization) =>
      send(emu, target, { headers: { authorization } });
    const expired = emu.issueAccessToken({ lifetimeSeconds: -60 });
    const wrongAudience = emu.issueAccessToken({ resource: 'https://management.azure.com' });
    const stranger = emu.issueAccessToken({ objectId: '00000000-0000-0000-0000-00000000abcd' });
    const basic = (/** @type {string} */ value) => `Basic ${Buffer.from(`any:${value}`).toString('base64')}`;
    expect((await get(url, `Bearer ${expired}`)).status).toBe(401);
    expect((await get(url, basic(wrongAudience))).status).toBe(401);
    const foreign = await get(url, basic(stranger));
    expect([foreign.status, foreign.text]).toEqual([401, expect.stringContaining('is not authorized')]);
    const missing = await get(url.replace('/_git/app/', '/_git/nope/'), `Bearer ${token}`);
    expect([missing.status, missing.text]).toEqual([404, expect.stringContaining('TF401019')]);
    expect(
      (await get(`${emu.httpsUrl}/fabrikam/p/_git/app/info/refs?service=git-upload-pack`, `Bearer ${token}`))
        .status
    ).toBe(404);
    expect((await get(`${app.cloneUrl}/info/refs`, `Bearer ${token}`)).status).toBe(403);
    expect(emu.requestsFor('git').map((r) => r.authKind)).toEqual([
      'bearer',
      'basic',
      'basic',
      'bearer',
      'bearer',
      'bearer'
    ]);
  });

  it('serves the plain HTTP server too, and takes faults on the git service', async () => {
    const ok = await git([...bearer(), 'ls-remote', app.httpCloneUrl]);
    expect(ok.stdout).toContain('refs/heads/main');
    emu.fault('git', { status: 503, body: 'maintenance' });
    const failed = await git([...bearer(), 'ls-remote', app.cloneUrl]);
    expect([failed.code, failed.stderr]).toEqual([128, expect.stringContaining('503')]);
  });

  it('the trap answers git with 401 + Basic and shows that a host-scoped helper sent nothing there', async () => {
    const scoped = [`-c`, `credential.${emu.httpsUrl}.helper=${HELPER}`];
    const trapUrl = `${emu.trap.url}/contoso/release-project/_git/app`;
    const result = await git([...scoped, 'ls-remote', trapUrl]);
    expect(result.code).not.toBe(0);
    expect(emu.trap.requests.length).toBeGreaterThan(0);
    expect(emu.trap.requests.every((r) => !('authorization' in r.headers))).toBe(true);
    const res = await send(emu, `${trapUrl}/info/refs?service=git-upload-pack`);
    expect([res.status, res.headers['www-authenticate']]).toEqual([401, `Basic realm="${emu.trap.url}/"`]);
    expect((await git([...scoped, 'ls-remote', app.cloneUrl])).code).toBe(0);
  });
});
