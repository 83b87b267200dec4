import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { runGitHubJob } from '../../scripts/lib/demo-jobs.mjs';
import { runProcess } from '../../scripts/lib/hosts.mjs';
import { findLeaks } from '../../scripts/lib/self-check.mjs';
import { startEmulator, type Emulator } from './fixture.js';
import { renderAgentLog, renderRunnerLog } from '../../scripts/lib/job-log.mjs';
import { ROOT } from '../contract/manifests.js';
import type { ProcessResult } from './runner.js';

/** `npm run demo` as a user runs it: a child process, optionally inside a network namespace of its own. */
function runDemo(args: string[], prefix: string[] = []): Promise<ProcessResult> {
  const argv = [...prefix, process.execPath, join(ROOT, 'scripts/demo.mjs'), ...args];
  return runProcess(argv, { HOME: process.env.HOME ?? ROOT }, ROOT);
}

const JWT = /eyJ[\w-]{8,}/;
/** Every URL a request was sent to, from the bundles' request lines and the emulator's summary. */
const REQUEST_LINE = /^\s*(?:##\[debug\])?(?:GET|POST|PUT|PATCH|DELETE|HEAD) (https?:\/\/[^/\s]+)/gm;

describe('npm run demo', () => {
  let both: ProcessResult;
  beforeAll(async () => {
    both = await runDemo([]);
  });

  test('runs both bundles against the emulator and prints their job logs', () => {
    expect(both.stderr).toBe('');
    expect(both.exitCode).toBe(0);
    const log = both.stdout;
    expect(log).toContain('GitHub Actions — job log');
    expect(log).toContain('Azure Pipelines — job log');
    // The federated exchange on each platform.
    expect(log).toContain('Authenticating with workload identity federation (GitHub OIDC token).');
    expect(log).toContain(
      "Presented OIDC token: issuer 'https://token.actions.githubusercontent.com', subject 'repo:contoso/release:environment:production', audience 'api://AzureADTokenExchange'"
    );
    expect(log).toContain('Authenticating with workload identity federation (Azure Pipelines OIDC token).');
    expect(log).toMatch(
      /Presented OIDC token: issuer 'https:\/\/vstoken\.dev\.azure\.com\/[0-9a-f-]+', subject 'sc:\/\/contoso\/release-project\/release-wif'/
    );
    expect(
      log.match(/^ {2}Access token issued to application [0-9a-f-]+ \(object ID [0-9a-f-]+\)/gm)
    ).toHaveLength(4); // GitHub, Azure Pipelines, and the CLI's token and run (its exec is --quiet)
    // Verification, operations, the post entries.
    expect(
      log.match(
        /^ {2}Verified: organization 'contoso' \(https:\/\/127\.0\.0\.1:\d+\/contoso\) accepts the token as 'release-bot'/gm
      )
    ).toHaveLength(2);
    expect(log).toContain("Running operation 1 ('projects'): GET _apis/projects.");
    expect(log).toMatch(
      /POST https:\/\/127\.0\.0\.1:\d+\/contoso\/release-project\/_apis\/wit\/workitems\/\$Task -> 200/
    );
    expect(log).toContain('Operations done: 2 operations, 2 requests, 0 retries');
    expect(log).toMatch(/\/annotatedtags -> 201/);
    expect(log).toContain('Operations done: 3 operations, 3 requests, 0 retries');
    expect(log).toContain('Removed the git and feed credentials');
    expect(log).toMatch(/^✓ Post Run azure-devops-entra-token\/azure-devops-entra-token@v1/m);
    expect(log).toMatch(/^✓ Post-job: Get Azure DevOps Entra token/m);
  });

  test('shows the outputs and variables with the token as ***, and no workflow command or debug line', () => {
    const log = both.stdout;
    expect(log).toContain('Step outputs (steps.ado.outputs):\n  token: ***\n');
    expect(log).toMatch(
      /^ {2}results: \{"projects":\["release-project"\],"workItem":\{"id":1,"state":"New",/m
    );
    expect(log).toContain('  AZURE_DEVOPS_TOKEN = ***  (secret)\n');
    expect(log).toContain('  entra.AZURE_DEVOPS_TOKEN = ***  (secret, output)\n');
    expect(log).toMatch(/^ {2}entra\.results = \{"repo":\{.*"tag":"v1\.2\.0","deploy":\{"id":1,/m);
    expect(`${log}\n${both.stderr}`).not.toMatch(JWT);
    expect(log).not.toMatch(/::add-mask::|::debug::|##vso\[|##\[debug\]/);
    expect(log).toMatch(
      /Self-check passed: none of the \d+ secrets the emulator issued or holds appears above\./
    );
  });

  test('shows the step summary of both platforms, operations in a group, no secret in either', () => {
    const log = both.stdout;
    const github = log.slice(log.indexOf('Job summary (GITHUB_STEP_SUMMARY'));
    expect(github).toContain('  ### Azure DevOps access token\n');
    expect(github).toContain('  | Verified | Yes: contoso accepts the token (connectionData) |');
    expect(github).toMatch(
      /^ {2}\| operation 2 \('workItem'\) \| POST \| `\/contoso\/release-project\/_apis\/wit\/workitems\/\$Task` \| 200 \|/m
    );
    const azure = log.slice(log.indexOf("Summary attached to the run's page"));
    expect(azure).toContain('  | Token for later steps | secret variable `AZURE_DEVOPS_TOKEN`;');
    expect(azure).toMatch(/^ {2}\| operation 2 \('tag'\) \| POST \| `[^`]+\/annotatedtags` \| 201 \|/m);
    // The runner's and the agent's group headings around the operations.
    expect(log.match(/▾ Azure DevOps operations/g)).toHaveLength(2);
    expect(`${github}\n${azure}`).not.toMatch(JWT);
  });

  test('summarises what the emulator received, all of it on loopback', () => {
    const log = both.stdout;
    const summaries = log.match(/^ {4}\d+ (OIDC|authority|token|verification|operation).*$/gm) ?? [];
    expect(summaries.map((l) => l.trim())).toEqual([
      '1 OIDC request, 1 token request, 1 verification, 2 operation requests',
      '1 OIDC request, 1 token request, 1 verification, 3 operation requests'
    ]);
    expect(
      log.match(/^ {2}\d+ requests, all to the emulator at https:\/\/127\.0\.0\.1:\d+ \(loopback\):$/gm)
    ).toEqual([
      expect.stringContaining('5 requests'),
      expect.stringContaining('6 requests'),
      expect.stringContaining('11 requests')
    ]);
    const hosts = [...log.matchAll(REQUEST_LINE)].map((m) => new URL(m[1] ?? '').hostname);
    expect(hosts.length).toBeGreaterThanOrEqual(7);
    expect(new Set(hosts)).toEqual(new Set(['127.0.0.1']));
  });

  test('runs the command line as a shell would: token --json (token hidden), exec with git, run', () => {
    const log = both.stdout;
    expect(log).toContain('Command line — terminal');
    expect(log).toMatch(
      /^\$ azure-devops-entra-token token --managed-identity --organization https:\/\/127\.0\.0\.1:\d+\/contoso --json$/m
    );
    expect(log).toContain(
      '  Authenticating with managed identity (system-assigned, or the only one assigned).'
    );
    expect(log).toContain(`    "token": "***",`);
    expect(log).toContain(`    "identity": "build-agent"`);
    // exec: git authenticated through the environment and listed the repository's HEAD.
    expect(log).toMatch(/^ {2}[0-9a-f]{40}\tHEAD$/m);
    expect(log).toContain('  {"projects":["release-project"]}');
    expect(log.match(/^ {2}\(exit 0\)$/gm)).toHaveLength(3);
    expect(log).toContain(
      '3 managed identity requests, 3 verifications, 1 operation request, 4 git requests'
    );
  });

  test('--platform github runs only the GitHub job', async () => {
    const run = await runDemo(['--platform', 'github']);
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain('GitHub Actions — job log');
    expect(run.stdout).not.toContain('Azure Pipelines — job log');
    expect(run.stdout).not.toContain('Command line — terminal');
    expect(run.stdout).not.toContain('(Azure Pipelines OIDC token)');
    expect(run.stdout).not.toContain('Get Azure DevOps Entra token');
    expect(run.stdout.match(/^What the emulator received/gm)).toHaveLength(1);
    expect(run.stdout).not.toMatch(JWT);
  });

  test('--debug shows the debug lines, still with every secret masked', async () => {
    const run = await runDemo(['--platform=azure', '--debug']);
    expect(run.exitCode).toBe(0);
    expect(run.stdout).not.toContain('GitHub Actions — job log');
    expect(run.stdout).toMatch(
      /^ {2}##\[debug\]GET https:\/\/127\.0\.0\.1:\d+\/contoso\/_apis\/connectionData -> 200/m
    );
    expect(run.stdout).toContain('##[debug]Response body:');
    expect(`${run.stdout}\n${run.stderr}`).not.toMatch(JWT);
  });

  test('an unknown option or platform exits 2 with the usage', async () => {
    const run = await runDemo(['--platform', 'gitlab']);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain("--platform 'gitlab' is not a platform: use github, azure or cli");
    expect(run.stderr).toContain('Usage: npm run demo');
    expect(run.stdout).toBe('');
  });

  // The strongest form of "no network": a network namespace that has nothing but its own loopback.
  const isolated = spawnSync('unshare', ['-rn', 'sh', '-c', 'ip link set lo up'], { stdio: 'ignore' });
  (isolated.status === 0 ? test : test.skip)(
    'needs no network: it passes in a namespace with only loopback',
    async () => {
      const run = await runDemo(
        ['--platform', 'github'],
        ['unshare', '-rn', 'sh', '-c', 'ip link set lo up && exec "$@"', 'sh']
      );
      expect(run.stderr).toBe('');
      expect(run.exitCode).toBe(0);
      expect(run.stdout).toContain('Verified: organization');
    }
  );
});

describe('the demo reports a failing step and its log', () => {
  let emu: Emulator;
  beforeAll(async () => {
    emu = await startEmulator();
  });
  afterAll(async () => {
    await emu.close();
  });

  test('a subject without a federated credential fails the GitHub step with its Entra error shown', async () => {
    emu.github.subject = 'repo:contoso/release:ref:refs/heads/feature';
    const job = await runGitHubJob(emu, false);
    expect(job.failed).toEqual(['Run azure-devops-entra-token/azure-devops-entra-token@v1']);
    const log = job.lines.join('\n');
    expect(log).toMatch(/^✗ Run azure-devops-entra-token/m);
    expect(log).toMatch(/^ {2}Error: .*AADSTS700213/m);
    expect(log).toContain("'repo:contoso/release:ref:refs/heads/feature'");
    expect(findLeaks(log, emu.secrets())).toEqual([]);
  });
});

describe('the self-check', () => {
  test('finds an issued secret or a JWT-shaped string, and names the line without repeating it', () => {
    const secret = 'Xq9-long-client-secret-value';
    const jwt = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl';
    const leaks = findLeaks(`fine\nvalue ${secret} here\nAuthorization: Bearer ${jwt}\n***`, [secret]);
    expect(leaks).toEqual(['line 2: value <SECRET> here', 'line 3: Authorization: Bearer <JWT>']);
    expect(findLeaks('token: ***', [secret])).toEqual([]);
  });
});

describe('job logs as the runner and the agent show them', () => {
  const secret = 's3cr3t-value';
  test('GitHub: commands hidden, groups as headings, labelled warnings and errors, masks applied', () => {
    const stdout = [
      `::add-mask::${secret}`,
      '::group::Token exchange',
      `sent ${secret}`,
      '::debug::a debug line',
      '::endgroup::',
      '::warning::two%0Alines',
      `::error file=a.yml,line=3::failed with ${secret}`,
      ''
    ].join('\n');
    expect(renderRunnerLog(stdout, [secret], false)).toBe(
      ['▾ Token exchange', '  sent ***', 'Warning: two', 'lines', 'Error: failed with ***'].join('\n')
    );
    expect(renderRunnerLog(stdout, [secret], true)).toContain('  ##[debug]a debug line');
  });

  test('Azure Pipelines: ##vso commands hidden, issues as ##[warning] / ##[error], secrets masked', () => {
    const stdout = [
      `##vso[task.setsecret]${secret}`,
      '##[group]Operations',
      `##vso[task.setvariable variable=TOKEN;issecret=true;]other-secret`,
      '##vso[task.debug]a debug line',
      'value other-secret',
      '##[endgroup]',
      `##vso[task.issue type=warning;]slow%3B ${secret}`,
      '##vso[task.issue type=error;]failed',
      '##vso[task.complete result=Failed;]failed'
    ].join('\n');
    expect(renderAgentLog(stdout, [secret, 'other-secret'], false)).toBe(
      ['▾ Operations', '  value ***', '##[warning]slow; ***', '##[error]failed'].join('\n')
    );
    expect(renderAgentLog(stdout, [], true)).toContain('  ##[debug]a debug line');
  });
});
