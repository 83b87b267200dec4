// The emulated Azure DevOps REST 7.1 routes: api-version, projects, paged git repositories, annotated
// tags and pull request threads.
import { DEFAULT_PROJECT_ID } from './projects.js';
import { startEmulator } from '../index.js';
import { callDevOps, send } from '../test-client.js';

/** @type {Awaited<ReturnType<typeof startEmulator>>} */
let emu;
/** @type {string} */
let token;
beforeAll(async () => {
  emu = await startEmulator();
  token = emu.issueAccessToken();
});
afterAll(async () => {
  await emu?.close();
});
afterEach(() => {
  emu.devops.emptyPageBeforeLast = false;
  emu.devops.setRepositoryCount(250);
});

/**
 * @param {string} path
 * @param {Parameters<typeof callDevOps>[3]} [options]
 */
const ado = (path, options) => callDevOps(emu, token, path, options);
const REPOS = '/release-project/_apis/git/repositories';

/**
 * Follows continuation tokens; returns every page's value length and the repository names.
 * @param {string} query
 */
async function listAllRepositories(query = '') {
  const sizes = [];
  const names = [];
  /** @type {string | undefined} */
  let continuation;
  do {
    const next = continuation
      ? `${query ? '&' : '?'}continuationToken=${encodeURIComponent(continuation)}`
      : '';
    const res = await ado(`${REPOS}${query}${next}`);
    expect(res.status).toBe(200);
    expect(res.json.count).toBe(res.json.value.length);
    sizes.push(res.json.value.length);
    names.push(...res.json.value.map((/** @type {{ name: string }} */ repo) => repo.name));
    continuation = res.headers['x-ms-continuationtoken']?.toString();
  } while (continuation);
  return { sizes, names };
}

describe('api-version and authentication', () => {
  it('answers 400 VssVersionNotSpecifiedException without an api-version', async () => {
    const res = await ado('/_apis/projects', { apiVersion: false });
    expect(res.status).toBe(400);
    expect(res.json).toEqual({
      $id: '1',
      innerException: null,
      message:
        'No api-version was supplied for the "GET" request. The version must be supplied either as part of the Accept header (e.g. "application/json; api-version=1.0") or as a query parameter (e.g. \'?api-version=1.0\').',
      typeName:
        'Microsoft.VisualStudio.Services.WebApi.VssVersionNotSpecifiedException, Microsoft.VisualStudio.Services.WebApi',
      typeKey: 'VssVersionNotSpecifiedException',
      errorCode: 0,
      eventId: 3000
    });
    const post = await ado(`${REPOS}/repo-001/annotatedtags`, { apiVersion: false, body: {} });
    expect(post.json.message).toContain('"POST" request');
    const accept = await ado('/_apis/projects', {
      apiVersion: false,
      headers: { accept: 'application/json; api-version=7.1' }
    });
    expect(accept.status).toBe(200);
  });

  it('authenticates like connectionData and records the devops service', async () => {
    const url = `${emu.devops.orgUrl}${REPOS}?api-version=7.1`;
    expect((await send(emu, url)).status).toBe(203);
    const denied = await send(emu, url, { headers: { 'x-tfs-fedauthredirect': 'Suppress' } });
    expect([denied.status, denied.json.typeKey]).toEqual([401, 'UnauthorizedRequestException']);
    const stranger = emu.issueAccessToken({ objectId: '0d1f9a52-0000-4000-8000-000000000001' });
    expect((await callDevOps(emu, stranger, REPOS)).json.message).toMatch(/^TF400813: The user/);
    const records = emu.requestsFor('devops').filter((record) => record.path.endsWith('/git/repositories'));
    expect(records.map((record) => record.status)).toEqual([203, 401, 401]);
    expect(records[2]?.tokenFingerprint).toMatch(/^sha256:[0-9a-f]{12}$/);
  });
});

describe('projects', () => {
  it('lists the default project and reads it by name or id', async () => {
    const list = await ado('/_apis/projects');
    expect(list.json).toEqual({
      count: 1,
      value: [
        {
          id: DEFAULT_PROJECT_ID,
          name: 'release-project',
          description: '',
          url: `${emu.httpsUrl}/contoso/_apis/projects/${DEFAULT_PROJECT_ID}`,
          state: 'wellFormed',
          revision: 11,
          visibility: 'private',
          lastUpdateTime: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{7}Z$/)
        }
      ]
    });
    expect(emu.azurePipelines.projectId).toBe(DEFAULT_PROJECT_ID);
    const byId = await ado(`/_apis/projects/${DEFAULT_PROJECT_ID}`);
    const byName = await ado('/_apis/projects/RELEASE-PROJECT');
    expect(byId.json.name).toBe('release-project');
    expect(byName.json.defaultTeam.name).toBe('release-project Team');
  });

  it('answers 404 TF200016 for an unknown project, also on project-scoped routes', async () => {
    for (const path of ['/_apis/projects/nope', '/nope/_apis/git/repositories', '/nope/_apis/build/builds']) {
      const res = await ado(path);
      expect([res.status, res.json.typeKey]).toEqual([404, 'ProjectDoesNotExistWithNameException']);
      expect(res.json.message).toBe(
        'TF200016: The following project does not exist: nope. Verify that the name of the project is correct and that the project exists on the specified Azure DevOps Server.'
      );
    }
  });
});

