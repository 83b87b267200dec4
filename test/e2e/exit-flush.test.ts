// The bundles exit explicitly (a keep-alive socket must not hold the step open), but only after stdout and
// stderr are flushed: Node writes to pipes asynchronously on macOS (synchronously on Linux and Windows), and an
// early process.exit() there can drop the end of a long log, ##vso[task.complete] included. On this Linux
// machine the old exit passed this test too, so it guards the whole log arriving rather than reproducing a loss.
import { describe, expect, test } from '@jest/globals';
import { azureOptions, githubEnv, githubInputs, useEmulator } from './fixture.js';
import { runAzureTask, runGitHubAction } from './runner.js';

const emu = useEmulator();

// Hundreds of KiB of log, well over a pipe's buffer: lines for every request of a 1,500-item for-each.
const OPERATIONS =
  '- name: items\n  url: _test/items\n  query: { count: 1500 }\n  select: value\n- name: each\n  url: "_test/item/{{ item.id }}"\n  for-each: "{{ results.items }}"\n  concurrency: 16\n  select: id\n';

describe('a long log reaches the runner and the agent whole', () => {
  test.each([1, 2, 3])(
    'Azure Pipelines: the last line is the task result (run %i)',
    async () => {
      const run = await runAzureTask(azureOptions(emu, { debug: true, inputs: { operations: OPERATIONS } }));
      expect(run.stdout.length).toBeGreaterThan(150_000);
      expect(run.result).toBe('Succeeded');
      expect(run.stdout.trimEnd().split('\n').at(-1)).toMatch(/^##vso\[task\.complete result=Succeeded;\]/);
    },
    60_000
  );

  test('GitHub: the outputs and the last log line are there', async () => {
    const run = await runGitHubAction(
      { inputs: githubInputs(emu, { operations: OPERATIONS }), debug: true },
      githubEnv(emu)
    );
    expect(run.errors).toEqual([]);
    expect(run.stdout.length).toBeGreaterThan(150_000);
    expect(run.exitCode).toBe(0);
    expect(JSON.parse(run.outputs.results ?? '{}').each).toHaveLength(1500);
    expect(run.stdout).toContain('::endgroup::');
  }, 60_000);
});
