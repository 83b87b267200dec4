// Request log: every request the emulator sees, with its parsed query, form and answered status.

/**
 * @typedef {object} RecordedRequest
 * @property {string} service  entra-metadata | entra-keys | entra-token | instance-discovery | github-oidc |
 *   azure-oidc | imds | app-service | devops | git | feeds | proxy | unknown
 * @property {string} method
 * @property {string} url      path and query
 * @property {string} path
 * @property {Record<string, string>} query
 * @property {Record<string, string>} headers  lower-case names; repeated headers joined with ', '
 * @property {string} body
 * @property {Record<string, string> | undefined} form  parsed body when x-www-form-urlencoded
 * @property {number} time     epoch ms (wall clock, not the emulator clock)
 * @property {number | undefined} status  response status, set when answered
 * @property {Record<string, string> | undefined} [responseHeaders]  headers of the answer (lower-case names),
 *   set when answered
 * @property {string | undefined} [responseBody]  body of the answer as sent (JSON as text); undefined for
 *   binary and streamed bodies and until answered
 * @property {'http' | 'https'} scheme
 * @property {string} host     Host header (or the absolute-URI host of a proxied request)
 * @property {string} [target] proxy records only: `host:port` for CONNECT, the absolute URI otherwise
 * @property {string} [tokenFingerprint] devops, git, feeds: `sha256:` + 12 hex digits of the token's SHA-256
 *   (git and feeds: of the Bearer token or the Basic password)
 * @property {'bearer' | 'basic' | 'none'} [authKind] git and feeds: the form of the Authorization header
 * @property {number} [bodyBytes] git only: request body size (its `body` is recorded as '')
 * @property {number} [inFlight] devops only: requests to the same route in flight at arrival, this one included
 * @property {string} [note]   devops test-control routes: what the emulator decided, e.g. `429 (1 of 2)`;
 *   git: http-backend's stderr, when it wrote any
 */

/**
 * @returns {{ add: (record: RecordedRequest) => RecordedRequest, list: () => RecordedRequest[], clear: () => void }}
 */
export function createRecorder() {
  /** @type {RecordedRequest[]} */
  let records = [];
  return {
    add(record) {
      records.push(record);
      return record;
    },
    list: () => [...records],
    clear() {
      records = [];
    }
  };
}

/**
 * Builds a record from an incoming request and its body.
 * @param {import('node:http').IncomingMessage} req
 * @param {{ service: string, scheme: 'http' | 'https', url: URL, body: string }} parts
 * @returns {RecordedRequest}
 */
export function describeRequest(req, { service, scheme, url, body }) {
  /** @type {Record<string, string>} */
  const headers = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  const isForm = (headers['content-type'] ?? '')
    .toLowerCase()
    .startsWith('application/x-www-form-urlencoded');
  return {
    service,
    method: req.method ?? 'GET',
    url: url.pathname + url.search,
    path: url.pathname,
    query: Object.fromEntries(url.searchParams),
    headers,
    body,
    form: isForm ? Object.fromEntries(new URLSearchParams(body)) : undefined,
    time: Date.now(),
    status: undefined,
    scheme,
    host: url.host
  };
}
