// Azure DevOps error shapes: the JSON error body, the sign-in page answered with 203, and TF messages.

export const TF_ANONYMOUS =
  'TF400813: Resource not available for anonymous access. Client authentication required.';

/** typeKey → the namespace its typeName lives in. */
const NAMESPACES = {
  UnauthorizedRequestException: 'Microsoft.TeamFoundation.Framework.Server',
  HostDoesNotExistException: 'Microsoft.TeamFoundation.Framework.Server',
  ServiceEndpointNotFoundException: 'Microsoft.TeamFoundation.DistributedTask.WebApi',
  HttpException: 'System.Web'
};

/**
 * An Azure DevOps error response: `{ $id, innerException, message, typeName, typeKey, errorCode, eventId }`.
 * @param {number} status
 * @param {string} message
 * @param {keyof typeof NAMESPACES} typeKey
 * @param {Record<string, string | string[]>} [headers]
 * @returns {import('./router.js').EmulatorResponse}
 */
export function adoError(status, message, typeKey, headers = {}) {
  const namespace = NAMESPACES[typeKey];
  const assembly = namespace === 'System.Web' ? 'System.Web' : namespace;
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
 * What Azure DevOps answers an unauthenticated browser-style request (no `X-TFS-FedAuthRedirect: Suppress`):
 * 203 Non-Authoritative Information with an HTML sign-in page. Clients must treat it as a failure.
 * @param {string} tenantId
 * @returns {import('./router.js').EmulatorResponse}
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
