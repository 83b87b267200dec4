import { afterEach, beforeEach, describe, expect, test } from '@jest/globals';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import type { Session, TokenResult } from '../../../src/core/acquire.js';
import type { DevOpsClient, DevOpsRequest } from '../../../src/core/devops/client.js';
import { AzureDevOpsError } from '../../../src/core/errors.js';
import { parseOperations } from '../../../src/core/operations/parse.js';
import type { Settings } from '../../../src/core/settings.js';
import {
  credentialHelperPath,
  describeJobCredentials,
  runConfiguredOperations,
  setUpJobCredentials
} from '../../../src/core/step.js';
import type { OperationRecord } from '../../../src/core/summary.js';
import { createThrottle } from '../../../src/core/http/throttle.js';
import {
  createFakeClient,
  createFakeClock,
  createFakeTokens,
  IDENTITY,
  ok,
  ORG,
  type Reply,
  type SentRequest
} from '../devops-fakes.js';
import { createTestGuard, rejectionOf } from '../fakes.js';

const SCOPE = '499b84ac-1321-427f-aa17-267ca6975798/.default';
const ACCESS_TOKEN = 'eyJ0eXAiOiJKV1QifQ.step-access-token.signature';
/** createFakeTokens' expiry: 2100-01-01T00:00:00Z. */
const EXPIRES = 4_102_444_800_000;
const NPM = 'https://pkgs.dev.azure.com/contoso/_packaging/release/npm/registry/';
const NUGET = 'https://pkgs.dev.azure.com/contoso/Fabrikam/_packaging/release/nuget/v3/index.json';
const PYPI = 'https://contoso.pkgs.visualstudio.com/_packaging/release/pypi/simple/';

const TOKEN: TokenResult = {
  token: ACCESS_TOKEN,
  expiresOn: '2100-01-01T00:00:00Z',
  tenantId: IDENTITY.tenantId,
  objectId: IDENTITY.objectId,
  clientId: IDENTITY.clientId,
  identity: 'release-bot'
};

function settingsFor(overrides: Partial<Settings> = {}): Settings {
  return {
    credential: { kind: 'managed-identity', selector: { kind: 'clientId', value: IDENTITY.clientId } },
    scope: SCOPE,
    organization: ORG,
    verify: true,
    timeoutSeconds: 50,
    allowedHosts: [],
    operations: undefined,
    operationsTimeout: { seconds: 120, input: 'operations-timeout' },
    dryRun: false,
    gitCredentials: false,
    feeds: [],
    ...overrides
  };
}

function operations(yaml: string): Settings['operations'] {
  return parseOperations(yaml, "Input 'operations'", ORG);
}

/** A session over a fake client that counts its requests in the session's stats. */
function sessionWith(reply: (request: SentRequest, n: number) => Reply | Promise<Reply>) {
  const { platform, guard } = createTestGuard();
  const clock = createFakeClock();
  const stats = { requests: 0, retries: 0 };
  const client = createFakeClient(reply, stats);
  const tokens = createFakeTokens([ACCESS_TOKEN]);
  const session: Session = { tokens, client, stats, throttle: createThrottle(guard, clock.sleep, clock.now) };
  return { platform, guard, client, tokens, stats, session };
}

