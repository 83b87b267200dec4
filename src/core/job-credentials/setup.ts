import { join } from 'node:path';
import type { SecretGuard } from '../secrets.js';
import type { CredentialSettings, Organization } from '../settings.js';
import type { AccessToken } from '../auth/token-provider.js';
import { configureFeeds, type Feed } from './feeds.js';
import { gitCredentialEnvironment, helperCommand } from './git.js';
import { organizationUrlScopes } from './git.js';
import { createCredentialsDir, writeHelperState, type CiPlatform, type RefreshRecipe } from './state.js';

export interface CredentialRequest {
  gitCredentials: boolean;
  feeds: Feed[];
  organization: Organization | undefined;
  credential: CredentialSettings;
  scope: string;
}

export interface CredentialContext {
  /** RUNNER_TEMP / Agent.TempDirectory: removed by the platform at job end, and by our post step. */
  tempRoot: string;
  /** The node binary the runner or agent runs us with; the git helper runs with it too. */
  nodePath: string;
  /** dist/git-credential-helper/index.js of this release. */
  helperScript: string;
  env: NodeJS.ProcessEnv;
  guard: SecretGuard;
  /** The platform the step runs on: the git helper registers each token it mints with that platform's masking. */
  platform: CiPlatform;
  /**
   * Called with the directory before any file is written to it, so the caller can record it for the post step
   * (GitHub's saveState): a set-up that fails half way must not leave a token file nobody removes.
   */
  onDirectory?: (dir: string) => void;
}

/** How the git helper can get a new token later in the job without a stored secret, where the platform allows it. */
export function refreshRecipe(credential: CredentialSettings, scope: string): RefreshRecipe {
  if (credential.kind === 'managed-identity')
    return { kind: 'managed-identity', selector: credential.selector, scope };
  if (credential.kind === 'federated' && credential.oidc.kind === 'github') {
    return {
      kind: 'github-federated',
      tenantId: credential.tenantId,
      clientId: credential.clientId,
      authorityHost: credential.authorityHost,
      audience: credential.oidc.audience,
      scope
    };
  }
  return { kind: 'none' };
}

/**
 * Sets up git and the package clients for the later steps of the job. Returns the environment to export
 * and the private directory holding the files (removed by the post step), or undefined when nothing was asked.
 */
export function setUpCredentials(
  request: CredentialRequest,
  token: AccessToken,
  ctx: CredentialContext
): { dir: string; env: Record<string, string> } | undefined {
  if (!request.gitCredentials && request.feeds.length === 0) return undefined;
  const dir = createCredentialsDir(ctx.tempRoot);
  ctx.onDirectory?.(dir);
  const env: Record<string, string> = {};
  if (request.gitCredentials && request.organization) {
    const refresh = refreshRecipe(request.credential, request.scope);
    const statePath = join(dir, 'git-credential.json');
    writeHelperState(statePath, {
      token: token.token,
      expiresOnTimestamp: token.expiresOnTimestamp,
      refresh,
      platform: ctx.platform
    });
    Object.assign(
      env,
      gitCredentialEnvironment(
        request.organization,
        helperCommand(ctx.nodePath, ctx.helperScript, statePath),
        ctx.env
      )
    );
    const lifetime =
      refresh.kind === 'none'
        ? `the token is valid until ${new Date(token.expiresOnTimestamp).toISOString()}; run the step again for longer jobs`
        : refresh.kind === 'managed-identity'
          ? 'a fresh token is minted from the managed identity when this one nears expiry'
          : "a fresh token is minted with the job's OIDC token when this one nears expiry";
    ctx.guard.info(
      `Git: credentials for ${organizationUrlScopes(request.organization)
        .map((s) => `${s}/`)
        .join(' and ')} only, through a credential helper (${lifetime}).`
    );
  }
  // Stryker disable next-line ConditionalExpression,EqualityOperator: no feeds configure nothing and log nothing anyway.
  if (request.feeds.length > 0) {
    const feeds = configureFeeds(request.feeds, token.token, dir, ctx.env);
    Object.assign(env, feeds.env);
    for (const line of feeds.lines) ctx.guard.info(`Feed ${line}.`);
  }
  return { dir, env };
}
