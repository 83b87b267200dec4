// The emulated work item, build, pipeline and branch policy routes.
import { startEmulator } from '../index.js';
import { callDevOps } from '../test-client.js';

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

/**
 * @param {string} path
 * @param {Parameters<typeof callDevOps>[3]} [options]
 */
const ado = (path, options) => callDevOps(emu, token, path, options);
const PATCH = { 'content-type': 'application/json-patch+json' };
const title = (/** @type {string} */ value) => ({ op: 'add', path: '/fields/System.Title', value });

describe('work items', () => {
  it('creates a work item from a JSON Patch document and reads it back', async () => {
    const body = [
      title('Release 1.2.3'),
      { op: 'add', path: '/fields/System.Tags', value: 'release' },
      { op: 'add', path: '/fields/Microsoft.VSTS.Common.Priority', value: 1 }
    ];
    const res = await ado('/release-project/_apis/wit/workitems/$Task', { body, headers: PATCH });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({
      id: 1,
      rev: 1,
      fields: {
        'System.Title': 'Release 1.2.3',
        'System.WorkItemType': 'Task',
        'System.State': 'New',
        'System.TeamProject': 'release-project',
        'System.Tags': 'release',
        'Microsoft.VSTS.Common.Priority': 1,
        'System.CreatedBy': { displayName: 'release-bot' }
      },
      url: `${emu.httpsUrl}/contoso/${emu.azurePipelines.projectId}/_apis/wit/workItems/1`,
      _links: { html: { href: `${emu.httpsUrl}/contoso/release-project/_workitems/edit/1` } }
    });
    const again = await ado('/release-project/_apis/wit/workitems/%24user%20story', {
      body: [title('Second')],
      headers: { 'content-type': 'application/json-patch+json; charset=utf-8' }
    });
    expect([again.json.id, again.json.fields['System.WorkItemType']]).toEqual([2, 'User Story']);
    expect((await ado('/release-project/_apis/wit/workitems/1')).json.fields['System.Title']).toBe(
      'Release 1.2.3'
    );
    expect(emu.devops.workItems().map((item) => item.id)).toEqual([1, 2]);
  });

  it('answers 415 for a plain JSON body', async () => {
    const res = await ado('/release-project/_apis/wit/workitems/$Task', { body: [title('x')] });
    expect([res.status, res.json.typeKey]).toEqual([415, 'VssRequestContentTypeNotSupportedException']);
    expect(res.json.message).toBe(
      'The request indicated a Content-Type of "application/json" for method type "POST" which is not supported. Valid content types for this method are: application/json-patch+json.'
    );
  });

  it('answers 400 TF401320 without a title, 404 for unknown types and ids', async () => {
    const body = [{ op: 'add', path: '/fields/System.Description', value: 'no title' }];
    const res = await ado('/release-project/_apis/wit/workitems/$Bug', { body, headers: PATCH });
    expect([res.status, res.json.typeKey]).toEqual([400, 'RuleValidationException']);
    expect(res.json.message).toBe(
      'TF401320: Rule Error for field Title. Error code: Required, HasValues, LimitedToValues, AllowsOldValue, InvalidEmpty.'
    );
    const type = await ado('/release-project/_apis/wit/workitems/$Chore', {
      body: [title('x')],
      headers: PATCH
    });
    expect([type.status, type.json.typeKey]).toEqual([404, 'WorkItemTypeNotFoundException']);
    const missing = await ado('/release-project/_apis/wit/workitems/999');
    expect([missing.status, missing.json.message]).toEqual([
      404,
      'TF401232: Work item 999 does not exist, or you do not have permissions to read it.'
    ]);
  });
});

