import { afterAll, beforeAll, beforeEach, describe, expect, test } from '@jest/globals';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gitClientEnv, npmClientEnv, runCommand } from '../emulator/test-cli.js';
import {
  azureOptions,
  expectNoLeaks,
  githubEnv,
  githubInputs,
  startEmulator,
  type Emulator
} from './fixture.js';
import { findLeaks } from './leaks.js';
import {
  laterStepEnv,
  parseCommandFile,
  runAzurePost,
  runAzureTask,
  runGitHubAction,
  runGitHubPost,
  type JobContext
} from './runner.js';

let emu: Emulator;
let repo: { cloneUrl: string; headSha: string };
beforeAll(async () => {
  emu = await startEmulator();
  const lib = await emu.git.createRepository('lib', { files: { 'lib.txt': 'shared\n' } });
  repo = await emu.git.createRepository('web', { files: { 'README.md': '# web\n' } });
  await emu.git.addSubmodule('web', { path: 'lib', url: lib.cloneUrl });
  repo = { ...repo, headSha: (await emu.git.refs('web'))['refs/heads/main'] ?? '' };
  emu.feeds.publishNpm('release-feed', { name: 'release-tools', version: '1.2.3' });
  emu.feeds.publishNuget('release-feed', { id: 'Contoso.Release', version: '2.0.0' });
});
afterAll(async () => {
  await emu.close();
});
beforeEach(() => emu.reset());

/** git as a later step of the job runs it: the job's environment plus what the step exported. */
function git(
  job: JobContext,
  exported: Record<string, string>,
  args: string[],
  extra: Record<string, string> = {}
) {
  return runCommand('git', args, {
    cwd: job.workspace,
    env: gitClientEnv(emu, job.dir, { ...emu.env.common, ...exported, ...extra })
  });
}

function npmView(job: JobContext, exported: Record<string, string>) {
  const env = {
    ...npmClientEnv(emu, job.dir, ''),
    ...(exported.NPM_CONFIG_USERCONFIG ? { NPM_CONFIG_USERCONFIG: exported.NPM_CONFIG_USERCONFIG } : {})
  };
  return runCommand(
    'npm',
    ['view', 'release-tools', 'version', '--registry', emu.feeds.npmRegistryUrl('release-feed')],
    { cwd: job.workspace, env }
  );
}

