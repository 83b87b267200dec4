import { afterAll, beforeAll, beforeEach, describe, expect, test } from '@jest/globals';
import { request } from 'node:https';
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
      expect(exported.GIT_CONFIG_VALUE_1).toContain('dist/credential/index.js');
      expect(
        Object.entries(exported)
          .filter(([k]) => k.startsWith('GIT_CONFIG_'))
          .some(([, v]) => v.includes(token))
      ).toBe(false);
      expect(main.infoLines.join('\n')).toContain(`Git: credentials for ${emu.devops.orgUrl}/ only`);

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
  test('later script steps clone and use npm and NuGet; the postjobexecution handler takes it away', async () => {
    const feeds = `${emu.feeds.npmRegistryUrl('release-feed')}\n${emu.feeds.nugetIndexUrl('release-feed')}`;
    const main = await runAzureTask({
      ...azureOptions(emu, { inputs: { gitCredentials: 'true', feeds }, debug: true }),
      keep: true
    });
    try {
      expect(main.result).toBe('Succeeded');
      const exported = laterStepEnv(main);
      expect(exported.GIT_CONFIG_COUNT).toBe('2');
      const lsRemote = await git(main.job, exported, ['ls-remote', repo.cloneUrl]);
      expect(lsRemote.code).toBe(0);
      expect((await npmView(main.job, exported)).stdout.trim()).toBe('1.2.3');
      const token = main.variables.find((v) => v.name === 'AZURE_DEVOPS_TOKEN')?.value ?? '';
      const nuget = JSON.parse(exported.VSS_NUGET_EXTERNAL_FEED_ENDPOINTS ?? '{}') as {
        endpointCredentials: { endpoint: string; password: string }[];
      };
      expect(nuget.endpointCredentials[0]?.password).toBe(token);
      expect(
        (await getWithBasic(nuget.endpointCredentials[0]?.endpoint ?? '', 'azure-devops', token)).status
      ).toBe(200);
      expect(main.secrets).toContain(token);
      // That one variable carries the token to later steps' environment on purpose (as NuGetAuthenticate
      // does); the agent masks it there. Nothing else may.
      const stdout = main.stdout
        .split('\n')
        .filter((l) => !l.startsWith('##vso[task.setvariable variable=VSS_NUGET_EXTERNAL_FEED_ENDPOINTS;'))
        .join('\n');
      expect(findLeaks({ ...main, stdout }, emu.secrets())).toEqual([]);
      const post = await runAzurePost(main);
      expect(post.stdout).toContain('##vso[task.complete result=Succeeded;]');
      expect(post.stdout).toContain('Removed 1 git and feed credential directory');
      expect((await git(main.job, exported, ['ls-remote', repo.cloneUrl])).code).not.toBe(0);
      expect((await npmView(main.job, exported)).code).not.toBe(0);
    } finally {
      main.job.cleanup();
    }
  });
});

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
