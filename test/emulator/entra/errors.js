// Entra (ESTS) error responses: the real AADSTS codes, HTTP statuses, error names and wording.
import { randomUUID } from 'node:crypto';

const DOCS_FIC = 'https://learn.microsoft.com/entra/workload-id/workload-identity-federation';
const DOCS_CERT = 'https://learn.microsoft.com/entra/identity-platform/certificate-credentials';
const CHECK_FIC =
  'Please check your federated identity credential Subject, Audience and Issuer against the presented assertion.';

/** @typedef {Record<string, string>} Args */

/** @type {Record<number, { status: number, error: string, text: (a: Args) => string }>} */
const ENTRA_ERRORS = {
  50012: {
    status: 401,
    error: 'invalid_client',
    text: () => 'Client assertion audience claim does not match Realm issuer.'
  },
  50027: { status: 400, error: 'invalid_request', text: () => 'JWT token is invalid or malformed.' },
  70003: {
    status: 400,
    error: 'unsupported_grant_type',
    text: (a) => `The app requested an unsupported grant type '${a.grantType}'.`
  },
  70021: {
    status: 401,
    error: 'invalid_client',
    text: (a) =>
      `No matching federated identity record found for presented assertion. Assertion Issuer: '${a.issuer}'. Assertion Subject: '${a.subject}'. Assertion Audience: '${a.audience}'. ${DOCS_FIC}`
  },
  70025: {
    status: 401,
    error: 'invalid_client',
    text: (a) =>
      `The client '${a.clientId}'(${a.displayName}) has no configured federated identity credentials.`
  },
  90002: {
    status: 400,
    error: 'invalid_request',
    text: (a) =>
      `Tenant '${a.tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud. Check with your subscription administrator, this may happen if there are no active subscriptions for the tenant.`
  },
  90014: {
    status: 400,
    error: 'invalid_request',
    text: (a) =>
      `The required field '${a.field}' is missing from the credential. Ensure that you have all the necessary parameters for the login request.`
  },
  500011: {
    status: 400,
    error: 'invalid_resource',
    text: (a) =>
      `The resource principal named ${a.resource} was not found in the tenant named ${a.tenantName}. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You might have sent your authentication request to the wrong tenant.`
  },
  700016: {
    status: 400,
    error: 'unauthorized_client',
    text: (a) =>
      `Application with identifier '${a.clientId}' was not found in the directory '${a.tenantName}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.`
  },
  700021: {
    status: 401,
    error: 'invalid_client',
    text: () =>
      `Client assertion application identifier doesn't match 'client_id' parameter. Review the documentation at ${DOCS_CERT} .`
  },
  700024: {
    status: 400,
    error: 'invalid_client',
    text: (a) =>
      `Client assertion is not within its valid time range. Current time: ${a.now}, assertion valid from ${a.nbf}, expiry time of assertion ${a.exp}. Review the documentation at ${DOCS_CERT} .`
  },
  700027: {
    status: 401,
    error: 'invalid_client',
    text: (a) => a.detail ?? 'Client assertion failed signature validation.'
  },
  700211: {
    status: 401,
    error: 'invalid_client',
    text: (a) =>
      `No matching federated identity record found for presented assertion issuer '${a.issuer}'. ${CHECK_FIC} ${DOCS_FIC}`
  },
  700212: {
    status: 401,
    error: 'invalid_client',
    text: (a) =>
      `No matching federated identity record found for presented assertion audience '${a.audience}'. ${CHECK_FIC} ${DOCS_FIC}`
  },
  700213: {
    status: 401,
    error: 'invalid_client',
    text: (a) =>
      `No matching federated identity record found for presented assertion subject '${a.subject}'. ${CHECK_FIC} ${DOCS_FIC}`
  },
  900144: {
    status: 400,
    error: 'invalid_request',
    text: (a) => `The request body must contain the following parameter: '${a.field}'.`
  },
  1002012: {
    status: 400,
    error: 'invalid_scope',
    text: (a) =>
      `The provided value for scope ${a.scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`
  },
  5002741: {
    status: 401,
    error: 'invalid_client',
    text: (a) =>
      `Number of audience values in the provided client credential exceed maximum allowed. ${a.count} audience values provided, maximum allowed is 1.`
  },
  7000215: {
    status: 401,
    error: 'invalid_client',
    text: (a) =>
      `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${a.clientId}'.`
  },
  7000218: {
    status: 401,
    error: 'invalid_client',
    text: () =>
      "The request body must contain the following parameter: 'client_assertion' or 'client_secret'."
  },
  7000222: {
    status: 401,
    error: 'invalid_client',
    text: (a) =>
      `The provided client secret keys for app '${a.clientId}' are expired. Visit the Azure portal to create new keys for your app: https://aka.ms/NewClientSecret, or consider using certificate credentials for added security: https://aka.ms/certCreds.`
  },
  7002138: {
    status: 401,
    error: 'invalid_client',
    text: (a) =>
      `No matching federated identity record found for presented assertion subject '${a.subject}'. The subject matches with case-insensitive comparison, but not with case-sensitive comparison. ${CHECK_FIC} See documentation at: ${DOCS_FIC}.`
  }
};

/** Every AADSTS code the emulator can answer with. */
export const ENTRA_ERROR_CODES = Object.freeze(Object.keys(ENTRA_ERRORS).map(Number));

/**
 * An `AADSTSxxxx` error exception; the token endpoint turns it into the Entra error response.
 */
export class EntraError extends Error {
  /**
   * @param {number} code AADSTS number, a key of the table above
   * @param {Args} [args] values quoted in the description
   */
  constructor(code, args = {}) {
    const entry = ENTRA_ERRORS[code];
    if (!entry) throw new Error(`Unknown AADSTS code ${code}`);
    super(`AADSTS${code}: ${entry.text(args)}`);
    this.name = 'EntraError';
    this.code = code;
    this.status = entry.status;
    this.error = entry.error;
  }
}

/**
 * The response Entra sends for an error: JSON with error, error_description (with trace and correlation
 * ids and a timestamp, CRLF-separated), error_codes, timestamp, trace_id, correlation_id, error_uri; the
 * trace id also as the `x-ms-request-id` header, the correlation id as `client-request-id`. A fresh trace id
 * per answer; the correlation id is the request's `client-request-id`, or a fresh one.
 * @param {EntraError} failure
 * @param {{ now: number, host: string, scheme: string, correlationId?: string | undefined }} context
 * @returns {import('../server/router.js').EmulatorResponse}
 */
export function entraErrorResponse(failure, context) {
  const timestamp = new Date(context.now)
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d+Z$/, 'Z');
  const traceId = randomUUID();
  const correlationId = context.correlationId || randomUUID();
  return {
    status: failure.status,
    headers: { 'x-ms-request-id': traceId, 'client-request-id': correlationId },
    body: {
      error: failure.error,
      error_description: `${failure.message}\r\nTrace ID: ${traceId}\r\nCorrelation ID: ${correlationId}\r\nTimestamp: ${timestamp}`,
      error_codes: [failure.code],
      timestamp,
      trace_id: traceId,
      correlation_id: correlationId,
      error_uri: `${context.scheme}://${context.host}/error?code=${failure.code}`
    }
  };
}

/**
 * Formats an epoch-ms instant the way ESTS prints times in AADSTS700024.
 * @param {number} ms
 * @returns {string}
 */
export function formatEstsTime(ms) {
  return new Date(ms).toISOString().replace(/\.(\d+)Z$/, (_, frac) => `.${frac.padEnd(7, '0')}Z`);
}