describe('git and feeds on GitHub', () => {
  test('later steps clone, push and use npm with no other configuration; the post entry takes it all away', async () => {
    const feeds = `${emu.feeds.npmRegistryUrl('release-feed')}\n${emu.feeds.nugetIndexUrl('release-feed')}`;
    const main = await runGitHubAction(
      { inputs: githubInputs(emu, { 'git-credentials': 'true', feeds }), keep: true, debug: true },
      githubEnv(emu)
    );
    try {
      expect(main.errors).toEqual([]);
      const token = main.outputs.token ?? '';
      const exported = main.exportedEnv;
      // No secret in the git configuration: only the helper's command line.
      expect(Object.keys(exported).filter((k) => k.startsWith('GIT_CONFIG_'))).toHaveLength(5);
      expect(exported.GIT_CONFIG_KEY_1).toBe(`credential.${emu.devops.orgUrl}.helper`);
      expect(exported.GIT_CONFIG_VALUE_1).toContain('dist/git-credential-helper/index.js');
      expect(
        Object.entries(exported)
          .filter(([k]) => k.startsWith('GIT_CONFIG_'))
          .some(([, v]) => v.includes(token))
      ).toBe(false);
      expect(main.infoLines.join('\n')).toContain(`Git: credentials for ${emu.devops.orgUrl}/ only`);

      // canary: git-ls-remote (GitHub)
      const lsRemote = await git(main.job, exported, ['ls-remote', repo.cloneUrl]);
      expect(lsRemote.code).toBe(0);
      expect(lsRemote.stdout).toContain(`${repo.headSha}\trefs/heads/main`);
      expect(emu.requestsFor('git').map((r) => r.authKind)).toContain('basic');

      const clone = await git(main.job, exported, ['clone', '--recurse-submodules', repo.cloneUrl, 'web']);
      expect(clone.code).toBe(0);
      expect(
        (
          await runCommand('cat', [join(main.job.workspace, 'web', 'lib', 'lib.txt')], {
            env: { PATH: process.env.PATH ?? '' }
          })
        ).stdout
      ).toBe('shared\n');
      const commit = await git(main.job, exported, ['-C', 'web', 'commit', '--allow-empty', '-m', 'release']);
      expect(commit.code).toBe(0);
      const push = await git(main.job, exported, ['-C', 'web', 'push', 'origin', 'HEAD:main']);
      expect(push.code).toBe(0);
      expect((await emu.git.refs('web'))['refs/heads/main']).not.toBe(repo.headSha);

      // Another host gets no credential (git asks the helper only for the organization's URLs).
      const other = await git(main.job, exported, [
        'ls-remote',
        `${emu.trap.url}/contoso/release-project/_git/web`
      ]);
      expect(other.code).not.toBe(0);
      expect(emu.trap.requests.length).toBeGreaterThan(0);
      expect(emu.trap.requests.every((r) => r.headers.authorization === undefined)).toBe(true);

      // Nothing in the workspace or the clone's .git/config holds the token.
      const { readTree } = await import('./runner.js');
      const workspace = readTree(main.job.workspace);
      expect(
        Object.entries(workspace)
          .filter(([, content]) => content.includes(token))
          .map(([path]) => path)
      ).toEqual([]);
      expect(workspace['web/.git/config']).not.toMatch(/extraheader|password/i);

      const view = await npmView(main.job, exported);
      expect(view.stdout.trim()).toBe('1.2.3');
      expect(emu.requestsFor('feeds').some((r) => r.authKind === 'bearer' || r.authKind === 'basic')).toBe(
        true
      );

      const nuget = JSON.parse(exported.VSS_NUGET_EXTERNAL_FEED_ENDPOINTS ?? '{}') as {
        endpointCredentials: { endpoint: string; username: string; password: string }[];
      };
      expect(nuget.endpointCredentials).toEqual([
        { endpoint: emu.feeds.nugetIndexUrl('release-feed'), username: 'azure-devops', password: token }
      ]);
      // What the credential provider does with it: Basic auth against the feed.
      const index = await getWithBasic(nuget.endpointCredentials[0]?.endpoint ?? '', 'azure-devops', token);
      expect(index.status).toBe(200);

      expectNoLeaks(main, emu, [token]);
      const post = await runGitHubPost(main);
      expect(post.exitCode).toBe(0);
      // canary: post-cleanup (GitHub: the post step removes the credentials)
      expect(post.stdout).toContain('Removed the git and feed credentials');
      expect(
        findLeaks({ ...main, stdout: post.stdout, stderr: post.stderr }, emu.secrets(), [token])
      ).toEqual([]);

      const after = await git(main.job, exported, ['ls-remote', repo.cloneUrl]);
      expect(after.code).not.toBe(0);
      expect((await npmView(main.job, exported)).code).not.toBe(0);
    } finally {
      main.job.cleanup();
    }
  });

  test('the git helper mints a fresh token with the job OIDC variables when the stored one nears expiry', async () => {
    emu.accessTokenLifetimeSeconds = 120;
    try {
      const inputs = githubInputs(emu, { 'git-credentials': 'true', verify: 'false' });
      const main = await runGitHubAction({ inputs, keep: true }, githubEnv(emu));
      try {
        expect(main.errors).toEqual([]);
        emu.reset();
        const lsRemote = await git(main.job, main.exportedEnv, ['ls-remote', repo.cloneUrl], emu.env.github);
        expect(lsRemote.code).toBe(0);
        // The stored token expires within the helper's 5-minute margin: it fetched an OIDC token and a new token.
        expect(emu.requestsFor('github-oidc')).toHaveLength(1);
        expect(emu.requestsFor('entra-token')).toHaveLength(1);
        expect(emu.requestsFor('git').some((r) => r.authKind === 'basic')).toBe(true);
        expect(lsRemote.stderr).not.toContain(main.outputs.token ?? '');
        expectMintedTokenMasked(lsRemote.stderr, '::add-mask::');
      } finally {
        main.job.cleanup();
      }
    } finally {
      emu.accessTokenLifetimeSeconds = 3599;
    }
  });

  test('pip installs from a PyPI feed through PIP_INDEX_URL', async () => {
    emu.feeds.publishPypi('release-feed', { name: 'release-helpers', version: '0.3.0' });
    const inputs = githubInputs(emu, { feeds: emu.feeds.pypiSimpleUrl('release-feed'), verify: 'false' });
    const main = await runGitHubAction({ inputs, keep: true }, githubEnv(emu));
    try {
      expect(main.errors).toEqual([]);
      const env = {
        PATH: process.env.PATH ?? '',
        HOME: main.job.dir,
        PIP_INDEX_URL: main.exportedEnv.PIP_INDEX_URL ?? '',
        PIP_CERT: emu.caFile,
        PIP_DISABLE_PIP_VERSION_CHECK: '1',
        PIP_NO_CACHE_DIR: '1'
      };
      const args = [
        '-m',
        'pip',
        'download',
        '--no-deps',
        '-d',
        join(main.job.dir, 'wheels'),
        'release-helpers'
      ];
      const pip = await runCommand('python3', args, { cwd: main.job.workspace, env });
      expect(pip.code).toBe(0);
      expect(pip.stdout).toContain('release_helpers-0.3.0');
      expect(pip.stdout).not.toContain(main.outputs.token ?? '');
      expectNoLeaks(main, emu, [main.outputs.token ?? '']);
    } finally {
      main.job.cleanup();
    }
  });

  test('a set-up that fails after writing the git token file is still removed by the post step', async () => {
    // NPM_CONFIG_USERCONFIG naming a directory: reading the user's npmrc fails after git's state file is written.
    const notAFile = mkdtempSync(join(tmpdir(), 'npmrc-dir-'));
    const inputs = githubInputs(emu, {
      'git-credentials': 'true',
      feeds: emu.feeds.npmRegistryUrl('release-feed'),
      verify: 'false'
    });
    const main = await runGitHubAction(
      { inputs, keep: true, debug: true, env: { NPM_CONFIG_USERCONFIG: notAFile } },
      githubEnv(emu)
    );
    try {
      expect(main.errors).toHaveLength(1);
      const left = readdirSync(main.job.temp).filter((n) => n.startsWith('azure-devops-entra-token-'));
      expect(left).toHaveLength(1);
      const dir = join(main.job.temp, left[0] ?? '');
      expect(readdirSync(dir)).toContain('git-credential.json');
      // Saved before the first file was written, so the post step knows the directory.
      expect(parseCommandFile(main.files.state ?? '').credentialsDir).toBe(dir);
      expectNoLeaks(main, emu, [main.outputs.token ?? '']);
      const post = await runGitHubPost(main);
      expect(post.exitCode).toBe(0);
      expect(post.stdout).toContain('Removed the git and feed credentials');
      expect(existsSync(dir)).toBe(false);
    } finally {
      main.job.cleanup();
      rmSync(notAFile, { recursive: true, force: true });
    }
  });

  test('git-credentials needs an organization; a bad feed URL fails before any request', async () => {
    const noOrg = await runGitHubAction(
      { inputs: githubInputs(emu, { 'git-credentials': 'true', organization: '' }) },
      githubEnv(emu)
    );
    expect(noOrg.errors[0]).toContain("Input 'git-credentials' is true, but 'organization' is empty");
    const badFeed = await runGitHubAction(
      { inputs: githubInputs(emu, { feeds: 'https://registry.npmjs.org/' }) },
      githubEnv(emu)
    );
    expect(badFeed.errors[0]).toContain("Input 'feeds' has the entry 'https://registry.npmjs.org/'");
    expect(emu.requests).toEqual([]);
  });
});

