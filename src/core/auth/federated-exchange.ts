import { randomUUID } from 'node:crypto';
import type { TokenSource } from './token-source.js';
import { EntraErrorResponse, parseEntraErrorBody } from './entra-error-details.js';
import type { Deadline, HttpTransport } from '../http/transport.js';
import type { Logger } from '../platform.js';
import { sendWithRetry } from '../http/retry.js';

export interface FederatedExchangeOptions {
  tenantId: string;
  clientId: string;
  /** https origin (and path, for a custom authority) of the Entra authority. */
  authorityHost: string;
  /** The OIDC token to present, fresh enough for one exchange. */
  getAssertion: () => Promise<string>;
  transport: HttpTransport;
  deadline: Deadline;
  logger: Logger;
  now?: (() => number) | undefined;
  /** Waits between retries (tests pass a fake). */
  sleep?: ((ms: number) => Promise<void>) | undefined;
}

const JWT_BEARER = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

/**
 * Workload identity federation in one request: the client credentials grant with the OIDC token as the client
 * assertion (RFC 7523), POSTed to `{authority}/{tenant}/oauth2/v2.0/token`. This is all MSAL does for a
 * ClientAssertionCredential once it knows the token endpoint, and it does not need to know more: the endpoint
 * has this shape on every Entra authority, so there is no openid-configuration GET and no library to load.
 * Transient failures (408, 429, 5xx, network) are retried within the run's budget; an error answer is thrown
 * as an EntraErrorResponse (code, description, trace and correlation IDs, timestamp, status) for the caller to
 * explain.
 */
export class FederatedTokenExchange implements TokenSource {
  constructor(private readonly options: FederatedExchangeOptions) {}

  async getToken(scope: string): Promise<{ token: string; expiresOnTimestamp: number }> {
    const { tenantId, clientId, authorityHost, transport, deadline, logger } = this.options;
    const now = this.options.now ?? Date.now;
    const body = new URLSearchParams({
      client_id: clientId,
      scope,
      grant_type: 'client_credentials',
      client_assertion_type: JWT_BEARER,
      client_assertion: await this.options.getAssertion()
    }).toString();
    const requested = now();
    const response = await sendWithRetry(
      {
        method: 'POST',
        url: `${authorityHost}/${encodeURIComponent(tenantId)}/oauth2/v2.0/token`,
        headers: {
          'content-type': 'application/x-www-form-urlencoded;charset=utf-8',
          accept: 'application/json',
          'client-request-id': randomUUID()
        },
        body,
        endpoint: 'Microsoft Entra token endpoint'
      },
      { transport, deadline, logger, ...(this.options.sleep ? { sleep: this.options.sleep } : {}) }
    );
    let answer: {
      access_token?: unknown;
      expires_in?: unknown;
      error?: unknown;
      error_description?: unknown;
    };
    try {
      answer = JSON.parse(response.body) as typeof answer;
    } catch {
      throw new Error(
        `The Microsoft Entra token endpoint answered HTTP ${response.status} with a body that is not JSON.`
      );
    }
    if (response.status === 200 && typeof answer.access_token === 'string' && answer.access_token !== '') {
      const lifetime = Number(answer.expires_in);
      return {
        token: answer.access_token,
        expiresOnTimestamp: requested + (Number.isFinite(lifetime) && lifetime > 0 ? lifetime : 3600) * 1000
      };
    }
    const code = typeof answer.error === 'string' ? answer.error : `HTTP ${response.status}`;
    const description = typeof answer.error_description === 'string' ? answer.error_description : '';
    throw new EntraErrorResponse(
      `${code}: ${description || 'the token endpoint issued no access token.'}`,
      parseEntraErrorBody(response.body, response.status) ?? { status: response.status }
    );
  }
}
