import { describe, expect, test } from '@jest/globals';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync
} from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { configureFeeds, parseFeeds } from '../../../../src/core/job-credentials/feeds.js';
import { gitCredentialEnvironment, helperCommand } from '../../../../src/core/job-credentials/git.js';
import { organizationUrlScopes } from '../../../../src/core/job-credentials/git.js';
import {
  createCredentialsDir,
  readHelperState,
  removeCredentialsDir,
  writeHelperState
} from '../../../../src/core/job-credentials/state.js';
import { refreshRecipe, setUpCredentials } from '../../../../src/core/job-credentials/setup.js';
import type { CredentialSettings } from '../../../../src/core/settings.js';
import { createTestGuard, thrownBy } from '../../fakes.js';

const ORG = { name: 'contoso', url: 'https://dev.azure.com/contoso' };
const NPM = 'https://pkgs.dev.azure.com/contoso/_packaging/release/npm/registry/';
const NUGET = 'https://pkgs.dev.azure.com/contoso/Fabrikam/_packaging/release/nuget/v3/index.json';
const PYPI = 'https://contoso.pkgs.visualstudio.com/_packaging/release/pypi/simple';
const TOKEN = 'eyJ0eXAi.feed-token.sig';

describe('git credentials', () => {
  test('an organization is reachable under dev.azure.com and its visualstudio.com name', () => {
    expect(organizationUrlScopes(ORG)).toEqual([
      'https://dev.azure.com/contoso',
      'https://contoso.visualstudio.com'
    ]);
    expect(organizationUrlScopes({ name: 'contoso', url: 'https://127.0.0.1:8443/contoso' })).toEqual([
      'https://127.0.0.1:8443/contoso'
    ]);
  });

  test('the environment resets other helpers and adds ours for each scope, after existing GIT_CONFIG entries, with no secret', () => {
    const env = gitCredentialEnvironment(ORG, "!'/node' '/helper.js' '/state.json'", {
      GIT_CONFIG_COUNT: '1',
      GIT_CONFIG_KEY_0: 'core.autocrlf',
      GIT_CONFIG_VALUE_0: 'false'
    });
    expect(env).toEqual({
      GIT_CONFIG_COUNT: '5',
      GIT_CONFIG_KEY_1: 'credential.https://dev.azure.com/contoso.helper',
      GIT_CONFIG_VALUE_1: '',
      GIT_CONFIG_KEY_2: 'credential.https://dev.azure.com/contoso.helper',
      GIT_CONFIG_VALUE_2: "!'/node' '/helper.js' '/state.json'",
      GIT_CONFIG_KEY_3: 'credential.https://contoso.visualstudio.com.helper',
      GIT_CONFIG_VALUE_3: '',
      GIT_CONFIG_KEY_4: 'credential.https://contoso.visualstudio.com.helper',
      GIT_CONFIG_VALUE_4: "!'/node' '/helper.js' '/state.json'"
    });
  });

  test('the helper command quotes paths for the shell', () => {
    expect(helperCommand('/opt/node 24/bin/node', "/tmp/it's/helper.js", '/tmp/s.json')).toBe(
      `!'/opt/node 24/bin/node' '/tmp/it'\\''s/helper.js' '/tmp/s.json'`
    );
  });

  test('refresh recipes: GitHub federation and managed identity can mint later, secrets and Azure federation cannot', () => {
    const scope = '499b84ac-1321-427f-aa17-267ca6975798/.default';
    const base = { tenantId: 't', clientId: 'c', authorityHost: 'https://login.microsoftonline.com' };
    expect(
      refreshRecipe(
        {
          kind: 'federated',
          ...base,
          oidc: {
            kind: 'github',
            requestUrl: 'u',
            requestToken: 'secret',
            audience: 'api://AzureADTokenExchange'
          }
        },
        scope
      )
    ).toEqual({ kind: 'github-federated', ...base, audience: 'api://AzureADTokenExchange', scope });
    expect(
      refreshRecipe({ kind: 'managed-identity', selector: { kind: 'clientId', value: 'x' } }, scope)
    ).toEqual({ kind: 'managed-identity', selector: { kind: 'clientId', value: 'x' }, scope });
    expect(refreshRecipe({ kind: 'client-secret', ...base, clientSecret: 's' }, scope)).toEqual({
      kind: 'none'
    });
    expect(
      refreshRecipe(
        {
          kind: 'federated',
          ...base,
          oidc: {
            kind: 'azure-pipelines',
            requestUri: 'u',
            systemAccessToken: 's',
            serviceConnectionId: 'i',
            serviceConnectionInput: 'x'
          }
        },
        scope
      )
    ).toEqual({ kind: 'none' });
  });
});