describe('git and feeds on Azure Pipelines', () => {
  test('later script steps clone and use npm; NuGet and pip get the token only through mapped secret variables; the postjobexecution handler takes it away', async () => {
    emu.feeds.publishPypi('release-feed', { name: 'azure-helpers', version: '0.4.0' });
    const feeds = [
      emu.feeds.npmRegistryUrl('release-feed'),
      emu.feeds.nugetIndexUrl('release-feed'),
      emu.feeds.pypiSimpleUrl('release-feed')
    ].join('\n');
    const main = await runAzureTask({
      ...azureOptions(emu, { inputs: { gitCredentials: 'true', feeds }, debug: true }),
      keep: true
    });
    try {
      expect(main.result).toBe('Succeeded');
      const exported = laterStepEnv(main);
      expect(exported.GIT_CONFIG_COUNT).toBe('2');
      // canary: git-ls-remote (Azure Pipelines)
      const lsRemote = await git(main.job, exported, ['ls-remote', repo.cloneUrl]);
      expect(lsRemote.code).toBe(0);
      expect((await npmView(main.job, exported)).stdout.trim()).toBe('1.2.3');
      const token = main.variables.find((v) => v.name === 'AZURE_DEVOPS_TOKEN')?.value ?? '';
      // Token-bearing variables are secret, so the agent gives them to no later step that does not map them.
      const secretVariables = main.variables.filter((v) => v.isSecret && !v.isOutput).map((v) => v.name);
      expect(secretVariables.sort()).toEqual([
        'AZURE_DEVOPS_TOKEN',
        'PIP_INDEX_URL',
        'VSS_NUGET_EXTERNAL_FEED_ENDPOINTS'
      ]);
      expect(Object.values(exported).filter((value) => value.includes(token))).toEqual([]);
      expect(exported.VSS_NUGET_EXTERNAL_FEED_ENDPOINTS).toBeUndefined();
      expect(exported.PIP_INDEX_URL).toBeUndefined();
      expect(main.infoLines.join('\n')).toContain(
        'env: VSS_NUGET_EXTERNAL_FEED_ENDPOINTS: $(VSS_NUGET_EXTERNAL_FEED_ENDPOINTS), PIP_INDEX_URL: $(PIP_INDEX_URL)'
      );
      // A step that maps them (env: NAME: $(NAME)) gets the values.
      const mapped = (name: string): string =>
        main.variables.find((v) => v.name === name && v.isSecret)?.value ?? '';
      const nuget = JSON.parse(mapped('VSS_NUGET_EXTERNAL_FEED_ENDPOINTS') || '{}') as {
        endpointCredentials: { endpoint: string; password: string }[];
      };
      expect(nuget.endpointCredentials[0]?.password).toBe(token);
      expect(
        (await getWithBasic(nuget.endpointCredentials[0]?.endpoint ?? '', 'azure-devops', token)).status
      ).toBe(200);
      const pip = await pipDownload(main.job, mapped('PIP_INDEX_URL'), 'azure-helpers');
      expect(pip.code).toBe(0);
      expect(pip.stdout).toContain('azure_helpers-0.4.0');
      expect(main.secrets).toContain(token);
      expect(findLeaks(main, emu.secrets())).toEqual([]);
      const post = await runAzurePost(main);
      expect(post.stdout).toContain('##vso[task.complete result=Succeeded;]');
      // canary: post-cleanup (Azure Pipelines: the postjobexecution handler removes the credentials)
      expect(post.stdout).toContain('Removed 1 git and feed credential directory');
      expect((await git(main.job, exported, ['ls-remote', repo.cloneUrl])).code).not.toBe(0);
      expect((await npmView(main.job, exported)).code).not.toBe(0);
    } finally {
      main.job.cleanup();
    }
  });

  test('the git helper registers a token it mints from the managed identity with the agent before git gets it', async () => {
    emu.managedIdentityTokenLifetimeSeconds = 120;
    try {
      const inputs = { connectionType: 'managedIdentity', azureSubscription: '', gitCredentials: 'true' };
      const main = await runAzureTask({ ...azureOptions(emu, { inputs, env: emu.env.imds }), keep: true });
      try {
        expect(main.result).toBe('Succeeded');
        emu.reset();
        const lsRemote = await git(main.job, laterStepEnv(main), ['ls-remote', repo.cloneUrl], emu.env.imds);
        expect(lsRemote.code).toBe(0);
        expectMintedTokenMasked(lsRemote.stderr, '##vso[task.setsecret]');
      } finally {
        main.job.cleanup();
      }
    } finally {
      emu.managedIdentityTokenLifetimeSeconds = 86399;
    }
  });
});

