// Bare git repositories served by `git http-backend`, made and read with the real git CLI: an initial
// commit on main (fixed identity and dates, so the same files give the same SHA), submodules, refs.
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { guidFrom } from '../devops/rest.js';

const execFileAsync = promisify(execFile);

/** Author and committer of every commit the emulator makes. */
export const GIT_IDENTITY = Object.freeze({
  GIT_AUTHOR_NAME: 'Emulator Bot',
  GIT_AUTHOR_EMAIL: 'emulator@contoso.example',
  GIT_AUTHOR_DATE: '2025-01-01T00:00:00Z',
  GIT_COMMITTER_NAME: 'Emulator Bot',
  GIT_COMMITTER_EMAIL: 'emulator@contoso.example',
  GIT_COMMITTER_DATE: '2025-01-01T00:00:00Z'
});

/**
 * An environment for git that ignores the machine's system and global config (credential helpers,
 * signing, url rewrites), with `extra` on top.
 * @param {Record<string, string>} [extra]
 */
export function isolatedGitEnv(extra = {}) {
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: process.env.HOME ?? tmpdir(),
    LANG: 'C',
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_TERMINAL_PROMPT: '0',
    ...extra
  };
}

/**
 * Runs git with the isolated environment and the fixed identity; resolves with trimmed stdout.
 * @param {string[]} args
 */
async function git(args) {
  const env = isolatedGitEnv(GIT_IDENTITY);
  const { stdout } = await execFileAsync('git', ['-c', 'commit.gpgsign=false', ...args], { env });
  return stdout.trim();
}

/**
 * @typedef {object} EmulatedRepository
 * @property {string} id        stable GUID (from org, project and name)
 * @property {string} name
 * @property {string} project
 * @property {string} organization
 * @property {string} url       REST-shaped `…/{org}/{project}/_apis/git/repositories/{id}` (not served)
 * @property {string} cloneUrl  `${httpsUrl}/{org}/{project}/_git/{name}`
 * @property {string} httpCloneUrl the same path on the plain HTTP server
 * @property {string} path      the bare repository on disk
 * @property {string} headSha   main's commit when created (or after addSubmodule)
 */

/**
 * @param {{ root: string, organization: string, httpsUrl: string, httpUrl: string }} deps
 *   root: GIT_PROJECT_ROOT, where the bare repositories live
 */
