import { readFileSync } from 'node:fs';
import { formatRequestIds, parseAzureDevOpsError, readRequestIds } from '../devops/errors.js';
import { neutralizeServerText, OidcTokenError } from '../errors.js';
import type { HttpResponse } from '../http/transport.js';
import { claimString, decodeJwtClaims } from './jwt.js';
import { sendWithRetry, type RetryContext } from '../http/retry.js';
import type { SecretGuard } from '../secrets.js';
import type { OidcSource } from '../settings.js';

/** What the presented OIDC token said about itself; printed because it is what Entra matches. */
export interface OidcTokenInfo {
  issuer: string;
  subject: string;
  audience: string;
  /** Epoch milliseconds, when the token said. */
  expiresAt: number | undefined;
}

export interface OidcContext extends RetryContext {
  guard: SecretGuard;
  now?: () => number;
}

export function describeOidcSource(source: OidcSource): string {
  switch (source.kind) {
    case 'github':
      return 'GitHub OIDC endpoint';
    case 'azure-pipelines':
      return 'Azure Pipelines OIDC endpoint';
    case 'file':
      return `federated token file ${source.path}`;
    case 'env':
      return `environment variable ${source.variable}`;
  }
}

/** Reads a token another system provides (a projected file, a variable): no request, so nothing to retry. */
function readLocalToken(source: Extract<OidcSource, { kind: 'file' | 'env' }>): string {
  return source.kind === 'env' ? source.token : readTokenFile(source);
}

