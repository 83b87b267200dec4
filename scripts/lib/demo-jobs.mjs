// The two jobs `npm run demo` runs against the emulator: a GitHub workflow step (and its post entry) and an
// Azure Pipelines task (and its post-job handler), with the inputs a real pipeline would give them, each
// returned as the lines its job log shows, followed by what the step produced.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, runAzurePost, runAzureTask, runGitHubAction, runGitHubPost } from './hosts.mjs';
import { formatGroup, maskSecrets, renderAgentLog, renderRunnerLog } from './job-log.mjs';

/** @typedef {Awaited<ReturnType<typeof import('../../test/emulator/index.js').startEmulator>>} Emulator */
/** @typedef {{ platform: string, lines: string[], failed: string[] }} JobLog */

const ACTION = 'azure-devops-entra-token/azure-devops-entra-token@v1';
const RELEASE = '1.2.0';

// List the projects (keeping only their names), then file the release's work item in the first one.
const GITHUB_OPERATIONS = `- name: projects
  url: _apis/projects
  select: "value[].name"
- name: workItem
  method: POST
  url: "{{ results.projects[0] }}/_apis/wit/workitems/$Task"
  content-type: application/json-patch+json
  body:
    - { op: add, path: /fields/System.Title, value: "Release v${RELEASE}" }
    - { op: add, path: /fields/System.Tags, value: release }
  select: "{id: id, state: fields.\\"System.State\\", url: _links.html.href}"
`;

// Look a repository up, tag the release commit in it, then queue the deployment pipeline on its branch.
const AZURE_OPERATIONS = `- name: repo
  url: $(System.TeamProject)/_apis/git/repositories/repo-001
  select: "{id: id, branch: defaultBranch}"
- name: tag
  method: POST
  url: "$(System.TeamProject)/_apis/git/repositories/{{ results.repo.id }}/annotatedtags"
  api-version: "7.1-preview.1"
  body:
    name: v$(Build.BuildNumber)
    message: Release $(Build.BuildNumber)
    taggedObject: { objectId: $(Build.SourceVersion) }
  expect: [201]
  select: name
- name: deploy
  method: POST
  url: $(System.TeamProject)/_apis/pipelines/1/runs
  body:
    resources: { repositories: { self: { refName: "{{ results.repo.branch }}" } } }
    templateParameters: { environment: production }
  select: "{id: id, state: state}"
`;

const mark = (/** @type {boolean} */ ok) => (ok ? '✓' : '✗');
const seconds = (/** @type {number} */ ms) => `${(ms / 1000).toFixed(1)} s`;
const indent = (/** @type {string[]} */ lines) => lines.map((line) => (line ? `  ${line}` : line));
const listOrNone = (/** @type {string[]} */ lines) => (lines.length > 0 ? lines : ['  (none)']);
const nonEmpty = (/** @type {string} */ text) => (text === '' ? [] : text.split('\n'));

/**
 * `with:` as the runner prints it at the start of the step: the inputs the workflow gives, then the
 * manifest's defaults for the others.
 * @param {Record<string, string>} env the step's environment (INPUT_*)
 * @param {string[]} given
 */
function withBlock(env, given) {
  const names = Object.keys(env)
    .filter((key) => key.startsWith('INPUT_'))
    .map((key) => key.slice('INPUT_'.length).toLowerCase());
  const ordered = [...given, ...names.filter((name) => !given.includes(name))];
  return [
    'with:',
    ...ordered.flatMap((name) => {
      const value = env[`INPUT_${name.toUpperCase()}`] ?? '';
      const [first = '', ...rest] = value.replace(/\n$/, '').split('\n');
      return [`  ${name}: ${first}`, ...rest.map((line) => `    ${line}`)];
    })
  ];
}

/**
 * @param {Emulator} emu
 * @param {boolean} debug
 * @returns {Promise<JobLog>}
 */
export async function runGitHubJob(emu, debug) {
  const inputs = {
    'client-id': emu.app.clientId,
    'tenant-id': emu.tenantId,
    'authority-host': emu.httpsUrl, // stands in for https://login.microsoftonline.com
    organization: emu.devops.orgUrl,
    'git-credentials': 'true',
    operations: GITHUB_OPERATIONS
  };
  const context = {
    GITHUB_REPOSITORY: 'contoso/release',
    GITHUB_REF: `refs/tags/v${RELEASE}`,
    GITHUB_REF_NAME: `v${RELEASE}`,
    GITHUB_EVENT_NAME: 'push',
    GITHUB_JOB: 'release'
  };
  const main = await runGitHubAction(
    { inputs, debug, keep: true },
    { ...emu.env.common, ...emu.env.github, ...context }
  );
  try {
    const post = await runGitHubPost(main);
    const mainOk = main.exitCode === 0 && main.errors.length === 0;
    const postOk = post.exitCode === 0;
    const show = (/** @type {string} */ text) => nonEmpty(renderRunnerLog(text, main.masks, debug));
    const exported = Object.entries(main.exportedEnv);
    return {
      platform: 'GitHub Actions',
      failed: [...(mainOk ? [] : [`Run ${ACTION}`]), ...(postOk ? [] : [`Post Run ${ACTION}`])],
      lines: [
        'The job has `permissions: id-token: write`; the step is `- uses: ' + ACTION + '` with `id: ado`.',
        '',
        `${mark(mainOk)} Run ${ACTION} (${seconds(main.durationMs)})`,
        ...indent([
          ...formatGroup(`Run ${ACTION}`, withBlock(main.job.env, Object.keys(inputs))),
          ...show(main.shownLog)
        ]),
        ...indent(show(main.stderr)),
        `${mark(postOk)} Post Run ${ACTION} (${seconds(post.durationMs)})`,
        ...indent(['Post job cleanup.', ...show(post.stdout), ...show(post.stderr)]),
        '',
        'Step outputs (steps.ado.outputs):',
        ...listOrNone(Object.entries(main.outputs).map(([k, v]) => `  ${k}: ${maskSecrets(v, main.masks)}`)),
        ...(exported.length === 0
          ? []
          : [
              'Environment for the later steps of the job (GITHUB_ENV):',
              ...exported.map(([k, v]) => `  ${k}=${maskSecrets(v, main.masks)}`)
            ]),
        '',
        'Job summary (GITHUB_STEP_SUMMARY, shown on the run page as Markdown):',
        ...listOrNone(indent(nonEmpty((main.files.summary ?? '').trimEnd())))
      ]
    };
  } finally {
    main.job.cleanup();
  }
}