export function createGitRepositories({ root, organization, httpsUrl, httpUrl }) {
  /** @type {Map<string, EmulatedRepository>} by `org/project/name`, lower-case */
  const byKey = new Map();
  const keyOf = (/** @type {string[]} */ ...parts) => parts.join('/').toLowerCase();

  /**
   * @param {string} name
   * @param {string} [project] default: any project (the first repository with that name)
   */
  function requireRepository(name, project) {
    const repo = project
      ? byKey.get(keyOf(organization, project, name))
      : [...byKey.values()].find((candidate) => candidate.name.toLowerCase() === name.toLowerCase());
    if (!repo) throw new Error(`No emulated git repository '${name}'; create it with git.createRepository.`);
    return repo;
  }

  /**
   * Clones the bare repository into a scratch work tree, lets `change` edit and stage, commits, pushes.
   * @param {EmulatedRepository} repo
   * @param {string} message
   * @param {(work: string) => Promise<void>} change
   */
  async function commitTo(repo, message, change) {
    const work = mkdtempSync(join(tmpdir(), 'ado-emulator-work-'));
    try {
      await git(['clone', '--quiet', repo.path, work]);
      await change(work);
      await git(['-C', work, 'commit', '--quiet', '-m', message]);
      await git(['-C', work, 'push', '--quiet', 'origin', 'HEAD:refs/heads/main']);
      repo.headSha = await git(['-C', repo.path, 'rev-parse', 'refs/heads/main']);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  }

  const api = {
    /**
     * Creates a bare repository with one commit on main holding `files` (default a README.md).
     * @param {string} name
     * @param {{ project?: string, files?: Record<string, string | Buffer> }} [options]
     * @returns {Promise<EmulatedRepository>}
     */
    async createRepository(name, { project = 'release-project', files } = {}) {
      if (!/^[\w.-]+$/.test(name))
        throw new Error(`Repository names here are [A-Za-z0-9_.-]+; got '${name}'.`);
      const key = keyOf(organization, project, name);
      if (byKey.has(key)) throw new Error(`The repository '${project}/${name}' already exists.`);
      const id = guidFrom(`git-http/${key}`);
      const gitPath = `/${encodeURIComponent(organization)}/${encodeURIComponent(project)}/_git/${name}`;
      /** @type {EmulatedRepository} */
      const repo = {
        id,
        name,
        project,
        organization,
        url: `${httpsUrl}/${organization}/${encodeURIComponent(project)}/_apis/git/repositories/${id}`,
        cloneUrl: `${httpsUrl}${gitPath}`,
        httpCloneUrl: `${httpUrl}${gitPath}`,
        path: join(root, `${id}.git`),
        headSha: ''
      };
      await git(['init', '--quiet', '--bare', '--initial-branch=main', repo.path]);
      await git(['-C', repo.path, 'config', 'http.receivepack', 'true']);
      const work = mkdtempSync(join(tmpdir(), 'ado-emulator-work-'));
      try {
        await git(['init', '--quiet', '--initial-branch=main', work]);
        for (const [file, content] of Object.entries(files ?? { 'README.md': `# ${name}\n` })) {
          mkdirSync(dirname(join(work, file)), { recursive: true });
          writeFileSync(join(work, file), content);
        }
        await git(['-C', work, 'add', '--all']);
        await git(['-C', work, 'commit', '--quiet', '-m', 'Initial commit']);
        await git(['-C', work, 'push', '--quiet', repo.path, 'HEAD:refs/heads/main']);
      } finally {
        rmSync(work, { recursive: true, force: true });
      }
      repo.headSha = await git(['-C', repo.path, 'rev-parse', 'refs/heads/main']);
      byKey.set(key, repo);
      return { ...repo };
    },
    /**
     * Commits a `.gitmodules` entry and a gitlink at `path` to `url`. When `url` is an emulated
     * repository's clone URL the gitlink is its main commit; otherwise pass `sha`.
     * @param {string} repoName
     * @param {{ path: string, url: string, sha?: string, project?: string }} spec
     * @returns {Promise<{ headSha: string, sha: string }>} the new head and the submodule commit
     */
    async addSubmodule(repoName, { path, url, sha, project }) {
      const repo = requireRepository(repoName, project);
      const target = [...byKey.values()].find((other) => [other.cloneUrl, other.httpCloneUrl].includes(url));
      const commit = sha ?? target?.headSha;
      if (!commit) throw new Error(`'${url}' is no emulated repository; pass the submodule's sha.`);
      await commitTo(repo, `Add submodule ${path}`, async (work) => {
        await git(['-C', work, 'config', '-f', '.gitmodules', `submodule.${path}.path`, path]);
        await git(['-C', work, 'config', '-f', '.gitmodules', `submodule.${path}.url`, url]);
        await git(['-C', work, 'update-index', '--add', '--cacheinfo', `160000,${commit},${path}`]);
        await git(['-C', work, 'add', '.gitmodules']);
      });
      return { headSha: repo.headSha, sha: commit };
    },
    /**
     * @param {string} name
     * @param {string} [project]
     */
    repositoryPath: (name, project) => requireRepository(name, project).path,
    /**
     * The repository's refs read with `git for-each-ref`, e.g. `{ 'refs/heads/main': '<sha>' }`.
     * @param {string} name
     * @param {string} [project]
     * @returns {Promise<Record<string, string>>}
     */
    async refs(name, project) {
      const out = await git([
        '-C',
        requireRepository(name, project).path,
        'for-each-ref',
        '--format=%(objectname) %(refname)'
      ]);
      return Object.fromEntries(
        out
          .split('\n')
          .filter(Boolean)
          .map((line) => line.split(' ').reverse())
      );
    },
    /** Copies of every emulated repository. */
    repositories: () => [...byKey.values()].map((repo) => ({ ...repo }))
  };

  /**
   * The repository a git URL names, if any.
   * @param {string} org
   * @param {string} project
   * @param {string} name
   */
  const find = (org, project, name) => byKey.get(keyOf(org, project, name));
  return { api, find };
}
