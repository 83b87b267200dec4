import { readFileSync } from 'node:fs';
import { CLOUDS } from '../core/auth/clouds.js';
import { withOperations, type OperationsReader, type SettingsRead } from '../core/operations/lazy.js';
import { InputError, invalidInput } from '../core/errors.js';
import type { SecretGuard } from '../core/secrets.js';
import type { Settings } from '../core/settings.js';
import { readStepInputs } from '../core/step.js';
import {
  parseAuthorityHost,
  parseCloud,
  parseAppClientId,
  requireAppInputs,
  parseManagedIdentitySelector,
  parseOrganization,
  parseScope,
  parseTenant,
  parseVariableName,
  parseVerify,
  type RawInput
} from '../core/validate.js';
import { AUTH_TYPES, GITHUB_INPUTS, type GitHubInputKey } from './inputs.js';

export interface GitHubSettings extends Settings {
  /** Also export the token as this environment variable for later steps. */
  exportVariable: string | undefined;
  /** Write the job summary. */
  summary: boolean;
}

/** readGitHubInputs with the operations parsed, for callers that have the operations engine at hand. */
export function readGitHubSettings(
  getInput: (name: string) => string,
  env: NodeJS.ProcessEnv,
  guard: SecretGuard,
  readOperations: OperationsReader
): GitHubSettings {
  return withOperations(readGitHubInputs(getInput, env, guard), readOperations);
}

/**
 * Reads and validates every input once, before anything touches the network. The operations stay as their
 * inputs (undefined when there are none): loadOperations parses them with the engine it loads only then.
 */
export function readGitHubInputs(
  getInput: (name: string) => string,
  env: NodeJS.ProcessEnv,
  guard: SecretGuard
): SettingsRead<GitHubSettings> {
  const input = (key: GitHubInputKey, fallbackEnv?: string): RawInput => {
    const name = GITHUB_INPUTS[key];
    const value = getInput(name).trim();
    if (value === '' && fallbackEnv !== undefined && env[fallbackEnv]?.trim()) {
      return { name: `${name} (from ${fallbackEnv})`, value: env[fallbackEnv]?.trim() ?? '' };
    }
    return { name, value };
  };

  // Defaults live in action.yml only: the runner always passes them, so empty here means set to empty.
  const authTypeInput = input('authType');
  const authType = authTypeInput.value.toLowerCase();
  if (!(AUTH_TYPES as readonly string[]).includes(authType)) {
    throw invalidInput(
      authTypeInput,
      authTypeInput.value,
      `it must be one of ${AUTH_TYPES.join(', ')}.`,
      "Use federated for workload identity federation with GitHub's OIDC token, or managed-identity on a self-hosted runner in Azure."
    );
  }
  const cloud = parseCloud({ name: GITHUB_INPUTS.cloud, value: input('cloud').value });
  const scope = parseScope(input('scope'));
  const organization = parseOrganization(input('organization'));
  const verify = parseVerify(input('verify'), organization !== undefined);
  const exportInput = input('exportVariable');
  const exportVariable = exportInput.value
    ? parseVariableName(exportInput, ['GITHUB_', 'RUNNER_', 'ACTIONS_', 'INPUT_', 'STATE_'])
    : undefined;
  const common = {
    scope,
    organization,
    verify,
    exportVariable,
    ...readStepInputs(
      input,
      env,
      { value: organization, input: GITHUB_INPUTS.organization },
      env.GITHUB_WORKSPACE ?? process.cwd()
    )
  };

  if (authType === 'managed-identity') {
    // The Entra authority and the OIDC audience play no part: the identity endpoint issues the token.
    for (const key of ['authorityHost', 'audience'] as const) {
      if (input(key).value) {
        throw new InputError(
          GITHUB_INPUTS[key],
          `Input '${GITHUB_INPUTS[key]}' is set, but it only applies when '${GITHUB_INPUTS.authType}' is federated (it is managed-identity). Remove it.`
        );
      }
    }
    const objectId = input('managedIdentityObjectId');
    const resourceId = input('managedIdentityResourceId');
    const clientId =
      objectId.value || resourceId.value ? input('clientId') : input('clientId', 'AZURE_CLIENT_ID');
    return {
      ...common,
      credential: {
        kind: 'managed-identity',
        selector: parseManagedIdentitySelector({ clientId, objectId, resourceId })
      }
    };
  }

  for (const key of ['managedIdentityObjectId', 'managedIdentityResourceId'] as const) {
    if (input(key).value) {
      throw new InputError(
        GITHUB_INPUTS[key],
        `Input '${GITHUB_INPUTS[key]}' is set, but it only applies when '${GITHUB_INPUTS.authType}' is managed-identity (it is ${authType}). Remove it, or set '${GITHUB_INPUTS.authType}: managed-identity'.`
      );
    }
  }
  const clientInput = input('clientId', 'AZURE_CLIENT_ID');
  const tenantInput = input('tenantId', 'AZURE_TENANT_ID');
  requireAppInputs(clientInput, tenantInput, 'federated authentication');
  const authorityInput = input('authorityHost', 'AZURE_AUTHORITY_HOST');
  const authorityHost = authorityInput.value
    ? parseAuthorityHost(authorityInput)
    : CLOUDS[cloud].authorityHost;
  const clientId = parseAppClientId(clientInput);
  const tenantId = parseTenant(tenantInput);
  const audienceValue = input('audience').value;
  const audience = audienceValue || CLOUDS[cloud].audience;

  const requestUrl = env.ACTIONS_ID_TOKEN_REQUEST_URL?.trim() ?? '';
  const requestToken = guard.mask(env.ACTIONS_ID_TOKEN_REQUEST_TOKEN?.trim() ?? '');
  if (requestUrl === '' || requestToken === '') throw missingOidcError(env);
  return {
    ...common,
    credential: {
      kind: 'federated',
      clientId,
      tenantId,
      authorityHost,
      oidc: { kind: 'github', requestUrl, requestToken, audience }
    }
  };
}

/** GitHub's own message does not say why the variables are missing; this one does. */
function missingOidcError(env: NodeJS.ProcessEnv): InputError {
  const fork = isForkPullRequest(env);
  const reason = fork
    ? 'This run is for a pull request from a fork, and GitHub never gives those runs an OIDC token (nor secrets). Run the release job on push or workflow_dispatch, or on pull_request_target only after reviewing the code it runs.'
    : 'Add `permissions: id-token: write` to the workflow or to this job (with `contents: read` if the job checks out code). Reusable workflows need the permission in the caller too.';
  return new InputError(
    'permissions',
    `GitHub did not give this job an OIDC token: ACTIONS_ID_TOKEN_REQUEST_URL and ACTIONS_ID_TOKEN_REQUEST_TOKEN are not set. ${reason}`
  );
}

function isForkPullRequest(env: NodeJS.ProcessEnv): boolean {
  // pull_request_target runs in the base repository's context and does get OIDC tokens.
  const eventName = env.GITHUB_EVENT_NAME ?? '';
  if (!eventName.startsWith('pull_request') || eventName === 'pull_request_target' || !env.GITHUB_EVENT_PATH)
    return false;
  try {
    const event = JSON.parse(readFileSync(env.GITHUB_EVENT_PATH, 'utf8')) as {
      pull_request?: {
        head?: { repo?: { full_name?: string; fork?: boolean } };
        base?: { repo?: { full_name?: string } };
      };
    };
    const head = event.pull_request?.head?.repo;
    return (
      head?.fork === true ||
      (head?.full_name !== undefined && head.full_name !== event.pull_request?.base?.repo?.full_name)
    );
  } catch {
    return false;
  }
}
