// The step summary (GITHUB_STEP_SUMMARY on GitHub, ##vso[task.uploadsummary] on Azure Pipelines) and the
// collapsible group around the operations' log lines, from the committed bundles.
import { describe, expect, test } from '@jest/globals';
import { azureOptions, expectNoLeaks, githubEnv, githubInputs, useEmulator } from './fixture.js';
import { runAzureTask, runGitHubAction } from './runner.js';

const emu = useEmulator();
const P = 'release-project';

// A plain read, a for-each over two projects' repositories, and a continue-on-error 404. The query string
// (`$top`, the api-version) must not reach the summary.
const OPERATIONS = `
- name: projects
  url: _apis/projects?$top=100
  select: "value[].name"
- name: repos
  url: "{{ item }}/_apis/git/repositories"
  for-each: ["${P}", "${P}"]
- name: missing
  url: ${P}/_apis/git/repositories/does-not-exist
  continue-on-error: true
`;

function expectSummary(markdown: string, token: string): void {
  expect(markdown).toContain('### Azure DevOps access token');
  expect(markdown).toContain('✅ Token issued and accepted by Azure DevOps.');
  expect(markdown).toContain(`| Tenant | \`${emu.tenantId}\` |`);
  expect(markdown).toContain(
    `| Identity | **release-bot**, object ID \`${emu.app.objectId}\`, application ID \`${emu.app.clientId}\` |`
  );
  expect(markdown).toMatch(/\| Expires \| `\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ` \|/);
  expect(markdown).toContain('| Verified | Yes: contoso accepts the token (connectionData) |');
  expect(markdown).toContain('#### Operations');
  expect(markdown).toMatch(
    /\| operation 1 \('projects'\) \| GET \| `\/contoso\/_apis\/projects` \| 200 \| \d+\.\d\d s \| 0 \|/
  );
  // Both items called the same path: one row, the status counted.
  expect(markdown).toMatch(
    /\| operation 2 \('repos'\) \| GET \| `\/contoso\/release-project\/_apis\/git\/repositories` \| 200 ×2 \| [\d.]+ s \| 0 \|/
  );
  expect(markdown).toMatch(/\| operation 3 \('missing'\) \| GET \| `[^|`]*does-not-exist` \| 404 \|/);
  expect(markdown).not.toContain('?');
  expect(markdown).not.toContain('api-version');
  expect(markdown).not.toContain(token);
  for (const secret of emu.secrets()) expect(markdown).not.toContain(secret);
}

describe('step summary and log groups', () => {
  test.each([false, true])(
    'GitHub: a summary of the run and its operations (debug %s)',
    async (debug) => {
      const run = await runGitHubAction(
        { inputs: githubInputs(emu, { operations: OPERATIONS, 'export-variable': 'ADO_TOKEN' }), debug },
        githubEnv(emu)
      );
      expect(run.errors).toEqual([]);
      expect(run.exitCode).toBe(0);
      const token = run.outputs.token ?? '';
      expectNoLeaks(run, emu, [token]);
      const summary = run.files.summary ?? '';
      expectSummary(summary, token);
      expect(summary).toContain(
        '| Token for later steps | step output `token`; environment variable `ADO_TOKEN` |'
      );
      expect(summary).toContain('Signed in with | workload identity federation (GitHub OIDC token) |');

      // The operations' lines sit in one collapsible group.
      const lines = run.stdout.split('\n');
      const open = lines.indexOf('::group::Azure DevOps operations');
      const close = lines.indexOf('::endgroup::');
      expect(open).toBeGreaterThan(-1);
      expect(close).toBeGreaterThan(open);
      const inside = lines.slice(open + 1, close).join('\n');
      expect(inside).toContain("Running operation 1 ('projects')");
      expect(inside).toContain('Operations done: 3 operations');
      expect(lines.slice(0, open).join('\n')).not.toContain('Running operation');
    },
    60_000
  );

  test.each([false, true])(
    'Azure Pipelines: the same Markdown, uploaded (debug %s)',
    async (debug) => {
      const run = await runAzureTask(azureOptions(emu, { debug, inputs: { operations: OPERATIONS } }));
      expect(run.result).toBe('Succeeded');
      expectNoLeaks(run, emu);
      const token = run.variables.find((v) => v.name === 'AZURE_DEVOPS_TOKEN')?.value ?? '';
      expect(token.length).toBeGreaterThan(100);
      expect(run.summaries).toHaveLength(1);
      const summary = run.summaries[0] ?? '';
      expectSummary(summary, token);
      expect(summary).toContain(
        '| Token for later steps | secret variable `AZURE_DEVOPS_TOKEN`; secret output variable `<step name>.AZURE_DEVOPS_TOKEN` |'
      );
      // The file the agent attaches is named for the section title it shows.
      expect(run.stdout).toMatch(/##vso\[task\.uploadsummary\][^\n]*Azure DevOps Entra token\.md/);

      const lines = run.stdout.split('\n');
      const open = lines.indexOf('##[group]Azure DevOps operations');
      const close = lines.indexOf('##[endgroup]');
      expect(open).toBeGreaterThan(-1);
      expect(close).toBeGreaterThan(open);
      expect(lines.slice(open + 1, close).join('\n')).toContain("Running operation 3 ('missing')");
    },
    60_000
  );

  test('a failed run still says what happened, on both platforms', async () => {
    emu.fault('entra-token', { status: 400, body: { error: 'invalid_request' }, always: true });
    const gh = await runGitHubAction({ inputs: githubInputs(emu), debug: true }, githubEnv(emu));
    expect(gh.exitCode).toBe(1);
    expectNoLeaks(gh, emu);
    const ghSummary = gh.files.summary ?? '';
    expect(ghSummary).toContain('❌ **Failed:** ');
    expect(ghSummary).toContain('| Verified | No: no token was issued |');
    expect(ghSummary).not.toContain('| Tenant |');

    const az = await runAzureTask(azureOptions(emu, { debug: true }));
    expect(az.result).toBe('Failed');
    expectNoLeaks(az, emu);
    expect(az.summaries).toHaveLength(1);
    expect(az.summaries[0]).toContain('❌ **Failed:** ');
  }, 60_000);

  test('summary: false writes none; no operations, no group', async () => {
    const gh = await runGitHubAction({ inputs: githubInputs(emu, { summary: 'false' }) }, githubEnv(emu));
    expect(gh.exitCode).toBe(0);
    expect(gh.files.summary).toBe('');
    expect(gh.stdout).not.toContain('::group::');

    const az = await runAzureTask(azureOptions(emu, { inputs: { summary: 'false' } }));
    expect(az.result).toBe('Succeeded');
    expect(az.summaries).toEqual([]);
    expect(az.stdout).not.toContain('task.uploadsummary');
    expect(az.stdout).not.toContain('##[group]');
  }, 60_000);

  test('a runner without a summary file gets a warning, and the step still succeeds', async () => {
    const gh = await runGitHubAction(
      { inputs: githubInputs(emu), env: { GITHUB_STEP_SUMMARY: '<unset>' } },
      githubEnv(emu)
    );
    expect(gh.exitCode).toBe(0);
    expect(gh.errors).toEqual([]);
    expect(gh.stdout).toMatch(
      /^::warning::The step summary was not written: .*GITHUB_STEP_SUMMARY.* Set 'summary: false' to skip it\.$/m
    );
    expect(gh.outputs.token?.length).toBeGreaterThan(100);
  });

  test("an invalid 'summary' value fails before any request", async () => {
    const gh = await runGitHubAction({ inputs: githubInputs(emu, { summary: 'yes' }) }, githubEnv(emu));
    expect(gh.exitCode).toBe(1);
    expect(gh.errors.join('\n')).toContain("Input 'summary' is 'yes': it must be true or false.");
    expect(emu.requests).toEqual([]);
  });
});
