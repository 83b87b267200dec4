// Server text cannot issue a runner or agent command (issue 11, item 1). A display name and a Retry-After header
// are controlled by whoever controls the answer; both reach log lines. Each run is read as the runner, the agent
// or a CI log would read it: every line split on CR and LF, as they do.
import { afterEach, describe, expect, test } from '@jest/globals';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCliBundle } from './cli-runner.js';
import { azureOptions, expectNoLeaks, githubEnv, githubInputs, useEmulator } from './fixture.js';
import { runAzureTask, runGitHubAction } from './runner.js';

const emu = useEmulator();

const EVIL_NAME =
  'release-bot ##vso[task.setvariable variable=NODE_OPTIONS]--require=/tmp/pwn.js\n::add-mask::release\r::set-env name=NODE_OPTIONS::--require=/tmp/pwn.js';
const EVIL_RETRY_AFTER = '0 ##vso[task.setvariable variable=NODE_OPTIONS]--require=/tmp/pwn.js';

afterEach(() => emu.devops.addMember(emu.app.objectId, 'release-bot'));

const lines = (text: string): string[] => text.split(/\r\n|\r|\n/);

/**
 * Lines the GitHub runner would run as a command that did not come from the action's own calls: a v1 `##[` or an
 * Azure `##vso[` anywhere, or a `::` line other than the toolkit's (an injected `::add-mask::` is checked apart).
 */
function foreignGitHubCommands(stdout: string): string[] {
  return lines(stdout).filter(
    (line) =>
      /##(vso)?\[/i.test(line) ||
      (/^\s*::/.test(line) && !/^::(add-mask|debug|warning|error|group|endgroup)::/.test(line))
  );
}

/** Lines the agent would run as a command that did not come from the task's own calls. */
function foreignAgentCommands(stdout: string): string[] {
  return lines(stdout).filter((line) => {
    const at = line.search(/##vso\[/i);
    if (at > 0) return true; // the agent acts on ##vso[ anywhere; ours always start the line
    return /^##vso\[task\.setvariable variable=NODE_OPTIONS/i.test(line) || /^\s*::/.test(line);
  });
}

describe('server text cannot issue a runner or agent command', () => {
  test.each([false, true])('GitHub: a display name with commands in it (debug %s)', async (debug) => {
    emu.devops.addMember(emu.app.objectId, EVIL_NAME);
    const run = await runGitHubAction({ inputs: githubInputs(emu), debug }, githubEnv(emu));
    expect(run.exitCode).toBe(0);
    expect(foreignGitHubCommands(run.stdout)).toEqual([]);
    expect(run.masks).not.toContain('release');
    expect(run.stdout).toContain(
      "accepts the token as 'release-bot ##vso [task.setvariable variable=NODE_OPTIONS]--require=/tmp/pwn.js\\n::add-mask::release\\r::set-env"
    );
    // The output keeps the name as Azure DevOps gave it: outputs are files, not log lines.
    expect(run.outputs.identity).toBe(EVIL_NAME);
    expectNoLeaks(run, emu, [run.outputs.token ?? '']);
  });

  test.each([false, true])(
    'Azure Pipelines: a display name with commands in it (debug %s)',
    async (debug) => {
      emu.devops.addMember(emu.app.objectId, EVIL_NAME);
      const run = await runAzureTask(azureOptions(emu, { debug }));
      expect(run.result).toBe('Succeeded');
      expect(run.variables.map((v) => v.name)).not.toContain('NODE_OPTIONS');
      expect(foreignAgentCommands(run.stdout)).toEqual([]);
      expect(run.secrets).not.toContain('release');
      expectNoLeaks(run, emu);
    }
  );

  test('the command line: a display name with commands in it never starts a line of stderr', async () => {
    emu.devops.addMember(emu.app.objectId, EVIL_NAME);
    const dir = mkdtempSync(join(tmpdir(), 'cli-inject-'));
    try {
      const file = join(dir, 'token');
      writeFileSync(file, emu.github.mintToken({ aud: 'api://AzureADTokenExchange' }));
      const run = await runCliBundle(
        [
          'token',
          '--federated-token-file',
          file,
          '--client-id',
          emu.app.clientId,
          '--tenant-id',
          emu.tenantId,
          '--authority-host',
          emu.httpsUrl,
          '--organization',
          emu.devops.orgUrl,
          '--debug'
        ],
        dir,
        emu.env.common
      );
      expect(run.exitCode).toBe(0);
      expect(foreignAgentCommands(run.stderr)).toEqual([]);
      expect(lines(run.stderr).filter((line) => /^\s*::/.test(line))).toEqual([]);
      expect(run.stderr).toContain('##vso [task.setvariable variable=NODE_OPTIONS]');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('GitHub and Azure Pipelines: a Retry-After header with a command in it', async () => {
    const throttled = {
      status: 429,
      headers: { 'retry-after': EVIL_RETRY_AFTER },
      body: { message: 'TF400733: The request has been throttled.' }
    };
    emu.fault('devops', throttled);
    const gh = await runGitHubAction({ inputs: githubInputs(emu), debug: true }, githubEnv(emu));
    expect(gh.exitCode).toBe(0);
    expect(gh.stdout).toContain('Retry-After 0 ##vso [task.setvariable');
    expect(foreignGitHubCommands(gh.stdout)).toEqual([]);

    emu.fault('devops', throttled);
    const az = await runAzureTask(azureOptions(emu, { debug: true }));
    expect(az.result).toBe('Succeeded');
    expect(az.variables.map((v) => v.name)).not.toContain('NODE_OPTIONS');
    expect(foreignAgentCommands(az.stdout)).toEqual([]);
    expect(az.stdout).toContain('Retry-After 0 ##vso [task.setvariable');
  });
});