describe('runConfiguredOperations', () => {
  test('without operations it sends nothing and returns undefined', async () => {
    const h = sessionWith(() => ok({}));
    expect(await runConfiguredOperations(settingsFor(), TOKEN, h.session, h.guard, {})).toBeUndefined();
    expect(h.client.sent).toEqual([]);
    expect(h.platform.calls).toEqual([]);
  });

  test('an empty list still runs (and reports) and returns an empty object', async () => {
    const h = sessionWith(() => ok({}));
    const records: OperationRecord[] = [];
    const results = await runConfiguredOperations(
      settingsFor({ operations: [] }),
      TOKEN,
      h.session,
      h.guard,
      {},
      records
    );
    expect(results).toBe('{}');
    expect(records).toEqual([]);
    expect(h.platform.lines('info')).toEqual([
      expect.stringMatching(
        /^Operations done: 0 operations, 0 requests, 0 retries, 0\.0 s held back by rate limits, \d+\.\d s in all\.$/
      )
    ]);
  });

  test("runs the operations through the session's client against the organization and returns the results as JSON", async () => {
    const h = sessionWith((request) =>
      request.url.includes('/projects') ? ok({ count: 1, value: [{ name: 'web' }] }) : ok({ id: 7 })
    );
    const results = await runConfiguredOperations(
      settingsFor({
        operations: operations(`
- name: projects
  url: _apis/projects
- name: build
  url: "{{ organization.name }}/_apis/build/builds/{{ env.BUILD_BUILDID }}"
`)
      }),
      TOKEN,
      h.session,
      h.guard,
      { BUILD_BUILDID: '42' }
    );
    expect(results).toBe('{"projects":{"count":1,"value":[{"name":"web"}]},"build":{"id":7}}');
    expect(h.client.sent.map((r) => `${r.method} ${r.url}`)).toEqual([
      `GET ${ORG.url}/_apis/projects?api-version=7.1`,
      `GET ${ORG.url}/contoso/_apis/build/builds/42?api-version=7.1`
    ]);
    const lines = h.platform.lines('info');
    expect(lines.filter((line) => line.startsWith('Running'))).toEqual([
      "Running operation 1 ('projects'): GET _apis/projects.",
      "Running operation 2 ('build'): GET {{ organization.name }}/_apis/build/builds/{{ env.BUILD_BUILDID }}."
    ]);
    // The session's stats count the requests.
    expect(lines.at(-1)).toMatch(
      /^Operations done: 2 operations, 2 requests, 0 retries, 0\.0 s held back by rate limits, \d+\.\d s in all\.$/
    );
  });

  test('a secret the guard knows is redacted from the results', async () => {
    const h = sessionWith(() =>
      ok({ echoed: `Bearer ${ACCESS_TOKEN}`, feed: 'https://u:feed-secret-0001@x/' })
    );
    h.guard.mask(ACCESS_TOKEN);
    h.guard.mask('feed-secret-0001');
    const results = await runConfiguredOperations(
      settingsFor({ operations: operations('- name: echo\n  url: _test/echo') }),
      TOKEN,
      h.session,
      h.guard,
      {}
    );
    expect(results).toBe('{"echo":{"echoed":"Bearer ***","feed":"https://u:***@x/"}}');
  });

  test('fills the records passed in, one per operation', async () => {
    const h = sessionWith(() => ok({ value: [] }));
    const records: OperationRecord[] = [];
    await runConfiguredOperations(
      settingsFor({
        operations: operations('- url: _apis/projects\n- url: _apis/projects\n  method: POST\n  body: {}')
      }),
      TOKEN,
      h.session,
      h.guard,
      {},
      records
    );
    expect(records).toEqual([
      {
        label: 'operation 1',
        method: 'GET',
        path: '/contoso/_apis/projects',
        status: '200',
        durationMs: expect.any(Number),
        retries: 0
      },
      {
        label: 'operation 2',
        method: 'POST',
        path: '/contoso/_apis/projects',
        status: '200',
        durationMs: expect.any(Number),
        retries: 0
      }
    ]);
  });

  test("a failed operation names the token's identity", async () => {
    const h = sessionWith(() => ({ status: 401, headers: {}, data: null }));
    const records: OperationRecord[] = [];
    const error = await rejectionOf(
      runConfiguredOperations(
        settingsFor({ operations: operations('- url: _apis/projects') }),
        TOKEN,
        h.session,
        h.guard,
        {},
        records
      )
    );
    expect(error).toBeInstanceOf(AzureDevOpsError);
    expect(error.message).toContain(
      `The identity (object ID ${IDENTITY.objectId}, application ID ${IDENTITY.clientId}, tenant ${IDENTITY.tenantId}) is not a member of organization 'contoso'.`
    );
    expect(records.map((r) => r.status)).toEqual(['failed (401)']);
  });

  test('each request carries the operations budget from the settings', async () => {
    const { guard } = createTestGuard();
    const seen: DevOpsRequest[] = [];
    const inner = createFakeClient(() => ok({}));
    const client: DevOpsClient = {
      send: (request) => {
        seen.push(request);
        return inner.send(request);
      }
    };
    const clock = createFakeClock();
    const session: Session = {
      tokens: createFakeTokens([ACCESS_TOKEN]),
      client,
      stats: { requests: 0, retries: 0 },
      throttle: createThrottle(guard, clock.sleep, clock.now)
    };
    await runConfiguredOperations(
      settingsFor({
        operations: operations('- url: _apis/projects'),
        operationsTimeout: { seconds: 7, input: 'ops-budget' }
      }),
      TOKEN,
      session,
      guard,
      {}
    );
    const budget = seen[0]?.budget;
    expect(budget?.deadline.seconds).toBe(7);
    expect(budget?.exceeded('operation 1', 'before it could start').message).toBe(
      "Operation 1 did not finish: the operations' time budget of 7 seconds ran out before it could start. Raise 'ops-budget' (seconds) if the operations need longer, or make them do less (fewer pages or items, narrower queries)."
    );
  });
});

