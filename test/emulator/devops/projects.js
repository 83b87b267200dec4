// Team projects: `GET /{org}/_apis/projects[/{projectNameOrId}]`, and the project lookup the
// project-scoped routes (`/{org}/{project}/_apis/...`) share.
import { adoError } from './errors.js';
import { adoDate, guidFrom, topOf, versioned } from './rest.js';

/** The id of the default project `release-project`; the same in every run. */
export const DEFAULT_PROJECT_ID = '3f6f0e2c-8b1d-4c5a-9e7b-2d4a6c8e0f13';

/**
 * @typedef {object} Project
 * @property {string} id
 * @property {string} name
 * @property {string} org           organization name
 * @property {string} description
 * @property {number} revision
 * @property {number} lastUpdateTime epoch ms
 */

/**
 * @param {{ devops: ReturnType<typeof import('./devops.js').createDevOps>['devops'], httpsUrl: string,
 *   now: () => number }} deps
 */
export function createProjects({ devops, httpsUrl, now }) {
  /** @type {Project[]} */
  const projects = [];

  /**
   * @param {string} org
   * @param {string} nameOrId
   */
  const find = (org, nameOrId) =>
    projects.find(
      (project) =>
        project.org.toLowerCase() === org.toLowerCase() &&
        [project.id, project.name.toLowerCase()].includes(nameOrId.toLowerCase())
    );

  /** @param {Project} project TeamProjectReference */
  const reference = (project) => ({
    id: project.id,
    name: project.name,
    description: project.description,
    url: `${httpsUrl}/${project.org}/_apis/projects/${project.id}`,
    state: 'wellFormed',
    revision: project.revision,
    visibility: 'private',
    lastUpdateTime: adoDate(project.lastUpdateTime)
  });

  /** @param {string} name */
  const notFound = (name) =>
    adoError(
      404,
      `TF200016: The following project does not exist: ${name}. Verify that the name of the project is correct and that the project exists on the specified Azure DevOps Server.`,
      'ProjectDoesNotExistWithNameException'
    );

  /**
   * Adds a route under `/{org}` whose pattern starts with `/{project}`: api-version required, unknown
   * project → 404 TF200016, otherwise the handler gets the project.
   * @param {string} method
   * @param {string} pattern
   * @param {(req: import('../server/recorder.js').RecordedRequest, ctx: import('./devops.js').DevOpsContext,
   *   project: Project) => import('../server/router.js').EmulatorResponse} handler
   */
  function projectRoute(method, pattern, handler) {
    devops.route(
      method,
      pattern,
      versioned((req, ctx) => {
        const name = ctx.params.project ?? '';
        const project = find(ctx.org.name, name);
        return project ? handler(req, ctx, project) : notFound(name);
      })
    );
  }

  const api = {
    /**
     * Adds a team project (`private`, `wellFormed`) to an organization (default: the default one).
     * @param {string} name
     * @param {{ id?: string, org?: string, description?: string }} [options]
     * @returns {Project}
     */
    addProject(name, { org = devops.organization, id, description = '' } = {}) {
      const project = {
        id: (id ?? guidFrom(`${org.toLowerCase()}/project/${name.toLowerCase()}`)).toLowerCase(),
        name,
        org,
        description,
        revision: 11,
        lastUpdateTime: now()
      };
      projects.push(project);
      return project;
    },
    /** @param {string} [org] the projects of an organization (default: the default one) */
    projects: (org = devops.organization) => projects.filter((p) => p.org.toLowerCase() === org.toLowerCase())
  };

  devops.route(
    'GET',
    '/_apis/projects',
    versioned((req, { org }) => {
      const skip = Math.max(0, Number(req.query.$skip) || 0);
      const value = api
        .projects(org.name)
        .slice(skip, skip + topOf(req.query.$top, 100, 1000))
        .map(reference);
      return { status: 200, body: { count: value.length, value } };
    })
  );
  devops.route(
    'GET',
    '/_apis/projects/{projectNameOrId}',
    versioned((_req, { org, params }) => {
      const project = find(org.name, params.projectNameOrId ?? '');
      if (!project) return notFound(params.projectNameOrId ?? '');
      const url = reference(project).url;
      const team = { id: guidFrom(`${project.id}/team`), name: `${project.name} Team`, url: `${url}/teams` };
      return {
        status: 200,
        body: { ...reference(project), _links: { self: { href: url } }, defaultTeam: team }
      };
    })
  );
  api.addProject('release-project', { id: DEFAULT_PROJECT_ID });
  return { api, find, reference, projectRoute, defaultOrg: devops.organization };
}