describe('git repositories', () => {
  it('pages 250 repositories by 100 with continuation tokens', async () => {
    const first = await ado(REPOS);
    expect(first.json.value[0]).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      name: 'repo-001',
      url: `${emu.httpsUrl}/contoso/${DEFAULT_PROJECT_ID}/_apis/git/repositories/${first.json.value[0].id}`,
      project: expect.objectContaining({ id: DEFAULT_PROJECT_ID, name: 'release-project' }),
      defaultBranch: 'refs/heads/main',
      size: 1024,
      remoteUrl: `${emu.httpsUrl}/contoso/release-project/_git/repo-001`,
      webUrl: `${emu.httpsUrl}/contoso/release-project/_git/repo-001`,
      isDisabled: false,
      isInMaintenance: false
    });
    const { sizes, names } = await listAllRepositories();
    expect(sizes).toEqual([100, 100, 50]);
    expect(new Set(names).size).toBe(250);
    expect(names.at(-1)).toBe('repo-250');
    expect((await listAllRepositories('?$top=2000')).sizes).toEqual([250]);
    expect((await listAllRepositories('?$top=120')).sizes).toEqual([120, 120, 10]);
  });

  it('serves an empty page with a token before the last when asked', async () => {
    emu.devops.emptyPageBeforeLast = true;
    const { sizes, names } = await listAllRepositories();
    expect(sizes).toEqual([100, 100, 0, 50]);
    expect(names).toHaveLength(250);
    emu.devops.setRepositoryCount(1500);
    expect((await listAllRepositories('?$top=1000')).sizes).toEqual([1000, 0, 500]);
    expect(emu.devops.repositories()[1499]?.name).toBe('repo-1500');
  });

  it('rejects a continuation token it did not issue', async () => {
    const res = await ado(`${REPOS}?continuationToken=bogus`);
    expect([res.status, res.json.typeKey]).toEqual([400, 'ArgumentException']);
  });

  it('reads one repository by name or id and answers TF401019 for an unknown one', async () => {
    const [repo] = emu.devops.repositories();
    expect((await ado(`${REPOS}/${repo?.id}`)).json.name).toBe('repo-001');
    expect((await ado(`${REPOS}/REPO-002`)).json.size).toBe(2048);
    const missing = await ado(`${REPOS}/nope`);
    expect([missing.status, missing.json.typeKey]).toEqual([404, 'GitRepositoryNotFoundException']);
    expect(missing.json.message).toBe(
      'TF401019: The Git repository with name or identifier nope does not exist or you do not have permissions for the operation you are attempting.'
    );
  });
});

describe('annotated tags and pull request threads', () => {
  const commit = 'a'.repeat(40);

  it('creates an annotated tag on a release commit', async () => {
    const body = { name: 'v1.2.3', taggedObject: { objectId: commit }, message: 'Release 1.2.3' };
    const res = await ado(`${REPOS}/repo-007/annotatedtags`, { body });
    expect(res.status).toBe(201);
    expect(res.json).toEqual({
      name: 'v1.2.3',
      objectId: expect.stringMatching(/^[0-9a-f]{40}$/),
      taggedObject: { objectId: commit, objectType: 'commit' },
      taggedBy: { name: 'release-bot', email: expect.stringContaining('@'), date: expect.any(String) },
      message: 'Release 1.2.3',
      url: expect.stringContaining(`/annotatedTags/${res.json.objectId}`)
    });
    expect(emu.devops.annotatedTags()).toEqual([expect.objectContaining({ name: 'v1.2.3' })]);
  });

  it('requires the tag name and the tagged object id', async () => {
    const url = `${REPOS}/repo-007/annotatedtags`;
    const noName = await ado(url, { body: { taggedObject: { objectId: commit } } });
    expect([noName.status, noName.json.typeKey]).toEqual([400, 'ArgumentNullException']);
    const noObject = await ado(url, { body: { name: 'v1' } });
    expect(noObject.json.message).toMatch(/^Value cannot be null\.\r\nParameter name: /);
    expect((await ado(url, { body: { name: 'v1', taggedObject: { objectId: 'main' } } })).status).toBe(400);
  });

  it('adds a comment thread to a pull request', async () => {
    const body = { comments: [{ content: 'Released as v1.2.3', commentType: 1 }], status: 'closed' };
    const res = await ado(`${REPOS}/repo-007/pullRequests/42/threads`, { body });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({
      id: 1,
      status: 'closed',
      publishedDate: expect.any(String),
      comments: [
        { id: 1, content: 'Released as v1.2.3', commentType: 1, author: { displayName: 'release-bot' } }
      ]
    });
    expect((await ado(`${REPOS}/repo-007/pullRequests/42/threads`, { body: {} })).status).toBe(400);
  });
});