describe('credentialHelperPath', () => {
  test('the helper sits next to the running bundle: dist/<platform>/ → dist/git-credential-helper/', () => {
    expect(credentialHelperPath('/home/runner/work/_actions/o/a/v1/dist/github/index.js')).toBe(
      '/home/runner/work/_actions/o/a/v1/dist/git-credential-helper/index.js'
    );
    expect(credentialHelperPath('/agent/_work/_tasks/EntraToken_1/1.0.0/dist/azure/index.js')).toBe(
      '/agent/_work/_tasks/EntraToken_1/1.0.0/dist/git-credential-helper/index.js'
    );
  });

  test('a relative entry script resolves from the working directory', () => {
    expect(credentialHelperPath('dist/cli/index.js')).toBe(
      resolve(process.cwd(), 'dist', 'git-credential-helper', 'index.js')
    );
  });

  test('without an entry script it resolves from the working directory', () => {
    expect(credentialHelperPath(undefined)).toBe(
      join(dirname(process.cwd()), 'git-credential-helper', 'index.js')
    );
  });
});

describe('setUpJobCredentials', () => {
  let root = '';
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'step-credentials-'));
  });
  afterEach(() => {
    rmSync(root, { recursive: true, force: true });
  });

  test('with neither git credentials nor feeds it does nothing and asks for no token', async () => {
    const h = sessionWith(() => ok({}));
    const directories: string[] = [];
    const result = await setUpJobCredentials(settingsFor(), h.session, h.guard, root, {
      platform: 'github',
      onDirectory: (dir) => directories.push(dir)
    });
    expect(result).toBeUndefined();
    expect(h.tokens.gets).toBe(0);
    expect(directories).toEqual([]);
    expect(readdirSync(root)).toEqual([]);
  });

  test("git: writes the helper state with the session's token and exports the helper for both organization URLs", async () => {
    const h = sessionWith(() => ok({}));
    const directories: { dir: string; files: string[] }[] = [];
    const result = await setUpJobCredentials(
      settingsFor({ gitCredentials: true }),
      h.session,
      h.guard,
      root,
      {
        platform: 'azure-pipelines',
        env: { GIT_CONFIG_COUNT: '2' },
        onDirectory: (dir) => directories.push({ dir, files: readdirSync(dir) })
      }
    );
    expect(h.tokens.gets).toBe(1);
    if (result === undefined) throw new Error('expected credentials');
    const { dir, env } = result;
    expect(dirname(dir)).toBe(root);
    expect(dir.startsWith(join(root, 'azure-devops-entra-token-'))).toBe(true);
    // The directory is announced before anything is written to it.
    expect(directories).toEqual([{ dir, files: [] }]);
    const state = join(dir, 'git-credential.json');
    expect(JSON.parse(readFileSync(state, 'utf8'))).toEqual({
      token: ACCESS_TOKEN,
      expiresOnTimestamp: EXPIRES,
      refresh: {
        kind: 'managed-identity',
        selector: { kind: 'clientId', value: IDENTITY.clientId },
        scope: SCOPE
      },
      platform: 'azure-pipelines'
    });
    const helper = `!'${process.execPath}' '${credentialHelperPath(process.argv[1])}' '${state}'`;
    expect(env).toEqual({
      GIT_CONFIG_COUNT: '6',
      GIT_CONFIG_KEY_2: 'credential.https://dev.azure.com/contoso.helper',
      GIT_CONFIG_VALUE_2: '',
      GIT_CONFIG_KEY_3: 'credential.https://dev.azure.com/contoso.helper',
      GIT_CONFIG_VALUE_3: helper,
      GIT_CONFIG_KEY_4: 'credential.https://contoso.visualstudio.com.helper',
      GIT_CONFIG_VALUE_4: '',
      GIT_CONFIG_KEY_5: 'credential.https://contoso.visualstudio.com.helper',
      GIT_CONFIG_VALUE_5: helper
    });
    expect(h.platform.lines('info')).toEqual([
      'Git: credentials for https://dev.azure.com/contoso/ and https://contoso.visualstudio.com/ only, through a credential helper (a fresh token is minted from the managed identity when this one nears expiry).'
    ]);
  });

  test('without an environment given it reads the process environment', async () => {
    const h = sessionWith(() => ok({}));
    const saved = process.env.GIT_CONFIG_COUNT;
    process.env.GIT_CONFIG_COUNT = '1';
    try {
      const result = await setUpJobCredentials(
        settingsFor({ gitCredentials: true }),
        h.session,
        h.guard,
        root,
        {
          platform: 'github'
        }
      );
      expect(result?.env.GIT_CONFIG_COUNT).toBe('5');
      expect(result?.env.GIT_CONFIG_KEY_1).toBe('credential.https://dev.azure.com/contoso.helper');
      expect(JSON.parse(readFileSync(join(result?.dir ?? '', 'git-credential.json'), 'utf8'))).toMatchObject({
        platform: 'github'
      });
    } finally {
      if (saved === undefined) delete process.env.GIT_CONFIG_COUNT;
      else process.env.GIT_CONFIG_COUNT = saved;
    }
  });

  test('feeds only: the npmrc keeps the user one and adds the token, no git entries, no directory callback needed', async () => {
    const h = sessionWith(() => ok({}));
    const userNpmrc = join(root, 'user-npmrc');
    writeFileSync(userNpmrc, 'registry=https://registry.npmjs.org/\n');
    const result = await setUpJobCredentials(
      settingsFor({ feeds: [{ kind: 'npm', url: NPM }] }),
      h.session,
      h.guard,
      root,
      { platform: 'github', env: { NPM_CONFIG_USERCONFIG: userNpmrc } }
    );
    expect(h.tokens.gets).toBe(1);
    if (result === undefined) throw new Error('expected credentials');
    expect(result.env).toEqual({ NPM_CONFIG_USERCONFIG: join(result.dir, 'npmrc') });
    expect(readFileSync(join(result.dir, 'npmrc'), 'utf8')).toBe(
      `registry=https://registry.npmjs.org/\n//pkgs.dev.azure.com/contoso/_packaging/release/npm/registry/:_authToken=${ACCESS_TOKEN}\n`
    );
    expect(readdirSync(result.dir)).toEqual(['npmrc']);
    expect(h.platform.lines('info')).toEqual([
      `Feed npm: ${NPM} (token in ${join(result.dir, 'npmrc')}, selected with NPM_CONFIG_USERCONFIG).`
    ]);
  });
});

