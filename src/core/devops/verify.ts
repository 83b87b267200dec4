import { azureDevOpsError, type TokenIdentity } from './errors.js';
import type { Budget, DevOpsClient } from './client.js';
import type { Organization } from '../settings.js';

export interface VerifiedIdentity {
  id: string;
  displayName: string;
}

/**
 * Proves the token works for the organization: GET _apis/connectionData through the same client the
 * operations use (a 203 or an HTML 2xx is the sign-in page, which the client reports as a failure).
 */
export async function verifyToken(
  client: DevOpsClient,
  organization: Organization,
  identity: TokenIdentity,
  /** The run's budget for getting and verifying the token: verification gets what acquisition left. */
  budget?: Budget
): Promise<VerifiedIdentity> {
  const url = new URL(`${organization.url}/_apis/connectionData`);
  const what = `Verifying the token against organization '${organization.name}'`;
  // The token was issued a moment ago: a 401 means membership, not expiry, so no refresh-and-retry.
  const response = await client.send({
    method: 'GET',
    url,
    description: what,
    refreshOn401: false,
    ...(budget ? { budget } : {})
  });
  const success = response.status >= 200 && response.status < 300;
  if (!success || typeof response.data !== 'object' || response.data === null) {
    // A 2xx without a JSON object is a sign-in page in disguise.
    throw azureDevOpsError(
      what,
      `${url.origin}${url.pathname}`,
      response,
      identity,
      organization.name,
      success
    );
  }
  const user = (response.data as { authenticatedUser?: { id?: unknown; providerDisplayName?: unknown } })
    .authenticatedUser;
  return {
    id: typeof user?.id === 'string' ? user.id : '',
    displayName: typeof user?.providerDisplayName === 'string' ? user.providerDisplayName : ''
  };
}
