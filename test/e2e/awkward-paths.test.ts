// Self-hosted runners and agents keep node, the action and the temp directory wherever their owner put them:
// `C:\Program Files\nodejs`, a home folder with a quote or a dollar sign. The git credential helper is a shell
// command line made of those three paths (src/core/job-credentials/git.ts), so each must reach the helper as
// it is, with nothing in it evaluated. Here node (a copy: process.execPath is the real path, a symlink would be
// resolved away), the whole dist/ and the runner's temp directory live under such names, and later steps
// (git ls-remote, git clone) and the post entries run as the runner and the agent would run them.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { createHash } from 'node:crypto';
import {
  chmodSync,
  copyFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runProcess } from '../../scripts/lib/hosts.mjs';
import { ROOT } from '../contract/manifests.js';
import { gitClientEnv, runCommand } from '../emulator/test-cli.js';
import { azureOptions, expectNoLeaks, githubEnv, githubInputs, useEmulator } from './fixture.js';
import { findLeaks } from './leaks.js';
import {
  laterStepEnv,
  runAzurePostWith,
  runAzureTask,
  runGitHubAction,
  runGitHubPostWith,
  type JobContext
} from './runner.js';

const emu = useEmulator();

/**
 * Nested directory names, each legal on Linux: a quote and double quotes; shell expansions that would create a
 * file named `pwned` or print a variable if anything evaluated them.
 */
const AWKWARD_NAMES = [`it's "quoted"`, '$HOME $(touch pwned) `touch pwned` ${PATH}'];
/** A backslash and a backslash escape, for node and the temp directories (for dist/ see the last test). */
const BACKSLASH = 'back\\slash \\n';
const ISSUER = 'https://gitlab.contoso.example';
const SUBJECT = 'project_path:release/tools:ref_type:branch:ref:main';
const AUDIENCE = 'api://AzureADTokenExchange';

/** The temp root (`awk XXXXXX`, a space already) that holds everything and is removed after the file. */
let root: string;
/** The innermost awkward directory. */
let awkward: string;
/** A copy of this node binary under the awkward directory. */
let node: string;
/** A copy of the committed dist/ under the awkward directory. */
let dist: string;
/** The folder holding that copy of dist/: the runner's or agent's copy of the action or task. */
let actionDir: string;
let repo: { cloneUrl: string; headSha: string };

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'awk '));
  awkward = join(root, ...AWKWARD_NAMES);
  node = join(awkward, `${BACKSLASH} node bin`, 'node');
  actionDir = join(awkward, 'action dir');
  dist = join(actionDir, 'dist');
  mkdirSync(join(awkward, `${BACKSLASH} node bin`), { recursive: true });
  copyFileSync(process.execPath, node);
  chmodSync(node, 0o755);
  cpSync(join(ROOT, 'dist'), dist, { recursive: true });
  const created = await emu.git.createRepository('awkward-web', { files: { 'README.md': '# awkward\n' } });
  repo = {
    cloneUrl: created.cloneUrl,
    headSha: (await emu.git.refs('awkward-web'))['refs/heads/main'] ?? ''
  };
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** POSIX single quoting, to write the expected paths the way a reader of the helper command would. */
const quote = (value: string): string => `'${value.replace(/'/g, `'\\''`)}'`;

const fingerprint = (token: string): string =>
  `sha256:${createHash('sha256').update(token).digest('hex').slice(0, 12)}`;

/** git as a later step of the job runs it: the job's environment plus what the step exported. */
function git(job: JobContext, exported: Record<string, string>, args: string[]) {
  return runCommand('git', args, {
    cwd: job.workspace,
    env: gitClientEnv(emu, job.dir, { ...emu.env.common, ...exported })
  });
}

/** The `!…` helper command among the exported GIT_CONFIG_VALUE_n. */
function helperCommandOf(exported: Record<string, string>): string {
  const helpers = Object.entries(exported)
    .filter(([name, value]) => name.startsWith('GIT_CONFIG_VALUE_') && value.startsWith('!'))
    .map(([, value]) => value);
  expect(helpers).toHaveLength(1);
  return helpers[0] ?? '';
}

/**
 * The helper command names this node, the relocated helper bundle and a state file in the temp directory, and
 * sh (which git runs it with, appending the operation) reads back exactly those three paths, evaluating nothing.
 */
async function expectHelperCommandFor(helper: string, temp: string): Promise<string> {
  const script = join(dist, 'git-credential-helper', 'index.js');
  expect(helper.startsWith(`!${quote(node)} ${quote(script)} `)).toBe(true);
  expect(helper).toContain(AWKWARD_NAMES.join('/').replace(/'/g, `'\\''`));
  const words = await runCommand('sh', ['-c', `printf '%s\\n' ${helper.slice(1)} get`], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin' }
  });
  expect(words.code).toBe(0);
  const [nodePath, scriptPath, statePath = '', operation, ...rest] = words.stdout.split('\n');
  expect({ nodePath, scriptPath, operation, rest }).toEqual({
    nodePath: node,
    scriptPath: script,
    operation: 'get',
    rest: ['']
  });
  expect(statePath.startsWith(`${temp}/azure-devops-entra-token-`)).toBe(true);
  expect(existsSync(statePath)).toBe(true);
  return statePath;
}