/** Reads a federated token file; throws an OidcTokenError that names the file, the option and the fix. */
export function readTokenFile(source: { path: string; input: string }): string {
  let text: string;
  try {
    text = readFileSync(source.path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const problem =
      code === 'ENOENT'
        ? 'does not exist'
        : code === 'EACCES'
          ? 'cannot be read by this user'
          : code === 'EISDIR'
            ? 'is a directory'
            : `cannot be read (${code ?? 'unknown error'})`;
    throw new OidcTokenError(
      `The federated token file '${source.path}' (from ${source.input}) ${problem}. Point ${source.input} at the file that holds the OIDC token: on Kubernetes the workload identity webhook mounts it (check the pod's azure.workload.identity/use label and service account); in GitLab CI write the id_tokens variable to a file first.`
    );
  }
  // trim() also drops a Windows editor's CRLF and byte order mark (U+FEFF is white space to it), which Entra would refuse.
  const token = text.trim();
  if (token === '')
    throw new OidcTokenError(
      `The federated token file '${source.path}' (from ${source.input}) is empty. Check that the process that writes it (the workload identity webhook, the CI job) has run.`
    );
  return token;
}

/** Fetches one OIDC token from the platform, masks it at once, and logs its issuer, subject and audience. */
export async function fetchOidcToken(
  source: OidcSource,
  context: OidcContext
): Promise<{ token: string; info: OidcTokenInfo }> {
  if (source.kind === 'file' || source.kind === 'env') {
    const token = context.guard.mask(readLocalToken(source));
    return { token, info: describePresented(token, context) };
  }
  const endpoint = describeOidcSource(source);
  const response =
    source.kind === 'github'
      ? await sendWithRetry(
          {
            method: 'GET',
            url: `${source.requestUrl}&audience=${encodeURIComponent(source.audience)}`,
            // What @actions/core's getIDToken sends: the request URL already carries api-version=2.0.
            headers: { authorization: `Bearer ${source.requestToken}`, accept: 'application/json' },
            endpoint
          },
          context
        )
      : await sendWithRetry(
          {
            method: 'POST',
            url: `${source.requestUri}?api-version=7.1&serviceConnectionId=${encodeURIComponent(source.serviceConnectionId)}`,
            headers: {
              authorization: `Bearer ${source.systemAccessToken}`,
              'content-type': 'application/json',
              accept: 'application/json',
              'x-tfs-fedauthredirect': 'Suppress'
            },
            // No extra claims, as Microsoft's own tasks send it (TaskApi.createOidcToken({}, …)).
            body: '{}',
            endpoint
          },
          context
        );
  const token = context.guard.mask(readToken(source, response));
  return { token, info: describePresented(token, context) };
}

/** Logs the presented token's issuer, subject and audience: what Entra matches against a federated credential. */
function describePresented(token: string, context: OidcContext): OidcTokenInfo {
  const claims = decodeJwtClaims(token);
  if (claims === undefined)
    context.guard.warning(
      'The presented OIDC token is not a JWT, so Microsoft Entra ID will refuse it. Check that the token source holds an OIDC ID token (three base64url parts separated by dots).'
    );
  const info: OidcTokenInfo = {
    issuer: claimString(claims, 'iss'),
    subject: claimString(claims, 'sub'),
    audience: claimString(claims, 'aud'),
    expiresAt: typeof claims?.exp === 'number' ? claims.exp * 1000 : undefined
  };
  context.guard.info(
    `Presented OIDC token: issuer '${info.issuer}', subject '${info.subject}', audience '${info.audience}'${info.expiresAt ? `, expires ${new Date(info.expiresAt).toISOString()}` : ''}.`
  );
  return info;
}

function readToken(
  source: Extract<OidcSource, { kind: 'github' | 'azure-pipelines' }>,
  response: HttpResponse
): string {
  const endpoint = describeOidcSource(source);
  if (response.status < 200 || response.status >= 300) throw oidcStatusError(source, response);
  let body: unknown;
  try {
    body = JSON.parse(response.body);
  } catch {
    throw new OidcTokenError(
      `The ${endpoint} answered HTTP ${response.status} with a body that is not JSON, so no OIDC token was obtained. Retry the job; if it persists, the platform's token service is having problems.`
    );
  }
  const field = source.kind === 'github' ? 'value' : 'oidcToken';
  const token =
    // Stryker disable next-line ConditionalExpression: JSON.parse gives no undefined, and a string, number or boolean has no such field either
    typeof body === 'object' && body !== null ? (body as Record<string, unknown>)[field] : undefined;
  if (typeof token !== 'string' || token === '') {
    throw new OidcTokenError(
      `The ${endpoint} answered without a token (no '${field}' field in its JSON). Retry the job; if it persists, the platform's token service is having problems.`
    );
  }
  return token;
}

function oidcStatusError(
  source: Extract<OidcSource, { kind: 'github' | 'azure-pipelines' }>,
  response: HttpResponse
): OidcTokenError {
  const status = response.status;
  if (source.kind === 'github') {
    const fix =
      status === 401 || status === 403
        ? 'The request token was refused: it belongs to another job or has expired. Run the step in the job that has `permissions: id-token: write`, and do not pass ACTIONS_ID_TOKEN_REQUEST_* between jobs.'
        : 'Retry the job; if it persists, check https://www.githubstatus.com.';
    return new OidcTokenError(`The GitHub OIDC endpoint answered HTTP ${status}. ${fix}`);
  }
  const message = parseAzureDevOpsError(response.body).message;
  const detail = message === undefined ? undefined : neutralizeServerText(message);
  const fix =
    status === 401 || status === 403
      ? "The job's system access token was refused. Check that the pipeline's job authorization scope allows it and that the task runs in the job that received the token."
      : `Check that '${source.serviceConnectionInput}' names a workload identity federation service connection that this pipeline is authorized to use (Project settings → Service connections → the connection → Security).`;
  return new OidcTokenError(
    `The Azure Pipelines OIDC endpoint answered HTTP ${status}${detail ? `: ${detail.replace(/\.\s*$/, '')}` : ''}. ${fix}${formatRequestIds(readRequestIds(response.headers))}`
  );
}

/**
 * Keeps the OIDC token for its lifetime (less a safety margin) so a credential that asks for an
 * assertion on every getToken does not fetch twice, and fetches a fresh one when it is near expiry.
 * With `reuse` false every get() reads afresh (concurrent calls still share one read): a federated token
 * file is rotated by its owner (Kubernetes) well before the old token expires, and reading it costs nothing.
 */
export function createOidcTokenCache(
  fetch: () => Promise<{ token: string; info: OidcTokenInfo }>,
  now: () => number = Date.now,
  marginMs = 60_000,
  reuse = true
): { get(): Promise<string>; last(): OidcTokenInfo | undefined } {
  let cached: { token: string; info: OidcTokenInfo } | undefined;
  let pending: Promise<{ token: string; info: OidcTokenInfo }> | undefined;
  return {
    async get() {
      if (reuse && cached?.info.expiresAt !== undefined && cached.info.expiresAt - marginMs > now())
        return cached.token;
      pending ??= fetch().finally(() => (pending = undefined));
      cached = await pending;
      return cached.token;
    },
    last: () => cached?.info
  };
}
