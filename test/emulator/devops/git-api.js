// Git: many repositories listed in pages (continuation tokens, optionally an empty page before the
// last), single repositories, annotated tags, and pull request comment threads.
import { randomBytes } from 'node:crypto';
import { adoError, argumentNull } from './errors.js';
import {
  adoDate,
  continuationToken,
  guidFrom,
  identityRef,
  invalidContinuationToken,
  readContinuationToken,
  readJson,
  topOf
} from './rest.js';

/**
 * @typedef {object} Repository
 * @property {string} id
 * @property {string} name
 * @property {string} projectId
 * @property {number} size
 */

/**
 * @param {{ httpsUrl: string, projects: ReturnType<typeof import('./projects.js').createProjects> }} deps
 */
export function createGit({ httpsUrl, projects }) {
  /** @type {Map<string, Repository[]>} by project id */
  const repositories = new Map();
  const settings = { emptyPageBeforeLast: false };
  /** @type {object[]} */
  const annotatedTags = [];
  /** @type {object[]} */
  const threads = [];

  /**
   * @param {import('./projects.js').Project} project
   * @param {string} nameOrId
   */
  const findRepository = (project, nameOrId) =>
    (repositories.get(project.id) ?? []).find((repo) =>
      [repo.id, repo.name.toLowerCase()].includes(nameOrId.toLowerCase())
    );

  /** @param {string} nameOrId */
  const repositoryNotFound = (nameOrId) =>
    adoError(
      404,
      `TF401019: The Git repository with name or identifier ${nameOrId} does not exist or you do not have permissions for the operation you are attempting.`,
      'GitRepositoryNotFoundException'
    );

  /**
   * @param {Repository} repo
   * @param {import('./projects.js').Project} project
   */
  const describe = (repo, project) => ({
    id: repo.id,
    name: repo.name,
    url: `${httpsUrl}/${project.org}/${project.id}/_apis/git/repositories/${repo.id}`,
    project: projects.reference(project),
    defaultBranch: 'refs/heads/main',
    size: repo.size,
    remoteUrl: `${httpsUrl}/${project.org}/${encodeURIComponent(project.name)}/_git/${repo.name}`,
    webUrl: `${httpsUrl}/${project.org}/${encodeURIComponent(project.name)}/_git/${repo.name}`,
    isDisabled: false,
    isInMaintenance: false
  });

  /**
   * A project-scoped route under `…/_apis/git/repositories/{repositoryId}` that needs the repository.
   * @param {string} method
   * @param {string} suffix
   * @param {(req: import('../server/recorder.js').RecordedRequest, ctx: import('./devops.js').DevOpsContext,
   *   project: import('./projects.js').Project, repo: Repository) => import('../server/router.js').EmulatorResponse} handler
   */
  const repositoryRoute = (method, suffix, handler) =>
    projects.projectRoute(
      method,
      `/{project}/_apis/git/repositories/{repositoryId}${suffix}`,
      (req, ctx, project) => {
        const repo = findRepository(project, ctx.params.repositoryId ?? '');
        return repo ? handler(req, ctx, project, repo) : repositoryNotFound(ctx.params.repositoryId ?? '');
      }
    );

  projects.projectRoute('GET', '/{project}/_apis/git/repositories', (req, _ctx, project) => {
    const all = repositories.get(project.id) ?? [];
    const top = topOf(req.query.$top, 100, 1000);
    const state = readContinuationToken(req.query.continuationToken);
    if (!state) return invalidContinuationToken(req.query.continuationToken ?? '');
    const last = state.skip + top >= all.length;
    /** @type {import('./rest.js').PageState | undefined} */
    let next = last ? undefined : { skip: state.skip + top, emptied: state.emptied };
    let page = all.slice(state.skip, state.skip + top);
    if (last && settings.emptyPageBeforeLast && !state.emptied) {
      page = [];
      next = { skip: state.skip, emptied: true };
    }
    const value = page.map((repo) => describe(repo, project));
    const headers = next ? { 'x-ms-continuationtoken': continuationToken(next) } : {};
    return { status: 200, headers, body: { count: value.length, value } };
  });

  repositoryRoute('GET', '', (_req, _ctx, project, repo) => ({ status: 200, body: describe(repo, project) }));

  repositoryRoute('POST', '/annotatedtags', (req, { identity, now }, project, repo) => {
    const body = readJson(req);
    const objectId = body?.taggedObject?.objectId;
    if (typeof body?.name !== 'string' || body.name === '') return argumentNull('tagObject.Name');
    if (typeof objectId !== 'string' || objectId === '')
      return argumentNull('tagObject.TaggedObject.ObjectId');
    if (!/^[0-9a-f]{40}$/i.test(objectId))
      return adoError(
        400,
        `The object id '${objectId}' is not a valid SHA-1 object id.`,
        'ArgumentException'
      );
    const tagId = randomBytes(20).toString('hex');
    const tag = {
      name: body.name,
      objectId: tagId,
      taggedObject: { objectId: objectId.toLowerCase(), objectType: 'commit' },
      taggedBy: {
        name: identity.displayName,
        email: `${identity.id}@${project.org}.emulator.invalid`,
        date: adoDate(now())
      },
      message: typeof body.message === 'string' ? body.message : '',
      url: `${describe(repo, project).url}/annotatedTags/${tagId}`
    };
    annotatedTags.push({ ...tag, repositoryId: repo.id });
    return { status: 201, body: tag };
  });

  repositoryRoute(
    'POST',
    '/pullRequests/{pullRequestId}/threads',
    (req, { identity, now, params }, _p, repo) => {
      const pullRequestId = params.pullRequestId ?? '';
      if (!/^[1-9]\d*$/.test(pullRequestId))
        return adoError(400, `The pull request id '${pullRequestId}' is not valid.`, 'ArgumentException');
      const body = readJson(req);
      if (!Array.isArray(body?.comments) || body.comments.length === 0)
        return argumentNull('thread.Comments');
      const date = adoDate(now());
      const comments = body.comments.map((/** @type {any} */ comment, /** @type {number} */ index) => ({
        id: index + 1,
        parentCommentId: Number(comment?.parentCommentId ?? 0),
        author: identityRef(identity),
        content: String(comment?.content ?? ''),
        publishedDate: date,
        lastUpdatedDate: date,
        lastContentUpdatedDate: date,
        commentType: comment?.commentType ?? 'text'
      }));
      const thread = {
        id: threads.length + 1,
        publishedDate: date,
        lastUpdatedDate: date,
        comments,
        status: body.status ?? 'active',
        properties: body.properties ?? {},
        isDeleted: false
      };
      threads.push({ ...thread, repositoryId: repo.id, pullRequestId: Number(pullRequestId) });
      return { status: 200, body: thread };
    }
  );

  const api = {
    /**
     * Replaces a project's repositories with `repo-001` … `repo-{n}` (default project; default count 250).
     * @param {number} count
     * @param {string} [projectNameOrId]
     */
    setRepositoryCount(count, projectNameOrId = 'release-project') {
      const project = projects.find(projects.defaultOrg, projectNameOrId);
      if (!project) throw new Error(`Unknown project '${projectNameOrId}'.`);
      const width = Math.max(3, String(count).length);
      const names = Array.from({ length: count }, (_, i) => `repo-${String(i + 1).padStart(width, '0')}`);
      repositories.set(
        project.id,
        names.map((name, i) => ({
          id: guidFrom(`${project.id}/repo/${name}`),
          name,
          projectId: project.id,
          size: 1024 * (i + 1)
        }))
      );
    },
    /** @param {string} [projectNameOrId] the repositories of a project (default: `release-project`) */
    repositories(projectNameOrId = 'release-project') {
      const project = projects.find(projects.defaultOrg, projectNameOrId);
      return (project && repositories.get(project.id)) ?? [];
    },
    /** Annotated tags created, each with `repositoryId`. */
    annotatedTags: () => [...annotatedTags],
    /** Pull request threads created, each with `repositoryId` and `pullRequestId`. */
    pullRequestThreads: () => [...threads],
    /** When true, the page before the last is empty but still carries a continuation token. */
    get emptyPageBeforeLast() {
      return settings.emptyPageBeforeLast;
    },
    set emptyPageBeforeLast(value) {
      settings.emptyPageBeforeLast = value;
    }
  };
  api.setRepositoryCount(250);
  return { api, findRepository };
}
