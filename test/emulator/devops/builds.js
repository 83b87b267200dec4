// Builds and pipelines: queue a build (`POST …/_apis/build/builds`), list and read builds, and run a
// pipeline with parameters (`POST …/_apis/pipelines/{pipelineId}/runs`, which also creates a build).
import { adoError, argumentNull } from './errors.js';
import { adoDate, identityRef, readJson, topOf } from './rest.js';

/**
 * @typedef {object} Definition
 * @property {number} id
 * @property {string} name
 * @property {string} projectId
 */

/**
 * @typedef {{ id: number, buildNumber: string, queueTime: string, definition: { id: number },
 *   project: { id: string }, _links: { web: { href: string } } } & Record<string, unknown>} Build
 */

/**
 * @param {{ httpsUrl: string, projects: ReturnType<typeof import('./projects.js').createProjects> }} deps
 */
export function createBuilds({ httpsUrl, projects }) {
  /** @type {Definition[]} */
  const definitions = [];
  /** @type {Build[]} */
  const builds = [];
  /** @type {object[]} */
  const runs = [];

  /** @param {import('./projects.js').Project} project */
  const base = (project) => `${httpsUrl}/${project.org}/${project.id}`;
  /**
   * @param {import('./projects.js').Project} project
   * @param {string} id
   */
  const findDefinition = (project, id) =>
    definitions.find((definition) => definition.projectId === project.id && String(definition.id) === id);

  /**
   * Creates a build record for a definition; what both queue routes have in common.
   * @param {import('./projects.js').Project} project
   * @param {Definition} definition
   * @param {import('./devops.js').DevOpsContext} ctx
   * @param {Record<string, unknown>} extra
   * @returns {Build}
   */
  function queue(project, definition, { identity, now }, extra) {
    const id = builds.length + 1;
    const day = new Date(now()).toISOString().slice(0, 10).replace(/-/g, '');
    const sameDay = builds.filter(
      (b) => b.definition.id === definition.id && b.buildNumber.startsWith(`${day}.`)
    );
    const url = `${base(project)}/_apis/build/Builds/${id}`;
    const build = {
      _links: { self: { href: url }, web: { href: `${base(project)}/_build/results?buildId=${id}` } },
      id,
      buildNumber: `${day}.${sameDay.length + 1}`,
      status: 'notStarted',
      queueTime: adoDate(now()),
      url,
      uri: `vstfs:///Build/Build/${id}`,
      definition: {
        id: definition.id,
        name: definition.name,
        url: `${base(project)}/_apis/build/Definitions/${definition.id}?revision=1`,
        path: '\\',
        type: 'build',
        queueStatus: 'enabled',
        revision: 1,
        project: projects.reference(project)
      },
      project: projects.reference(project),
      sourceBranch: 'refs/heads/main',
      priority: 'normal',
      reason: 'manual',
      requestedFor: identityRef(identity),
      requestedBy: identityRef(identity),
      templateParameters: {},
      tags: [],
      retainedByRelease: false,
      ...extra
    };
    builds.push(build);
    return build;
  }

  /** @param {string} id */
  const definitionNotFound = (id) =>
    adoError(
      404,
      `TF215016: The build definition ${id} does not exist. Specify a valid build definition and try again.`,
      'DefinitionNotFoundException'
    );

  projects.projectRoute('POST', '/{project}/_apis/build/builds', (req, ctx, project) => {
    const body = readJson(req);
    const id = body?.definition?.id ?? req.query.definitionId;
    if (id === undefined || id === null || id === '') return argumentNull('build.Definition');
    const definition = findDefinition(project, String(id));
    if (!definition) return definitionNotFound(String(id));
    const { parameters, templateParameters } = body ?? {};
    if (parameters !== undefined && !isJsonObjectString(parameters)) {
      const message = `The build parameters must be a JSON object serialized as a string, for example "{\\"name\\":\\"value\\"}"; got ${JSON.stringify(parameters)}.`;
      return adoError(400, message, 'ArgumentException');
    }
    if (templateParameters !== undefined && !isPlainObject(templateParameters))
      return adoError(
        400,
        'The templateParameters must be an object of name / value pairs.',
        'ArgumentException'
      );
    const build = queue(project, definition, ctx, {
      ...(typeof body?.sourceBranch === 'string' ? { sourceBranch: body.sourceBranch } : {}),
      ...(parameters !== undefined ? { parameters } : {}),
      ...(templateParameters !== undefined ? { templateParameters } : {})
    });
    return { status: 200, body: build };
  });

  projects.projectRoute('GET', '/{project}/_apis/build/builds', (req, _ctx, project) => {
    const wanted = (req.query.definitions ?? '').split(',').filter(Boolean);
    const value = builds
      .filter((build) => build.project.id === project.id)
      .filter((build) => wanted.length === 0 || wanted.includes(String(build.definition.id)))
      .reverse()
      .slice(0, topOf(req.query.$top, 1000, 5000));
    return { status: 200, body: { count: value.length, value } };
  });

  projects.projectRoute('GET', '/{project}/_apis/build/builds/{buildId}', (_req, { params }, project) => {
    const found = builds.find(
      (build) => build.project.id === project.id && String(build.id) === params.buildId
    );
    if (!found) {
      return adoError(
        404,
        `The requested build ${params.buildId} could not be found.`,
        'BuildNotFoundException'
      );
    }
    return { status: 200, body: found };
  });

  projects.projectRoute('POST', '/{project}/_apis/pipelines/{pipelineId}/runs', (req, ctx, project) => {
    const pipelineId = ctx.params.pipelineId ?? '';
    const definition = findDefinition(project, pipelineId);
    if (!definition) {
      const message = `Pipeline with id ${pipelineId} was not found in project ${project.name}, or you do not have permission to access it.`;
      return adoError(404, message, 'PipelineNotFoundException');
    }
    const body = readJson(req) ?? {};
    if (body.templateParameters !== undefined && !isPlainObject(body.templateParameters))
      return adoError(
        400,
        'The templateParameters must be an object of name / value pairs.',
        'ArgumentException'
      );
    const templateParameters = body.templateParameters ?? {};
    const branch = body.resources?.repositories?.self?.refName;
    const build = queue(project, definition, ctx, {
      status: 'inProgress',
      templateParameters,
      ...(typeof branch === 'string' ? { sourceBranch: branch } : {})
    });
    const pipelineUrl = `${base(project)}/_apis/pipelines/${definition.id}?revision=1`;
    const url = `${base(project)}/_apis/pipelines/${definition.id}/runs/${build.id}`;
    const run = {
      _links: {
        self: { href: url },
        web: build._links.web,
        'pipeline.web': { href: `${base(project)}/_build/definition?definitionId=${definition.id}` },
        pipeline: { href: pipelineUrl }
      },
      templateParameters,
      ...(body.variables !== undefined ? { variables: body.variables } : {}),
      pipeline: { url: pipelineUrl, id: definition.id, revision: 1, name: definition.name, folder: '\\' },
      state: 'inProgress',
      createdDate: build.queueTime,
      url,
      resources: body.resources ?? {},
      id: build.id,
      name: build.buildNumber
    };
    runs.push(run);
    return { status: 200, body: run };
  });

  const api = {
    /**
     * Adds a build definition (pipeline) to a project (default `release-project`); ids continue from 1.
     * @param {{ name: string, id?: number, project?: string }} spec
     */
    addBuildDefinition({ name, id = definitions.length + 1, project = 'release-project' }) {
      const owner = projects.find(projects.defaultOrg, project);
      if (!owner) throw new Error(`Unknown project '${project}'.`);
      const definition = { id, name, projectId: owner.id };
      definitions.push(definition);
      return definition;
    },
    /** Builds queued (pipeline runs included), oldest first. */
    builds: () => [...builds],
    /** Pipeline runs created, as the REST API returned them. */
    pipelineRuns: () => [...runs]
  };
  api.addBuildDefinition({ name: 'release-pipeline' });
  return { api };
}

/** @param {unknown} value */
const isPlainObject = (value) => typeof value === 'object' && value !== null && !Array.isArray(value);

/** @param {unknown} value */
function isJsonObjectString(value) {
  try {
    return typeof value === 'string' && isPlainObject(JSON.parse(value));
  } catch {
    return false;
  }
}
