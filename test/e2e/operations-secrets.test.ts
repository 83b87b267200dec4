// Templates must not read secrets the step itself exported, nor carry any secret of the run into a request
// (issue 11, item 8). Each test runs the built bundle as the runner or the agent runs it.
import { describe, expect, test } from '@jest/globals';
import { azureOptions, expectNoLeaks, failureText, githubEnv, githubInputs, useEmulator } from './fixture.js';
import { findLeaks } from './leaks.js';
import { runAzureTask, runGitHubAction } from './runner.js';

const emu = useEmulator();
const P = 'release-project';

/** A work item whose title shows what the templates rendered; the emulator records the request. */
const probe = (title: string): string => `
- name: probe
  method: POST
  url: "${P}/_apis/wit/workitems/$Task"
  content-type: application/json-patch+json
  body: [{ op: add, path: /fields/System.Title, value: "${title}" }]
  select: fields."System.Title"
`;
const sentBodies = (): string =>
  emu
    .requestsFor('devops')
    .map((r) => r.body)
    .join('\n');

describe('templates and the secrets of the run, on GitHub', () => {
  // Regression (fixed): exportVariable sets process.env, so {{ env.ADO_BEARER }} (any name) and {{ env.PIP_INDEX_URL }}
  // rendered the token into the work item a moment after the step exported them.
  test('variables the step exported (export-variable, feeds) are not in env: they render empty and the token is never sent', async () => {
    const r = await runGitHubAction(
      {
        inputs: githubInputs(emu, {
          'export-variable': 'ADO_BEARER',
          feeds: emu.feeds.pypiSimpleUrl('release-feed'),
          operations: probe('t={{ env.ADO_BEARER }}|p={{ env.PIP_INDEX_URL }}|b={{ env.BUILD_LABEL }}')
        }),
        env: { BUILD_LABEL: 'nightly' },
        debug: true
      },
      githubEnv(emu)
    );
    expect(r.errors).toEqual([]);
    expect(r.exportedEnv.ADO_BEARER).toBe(r.outputs.token);
    expect(r.exportedEnv.PIP_INDEX_URL).toContain(r.outputs.token);
    expect(JSON.parse(r.outputs.results ?? '{}')).toEqual({ probe: 't=|p=|b=nightly' });
    expect(sentBodies()).not.toContain(r.outputs.token);
    expectNoLeaks(r, emu, [r.outputs.token ?? '', r.exportedEnv.PIP_INDEX_URL ?? '']);
  });

  test('a variable of the job that holds a secret of the run is refused, naming the operation and field, before it is sent', async () => {
    const r = await runGitHubAction(
      {
        inputs: githubInputs(emu, { operations: probe('{{ env.COPIED }}') }),
        env: { COPIED: emu.github.requestToken },
        debug: true
      },
      githubEnv(emu)
    );
    expect(r.exitCode).toBe(1);
    expect(failureText(r)).toContain(
      "operation 1 ('probe'), field 'body': the rendered value contains a secret of this run"
    );
    expect(emu.requestsFor('devops').filter((x) => x.method === 'POST')).toEqual([]);
    expect(sentBodies()).not.toContain(emu.github.requestToken);
    expectNoLeaks(r, emu, [r.outputs.token ?? '']);
  });
});

describe('templates and the secrets of the run, on Azure Pipelines', () => {
  test('the token variable and feed variables are not in env; a job variable holding the system token is refused', async () => {
    const ok = await runAzureTask({
      ...azureOptions(emu, {
        inputs: {
          feeds: emu.feeds.pypiSimpleUrl('release-feed'),
          operations: probe('t={{ env.AZURE_DEVOPS_TOKEN }}|p={{ env.PIP_INDEX_URL }}')
        }
      }),
      debug: true
    });
    expect(ok.resultMessage).toBe('Azure DevOps access token acquired.');
    const results = ok.variables.find((v) => v.name === 'results' && v.isOutput)?.value ?? '{}';
    expect(JSON.parse(results)).toEqual({ probe: 't=|p=' });
    expect(sentBodies()).not.toContain(ok.variables.find((v) => v.name === 'AZURE_DEVOPS_TOKEN')?.value);
    // PIP_INDEX_URL carries the token to later steps on purpose (the agent masks it there); nothing else may.
    const stdout = ok.stdout
      .split('\n')
      .filter((l) => !l.startsWith('##vso[task.setvariable variable=PIP_INDEX_URL;'))
      .join('\n');
    expect(findLeaks({ ...ok, stdout }, emu.secrets())).toEqual([]);

    emu.reset();
    const refused = await runAzureTask({
      ...azureOptions(emu, {
        inputs: { operations: probe('{{ env.COPIED }}') },
        env: { COPIED: emu.azurePipelines.systemAccessToken }
      }),
      debug: true
    });
    expect(refused.result).toBe('Failed');
    expect(failureText(refused)).toContain(
      "operation 1 ('probe'), field 'body': the rendered value contains a secret of this run"
    );
    expect(emu.requestsFor('devops').filter((x) => x.method === 'POST')).toEqual([]);
    expectNoLeaks(refused, emu);
  });
});