/**
 * @param {Emulator} emu
 * @param {boolean} debug
 * @returns {Promise<JobLog>}
 */
export async function runAzureJob(emu, debug) {
  const task = JSON.parse(readFileSync(join(ROOT, 'task.json'), 'utf8'));
  const { Major, Minor, Patch } = task.version;
  const connection = emu.azurePipelines.serviceConnectionId;
  const main = await runAzureTask({
    inputs: { azureSubscription: connection, operations: AZURE_OPERATIONS },
    // An Azure Resource Manager connection with workload identity federation, as the agent presents it.
    endpoints: [
      {
        id: connection,
        scheme: 'WorkloadIdentityFederation',
        url: 'https://management.azure.com/',
        parameters: {
          serviceprincipalid: emu.app.clientId,
          tenantid: emu.tenantId,
          workloadIdentityFederationIssuer: emu.azurePipelines.issuer,
          workloadIdentityFederationSubject: 'sc://contoso/release-project/release-wif'
        },
        data: {
          environment: 'AzureCloud',
          scopeLevel: 'Subscription',
          subscriptionName: 'Contoso Release',
          activeDirectoryAuthority: `${emu.httpsUrl}/` // stands in for https://login.microsoftonline.com/
        }
      }
    ],
    variables: {
      'System.OidcRequestUri': emu.azurePipelines.oidcRequestUri,
      'System.CollectionUri': emu.azurePipelines.collectionUri,
      'System.TeamProject': emu.azurePipelines.projectName,
      'Build.BuildNumber': RELEASE,
      'Build.SourceVersion': '3f786850e387550fdab836ed7e6dc881de23001b'
    },
    systemAccessToken: emu.azurePipelines.systemAccessToken,
    env: emu.env.common,
    debug,
    keep: true
  });
  try {
    const post = await runAzurePost(main);
    const masks = [...main.secrets, ...main.variables.filter((v) => v.isSecret).map((v) => v.value)];
    const show = (/** @type {string} */ text) => nonEmpty(renderAgentLog(text, masks, debug));
    const postResult = /##vso\[task\.complete result=(\w+)/.exec(post.stdout)?.[1];
    const mainOk = main.exitCode === 0 && main.result === 'Succeeded';
    const postOk = post.exitCode === 0 && postResult !== 'Failed';
    const name = task.instanceNameFormat;
    const banner = '='.repeat(78);
    return {
      platform: 'Azure Pipelines',
      failed: [...(mainOk ? [] : [name]), ...(postOk ? [] : [`Post-job: ${name}`])],
      lines: [
        'The step in azure-pipelines.yml (the agent passes the connection by its ID):',
        ...indent([
          '- task: AzureDevOpsEntraToken@1',
          '  name: entra',
          '  inputs:',
          '    azureSubscription: release-wif # workload identity federation',
          '    operations: |',
          ...nonEmpty(AZURE_OPERATIONS.trimEnd()).map((line) => `      ${line}`)
        ]),
        '',
        `${mark(mainOk)} ${name} (${seconds(main.durationMs)})`,
        ...indent([
          `Starting: ${name}`,
          banner,
          `Task         : ${task.friendlyName}`,
          `Description  : ${task.description}`,
          `Version      : ${Major}.${Minor}.${Patch}`,
          `Author       : ${task.author}`,
          `Help         : ${task.helpUrl}`,
          banner,
          ...show(main.shownLog),
          ...show(main.stderr),
          `Finishing: ${name}`
        ]),
        `${mark(postOk)} Post-job: ${name} (${seconds(post.durationMs)})`,
        ...indent([`Starting: Post-job: ${name}`, ...show(post.stdout), ...show(post.stderr)]),
        ...indent([`Finishing: Post-job: ${name}`]),
        '',
        'Variables set by the step (a task with `name: entra`):',
        ...listOrNone(
          main.variables.map((v) => {
            const shown = v.isOutput ? `entra.${v.name}` : v.name;
            const kind = [v.isSecret ? 'secret' : '', v.isOutput ? 'output' : ''].filter(Boolean).join(', ');
            return `  ${shown} = ${maskSecrets(v.value, masks)}${kind ? `  (${kind})` : ''}`;
          })
        ),
        '',
        "Summary attached to the run's page (the task.uploadsummary command, section 'Azure DevOps Entra token'):",
        ...listOrNone(indent(main.summaries.flatMap((markdown) => nonEmpty(markdown.trimEnd()))))
      ]
    };
  } finally {
    main.job.cleanup();
  }
}
