// task.json's restrictions (issue 11, item 1): the variables the agent lets the task set, matched as the agent
// matches them (TaskRestrictionExtension.IsSetVariableAllowed: Minimatch, case-insensitive), cover everything
// the task sets in its fullest run, and nothing an injected command would want.
import { describe, expect, test } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { azureOptions, useEmulator } from './fixture.js';
import { ROOT } from '../contract/manifests.js';
import { runAzureTask } from './runner.js';

const require = createRequire(import.meta.url);
const minimatch = require('minimatch') as (
  name: string,
  pattern: string,
  options: { nocase: boolean }
) => boolean;

const task = JSON.parse(readFileSync(join(ROOT, 'task.json'), 'utf8')) as {
  restrictions: { commands: { mode: string }; settableVariables: { allowed: string[] } };
};
const allowed = task.restrictions.settableVariables.allowed;
const settable = (name: string): boolean =>
  allowed.some((pattern) => minimatch(name, pattern, { nocase: true }));

const emu = useEmulator();

describe('task.json restrictions', () => {
  test('every variable of the fullest run is settable; NODE_OPTIONS, PATH and agent variables are not', async () => {
    emu.feeds.publishNpm('release-feed', { name: 'release-tools', version: '1.2.3' });
    const feeds = [
      emu.feeds.npmRegistryUrl('release-feed'),
      emu.feeds.nugetIndexUrl('release-feed'),
      emu.feeds.pypiSimpleUrl('release-feed'),
      emu.feeds.pypiSimpleUrl('release-feed')
    ].join('\n');
    const run = await runAzureTask(
      azureOptions(emu, {
        inputs: {
          variableName: 'ADO_TOKEN',
          gitCredentials: 'true',
          feeds,
          operations: '- name: projects\n  url: _apis/projects\n  select: "value[].name"\n'
        }
      })
    );
    expect(run.result).toBe('Succeeded');
    const names = [...new Set(run.variables.map((v) => v.name))];
    expect(names).toEqual(
      expect.arrayContaining(['ADO_TOKEN', 'results', 'GIT_CONFIG_COUNT', 'PIP_INDEX_URL'])
    );
    expect(names.filter((name) => !settable(name))).toEqual([]);
    for (const name of [
      'NODE_OPTIONS',
      'PATH',
      'LD_PRELOAD',
      'BASH_ENV',
      'Agent.TempDirectory',
      'GIT_ASKPASS'
    ])
      expect(settable(name)).toBe(false);
  });

  test("commands stay in 'any' mode: restricted mode would drop task.uploadsummary, which the summary needs", () => {
    // azure-pipelines-agent's restricted mode allows complete, debug, logdetail, logissue, prependpath,
    // setprogress, setsecret, setvariable and settaskvariable only (docs/design: step target command restrictions).
    expect(task.restrictions.commands.mode).toBe('any');
  });

  test("a 'variableName' the restrictions would drop fails before any request", async () => {
    const run = await runAzureTask(azureOptions(emu, { inputs: { variableName: 'ADO_PAT' } }));
    expect(run.result).toBe('Failed');
    expect(run.resultMessage).toContain(
      "Input 'variableName' is 'ADO_PAT': the task may set only variables whose names end in TOKEN"
    );
    expect(emu.requests).toEqual([]);
  });
});