describe('describeJobCredentials', () => {
  test('git for an organization covers its dev.azure.com and visualstudio.com URLs', () => {
    expect(describeJobCredentials(settingsFor({ gitCredentials: true }))).toEqual([
      'git over https for https://dev.azure.com/contoso and https://contoso.visualstudio.com'
    ]);
  });

  test('a loopback organization is one URL', () => {
    expect(
      describeJobCredentials(
        settingsFor({
          gitCredentials: true,
          organization: { name: 'contoso', url: 'http://127.0.0.1:8080/contoso' }
        })
      )
    ).toEqual(['git over https for http://127.0.0.1:8080/contoso']);
  });

  test('no git entry without an organization, or when git credentials are off', () => {
    expect(describeJobCredentials(settingsFor({ gitCredentials: true, organization: undefined }))).toEqual(
      []
    );
    expect(describeJobCredentials(settingsFor({ gitCredentials: false }))).toEqual([]);
  });

  test('one entry per feed, after git', () => {
    const feeds = [
      { kind: 'npm' as const, url: NPM },
      { kind: 'nuget' as const, url: NUGET },
      { kind: 'pypi' as const, url: PYPI }
    ];
    expect(describeJobCredentials(settingsFor({ gitCredentials: true, feeds }))).toEqual([
      'git over https for https://dev.azure.com/contoso and https://contoso.visualstudio.com',
      `npm feed ${NPM}`,
      `nuget feed ${NUGET}`,
      `pypi feed ${PYPI}`
    ]);
    expect(describeJobCredentials(settingsFor({ organization: undefined, feeds: feeds.slice(2) }))).toEqual([
      `pypi feed ${PYPI}`
    ]);
  });
});
