import { actionDefaults } from '../../contract/manifests.js';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InputError } from '../../../src/core/errors.js';
import { readOperations } from '../../../src/core/operations/source.js';
import { readGitHubSettings, type GitHubSettings } from '../../../src/github/settings.js';
import { createTestGuard, thrownBy, type FakePlatform } from '../fakes.js';

const CLIENT_ID = '11111111-2222-4333-8444-555555555555';
const TENANT_ID = '99999999-8888-4777-8666-555555555555';
const REQUEST_URL = 'https://pipelines.actions.example.test/abc/idtoken?api-version=2.0';
const REQUEST_TOKEN = 'gh-oidc-request-token-0123456789';

/** The defaults action.yml gives; the runner passes them as inputs when the workflow does not. */
/** What the runner passes when the workflow sets nothing: action.yml's defaults. */
const MANIFEST_DEFAULTS: Record<string, string> = actionDefaults();

const OIDC_ENV: NodeJS.ProcessEnv = {
  ACTIONS_ID_TOKEN_REQUEST_URL: REQUEST_URL,
  ACTIONS_ID_TOKEN_REQUEST_TOKEN: REQUEST_TOKEN
};

/** Reads settings from the manifest defaults plus `inputs` (a Map-backed getInput; '' when unset). */
type Read = { settings: GitHubSettings; platform: FakePlatform };
function read(inputs: Record<string, string>, env: NodeJS.ProcessEnv = OIDC_ENV): Read {
  const values = new Map(Object.entries({ ...MANIFEST_DEFAULTS, ...inputs }));
  const { platform, guard } = createTestGuard();
  const settings = readGitHubSettings((name) => values.get(name) ?? '', env, guard, readOperations);
  return { settings, platform };
}

const APP = { 'client-id': CLIENT_ID, 'tenant-id': TENANT_ID };

