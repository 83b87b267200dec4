// Work items: create with a JSON Patch document (`POST …/_apis/wit/workitems/$Task`, Content-Type
// application/json-patch+json) and read by id.
import { adoError, argumentNull } from './errors.js';
import { adoDate, identityRef, readJson } from './rest.js';

/** Work item types of the Agile, Scrum, Basic and CMMI processes; matched ignoring case. */
const WORK_ITEM_TYPES = [
  'Bug',
  'Task',
  'Epic',
  'Feature',
  'Issue',
  'User Story',
  'Product Backlog Item'
].concat(['Impediment', 'Requirement', 'Risk', 'Change Request', 'Review', 'Test Case']);
const PATCH_TYPE = 'application/json-patch+json';

/**
 * @typedef {object} WorkItem
 * @property {number} id
 * @property {number} rev
 * @property {Record<string, unknown>} fields
 * @property {Array<Record<string, unknown>>} relations
 * @property {import('./projects.js').Project} project
 */

/**
 * @param {{ httpsUrl: string, projects: ReturnType<typeof import('./projects.js').createProjects> }} deps
 */
export function createWorkItems({ httpsUrl, projects }) {
  /** @type {Map<number, WorkItem>} */
  const workItems = new Map();

  /** @param {WorkItem} item */
  const describe = (item) => {
    const url = `${httpsUrl}/${item.project.org}/${item.project.id}/_apis/wit/workItems/${item.id}`;
    const html = `${httpsUrl}/${item.project.org}/${encodeURIComponent(item.project.name)}/_workitems/edit/${item.id}`;
    return {
      id: item.id,
      rev: item.rev,
      fields: item.fields,
      ...(item.relations.length > 0 ? { relations: item.relations } : {}),
      _links: { self: { href: url }, html: { href: html } },
      url
    };
  };

  projects.projectRoute(
    'POST',
    '/{project}/_apis/wit/workitems/{type}',
    (req, { identity, now, params }, project) => {
      const contentType = (req.headers['content-type'] ?? '').split(';')[0]?.trim() ?? '';
      if (contentType.toLowerCase() !== PATCH_TYPE) {
        return adoError(
          415,
          `The request indicated a Content-Type of "${contentType}" for method type "POST" which is not supported. Valid content types for this method are: ${PATCH_TYPE}.`,
          'VssRequestContentTypeNotSupportedException'
        );
      }
      const typeParam = params.type ?? '';
      const type = WORK_ITEM_TYPES.find((name) => `$${name}`.toLowerCase() === typeParam.toLowerCase());
      if (!typeParam.startsWith('$') || !type) {
        const message = `VS402323: Work item type ${typeParam.replace(/^\$/, '')} does not exist in project ${project.name} or you do not have permission to access it.`;
        return adoError(404, message, 'WorkItemTypeNotFoundException');
      }
      const patch = readJson(req);
      if (!Array.isArray(patch)) return argumentNull('document');
      /** @type {Record<string, unknown>} */
      const given = {};
      const relations = [];
      for (const operation of patch) {
        const field = /^\/fields\/(.+)$/.exec(String(operation?.path ?? ''))?.[1];
        if (field && ['add', 'replace'].includes(operation.op)) given[field] = operation.value;
        else if (field && operation.op === 'remove') delete given[field];
        else if (operation?.path === '/relations/-' && operation.op === 'add')
          relations.push(operation.value);
      }
      const title = given['System.Title'];
      if (typeof title !== 'string' || title.trim() === '') {
        return adoError(
          400,
          'TF401320: Rule Error for field Title. Error code: Required, HasValues, LimitedToValues, AllowsOldValue, InvalidEmpty.',
          'RuleValidationException'
        );
      }
      const date = adoDate(now());
      const who = { ...identityRef(identity), url: `${httpsUrl}/_apis/Identities/${identity.id}` };
      const item = {
        id: workItems.size + 1,
        rev: 1,
        relations,
        project,
        fields: {
          'System.AreaPath': project.name,
          'System.TeamProject': project.name,
          'System.IterationPath': project.name,
          'System.WorkItemType': type,
          'System.State': 'New',
          'System.Reason': 'New',
          'System.CreatedDate': date,
          'System.CreatedBy': who,
          'System.ChangedDate': date,
          'System.ChangedBy': who,
          'System.CommentCount': 0,
          ...given,
          'System.Title': title
        }
      };
      workItems.set(item.id, item);
      return { status: 200, body: describe(item) };
    }
  );

  projects.projectRoute('GET', '/{project}/_apis/wit/workitems/{id}', (_req, { params }) => {
    const item = /^\d+$/.test(params.id ?? '') ? workItems.get(Number(params.id)) : undefined;
    if (!item) {
      const message = `TF401232: Work item ${params.id} does not exist, or you do not have permissions to read it.`;
      return adoError(404, message, 'WorkItemUnauthorizedAccessException');
    }
    return { status: 200, body: describe(item) };
  });

  return {
    api: {
      /** Work items created (ids from 1), as the REST API returns them. */
      workItems: () => [...workItems.values()].map(describe)
    }
  };
}
