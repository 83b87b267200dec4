import { createCredential, type TokenSource } from './token-source.js';
import type { ErrorAnswer } from './entra-error-details.js';
import { explainCredentialError, type InputNames } from './entra-errors.js';
import { EndpointTimeoutError, ProxyError, ResponseTooLargeError } from '../errors.js';
import { createDeadline, NetworkError, type Deadline, type HttpTransport } from '../http/transport.js';
import { createOidcTokenCache, fetchOidcToken, type OidcTokenInfo } from './oidc.js';
import type { SecretGuard } from '../secrets.js';
import type { CredentialSettings } from '../settings.js';

export interface AccessToken {
  token: string;
  /** Epoch milliseconds. */
  expiresOnTimestamp: number;
}

/** Access tokens for one identity for the whole run: cached, refreshed before expiry, and on demand after a 401. */
export interface TokenProvider {
  /** A token valid for a while yet: the cached one, or a fresh one when it is near expiry. */
  get(): Promise<AccessToken>;
  /** A new token even when the cached one looks valid (Azure DevOps answered 401). */
  refresh(): Promise<AccessToken>;
  /** The OIDC token presented last, for diagnostics. */
  presented(): OidcTokenInfo | undefined;
}

export interface TokenProviderOptions {
  credential: CredentialSettings;
  scope: string;
  transport: HttpTransport;
  guard: SecretGuard;
  names: InputNames;
  subjectAdvice: string;
  /** Budget of each acquisition, in seconds. */
  timeoutSeconds: number;
  env?: NodeJS.ProcessEnv | undefined;
  now?: (() => number) | undefined;
}

/** Refresh this long before expiry, or at half the lifetime for short-lived tokens. */
const REFRESH_MARGIN_MS = 5 * 60_000;

export function createTokenProvider(options: TokenProviderOptions): TokenProvider {
  const { credential: cred, guard } = options;
  const now = options.now ?? Date.now;
  // Each acquisition gets its own budget; requests made for it (OIDC, Entra, IMDS) read the current one.
  let budget: Deadline = createDeadline(options.timeoutSeconds, now);
  const deadline: Deadline = {
    get seconds() {
      return budget.seconds;
    },
    remainingMs: () => budget.remainingMs()
  };
  let failures = newFailures();
  const transport = recordFailures(options.transport, () => failures);

  let oidcFailure: unknown;
  const oidc =
    cred.kind === 'federated'
      ? createOidcTokenCache(
          () =>
            fetchOidcToken(cred.oidc, { transport, deadline, logger: guard, guard }).catch(
              (error: unknown) => {
                oidcFailure = error;
                throw error;
              }
            ),
          now,
          undefined,
          // The file is read before every exchange, as the README and --help promise: it may have been rotated.
          cred.oidc.kind !== 'file'
        )
      : undefined;
  const newCredential = (): Promise<TokenSource> =>
    createCredential(cred, {
      transport,
      deadline,
      endpointFor: (url) => endpointName(cred, url),
      // Stryker disable next-line StringLiteral: unreachable, only the federated credential (which has an OIDC cache) asks
      getAssertion: () => (oidc ? oidc.get() : Promise.reject(new Error('No OIDC source.'))),
      logger: guard,
      env: options.env,
      now
    });
  let credential = newCredential();
  let cached: AccessToken | undefined;
  let issuedAt = 0;

  const acquire = async (): Promise<AccessToken> => {
    budget = createDeadline(options.timeoutSeconds, now);
    failures = newFailures();
    oidcFailure = undefined;
    try {
      const token = await withDeadline(
        credential.then((source) => getToken(source, options.scope)),
        deadline,
        failures.timeouts,
        cred
      );
      issuedAt = now();
      cached = { token: guard.mask(token.token), expiresOnTimestamp: token.expiresOnTimestamp };
      return cached;
    } catch (error) {
      throw (
        failures.timeouts[0] ??
        failures.fatal[0] ??
        (oidcFailure instanceof Error ? oidcFailure : undefined) ??
        explainCredentialError(error, {
          credential: cred,
          names: options.names,
          presented: oidc?.last(),
          subjectAdvice: options.subjectAdvice,
          responses: failures.errorAnswers,
          networkError: failures.network.at(-1)
        })
      );
    }
  };

  return {
    get() {
      if (cached) {
        const margin = Math.min(REFRESH_MARGIN_MS, (cached.expiresOnTimestamp - issuedAt) / 2);
        if (cached.expiresOnTimestamp - margin > now()) return Promise.resolve(cached);
        guard.info(
          `The access token expires at ${new Date(cached.expiresOnTimestamp).toISOString()}; getting a fresh one.`
        );
      }
      return acquire();
    },
    refresh() {
      // A new credential has an empty token cache, so the library cannot hand back the refused token.
      credential = newCredential();
      return acquire();
    },
    presented: () => oidc?.last()
  };
}