describe('readGitHubSettings for federated authentication', () => {
  test('defaults: AzureCloud authority, exchange audience, no organization, 50 s', () => {
    expect(read(APP).settings).toEqual({
      credential: {
        kind: 'federated',
        clientId: CLIENT_ID,
        tenantId: TENANT_ID,
        authorityHost: 'https://login.microsoftonline.com',
        oidc: {
          kind: 'github',
          requestUrl: REQUEST_URL,
          requestToken: REQUEST_TOKEN,
          audience: 'api://AzureADTokenExchange'
        }
      },
      scope: '499b84ac-1321-427f-aa17-267ca6975798/.default',
      organization: undefined,
      verify: false,
      timeoutSeconds: 50,
      exportVariable: undefined,
      allowedHosts: [],
      operations: undefined,
      operationsTimeout: { seconds: 600, input: 'operations-timeout' },
      dryRun: false,
      gitCredentials: false,
      feeds: [],
      summary: true
    });
  });

  test('dry-run is read as true or false, like the other switches', () => {
    expect(read({ ...APP, 'dry-run': 'TRUE' }).settings.dryRun).toBe(true);
    expect(read({ ...APP, 'dry-run': 'false' }).settings.dryRun).toBe(false);
    const error = thrownBy(() => read({ ...APP, 'dry-run': 'yes' }));
    expect(error).toBeInstanceOf(InputError);
    expect(error.message).toBe(
      "Input 'dry-run' is 'yes': it must be true or false. Set 'dry-run' to true or false."
    );
  });

  test('defaults live in action.yml only: an explicitly empty auth-type or cloud is an error', () => {
    expect(() => read({ ...APP, 'auth-type': '' })).toThrow(
      "Input 'auth-type' is empty: it must be one of federated, managed-identity."
    );
    expect(() => read({ ...APP, cloud: '' })).toThrow(
      "Input 'cloud' is empty: it must be one of AzureCloud, AzureUSGovernment, AzureChinaCloud."
    );
  });

  test.each([
    ['AzureUSGovernment', 'https://login.microsoftonline.us', 'api://AzureADTokenExchangeUSGov'],
    ['azurechinacloud', 'https://login.chinacloudapi.cn', 'api://AzureADTokenExchangeChina']
  ])('cloud %s sets the authority host and audience', (cloud, authorityHost, audience) => {
    expect(read({ ...APP, cloud }).settings.credential).toMatchObject({ authorityHost, oidc: { audience } });
  });

  test('authority-host input beats AZURE_AUTHORITY_HOST, which beats the cloud', () => {
    const env = { ...OIDC_ENV, AZURE_AUTHORITY_HOST: 'https://env.login.test/' };
    const inputHost = { ...APP, cloud: 'AzureUSGovernment', 'authority-host': 'https://input.login.test/' };
    expect(read(inputHost, env).settings.credential).toMatchObject({
      authorityHost: 'https://input.login.test'
    });
    expect(read({ ...APP, cloud: 'AzureUSGovernment' }, env).settings.credential).toMatchObject({
      authorityHost: 'https://env.login.test'
    });
  });

  test('audience input overrides the cloud audience', () => {
    const { settings } = read({ ...APP, cloud: 'AzureUSGovernment', audience: 'api://custom' });
    expect(settings.credential).toMatchObject({ oidc: { audience: 'api://custom' } });
  });

  test('client-id and tenant-id fall back to AZURE_CLIENT_ID and AZURE_TENANT_ID', () => {
    const env = {
      ...OIDC_ENV,
      AZURE_CLIENT_ID: ` ${CLIENT_ID} `,
      AZURE_TENANT_ID: 'Contoso.onmicrosoft.com'
    };
    expect(read({}, env).settings.credential).toMatchObject({
      clientId: CLIENT_ID,
      tenantId: 'contoso.onmicrosoft.com'
    });
  });

  test('the request token is masked through the guard', () => {
    expect(read(APP).platform.secrets()).toEqual([REQUEST_TOKEN]);
  });

  test('a missing client-id says where to find it', () => {
    const error = thrownBy(() => read({ 'tenant-id': TENANT_ID }));
    expect(error).toBeInstanceOf(InputError);
    expect(error.message).toBe(
      "Input 'client-id' is required for federated authentication (and AZURE_CLIENT_ID is not set). Set it to the Application (client) ID from the app registration's Overview page in the Entra admin center."
    );
  });

  test('a missing tenant-id says where to find it', () => {
    expect(thrownBy(() => read({ 'client-id': CLIENT_ID })).message).toBe(
      "Input 'tenant-id' is required for federated authentication (and AZURE_TENANT_ID is not set). Set it to the Directory (tenant) ID from the app registration's Overview page in the Entra admin center."
    );
  });

  test('a client-id that is not a GUID is named and quoted', () => {
    const error = thrownBy(() => read({ ...APP, 'client-id': 'my-app' }));
    expect((error as InputError).input).toBe('client-id');
    expect(error.message).toMatch(
      /^Input 'client-id' is 'my-app': it must be the Application \(client\) ID .*a GUID/
    );
  });

  test('a bad AZURE_CLIENT_ID says it came from the environment', () => {
    const error = thrownBy(() => read({ 'tenant-id': TENANT_ID }, { ...OIDC_ENV, AZURE_CLIENT_ID: 'nope' }));
    expect(error.message).toMatch(/^Input 'client-id \(from AZURE_CLIENT_ID\)' is 'nope'/);
  });

  test('an unknown auth-type lists the allowed ones', () => {
    expect(thrownBy(() => read({ ...APP, 'auth-type': 'OIDC' })).message).toMatch(
      /^Input 'auth-type' is 'OIDC': it must be one of federated, managed-identity\. Use federated /
    );
  });

  test('an unknown cloud is rejected', () => {
    expect(thrownBy(() => read({ ...APP, cloud: 'AzureStack' })).message).toMatch(
      /^Input 'cloud' is 'AzureStack'/
    );
  });

  test('an http authority host is rejected, from the input or the environment', () => {
    expect(thrownBy(() => read({ ...APP, 'authority-host': 'http://login.test' })).message).toContain(
      "Input 'authority-host' is 'http://login.test': the Entra authority host must use https"
    );
    const env = { ...OIDC_ENV, AZURE_AUTHORITY_HOST: 'http://login.test' };
    expect(thrownBy(() => read(APP, env)).message).toContain(
      "Input 'authority-host (from AZURE_AUTHORITY_HOST)'"
    );
  });
});

