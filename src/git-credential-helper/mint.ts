import { createRunTransport } from '../core/http/transport.js';
import type { Platform } from '../core/platform.js';
import type { RefreshRecipe } from '../core/job-credentials/state.js';
import { createSecretGuard } from '../core/secrets.js';
import type { CredentialSettings } from '../core/settings.js';
import { createTokenProvider, type AccessToken } from '../core/auth/token-provider.js';
import { DEFAULT_TIMEOUT_SECONDS } from '../core/validate.js';

/** Nothing from the helper may reach git's stdout; only warnings go to stderr. */
const QUIET: Platform = {
  name: 'git credential helper',
  isDebug: false,
  info: () => undefined,
  debug: () => undefined,
  warning: (message) => process.stderr.write(`${message}\n`),
  setSecret: () => undefined,
  agentFor: () => undefined
};

/**
 * How Entra failures would name the inputs. The helper shows only an error's name (main.ts), never its message,
 * so these never reach a log: the tables users read live in each adapter's main.ts, which the helper may not import.
 */
const NAMES = {
  clientId: 'client-id',
  tenantId: 'tenant-id',
  cloud: 'cloud',
  scope: 'scope',
  managedIdentitySelectors: 'the managed identity inputs'
};

/** Mints a new token from the recipe, or returns undefined when the job no longer allows it. */
export async function mintToken(
  recipe: RefreshRecipe,
  env: NodeJS.ProcessEnv
): Promise<AccessToken | undefined> {
  let credential: CredentialSettings;
  if (recipe.kind === 'managed-identity') {
    credential = { kind: 'managed-identity', selector: recipe.selector };
  } else if (recipe.kind === 'github-federated') {
    const requestUrl = env.ACTIONS_ID_TOKEN_REQUEST_URL;
    const requestToken = env.ACTIONS_ID_TOKEN_REQUEST_TOKEN;
    if (!requestUrl || !requestToken) return undefined;
    credential = {
      kind: 'federated',
      tenantId: recipe.tenantId,
      clientId: recipe.clientId,
      authorityHost: recipe.authorityHost,
      oidc: { kind: 'github', requestUrl, requestToken, audience: recipe.audience }
    };
  } else {
    return undefined;
  }
  const guard = createSecretGuard(QUIET);
  const transport = createRunTransport(QUIET, guard);
  const provider = createTokenProvider({
    credential,
    scope: recipe.scope,
    transport,
    guard,
    names: NAMES,
    subjectAdvice: '',
    timeoutSeconds: DEFAULT_TIMEOUT_SECONDS,
    env
  });
  return provider.get();
}