/** Asks the token source for a token; a source may answer null, which is no token. Exported for the tests. */
export async function getToken(credential: TokenSource, scope: string): Promise<AccessToken> {
  const token = await credential.getToken(scope);
  if (token === null) throw new Error('The credential returned no token.');
  return token;
}

function endpointName(cred: CredentialSettings, url: URL): string {
  if (cred.kind === 'managed-identity') return 'managed identity endpoint';
  return url.pathname.includes('openid-configuration')
    ? 'Microsoft Entra metadata endpoint'
    : 'Microsoft Entra token endpoint';
}

interface Failures {
  timeouts: EndpointTimeoutError[];
  network: NetworkError[];
  /** Proxy refusals and oversized answers: the libraries wrap them into vaguer errors, but they say it all. */
  fatal: Error[];
  /**
   * MSAL sometimes reports a failed request without the body, and @azure/identity drops the status: keep the
   * error answers so AADSTS codes and support IDs are not lost.
   */
  errorAnswers: ErrorAnswer[];
}

function newFailures(): Failures {
  return {
    timeouts: [],
    network: [],
    fatal: [],
    // Stryker disable next-line ArrayDeclaration: an entry that is not an answer has no body to parse, so is skipped
    errorAnswers: []
  };
}

/** Libraries wrap transport errors into vaguer ones ("network_error"); keep the originals, which name the endpoint. */
function recordFailures(transport: HttpTransport, current: () => Failures): HttpTransport {
  return {
    async send(request, signal) {
      try {
        const response = await transport.send(request, signal);
        if (response.status >= 400)
          current().errorAnswers.push({ status: response.status, body: response.body });
        return response;
      } catch (error) {
        if (error instanceof EndpointTimeoutError) current().timeouts.push(error);
        if (error instanceof NetworkError) current().network.push(error);
        if (error instanceof ProxyError || error instanceof ResponseTooLargeError)
          current().fatal.push(error);
        throw error;
      }
    }
  };
}

/** Outer guard: libraries may sleep between retries; the acquisition still ends when the budget does. */
export async function withDeadline<T>(
  promise: Promise<T>,
  deadline: Deadline,
  timeouts: EndpointTimeoutError[],
  cred: CredentialSettings
): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => {
        const endpoint =
          cred.kind === 'managed-identity'
            ? 'managed identity endpoint'
            : cred.kind === 'azure-cli'
              ? 'Azure CLI'
              : cred.kind === 'federated'
                ? 'OIDC or Microsoft Entra token endpoint'
                : 'Microsoft Entra token endpoint';
        reject(
          timeouts[0] ??
            new EndpointTimeoutError(
              endpoint,
              'authorityHost' in cred ? cred.authorityHost : 'see the log above',
              deadline.seconds
            )
        );
      },
      // A grace second lets the transport's own timeout, which names the endpoint, win the race.
      Math.max(0, deadline.remainingMs()) + 1000
    );
    timer.unref();
  });
  try {
    return await Promise.race([promise, expired]);
  } finally {
    clearTimeout(timer);
  }
}