/**
 * The POSIX permission bits of a file. Windows has none (chmod sets only the read-only bit): there the per-job
 * temp directory's ACL protects the files (docs/security.md), so the check is skipped with the reason printed.
 */
function expectMode(path: string, mode: number): void {
  if (process.platform === 'win32') {
    console.warn(`Not checked on Windows (no POSIX modes): ${path} mode ${mode.toString(8)}`);
    return;
  }
  expect(statSync(path).mode & 0o777).toBe(mode);
}

describe('credential files', () => {
  test('the directory is private, under the temp root, and only ours can be removed', () => {
    const root = mkdtempSync(join(tmpdir(), 'root-'));
    const dir = createCredentialsDir(root);
    expect(dir.startsWith(join(root, 'azure-devops-entra-token-'))).toBe(true);
    expectMode(dir, 0o700);
    writeHelperState(join(dir, 's.json'), { token: TOKEN, expiresOnTimestamp: 1, refresh: { kind: 'none' } });
    expectMode(join(dir, 's.json'), 0o600);
    expect(readHelperState(join(dir, 's.json'))?.token).toBe(TOKEN);
    const other = join(root, 'something-else');
    mkdirSync(other);
    expect(removeCredentialsDir(other, root)).toBe(false);
    expect(removeCredentialsDir(dir, tmpdir())).toBe(false);
    expect(existsSync(dir)).toBe(true);
    expect(removeCredentialsDir(dir, root)).toBe(true);
    expect(existsSync(dir)).toBe(false);
    expect(readHelperState(join(dir, 's.json'))).toBeUndefined();
  });
});