/**
 * The helper minted exactly one new token (the one Entra or IMDS answered with, which git then sent) and put the
 * platform's mask command for it on git's stderr, which the runner or agent reads; the token is on no other line.
 */
function expectMintedTokenMasked(stderr: string, command: string): void {
  const issued = [...emu.requestsFor('entra-token'), ...emu.requestsFor('imds')]
    .map((r) => {
      try {
        return (JSON.parse(r.responseBody ?? '') as { access_token?: string }).access_token;
      } catch {
        return undefined;
      }
    })
    .filter((t) => t !== undefined);
  expect(issued).toHaveLength(1);
  const minted = issued[0] ?? '';
  const fingerprint = `sha256:${createHash('sha256').update(minted).digest('hex').slice(0, 12)}`;
  expect(emu.requestsFor('git').some((r) => r.tokenFingerprint === fingerprint)).toBe(true);
  const lines = stderr.split('\n');
  expect(lines.filter((l) => l.includes(minted))).toEqual([`${command}${minted}`]);
}

function pipDownload(job: JobContext, indexUrl: string, name: string) {
  const env = {
    PATH: process.env.PATH ?? '',
    HOME: job.dir,
    PIP_INDEX_URL: indexUrl,
    PIP_CERT: emu.caFile,
    PIP_DISABLE_PIP_VERSION_CHECK: '1',
    PIP_NO_CACHE_DIR: '1'
  };
  const args = ['-m', 'pip', 'download', '--no-deps', '-d', join(job.dir, 'wheels'), name];
  return runCommand('python3', args, { cwd: job.workspace, env });
}

function getWithBasic(url: string, user: string, password: string): Promise<{ status: number }> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        ca: emu.caPem,
        headers: { authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}` }
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode ?? 0 }));
      }
    );
    req.on('error', reject);
    req.end();
  });
}
