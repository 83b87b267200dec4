// Branch policies: `POST|GET /{org}/{project}/_apis/policy/configurations`; every repository in the
// settings' scope must exist in the project.
import { adoError, argumentNull } from './errors.js';
import { adoDate, identityRef, readJson } from './rest.js';

/** Display names of the common built-in policy types (others are accepted without one). */
const POLICY_TYPES = {
  'fa4e907d-c16b-4a4c-9dfa-4906e5d171dd': 'Minimum number of reviewers',
  '0609b952-1397-4640-95ec-e00a01b2c241': 'Build',
  '40e92b44-2fe1-4dd6-b3d8-74a9c21d0c6e': 'Work item linking',
  'c6a1889d-b943-4856-b76f-9e46bb6b0df2': 'Comment requirements',
  'fa4e907d-c16b-4a4c-9dfa-4916e5d171ab': 'Require a merge strategy',
  'fd2167ab-b0be-447a-8ec8-39368250530e': 'Required reviewers'
};

/**
 * @param {{ httpsUrl: string, projects: ReturnType<typeof import('./projects.js').createProjects>,
 *   git: ReturnType<typeof import('./git-api.js').createGit> }} deps
 */
export function createPolicies({ httpsUrl, projects, git }) {
  /** @type {Array<{ projectId: string, configuration: Record<string, any> }>} */
  const configurations = [];

  projects.projectRoute(
    'POST',
    '/{project}/_apis/policy/configurations',
    (req, { identity, now }, project) => {
      const body = readJson(req);
      const typeId = String(body?.type?.id ?? '').toLowerCase();
      if (!typeId) return argumentNull('configuration.Type');
      const scope = body?.settings?.scope;
      if (!Array.isArray(scope) || scope.length === 0) return argumentNull('configuration.Settings.scope');
      for (const entry of scope) {
        const repositoryId = entry?.repositoryId;
        if (repositoryId === null || repositoryId === undefined) continue;
        if (!git.findRepository(project, String(repositoryId))) {
          return adoError(
            400,
            `Invalid argument value.\r\nParameter name: The repository '${repositoryId}' in the policy scope does not exist in project '${project.name}'.`,
            'InvalidArgumentValueException'
          );
        }
      }
      const id = configurations.length + 1;
      const url = `${httpsUrl}/${project.org}/${project.id}/_apis/policy/configurations/${id}`;
      const typeUrl = `${httpsUrl}/${project.org}/${project.id}/_apis/policy/types/${typeId}`;
      const configuration = {
        createdBy: identityRef(identity),
        createdDate: adoDate(now()),
        isEnabled: Boolean(body.isEnabled),
        isBlocking: Boolean(body.isBlocking),
        isDeleted: false,
        settings: body.settings,
        isEnterpriseManaged: false,
        _links: { self: { href: url }, policyType: { href: typeUrl } },
        revision: 1,
        id,
        url,
        type: {
          id: typeId,
          url: typeUrl,
          displayName: POLICY_TYPES[/** @type {keyof typeof POLICY_TYPES} */ (typeId)] ?? 'Policy'
        }
      };
      configurations.push({ projectId: project.id, configuration });
      return { status: 200, body: configuration };
    }
  );

  projects.projectRoute('GET', '/{project}/_apis/policy/configurations', (req, _ctx, project) => {
    const { repositoryId, refName, policyType } = req.query;
    const value = configurations
      .filter((entry) => entry.projectId === project.id)
      .map((entry) => entry.configuration)
      .filter((configuration) => !policyType || configuration.type.id === policyType.toLowerCase())
      .filter((configuration) =>
        (configuration.settings?.scope ?? []).some(
          (/** @type {any} */ entry) =>
            (!repositoryId || String(entry?.repositoryId).toLowerCase() === repositoryId.toLowerCase()) &&
            (!refName || entry?.refName === refName)
        )
      );
    return { status: 200, body: { count: value.length, value } };
  });

  return {
    api: {
      /** Policy configurations created (every project), as the REST API returned them. */
      policyConfigurations: () => configurations.map((entry) => entry.configuration)
    }
  };
}