describe('readGitHubSettings without an OIDC request URL', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'gh-event-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  function eventFile(headFork: boolean): string {
    const path = join(dir, `event-${String(headFork)}.json`);
    const head = headFork ? 'someone/app' : 'contoso/app';
    writeFileSync(
      path,
      JSON.stringify({
        pull_request: {
          head: { repo: { fork: headFork, full_name: head } },
          base: { repo: { full_name: 'contoso/app' } }
        }
      })
    );
    return path;
  }

  test('says to add `permissions: id-token: write`', () => {
    const error = thrownBy(() => read(APP, { ACTIONS_ID_TOKEN_REQUEST_TOKEN: REQUEST_TOKEN }));
    expect((error as InputError).input).toBe('permissions');
    expect(error.message).toContain(
      'ACTIONS_ID_TOKEN_REQUEST_URL and ACTIONS_ID_TOKEN_REQUEST_TOKEN are not set.'
    );
    expect(error.message).toContain('Add `permissions: id-token: write` to the workflow or to this job');
  });

  test('a pull request from a fork says forks never get an OIDC token', () => {
    const env = { GITHUB_EVENT_NAME: 'pull_request', GITHUB_EVENT_PATH: eventFile(true) };
    const message = thrownBy(() => read(APP, env)).message;
    expect(message).toContain(
      'This run is for a pull request from a fork, and GitHub never gives those runs an OIDC token'
    );
    expect(message).not.toContain('Add `permissions');
  });

  test('a pull request from the same repository gets the permissions advice', () => {
    const env = { GITHUB_EVENT_NAME: 'pull_request', GITHUB_EVENT_PATH: eventFile(false) };
    expect(thrownBy(() => read(APP, env)).message).toContain('Add `permissions: id-token: write`');
  });

  // Regression (fixed): isForkPullRequest matches every event starting with 'pull_request', including pull_request_target,
  // which runs in the base repository and does get an OIDC token when the job has the permission.
  test('pull_request_target from a fork gets the permissions advice, not the fork one', () => {
    const env = { GITHUB_EVENT_NAME: 'pull_request_target', GITHUB_EVENT_PATH: eventFile(true) };
    expect(thrownBy(() => read(APP, env)).message).toContain('Add `permissions: id-token: write`');
  });
});

const OBJECT_ID = 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee';
const RESOURCE_ID =
  '/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/runner';
const MI = { 'auth-type': 'managed-identity' };