describe('feeds', () => {
  test('npm, NuGet and PyPI URLs are recognised (trailing slashes normalised)', () => {
    expect(parseFeeds({ name: 'feeds', value: `${NPM}\n${NUGET}, ${PYPI}` })).toEqual([
      { kind: 'npm', url: NPM },
      { kind: 'nuget', url: NUGET },
      { kind: 'pypi', url: `${PYPI}/` }
    ]);
    expect(parseFeeds({ name: 'feeds', value: '' })).toEqual([]);
  });

  test.each([
    ['https://registry.npmjs.org/', 'is not Azure Artifacts'],
    ['https://pkgs.dev.azure.com.evil.example/contoso/_packaging/f/npm/registry/', 'is not Azure Artifacts'],
    ['https://evilpkgs.dev.azure.com/contoso/_packaging/f/npm/registry/', 'is not Azure Artifacts'],
    [
      'https://contoso.pkgs.visualstudio.com.evil.example/_packaging/f/npm/registry/',
      'is not Azure Artifacts'
    ],
    ['https://pkgs.dev.azure.com/contoso/_packaging/f/npm/registry/extra', 'not an npm registry'],
    ['https://pkgs.dev.azure.com/contoso/_packaging/f/nuget/v3/index.json/x', 'not an npm registry'],
    ['https://pkgs.dev.azure.com/contoso/_packaging/f/pypi/simple/x', 'not an npm registry'],
    ['https://pkgs.dev.azure.com/contoso/_packaging//npm/registry/', 'not an npm registry'],
    ['http://pkgs.dev.azure.com/contoso/_packaging/f/npm/registry/', 'over https only'],
    [
      'https://pkgs.dev.azure.com/contoso/_packaging/f/maven/v1',
      'not an npm registry, NuGet v3 index or PyPI simple URL'
    ],
    ['not a url', 'it is not a URL'],
    ['https://me:pw@pkgs.dev.azure.com/contoso/_packaging/f/npm/registry/', 'no query or credentials']
  ])('%s is refused', (value, fragment) => {
    const message = thrownBy(() => parseFeeds({ name: 'feeds', value })).message;
    expect(message).toContain(`Input 'feeds' has the entry '${value}'`);
    expect(message).toContain(fragment);
    expect(message).toContain('Connect to feed');
  });

  test('npm gets an npmrc that keeps the user one; NuGet and pip get their variables', () => {
    const dir = mkdtempSync(join(tmpdir(), 'feeds-'));
    const previous = join(dir, 'user-npmrc');
    writeFileSync(previous, 'fund=false\n');
    const feeds = parseFeeds({
      name: 'feeds',
      value: `${NPM}\n${NUGET}\n${PYPI}\nhttps://pkgs.dev.azure.com/contoso/_packaging/other/pypi/simple/`
    });
    const { env, lines } = configureFeeds(feeds, TOKEN, dir, { NPM_CONFIG_USERCONFIG: previous });
    expect(env.NPM_CONFIG_USERCONFIG).toBe(join(dir, 'npmrc'));
    expect(readFileSync(join(dir, 'npmrc'), 'utf8')).toBe(
      `fund=false\n//pkgs.dev.azure.com/contoso/_packaging/release/npm/registry/:_authToken=${TOKEN}\n`
    );
    expectMode(join(dir, 'npmrc'), 0o600);
    expect(JSON.parse(env.VSS_NUGET_EXTERNAL_FEED_ENDPOINTS ?? '')).toEqual({
      endpointCredentials: [{ endpoint: NUGET, username: 'azure-devops', password: TOKEN }]
    });
    expect(env.PIP_INDEX_URL).toBe(
      `https://azure-devops:${TOKEN}@contoso.pkgs.visualstudio.com/_packaging/release/pypi/simple/`
    );
    expect(env.PIP_EXTRA_INDEX_URL).toBe(
      `https://azure-devops:${TOKEN}@pkgs.dev.azure.com/contoso/_packaging/other/pypi/simple/`
    );
    expect(lines.join('\n')).not.toContain(TOKEN);
    expect(lines).toHaveLength(4);
  });
});

describe('git credential environment edge cases', () => {
  const helper = "!'/node' '/helper.js' '/state.json'";
  test.each([
    ['absent', undefined],
    ['zero', '0'],
    ['not a number', 'two'],
    ['negative', '-3'],
    ['fractional', '1.5']
  ])('GIT_CONFIG_COUNT %s: our entries start at 0', (_label, count) => {
    const env = gitCredentialEnvironment(ORG, helper, count === undefined ? {} : { GIT_CONFIG_COUNT: count });
    expect(env.GIT_CONFIG_COUNT).toBe('4');
    expect(env.GIT_CONFIG_KEY_0).toBe('credential.https://dev.azure.com/contoso.helper');
    expect(env.GIT_CONFIG_VALUE_0).toBe('');
    expect(env.GIT_CONFIG_VALUE_3).toBe(helper);
    expect(Object.keys(env)).toHaveLength(9);
  });
});

