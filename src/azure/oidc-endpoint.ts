import { InputError } from '../core/errors.js';
import { isLoopbackHost } from '../core/validate.js';

/**
 * Azure DevOps Services hosts a collection (organization) URL can have. Workload identity federation
 * exists only there, so the OIDC endpoint is one of these too.
 */
const SERVICE_HOST = /^(dev\.azure\.com|[a-z0-9][a-z0-9-]*\.visualstudio\.com)$/;

/** A URL as an error may quote it: any user name and password replaced, since they may be a secret. */
function withoutUserinfo(value: string): string {
  return value.replace(/\/\/[^/?#@]*@/, '//***@');
}

function parseUrl(value: string): URL | undefined {
  try {
    return new URL(value);
  } catch {
    return undefined;
  }
}

/**
 * Checks `System.OidcRequestUri` before System.AccessToken is sent to it. Variables can be set by anyone who
 * can edit or queue the pipeline, so the URL must be on the host of the job's own collection
 * (`System.CollectionUri`), which must be an Azure DevOps Services host (or, for local tests, a loopback
 * URL), over https (http only for that loopback collection). Microsoft's own tasks (AzureCLI@2, the
 * azure-arm-rest library) never read the variable: they build the request from System.CollectionUri.
 */
export function checkOidcRequestUri(requestUri: string, collectionUri: string | undefined): string {
  const fix =
    'Remove any pipeline, variable-group or queue-time variable that sets System.OidcRequestUri or System.CollectionUri: the agent sets both.';
  const collection = parseUrl(collectionUri?.trim() ?? '');
  if (collection === undefined) {
    throw new InputError(
      'System.CollectionUri',
      `System.CollectionUri is ${collectionUri?.trim() ? `'${withoutUserinfo(collectionUri.trim())}', which is not a URL` : 'empty'}, but workload identity federation needs it to check System.OidcRequestUri before sending System.AccessToken there. ${fix}`
    );
  }
  const collectionHost = collection.hostname.toLowerCase();
  const loopback = isLoopbackHost(collectionHost);
  if (!loopback && !(collection.protocol === 'https:' && SERVICE_HOST.test(collectionHost))) {
    throw new InputError(
      'System.CollectionUri',
      `System.CollectionUri is '${withoutUserinfo(collection.href)}', which is not an Azure DevOps Services organization URL (https://dev.azure.com/ORGANIZATION/ or https://ORGANIZATION.visualstudio.com/): workload identity federation exists only on Azure DevOps Services, so System.AccessToken is not sent to an OIDC endpoint there. ${fix}`
    );
  }
  const url = parseUrl(requestUri);
  const refuse = (problem: string): never => {
    throw new InputError(
      'System.OidcRequestUri',
      `System.OidcRequestUri is '${withoutUserinfo(requestUri)}': ${problem} System.AccessToken is not sent there. ${fix}`
    );
  };
  if (url === undefined) return refuse('it is not a URL.');
  if (url.username !== '' || url.password !== '' || url.hash !== '' || url.search !== '')
    refuse('an OIDC request URL has no credentials, query or fragment.');
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback))
    refuse('the OIDC request must use https.');
  if (url.host.toLowerCase() !== collection.host.toLowerCase() || url.protocol !== collection.protocol)
    refuse(
      `it is not on the host of the job's collection, System.CollectionUri '${collection.origin}/' (the OIDC endpoint is always on the collection's host).`
    );
  return requestUri;
}