describe('readGitHubSettings for managed identity', () => {
  test.each([
    ['authority-host', 'https://login.example.test'],
    ['audience', 'api://Custom']
  ])('%s only applies to federated and is refused with managed-identity', (name, value) => {
    expect(() => read({ ...MI, [name]: value })).toThrow(
      `Input '${name}' is set, but it only applies when 'auth-type' is federated`
    );
  });

  test('a bad AZURE_AUTHORITY_HOST left in the environment does not break managed identity', () => {
    expect(read(MI, { AZURE_AUTHORITY_HOST: 'http://not-https.example' }).settings.credential.kind).toBe(
      'managed-identity'
    );
  });

  test('no selector uses the system-assigned identity and needs no OIDC variables', () => {
    const { settings, platform } = read(MI, {});
    expect(settings.credential).toEqual({ kind: 'managed-identity', selector: undefined });
    expect(platform.secrets()).toEqual([]);
  });

  test.each([
    [{ 'client-id': CLIENT_ID }, { kind: 'clientId', value: CLIENT_ID }],
    [{ 'managed-identity-object-id': OBJECT_ID }, { kind: 'objectId', value: OBJECT_ID }],
    [{ 'managed-identity-resource-id': RESOURCE_ID }, { kind: 'resourceId', value: RESOURCE_ID }]
  ])('selects with %j', (inputs, selector) => {
    expect(read({ ...MI, ...inputs }, {}).settings.credential).toEqual({
      kind: 'managed-identity',
      selector
    });
  });

  test('AZURE_CLIENT_ID selects the identity when no selector input is set', () => {
    expect(read(MI, { AZURE_CLIENT_ID: CLIENT_ID }).settings.credential).toEqual({
      kind: 'managed-identity',
      selector: { kind: 'clientId', value: CLIENT_ID }
    });
  });

  test('AZURE_CLIENT_ID does not conflict with an object ID input', () => {
    const { settings } = read(
      { ...MI, 'managed-identity-object-id': OBJECT_ID },
      { AZURE_CLIENT_ID: CLIENT_ID }
    );
    expect(settings.credential).toEqual({
      kind: 'managed-identity',
      selector: { kind: 'objectId', value: OBJECT_ID }
    });
  });

  test('two selectors are an error naming both', () => {
    const error = thrownBy(() =>
      read({ ...MI, 'client-id': CLIENT_ID, 'managed-identity-object-id': OBJECT_ID }, {})
    );
    expect(error).toBeInstanceOf(InputError);
    expect(error.message).toContain("Inputs 'client-id' and 'managed-identity-object-id' are both set");
  });

  test.each(['managed-identity-object-id', 'managed-identity-resource-id'])(
    '%s with federated authentication is an error',
    (name) => {
      const error = thrownBy(() => read({ ...APP, [name]: 'anything' }));
      expect((error as InputError).input).toBe(name);
      expect(error.message).toBe(
        `Input '${name}' is set, but it only applies when 'auth-type' is managed-identity (it is federated). Remove it, or set 'auth-type: managed-identity'.`
      );
    }
  );
});

describe('readGitHubSettings common inputs', () => {
  test('export-variable and the timeout are read', () => {
    const env = { AZURE_DEVOPS_ENTRA_TOKEN_TIMEOUT: '120' };
    const { settings } = read({ ...MI, 'export-variable': ' ADO_TOKEN ' }, env);
    expect(settings).toMatchObject({ exportVariable: 'ADO_TOKEN', timeoutSeconds: 120 });
  });

  test('operations-timeout is read as whole seconds and refused otherwise', () => {
    expect(read({ ...MI, 'operations-timeout': '90' }).settings.operationsTimeout).toEqual({
      seconds: 90,
      input: 'operations-timeout'
    });
    expect(thrownBy(() => read({ ...MI, 'operations-timeout': '0' })).message).toContain(
      "Input 'operations-timeout' is '0': it must be a whole number of seconds, 1 or more"
    );
  });

  test.each([
    ['GITHUB_TOKEN', 'that name is reserved (names starting with GITHUB_ belong to the platform).'],
    ['INPUT_X', 'names starting with INPUT_'],
    ['PATH', 'that name is reserved.'],
    ['1TOKEN', 'a variable name has letters, digits and underscores']
  ])('export-variable %s is rejected', (value, problem) => {
    const message = thrownBy(() => read({ ...MI, 'export-variable': value }, {})).message;
    expect(message).toContain(`Input 'export-variable' is '${value}': `);
    expect(message).toContain(problem);
  });

  test('an organization with verify auto turns verification on', () => {
    const { settings } = read({ ...MI, organization: 'https://dev.azure.com/contoso/' }, {});
    expect(settings.organization).toEqual({ name: 'contoso', url: 'https://dev.azure.com/contoso' });
    expect(settings.verify).toBe(true);
  });

  test('verify true without an organization is an error', () => {
    expect(thrownBy(() => read({ ...MI, verify: 'true' }, {})).message).toMatch(
      /^Input 'verify' is 'true' but no organization is set/
    );
  });
});
