// Azure DevOps error shapes: the JSON error body, the sign-in page answered with 203, TF messages, and the
// request IDs every answer carries.
import { randomBytes, randomUUID } from 'node:crypto';

export const TF_ANONYMOUS =
  'TF400813: Resource not available for anonymous access. Client authentication required.';

export const TF_THROTTLED =
  "TF400733: The request has been canceled: Request was blocked due to exceeding usage of resource 'Core' in " +
  'namespace \'User\'. For more information on why your request was blocked, see the topic "Rate limits" on the ' +
  'Microsoft Web site (https://go.microsoft.com/fwlink/?LinkId=823950).';

const FRAMEWORK = 'Microsoft.TeamFoundation.Framework.Server';
const WEB_API = 'Microsoft.VisualStudio.Services.WebApi';
const WIT = 'Microsoft.TeamFoundation.WorkItemTracking.Server';
const COMMON = 'Microsoft.VisualStudio.Services.Common';
/** @type {[string, string]} */
const BUILD = ['Microsoft.TeamFoundation.Build.WebApi', 'Microsoft.TeamFoundation.Build2.WebApi'];
/** @type {[string, string]} */
const SYSTEM = ['System', 'mscorlib'];

/** typeKey → the namespace its typeName lives in, or [namespace, assembly] when they differ. */
const NAMESPACES = {
  UnauthorizedRequestException: FRAMEWORK,
  HostDoesNotExistException: FRAMEWORK,
  RequestBlockedException: FRAMEWORK,
  ServiceEndpointNotFoundException: 'Microsoft.TeamFoundation.DistributedTask.WebApi',
  HttpException: 'System.Web',
  ArgumentNullException: SYSTEM,
  ArgumentException: SYSTEM,
  VssVersionNotSpecifiedException: WEB_API,
  VssRequestContentTypeNotSupportedException: WEB_API,
  VssServiceException: COMMON,
  VssServiceUnavailableException: COMMON,
  ProjectDoesNotExistWithNameException: 'Microsoft.TeamFoundation.Core.WebApi',
  InvalidArgumentValueException: 'Microsoft.TeamFoundation.Core.WebApi',
  GitRepositoryNotFoundException: 'Microsoft.TeamFoundation.Git.Server',
  RuleValidationException: WIT,
  WorkItemUnauthorizedAccessException: WIT,
  WorkItemTypeNotFoundException: WIT,
  DefinitionNotFoundException: BUILD,
  BuildNotFoundException: BUILD,
  PipelineNotFoundException: 'Microsoft.Azure.Pipelines.WebApi'
};

/** @typedef {keyof typeof NAMESPACES} AdoTypeKey */

/**
 * An Azure DevOps error response: `{ $id, innerException, message, typeName, typeKey, errorCode, eventId }`.
 * @param {number} status
 * @param {string} message
 * @param {AdoTypeKey} typeKey
 * @param {Record<string, string | string[]>} [headers]
 * @returns {import('../server/router.js').EmulatorResponse}
 */
export function adoError(status, message, typeKey, headers = {}) {
  const entry = NAMESPACES[typeKey];
  const [namespace, assembly] = typeof entry === 'string' ? [entry, entry] : entry;
  return {
    status,
    headers,
    body: {
      $id: '1',
      innerException: null,
      message,
      typeName: `${namespace}.${typeKey}, ${assembly}`,
      typeKey,
      errorCode: 0,
      eventId: typeKey === 'HttpException' ? 0 : 3000
    }
  };
}

/**
 * The 400 every REST route answers when neither the query nor the Accept header carries an api-version.
 * @param {string} method
 */
export function missingApiVersion(method) {
  const message =
    `No api-version was supplied for the "${method}" request. The version must be supplied either as part ` +
    `of the Accept header (e.g. "application/json; api-version=1.0") or as a query parameter (e.g. '?api-version=1.0').`;
  return adoError(400, message, 'VssVersionNotSpecifiedException');
}

/**
 * `Value cannot be null.` the way the .NET services word a missing argument.
 * @param {string} parameter
 */
export const argumentNull = (parameter) =>
  adoError(400, `Value cannot be null.\r\nParameter name: ${parameter}`, 'ArgumentNullException');

/**
 * The headers of a 401: where to get a token, and the tenant the organization is connected to.
 * @param {string} tenantId
 * @param {string} realm  e.g. the emulator's HTTPS URL
 */
export function authChallenge(tenantId, realm) {
  return {
    'www-authenticate': [
      `Bearer authorization_uri=https://login.microsoftonline.com/${tenantId}`,
      `Basic realm="${realm}/"`,
      'TFS-Federated'
    ],
    'x-vss-resourcetenant': tenantId
  };
}

/**
 * What Azure DevOps answers an unauthenticated browser-style request (no `X-TFS-FedAuthRedirect: Suppress`):
 * 203 Non-Authoritative Information with an HTML sign-in page. Clients must treat it as a failure.
 * @param {string} tenantId
 * @returns {import('../server/router.js').EmulatorResponse}
 */
export function signInPage(tenantId) {
  return {
    status: 203,
    headers: { 'content-type': 'text/html; charset=utf-8', 'x-vss-resourcetenant': tenantId },
    body: [
      '<!DOCTYPE html>',
      '<html lang="en-US">',
      '<head><title>Azure DevOps Services | Sign In</title><meta http-equiv="X-UA-Compatible" content="IE=11;" /></head>',
      '<body>',
      '<p>You need to sign in to continue to Azure DevOps.</p>',
      `<a href="https://login.microsoftonline.com/${tenantId}/oauth2/authorize">Sign in</a>`,
      '</body>',
      '</html>',
      ''
    ].join('\n')
  };
}

/**
 * The request IDs Azure DevOps puts on every answer (errors, successes, sign-in pages): `ActivityId` (the same value
 * as `X-TFS-Session`), `X-VSS-E2EID`, and the Azure Front Door reference
 * `X-MSEdge-Ref: Ref A: <32 hex> Ref B: <edge> Ref C: <UTC time>`. Fresh values per answer.
 * @returns {Record<string, string>}
 */
export function requestIdHeaders() {
  const activityId = randomUUID();
  const refA = randomBytes(16).toString('hex').toUpperCase();
  const refC = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  return {
    activityid: activityId,
    'x-tfs-session': activityId,
    'x-vss-e2eid': randomUUID(),
    'x-msedge-ref': `Ref A: ${refA} Ref B: AMS231032607033 Ref C: ${refC}`
  };
}
