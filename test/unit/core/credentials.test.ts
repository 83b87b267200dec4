import { describe, expect, test } from '@jest/globals';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { configureFeeds, parseFeeds } from '../../../src/core/credentials/feeds.js';
import { gitCredentialEnvironment, helperCommand } from '../../../src/core/credentials/git.js';
import { organizationUrlScopes } from '../../../src/core/credentials/scopes.js';
import {
  createCredentialsDir,
  readHelperState,
  removeCredentialsDir,
  writeHelperState
} from '../../../src/core/credentials/state.js';
import { refreshRecipe } from '../../../src/core/credentials/setup.js';
import { thrownBy } from '../fakes.js';

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

describe('credential files', () => {
  test('the directory is private, under the temp root, and only ours can be removed', () => {
    const root = mkdtempSync(join(tmpdir(), 'root-'));
    const dir = createCredentialsDir(root);
    expect(dir.startsWith(join(root, 'azure-devops-entra-token-'))).toBe(true);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    writeHelperState(join(dir, 's.json'), { token: TOKEN, expiresOnTimestamp: 1, refresh: { kind: 'none' } });
    expect(statSync(join(dir, 's.json')).mode & 0o777).toBe(0o600);
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
    expect(statSync(join(dir, 'npmrc')).mode & 0o777).toBe(0o600);
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
