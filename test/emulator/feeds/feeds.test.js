// Azure Artifacts feeds: npm (verified with the real npm CLI), NuGet v3 over HTTP, PyPI simple (pip).
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { startEmulator } from '../index.js';
import { npmClientEnv, runCommand, scratchDir } from '../test-cli.js';
import { send } from '../test-client.js';

/** @type {Awaited<ReturnType<typeof startEmulator>>} */
let emu;
let token = '';
/** @type {string[]} */
const dirs = [];
beforeAll(async () => {
  emu = await startEmulator();
  token = emu.issueAccessToken();
  emu.feeds.publishNpm(undefined, { name: 'left-pad-emu', version: '1.0.0' });
  emu.feeds.publishNpm(undefined, { name: 'left-pad-emu', version: '1.1.0' });
  emu.feeds.publishNpm('release-feed', {
    name: '@contoso/tool',
    version: '2.0.0',
    files: { 'cli.js': '1;\n' }
  });
  emu.feeds.publishNuget(undefined, { id: 'Contoso.Core', version: '1.2.3' });
  emu.feeds.publishPypi(undefined, { name: 'Emu_Tool', version: '0.3.0' });
});
afterAll(async () => {
  await emu?.close();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});
afterEach(() => emu.reset());

const fingerprint = () => `sha256:${createHash('sha256').update(token).digest('hex').slice(0, 12)}`;
/** @param {string} url @param {string} [authorization] */
const get = (url, authorization = `Bearer ${token}`) => send(emu, url, { headers: { authorization } });
/** @param {string} value */
const basic = (value) => `Basic ${Buffer.from(`anyone:${value}`).toString('base64')}`;
/** @param {string} prefix */
const scratch = (prefix) => {
  const dir = scratchDir(prefix);
  dirs.push(dir);
  return dir;
};
/** `//host:port/path/:_authToken=<token>` for a registry URL (npm's "nerf dart" key). */
const npmrcFor = (/** @type {string} */ registry, /** @type {string} */ value) => {
  const { host, pathname } = new URL(registry);
  return `registry=${registry}\n//${host}${pathname}:_authToken=${value}\n`;
};
const NPM_FLAGS = ['--no-audit', '--no-fund', '--prefer-online'];

describe('npm registry', () => {
  it('the real npm CLI views and installs (scoped too) with _authToken; NODE_EXTRA_CA_CERTS is trusted', async () => {
    const registry = emu.feeds.npmRegistryUrl();
    expect(registry).toBe(`${emu.httpsUrl}/contoso/_packaging/release-feed/npm/registry/`);
    const dir = scratch('npm');
    const env = npmClientEnv(emu, dir, npmrcFor(registry, token));
    const view = await runCommand('npm', ['view', '@contoso/tool', '--json', '--registry', registry], {
      cwd: dir,
      env
    });
    expect(JSON.parse(view.stdout)).toEqual(
      expect.objectContaining({ name: '@contoso/tool', version: '2.0.0' })
    );
    const install = await runCommand(
      'npm',
      ['install', 'left-pad-emu', '@contoso/tool', '--cache', join(dir, 'cache'), ...NPM_FLAGS],
      {
        cwd: dir,
        env
      }
    );
    expect(install).toEqual(expect.objectContaining({ code: 0 }));
    expect(readFileSync(join(dir, 'node_modules', '@contoso', 'tool', 'cli.js'), 'utf8')).toBe('1;\n');
    const installed = JSON.parse(
      readFileSync(join(dir, 'node_modules', 'left-pad-emu', 'package.json'), 'utf8')
    );
    expect(installed.version).toBe('1.1.0');
    const records = emu.requestsFor('feeds');
    expect(records.map((r) => r.path)).toEqual(
      expect.arrayContaining([
        '/contoso/_packaging/release-feed/npm/registry/@contoso%2ftool',
        '/contoso/_packaging/release-feed/npm/registry/@contoso/tool/-/tool-2.0.0.tgz',
        '/contoso/_packaging/release-feed/npm/registry/left-pad-emu/-/left-pad-emu-1.1.0.tgz'
      ])
    );
    expect(
      records.every(
        (r) => r.status === 200 && r.authKind === 'bearer' && r.tokenFingerprint === fingerprint()
      )
    ).toBe(true);
  });

  it('npm fails with E401 on a bad token; the 401 carries a Basic challenge and a JSON error', async () => {
    const registry = emu.feeds.npmRegistryUrl();
    const dir = scratch('npm-bad');
    const env = npmClientEnv(emu, dir, npmrcFor(registry, emu.issueAccessToken({ lifetimeSeconds: -5 })));
    const view = await runCommand('npm', ['view', 'left-pad-emu'], { cwd: dir, env });
    expect([view.code, view.stderr]).toEqual([1, expect.stringContaining('E401')]);
    const res = await get(`${registry}left-pad-emu`, '');
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toContain(`Basic realm="${emu.httpsUrl}/"`);
    expect(res.json).toEqual({ error: expect.stringContaining('TF400813') });
    expect(emu.requestsFor('feeds').at(-1)?.authKind).toBe('none');
  });

  it('serves packuments with dist.integrity / shasum of real tarballs, over Basic too, on the request host', async () => {
    const registry = emu.feeds.npmRegistryUrl().replace(emu.httpsUrl, emu.httpUrl);
    const res = await get(`${registry}@contoso%2ftool`, basic(token));
    expect(res.json['dist-tags']).toEqual({ latest: '2.0.0' });
    const { dist } = res.json.versions['2.0.0'];
    expect(dist.tarball).toBe(`${registry}@contoso/tool/-/tool-2.0.0.tgz`);
    const download = await fetch(dist.tarball, { headers: { authorization: basic(token) } });
    const bytes = Buffer.from(await download.arrayBuffer());
    expect(`sha512-${createHash('sha512').update(bytes).digest('base64')}`).toBe(dist.integrity);
    expect(createHash('sha1').update(bytes).digest('hex')).toBe(dist.shasum);
    expect(gunzipSync(bytes).subarray(0, 20).toString()).toBe('package/cli.js\0\0\0\0\0\0');
    expect(emu.requestsFor('feeds').map((r) => r.authKind)).toEqual(['basic', 'basic']);
    expect((await get(`${registry}no-such-package`)).status).toBe(404);
  });
});