describe('credential state files', () => {
  test('a state file that is not JSON, or missing, reads as undefined', () => {
    const dir = mkdtempSync(join(tmpdir(), 'state-'));
    writeFileSync(join(dir, 'broken.json'), '{"token": ');
    expect(readHelperState(join(dir, 'broken.json'))).toBeUndefined();
    expect(readHelperState(join(dir, 'missing.json'))).toBeUndefined();
  });

  test('removal takes the whole tree, nested directories included; a root given with a trailing slash works', () => {
    const root = mkdtempSync(join(tmpdir(), 'root-'));
    const dir = createCredentialsDir(root);
    mkdirSync(join(dir, 'nested', 'deeper'), { recursive: true });
    writeFileSync(join(dir, 'nested', 'deeper', 'npmrc'), 'x');
    expect(removeCredentialsDir(join(dir, 'nested'), root)).toBe(false);
    expect(removeCredentialsDir(dir, `${root}/`)).toBe(true);
    expect(existsSync(dir)).toBe(false);
    // Already gone (the runner cleaned its temp directory first): still fine, nothing thrown.
    expect(removeCredentialsDir(dir, root)).toBe(true);
  });
});

describe('setUpCredentials', () => {
  const SCOPE = '499b84ac-1321-427f-aa17-267ca6975798/.default';
  const EXPIRES = Date.UTC(2026, 11, 4, 18, 30, 0);
  const APP = { tenantId: 't', clientId: 'c', authorityHost: 'https://login.microsoftonline.com' };
  const SECRET: CredentialSettings = { kind: 'client-secret', ...APP, clientSecret: 'client-secret-value' };
  const GITHUB: CredentialSettings = {
    kind: 'federated',
    ...APP,
    oidc: { kind: 'github', requestUrl: 'u', requestToken: 'r', audience: 'api://AzureADTokenExchange' }
  };
  const MI: CredentialSettings = { kind: 'managed-identity', selector: undefined };

  function run(request: {
    gitCredentials: boolean;
    feeds: string;
    organization?: typeof ORG | undefined;
    credential?: CredentialSettings;
  }) {
    const { guard, platform } = createTestGuard();
    const root = mkdtempSync(join(tmpdir(), 'setup-'));
    const seen: { dir: string; entries: string[] }[] = [];
    const result = setUpCredentials(
      {
        gitCredentials: request.gitCredentials,
        feeds: parseFeeds({ name: 'feeds', value: request.feeds }),
        organization: 'organization' in request ? request.organization : ORG,
        credential: request.credential ?? SECRET,
        scope: SCOPE
      },
      { token: TOKEN, expiresOnTimestamp: EXPIRES },
      {
        tempRoot: root,
        nodePath: '/opt/node/bin/node',
        helperScript: '/actions/dist/git-credential-helper/index.js',
        env: { NPM_CONFIG_USERCONFIG: join(root, 'no-such-npmrc') },
        guard,
        platform: 'github',
        onDirectory: (dir) => seen.push({ dir, entries: readdirSync(dir) })
      }
    );
    return { result, lines: platform.lines('info'), seen, root };
  }

  test('nothing asked: no directory, no environment, nothing logged', () => {
    const { result, lines, seen, root } = run({ gitCredentials: false, feeds: '' });
    expect(result).toBeUndefined();
    expect(lines).toEqual([]);
    expect(seen).toEqual([]);
    expect(readdirSync(root)).toEqual([]);
  });

  test('git with a credential that cannot mint later: the state file, the environment and the expiry line', () => {
    const { result, lines, seen } = run({ gitCredentials: true, feeds: '' });
    expect(result).toBeDefined();
    const dir = result?.dir ?? '';
    // The caller learns the directory before anything is written into it.
    expect(seen).toEqual([{ dir, entries: [] }]);
    expect(readdirSync(dir)).toEqual(['git-credential.json']);
    expect(readHelperState(join(dir, 'git-credential.json'))).toEqual({
      token: TOKEN,
      expiresOnTimestamp: EXPIRES,
      refresh: { kind: 'none' },
      platform: 'github'
    });
    const command = `!'/opt/node/bin/node' '/actions/dist/git-credential-helper/index.js' '${dir}/git-credential.json'`;
    expect(result?.env).toEqual({
      GIT_CONFIG_COUNT: '4',
      GIT_CONFIG_KEY_0: 'credential.https://dev.azure.com/contoso.helper',
      GIT_CONFIG_VALUE_0: '',
      GIT_CONFIG_KEY_1: 'credential.https://dev.azure.com/contoso.helper',
      GIT_CONFIG_VALUE_1: command,
      GIT_CONFIG_KEY_2: 'credential.https://contoso.visualstudio.com.helper',
      GIT_CONFIG_VALUE_2: '',
      GIT_CONFIG_KEY_3: 'credential.https://contoso.visualstudio.com.helper',
      GIT_CONFIG_VALUE_3: command
    });
    expect(lines).toEqual([
      'Git: credentials for https://dev.azure.com/contoso/ and https://contoso.visualstudio.com/ only, through a credential helper (the token is valid until 2026-12-04T18:30:00.000Z; run the step again for longer jobs).'
    ]);
  });

  test.each([
    [GITHUB, "a fresh token is minted with the job's OIDC token when this one nears expiry"],
    [MI, 'a fresh token is minted from the managed identity when this one nears expiry']
  ])('git with a credential that can mint later says so (%#)', (credential, lifetime) => {
    const { lines } = run({ gitCredentials: true, feeds: '', credential });
    expect(lines).toEqual([
      `Git: credentials for https://dev.azure.com/contoso/ and https://contoso.visualstudio.com/ only, through a credential helper (${lifetime}).`
    ]);
  });

  test('git without an organization writes no helper state; feeds alone get their lines', () => {
    const { result, lines } = run({ gitCredentials: true, feeds: NUGET, organization: undefined });
    expect(readdirSync(result?.dir ?? '')).toEqual([]);
    expect(Object.keys(result?.env ?? {})).toEqual(['VSS_NUGET_EXTERNAL_FEED_ENDPOINTS']);
    expect(lines).toEqual([
      `Feed NuGet: ${NUGET} (VSS_NUGET_EXTERNAL_FEED_ENDPOINTS, for the Azure Artifacts credential provider).`
    ]);
  });

  test('feeds without git: one line per feed, no git variables', () => {
    const { result, lines } = run({ gitCredentials: false, feeds: `${NPM}\n${PYPI}` });
    const dir = result?.dir ?? '';
    expect(Object.keys(result?.env ?? {}).sort()).toEqual(['NPM_CONFIG_USERCONFIG', 'PIP_INDEX_URL']);
    expect(lines).toEqual([
      `Feed npm: ${NPM} (token in ${join(dir, 'npmrc')}, selected with NPM_CONFIG_USERCONFIG).`,
      `Feed pip: ${PYPI}/ (PIP_INDEX_URL).`
    ]);
    // No user npmrc to keep: the file holds only the feed's token line.
    expect(readFileSync(join(dir, 'npmrc'), 'utf8')).toBe(
      `//pkgs.dev.azure.com/contoso/_packaging/release/npm/registry/:_authToken=${TOKEN}\n`
    );
  });
});