describe('builds and pipeline runs', () => {
  it('queues a build with parameters and lists and reads it', async () => {
    const body = {
      definition: { id: 1 },
      sourceBranch: 'refs/tags/v1.2.3',
      parameters: JSON.stringify({ version: '1.2.3' }),
      templateParameters: { environment: 'production' }
    };
    const res = await ado('/release-project/_apis/build/builds', { body });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({
      id: 1,
      buildNumber: expect.stringMatching(/^\d{8}\.1$/),
      status: 'notStarted',
      queueTime: expect.any(String),
      definition: { id: 1, name: 'release-pipeline' },
      sourceBranch: 'refs/tags/v1.2.3',
      parameters: '{"version":"1.2.3"}',
      templateParameters: { environment: 'production' },
      requestedFor: { displayName: 'release-bot', id: expect.any(String) },
      url: expect.stringContaining('/_apis/build/Builds/1'),
      _links: { web: { href: expect.stringContaining('/_build/results?buildId=1') } }
    });
    const list = await ado('/release-project/_apis/build/builds?definitions=1&$top=10');
    expect(list.json).toMatchObject({ count: 1, value: [{ id: 1 }] });
    expect((await ado('/release-project/_apis/build/builds?definitions=7')).json.count).toBe(0);
    expect((await ado('/release-project/_apis/build/builds/1')).json.buildNumber).toBe(res.json.buildNumber);
    const missing = await ado('/release-project/_apis/build/builds/99');
    expect([missing.status, missing.json.typeKey]).toEqual([404, 'BuildNotFoundException']);
  });

  it('answers 404 for an unknown definition and 400 for bad parameters', async () => {
    const unknown = await ado('/release-project/_apis/build/builds', { body: { definition: { id: 42 } } });
    expect([unknown.status, unknown.json.typeKey]).toEqual([404, 'DefinitionNotFoundException']);
    expect(unknown.json.message).toMatch(/^TF215016: The build definition 42 does not exist/);
    const bad = await ado('/release-project/_apis/build/builds', {
      body: { definition: { id: 1 }, parameters: { version: '1' } }
    });
    expect([bad.status, bad.json.typeKey]).toEqual([400, 'ArgumentException']);
    const none = await ado('/release-project/_apis/build/builds', { body: {} });
    expect([none.status, none.json.typeKey]).toEqual([400, 'ArgumentNullException']);
  });

  it('runs a pipeline with template parameters, which also queues a build', async () => {
    const body = {
      resources: { repositories: { self: { refName: 'refs/heads/release' } } },
      templateParameters: { environment: 'staging' },
      variables: { dryRun: { value: 'true' } }
    };
    const res = await ado('/release-project/_apis/pipelines/1/runs', { body });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({
      id: expect.any(Number),
      name: expect.stringMatching(/^\d{8}\.\d+$/),
      state: 'inProgress',
      templateParameters: { environment: 'staging' },
      variables: { dryRun: { value: 'true' } },
      pipeline: { id: 1, name: 'release-pipeline' },
      url: expect.stringContaining(`/_apis/pipelines/1/runs/${res.json.id}`)
    });
    const build = emu.devops.builds().find((candidate) => candidate.id === res.json.id);
    expect(build).toMatchObject({ status: 'inProgress', sourceBranch: 'refs/heads/release' });
    expect(emu.devops.pipelineRuns()).toHaveLength(1);
    const unknown = await ado('/release-project/_apis/pipelines/5/runs', { body: {} });
    expect([unknown.status, unknown.json.typeKey]).toEqual([404, 'PipelineNotFoundException']);
    emu.devops.addBuildDefinition({ name: 'nightly', id: 5 });
    expect((await ado('/release-project/_apis/pipelines/5/runs', { body: {} })).json.pipeline.name).toBe(
      'nightly'
    );
  });
});

describe('branch policies', () => {
  it('creates a policy for an existing repository and lists it', async () => {
    const [repo] = emu.devops.repositories();
    const body = {
      isEnabled: true,
      isBlocking: true,
      type: { id: 'fa4e907d-c16b-4a4c-9dfa-4906e5d171dd' },
      settings: {
        minimumApproverCount: 2,
        scope: [{ repositoryId: repo?.id, refName: 'refs/heads/main', matchKind: 'exact' }]
      }
    };
    const res = await ado('/release-project/_apis/policy/configurations', { body });
    expect(res.json).toMatchObject({
      id: 1,
      revision: 1,
      isEnabled: true,
      isBlocking: true,
      type: { id: body.type.id, displayName: 'Minimum number of reviewers' },
      settings: body.settings,
      createdDate: expect.any(String),
      url: expect.stringContaining('/_apis/policy/configurations/1')
    });
    const list = await ado(`/release-project/_apis/policy/configurations?repositoryId=${repo?.id}`);
    expect(list.json.count).toBe(1);
    expect(emu.devops.policyConfigurations()).toHaveLength(1);
  });

  it('answers 400 when the scope names a repository that does not exist', async () => {
    const body = {
      isEnabled: true,
      isBlocking: false,
      type: { id: 'fa4e907d-c16b-4a4c-9dfa-4906e5d171dd' },
      settings: {
        scope: [{ repositoryId: '00000000-0000-0000-0000-000000000000', refName: 'refs/heads/main' }]
      }
    };
    const res = await ado('/release-project/_apis/policy/configurations', { body });
    expect([res.status, res.json.typeKey]).toEqual([400, 'InvalidArgumentValueException']);
    expect(res.json.message).toContain('00000000-0000-0000-0000-000000000000');
  });
});
