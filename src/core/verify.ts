import { azureDevOpsError, isJsonResponse, type TokenIdentity } from './azure-devops-errors.js';
import { displayUrl } from './http.js';
import { sendWithRetry, type RetryContext } from './retry.js';
import type { Organization } from './settings.js';

export interface VerifiedIdentity {
  id: string;
  displayName: string;
}

/**
 * Proves the token works for the organization: GET _apis/connectionData. A 203 or any 2xx that is not
 * JSON is Azure DevOps' sign-in page, which means the token was not accepted.
 */
export async function verifyToken(
  token: string,
  organization: Organization,
  identity: TokenIdentity,
  context: RetryContext
): Promise<VerifiedIdentity> {
  const url = `${organization.url}/_apis/connectionData`;
  const response = await sendWithRetry(
    {
      method: 'GET',
      url,
      headers: {
        authorization: `Bearer ${token}`,
        accept: 'application/json',
        'x-tfs-fedauthredirect': 'Suppress'
      },
      endpoint: 'Azure DevOps organization'
    },
    context
  );
  const what = `Verifying the token against organization '${organization.name}'`;
  if (
    response.status === 203 ||
    (response.status >= 200 && response.status < 300 && !isJsonResponse(response))
  ) {
    throw azureDevOpsError(what, displayUrl(url), response, identity, organization.name, true);
  }
  if (response.status < 200 || response.status >= 300)
    throw azureDevOpsError(what, displayUrl(url), response, identity, organization.name);
  const body = JSON.parse(response.body) as {
    authenticatedUser?: { id?: unknown; providerDisplayName?: unknown };
  };
  const user = body.authenticatedUser;
  return {
    id: typeof user?.id === 'string' ? user.id : '',
    displayName: typeof user?.providerDisplayName === 'string' ? user.providerDisplayName : ''
  };
}