describe('feeds in detail', () => {
  test('entries are trimmed; blank entries between separators are skipped', () => {
    expect(parseFeeds({ name: 'feeds', value: `  ${NPM}  ,, \n\n ${NUGET}\t` })).toEqual([
      { kind: 'npm', url: NPM },
      { kind: 'nuget', url: NUGET }
    ]);
  });

  test('a loopback feed may be plain http (the emulator of the tests); nothing else may', () => {
    const loopback = 'http://127.0.0.1:8080/contoso/_packaging/f/npm/registry';
    expect(parseFeeds({ name: 'feeds', value: loopback })).toEqual([{ kind: 'npm', url: `${loopback}/` }]);
    expect(
      thrownBy(() => parseFeeds({ name: 'feeds', value: 'ftp://127.0.0.1/_packaging/f/npm/registry/' }))
        .message
    ).toContain('feeds are reached over https only.');
  });

  test('a query is refused like credentials are', () => {
    expect(thrownBy(() => parseFeeds({ name: 'feeds', value: `${NPM}?api-version=7.1` })).message).toContain(
      'a feed URL has no query or credentials.'
    );
  });

  test('each kind alone sets only its own variables, with exact lines', () => {
    const dir = mkdtempSync(join(tmpdir(), 'feeds-'));
    const only = (value: string) =>
      configureFeeds(parseFeeds({ name: 'feeds', value }), TOKEN, dir, {
        NPM_CONFIG_USERCONFIG: join(dir, 'absent')
      });
    const npm = only(NPM);
    expect(npm.env).toEqual({ NPM_CONFIG_USERCONFIG: join(dir, 'npmrc') });
    expect(npm.lines).toEqual([
      `npm: ${NPM} (token in ${join(dir, 'npmrc')}, selected with NPM_CONFIG_USERCONFIG)`
    ]);
    const nuget = only(NUGET);
    expect(Object.keys(nuget.env)).toEqual(['VSS_NUGET_EXTERNAL_FEED_ENDPOINTS']);
    expect(nuget.lines).toEqual([
      `NuGet: ${NUGET} (VSS_NUGET_EXTERNAL_FEED_ENDPOINTS, for the Azure Artifacts credential provider)`
    ]);
    const second = 'https://pkgs.dev.azure.com/contoso/_packaging/other/pypi/simple/';
    const third = 'https://pkgs.dev.azure.com/contoso/_packaging/third/pypi/simple/';
    expect(only(`${PYPI}\n${second}\n${third}`).env.PIP_EXTRA_INDEX_URL).toBe(
      `https://azure-devops:${TOKEN}@pkgs.dev.azure.com/contoso/_packaging/other/pypi/simple/ https://azure-devops:${TOKEN}@pkgs.dev.azure.com/contoso/_packaging/third/pypi/simple/`
    );
    const pip = only(`${PYPI}\n${second}`);
    expect(Object.keys(pip.env)).toEqual(['PIP_INDEX_URL', 'PIP_EXTRA_INDEX_URL']);
    expect(pip.lines).toEqual([`pip: ${PYPI}/ (PIP_INDEX_URL)`, `pip: ${second} (PIP_EXTRA_INDEX_URL)`]);
    expect(only(PYPI).env).toEqual({
      PIP_INDEX_URL: `https://azure-devops:${TOKEN}@contoso.pkgs.visualstudio.com/_packaging/release/pypi/simple/`
    });
  });

  test('two npm registries get one token line each; a registry URL without a trailing slash keys on a slash', () => {
    const dir = mkdtempSync(join(tmpdir(), 'feeds-'));
    const other = 'https://pkgs.dev.azure.com/contoso/_packaging/other/npm/registry';
    configureFeeds(
      [
        { kind: 'npm', url: NPM },
        { kind: 'npm', url: other }
      ],
      TOKEN,
      dir,
      { NPM_CONFIG_USERCONFIG: join(dir, 'absent') }
    );
    expect(readFileSync(join(dir, 'npmrc'), 'utf8')).toBe(
      `//pkgs.dev.azure.com/contoso/_packaging/release/npm/registry/:_authToken=${TOKEN}\n//pkgs.dev.azure.com/contoso/_packaging/other/npm/registry/:_authToken=${TOKEN}\n`
    );
  });

  test("without NPM_CONFIG_USERCONFIG the user's ~/.npmrc is the one kept", () => {
    // os.homedir() reads the real environment, not the test's copy: compare with whatever this machine has.
    const userNpmrc = join(homedir(), '.npmrc');
    const kept = existsSync(userNpmrc) ? `${readFileSync(userNpmrc, 'utf8').trimEnd()}\n` : '';
    const dir = mkdtempSync(join(tmpdir(), 'feeds-'));
    configureFeeds([{ kind: 'npm', url: NPM }], TOKEN, dir, {});
    expect(readFileSync(join(dir, 'npmrc'), 'utf8')).toBe(
      `${kept}//pkgs.dev.azure.com/contoso/_packaging/release/npm/registry/:_authToken=${TOKEN}\n`
    );
  });
});