/** ls-remote and clone authenticate through the helper with the step's token; every 401 was git's first try. */
async function expectGitAuthenticates(
  job: JobContext,
  exported: Record<string, string>,
  token: string
): Promise<void> {
  const lsRemote = await git(job, exported, ['ls-remote', repo.cloneUrl]);
  expect(lsRemote.stderr).toBe('');
  expect(lsRemote.code).toBe(0);
  expect(lsRemote.stdout).toContain(`${repo.headSha}\trefs/heads/main`);
  const clone = await git(job, exported, ['clone', repo.cloneUrl, 'web']);
  expect(clone.code).toBe(0);
  expect(readFileSync(join(job.workspace, 'web', 'README.md'), 'utf8')).toBe('# awkward\n');
  const wire = emu.requestsFor('git');
  const authenticated = wire.filter((r) => r.authKind !== 'none');
  expect(authenticated.length).toBeGreaterThanOrEqual(2);
  expect(authenticated.map((r) => [r.authKind, r.status, r.tokenFingerprint])).toEqual(
    authenticated.map(() => ['basic', 200, fingerprint(token)])
  );
  expect(wire.filter((r) => r.status !== 200).map((r) => [r.status, r.authKind])).toEqual(
    wire.filter((r) => r.status !== 200).map(() => [401, 'none'])
  );
  expect(wire.at(-1)?.status).toBe(200);
  expectNoSecretsIn(`${lsRemote.stdout}${lsRemote.stderr}${clone.stdout}${clone.stderr}`);
  // The clone's config holds the URL only: the helper answered git, nothing was stored.
  expect(readFileSync(join(job.workspace, 'web', '.git', 'config'), 'utf8')).not.toContain(token);
}

function expectNoSecretsIn(text: string): void {
  const found = emu.secrets().filter((secret) => secret.length >= 6 && text.includes(secret));
  expect(found.map((secret) => `${secret.slice(0, 4)}…`)).toEqual([]);
}

/** The credential directories the step left in a temp directory. */
function credentialDirsIn(temp: string): string[] {
  return readdirSync(temp).filter((name) => name.startsWith('azure-devops-entra-token-'));
}

/** No `$(touch pwned)` or backquote in a path was run: no file named pwned anywhere a shell could have run. */
function expectNothingEvaluated(...dirs: string[]): void {
  const pwned = [root, ...dirs].flatMap((dir) =>
    readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((path) => /(^|\/)pwned$/.test(path))
  );
  expect(pwned).toEqual([]);
  expect(existsSync(join(ROOT, 'pwned'))).toBe(false);
  expect(existsSync(join(process.cwd(), 'pwned'))).toBe(false);
}