describe('feeds: scopes, NuGet v3, PyPI', () => {
  it('has project-scoped feeds; an unknown feed or organization is 404', async () => {
    emu.feeds.publishNpm('team-feed', { name: 'team-lib', version: '0.1.0', project: 'release-project' });
    const registry = emu.feeds.npmRegistryUrl('team-feed', { project: 'release-project' });
    expect(registry).toBe(`${emu.httpsUrl}/contoso/release-project/_packaging/team-feed/npm/registry/`);
    expect((await get(`${registry}team-lib`)).json.name).toBe('team-lib');
    expect((await get(registry.replace('/release-project', '') + 'team-lib')).status).toBe(404);
    expect((await get(`${emu.httpsUrl}/fabrikam/_packaging/release-feed/npm/registry/x`)).status).toBe(404);
    const publish = await send(emu, `${registry}team-lib`, {
      method: 'PUT',
      body: '{}',
      headers: { authorization: `Bearer ${token}` }
    });
    expect([publish.status, emu.requestsFor('feeds').at(-1)?.status]).toEqual([405, 405]);
  });

  it('serves the NuGet v3 service index, flat container versions, .nupkg and search', async () => {
    const index = await get(emu.feeds.nugetIndexUrl(), basic(token));
    const base = `${emu.httpsUrl}/contoso/_packaging/release-feed/nuget/v3`;
    expect(index.json.version).toBe('3.0.0');
    expect(index.json.resources).toEqual(
      expect.arrayContaining([
        { '@id': `${base}/flat2/`, '@type': 'PackageBaseAddress/3.0.0' },
        { '@id': `${base}/query`, '@type': 'SearchQueryService' }
      ])
    );
    expect((await get(`${base}/flat2/contoso.core/index.json`)).json).toEqual({ versions: ['1.2.3'] });
    const nupkg = await get(`${base}/flat2/contoso.core/1.2.3/contoso.core.1.2.3.nupkg`);
    expect(nupkg.text.startsWith('PK\u0003\u0004')).toBe(true);
    expect((await get(`${base}/query?q=contoso`)).json.data[0]).toEqual(
      expect.objectContaining({ id: 'Contoso.Core' })
    );
    expect((await get(`${base}/flat2/missing/index.json`)).status).toBe(404);
    expect((await get(`${base}/flat2/contoso.core/index.json`, basic('not-a-token'))).status).toBe(401);
  });

  it('serves a PEP 503 simple page with sha256 links to a valid wheel', async () => {
    const simple = emu.feeds.pypiSimpleUrl();
    expect(simple).toBe(`${emu.httpsUrl}/contoso/_packaging/release-feed/pypi/simple/`);
    const page = await get(`${simple}emu-tool/`, basic(token));
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    const href = /href="([^"]+)#sha256=([0-9a-f]{64})"/.exec(page.text);
    expect(href?.[1]).toBe(
      `${emu.httpsUrl}/contoso/_packaging/release-feed/pypi/download/emu-tool/0.3.0/emu_tool-0.3.0-py3-none-any.whl`
    );
    expect((await get(`${simple}Emu.Tool/`)).text).toContain('emu_tool-0.3.0-py3-none-any.whl');
  });

  const hasPip = (() => {
    try {
      execFileSync('python3', ['-m', 'pip', '--version'], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  })();
  (hasPip ? it : it.skip)('pip downloads the wheel with user:token in the index URL and --cert', async () => {
    const dir = scratch('pip');
    const simple = new URL(emu.feeds.pypiSimpleUrl());
    const index = `${simple.protocol}//build:${token}@${simple.host}${simple.pathname}`;
    const args = [
      '-m',
      'pip',
      'download',
      '--no-deps',
      '--no-cache-dir',
      '--isolated',
      '--disable-pip-version-check'
    ];
    const env = { PATH: process.env.PATH ?? '', HOME: dir };
    const result = await runCommand(
      'python3',
      [...args, '--index-url', index, '--cert', emu.caFile, '--dest', join(dir, 'dl'), 'emu-tool'],
      { cwd: dir, env }
    );
    expect(result.code).toBe(0);
    expect(readdirSync(join(dir, 'dl'))).toEqual(['emu_tool-0.3.0-py3-none-any.whl']);
    const records = emu.requestsFor('feeds');
    expect(records.map((r) => [r.status, r.authKind, r.tokenFingerprint])).toEqual([
      [200, 'basic', fingerprint()],
      [200, 'basic', fingerprint()]
    ]);
  });
});