describe('node, dist/ and the temp directory under awkward paths', () => {
  test('the copied node reports its own path as process.execPath (what the helper command is made of)', async () => {
    const run = await runProcess([node, '-p', 'process.execPath'], {}, root);
    expect(run.stdout.trim()).toBe(node);
  });

  test(`GitHub: git-credentials: true under ${JSON.stringify(AWKWARD_NAMES.join('/'))}; git ls-remote and clone authenticate; the post entry removes the credentials`, async () => {
    const temp = join(awkward, `${BACKSLASH} runner temp`);
    mkdirSync(temp);
    const main = await runGitHubAction(
      {
        inputs: githubInputs(emu, { 'git-credentials': 'true' }),
        env: { RUNNER_TEMP: temp },
        node,
        root: actionDir,
        keep: true,
        debug: true
      },
      githubEnv(emu)
    );
    try {
      expect(main.errors).toEqual([]);
      expect(main.exitCode).toBe(0);
      const token = main.outputs.token ?? '';
      expect(token).not.toBe('');
      const statePath = await expectHelperCommandFor(helperCommandOf(main.exportedEnv), temp);
      expect(credentialDirsIn(temp)).toHaveLength(1);
      await expectGitAuthenticates(main.job, main.exportedEnv, token);
      expectNoLeaks(main, emu, [token]);

      const post = await runGitHubPostWith(main, node, actionDir);
      expect(post.stderr).toBe('');
      expect(post.exitCode).toBe(0);
      expect(post.stdout).toContain('Removed the git and feed credentials');
      expect(
        findLeaks({ ...main, stdout: post.stdout, stderr: post.stderr }, emu.secrets(), [token])
      ).toEqual([]);
      expect(existsSync(statePath)).toBe(false);
      expect(credentialDirsIn(temp)).toEqual([]);
      const after = await git(main.job, main.exportedEnv, ['ls-remote', repo.cloneUrl]);
      expect(after.code).not.toBe(0);
      expectNothingEvaluated(main.job.dir);
    } finally {
      main.job.cleanup();
      rmSync(temp, { recursive: true, force: true });
    }
  });

  test('Azure Pipelines: gitCredentials: true with Agent.TempDirectory under the awkward path; later steps use git; the postjobexecution handler removes the credentials', async () => {
    const temp = join(awkward, `${BACKSLASH} agent temp`);
    mkdirSync(temp);
    const main = await runAzureTask({
      ...azureOptions(emu, {
        inputs: { gitCredentials: 'true' },
        variables: { 'Agent.TempDirectory': temp },
        node,
        root: actionDir,
        debug: true
      }),
      keep: true
    });
    try {
      expect(main.errors).toEqual([]);
      expect(main.result).toBe('Succeeded');
      expect(main.job.env.AGENT_TEMPDIRECTORY).toBe(temp);
      const token = main.variables.find((v) => v.name === 'AZURE_DEVOPS_TOKEN')?.value ?? '';
      expect(token).not.toBe('');
      const exported = laterStepEnv(main);
      const statePath = await expectHelperCommandFor(helperCommandOf(exported), temp);
      expect(credentialDirsIn(temp)).toHaveLength(1);
      await expectGitAuthenticates(main.job, exported, token);
      expectNoLeaks(main, emu);

      const post = await runAzurePostWith(main, node, actionDir);
      expect(post.stderr).toBe('');
      expect(post.stdout).toContain('##vso[task.complete result=Succeeded;]');
      expect(post.stdout).toContain('Removed 1 git and feed credential directory');
      expect(findLeaks({ ...main, stdout: post.stdout, stderr: post.stderr }, emu.secrets())).toEqual([]);
      expect(existsSync(statePath)).toBe(false);
      expect(credentialDirsIn(temp)).toEqual([]);
      expect((await git(main.job, exported, ['ls-remote', repo.cloneUrl])).code).not.toBe(0);
      expectNothingEvaluated(main.job.dir);
    } finally {
      main.job.cleanup();
      rmSync(temp, { recursive: true, force: true });
    }
  });

  test('CLI: exec from the awkward dist/ with the awkward node reads an awkward token file and runs git ls-remote', async () => {
    const app = emu.registerApp({
      displayName: 'awkward-deployer',
      federatedCredentials: [{ issuer: ISSUER, subject: SUBJECT, audience: AUDIENCE }]
    });
    emu.devops.addMember(app.objectId, 'awkward-deployer');
    const tokenFile = join(awkward, 'token file');
    writeFileSync(tokenFile, emu.addOidcIssuer(ISSUER).mintToken({ sub: SUBJECT, aud: AUDIENCE }));
    const home = join(awkward, 'cli home');
    mkdirSync(home);
    try {
      const run = await runProcess(
        [
          node,
          join(dist, 'cli', 'index.js'),
          'exec',
          '--debug',
          '--federated-token-file',
          tokenFile,
          '--client-id',
          app.clientId,
          '--tenant-id',
          emu.tenantId,
          '--authority-host',
          emu.httpsUrl,
          '--organization',
          emu.devops.orgUrl,
          '--',
          'git',
          'ls-remote',
          repo.cloneUrl
        ],
        { ...gitClientEnv(emu, home), ...emu.env.common },
        home
      );
      expect(run.stderr).not.toContain('error:');
      expect(run.exitCode).toBe(0);
      expect(run.stdout).toContain(`${repo.headSha}\trefs/heads/main`);
      const authenticated = emu.requestsFor('git').filter((r) => r.authKind !== 'none');
      expect(authenticated.length).toBeGreaterThan(0);
      expect(authenticated.map((r) => [r.authKind, r.status])).toEqual(
        authenticated.map(() => ['basic', 200])
      );
      expect(authenticated[0]?.tokenFingerprint).toBe(emu.requestsFor('devops')[0]?.tokenFingerprint);
      expect(emu.requestsFor('git').at(-1)?.status).toBe(200);
      expectNoSecretsIn(`${run.stdout}${run.stderr}`);
      expectNothingEvaluated(home);
    } finally {
      rmSync(home, { recursive: true, force: true });
      rmSync(tokenFile, { force: true });
    }
  });

  // Product limitation (issue 12): the bundles are ES modules (dist/*/package.json has "type": "module"), and
  // Node's ESM resolver refuses any file URL with an encoded backslash (%5C), so on Linux or macOS the action,
  // the task, the helper and the CLI cannot start from a directory whose name has a backslash: node exits 1
  // with ERR_INVALID_MODULE_SPECIFIER 'Invalid module "/tmp/…/back%5Cslash…/dist/github/index.js" must not
  // include encoded "/" or "\" characters' before any of our code runs. A CommonJS bundle (or .cjs entry
  // files) would start. When that is fixed this test passes and jest reports test.failing as failed: make it
  // a test.
  test.failing(
    'GitHub: dist/ under a directory whose name has a backslash starts and sets up git',
    async () => {
      const otherRoot = join(awkward, `${BACKSLASH} action dir`);
      const otherDist = join(otherRoot, 'dist');
      cpSync(join(ROOT, 'dist'), otherDist, { recursive: true });
      const main = await runGitHubAction(
        { inputs: githubInputs(emu, { 'git-credentials': 'true' }), node, root: otherRoot, keep: true },
        githubEnv(emu)
      );
      try {
        expect(main.stderr).not.toContain('ERR_INVALID_MODULE_SPECIFIER');
        expect(main.errors).toEqual([]);
        expect(main.exitCode).toBe(0);
        expect(helperCommandOf(main.exportedEnv)).toContain(quote(join(otherDist, 'git-credential-helper')));
        await expectGitAuthenticates(main.job, main.exportedEnv, main.outputs.token ?? '');
      } finally {
        main.job.cleanup();
      }
    }
  );
});
