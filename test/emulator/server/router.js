// Request dispatch shared by the HTTPS and HTTP servers: parse, record, apply faults, route, answer.
import { describeRequest } from './recorder.js';
import { faultResponse } from './faults.js';

/**
 * @typedef {object} EmulatorResponse
 * @property {number} status
 * @property {Record<string, string | string[]>} [headers]  arrays send the header once per value
 * @property {unknown} [body]  object → JSON; string or Buffer → sent as-is; a Readable is piped
 */

/**
 * @typedef {object} Route
 * @property {string} service  label recorded for requests this route answers
 * @property {string[]} methods
 * @property {(path: string) => Record<string, string> | null} match
 * @property {(req: import('./recorder.js').RecordedRequest, params: Record<string, string>) =>
 *   EmulatorResponse | Promise<EmulatorResponse>} handle
 * @property {(req: import('./recorder.js').RecordedRequest) => () => void} [arrive]  called on arrival,
 *   before faults; the function it returns runs once, as the response is written (or its socket closes)
 * @property {() => Record<string, string>} [serviceHeaders]  headers the service puts on every answer, fault
 *   answers included (an answer's own headers of the same name win), e.g. Azure DevOps' request IDs
 */

/**
 * Compiles `/{tenant}/oauth2/v2.0/token`-style patterns: `{name}` matches one segment, a final `{*name}`
 * matches the rest of the path (possibly empty). Literal segments compare case-insensitively, like the
 * Microsoft services do.
 * @param {string} pattern
 * @returns {(path: string) => Record<string, string> | null}
 */
export function compilePattern(pattern) {
  const parts = pattern.split('/').filter(Boolean);
  return (path) => {
    const segments = path.split('/').filter(Boolean);
    /** @type {Record<string, string>} */
    const params = {};
    for (const [index, part] of parts.entries()) {
      const rest = /^\{\*(\w+)\}$/.exec(part);
      if (rest?.[1]) {
        params[rest[1]] = segments.slice(index).map(safeDecode).join('/');
        return params;
      }
      const segment = segments[index];
      if (segment === undefined) return null;
      const name = /^\{(\w+)\}$/.exec(part)?.[1];
      if (name) params[name] = safeDecode(segment);
      else if (part.toLowerCase() !== segment.toLowerCase()) return null;
    }
    return segments.length === parts.length ? params : null;
  };
}

/**
 * @param {{
 *   routes: () => Route[],
 *   recorder: ReturnType<typeof import('./recorder.js').createRecorder>,
 *   faults: ReturnType<typeof import('./faults.js').createFaultQueues>,
 *   sleep: (ms: number) => Promise<boolean>
 * }} deps
 */
export function createDispatcher({ routes, recorder, faults, sleep }) {
  /**
   * Applies the next fault step of a service: 'continue', 'hang', or a response to send instead.
   * @param {string} service
   * @returns {Promise<'continue' | 'hang' | EmulatorResponse>}
   */
  async function runFault(service) {
    const step = faults.take(service);
    if (!step) return 'continue';
    if (step.delayMs !== undefined && !(await sleep(step.delayMs))) return 'hang';
    if (step.hang) return 'hang';
    return step.status === undefined ? 'continue' : faultResponse(step);
  }

  /**
   * @param {import('node:http').IncomingMessage} req
   * @param {import('node:http').ServerResponse} res
   * @param {'http' | 'https'} scheme
   */
  async function dispatch(req, res, scheme) {
    const raw = await readBody(req);
    const body = raw.toString('utf8');
    const proxied = /^https?:\/\//i.test(req.url ?? '');
    let url;
    try {
      url = proxied
        ? new URL(req.url ?? '')
        : new URL(`${scheme}://${req.headers.host ?? '127.0.0.1'}${req.url}`);
    } catch {
      send(res, {
        status: 400,
        body: { error: 'bad_request', message: 'Unparsable request target or Host.' }
      });
      return;
    }
    const found = findRoute(routes(), req.method ?? 'GET', url.pathname);
    const service = found?.route.service ?? 'unknown';
    const record = describeRequest(req, { service, scheme: proxied ? 'http' : scheme, url, body });
    // The exact bytes (binary git packs, gzip bodies); not enumerable, so record comparisons ignore it.
    Object.defineProperty(record, 'rawBody', { value: raw, enumerable: false });
    const records = [record];
    if (proxied) {
      records.unshift(recorder.add({ ...record, service: 'proxy', target: url.href }));
      const outcome = await runFault('proxy');
      if (outcome !== 'continue') return answer(res, outcome, records);
    }
    recorder.add(record);
    const settle = onceOnly(found?.params ? found.route.arrive?.(record) : undefined);
    res.once('close', settle);
    const fault = await runFault(service);
    const handled = fault === 'continue' ? await handle(found, record) : fault;
    const outcome =
      handled === 'hang' ? handled : withServiceHeaders(handled, found?.route.serviceHeaders?.());
    answer(res, outcome, records);
    if (outcome !== 'hang') settle();
  }

  return { dispatch, runFault };
}

/**
 * @param {{ route: Route, params: Record<string, string> | null } | undefined} found
 * @param {import('./recorder.js').RecordedRequest} record
 * @returns {Promise<EmulatorResponse>}
 */
async function handle(found, record) {
  if (!found) {
    return {
      status: 404,
      body: { error: 'not_found', message: `The emulator has no route for ${record.method} ${record.path}.` }
    };
  }
  if (!found.params) return { status: 405, headers: { allow: found.route.methods.join(', ') }, body: '' };
  try {
    return await found.route.handle(record, found.params);
  } catch (error) {
    return {
      status: 500,
      body: { error: 'emulator_error', message: error instanceof Error ? error.stack : String(error) }
    };
  }
}

/**
 * A route whose path matches; params is null when only the method differs (405).
 * @param {Route[]} routes
 * @param {string} method
 * @param {string} path
 */
function findRoute(routes, method, path) {
  let wrongMethod;
  for (const route of routes) {
    const params = route.match(path);
    if (!params) continue;
    if (route.methods.includes(method.toUpperCase())) return { route, params };
    wrongMethod ??= { route, params: null };
  }
  return wrongMethod;
}

/**
 * The answer with the service's own headers added where it does not set them itself.
 * @param {EmulatorResponse} response
 * @param {Record<string, string> | undefined} extra
 * @returns {EmulatorResponse}
 */
function withServiceHeaders(response, extra) {
  if (!extra) return response;
  const own = new Set(Object.keys(response.headers ?? {}).map((name) => name.toLowerCase()));
  const added = Object.entries(extra).filter(([name]) => !own.has(name.toLowerCase()));
  return { ...response, headers: { ...Object.fromEntries(added), ...response.headers } };
}

/**
 * @param {import('node:http').ServerResponse} res
 * @param {'hang' | EmulatorResponse} outcome
 * @param {import('./recorder.js').RecordedRequest[]} records
 */
function answer(res, outcome, records) {
  if (outcome === 'hang') return;
  const sent = send(res, outcome);
  for (const record of records) {
    record.status = outcome.status;
    record.responseHeaders = sent.headers;
    record.responseBody = sent.body;
  }
}

/**
 * Wraps an optional callback so that it runs at most once.
 * @param {(() => void) | undefined} callback
 */
function onceOnly(callback) {
  let done = !callback;
  return () => {
    if (done) return;
    done = true;
    callback?.();
  };
}

/**
 * Writes the answer; returns its headers (lower-case names, repeated ones joined with ', ') and its body as
 * text (undefined for binary and streamed bodies), for the record.
 * @param {import('node:http').ServerResponse} res
 * @param {EmulatorResponse} response
 * @returns {{ headers: Record<string, string>, body: string | undefined }}
 */
export function send(res, { status, headers = {}, body }) {
  const lower = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
  const streamed = isReadable(body);
  const raw = typeof body === 'string' || Buffer.isBuffer(body);
  const payload = streamed ? undefined : raw ? body : body === undefined ? '' : JSON.stringify(body);
  if (!raw && !streamed && body !== undefined) lower['content-type'] ??= 'application/json; charset=utf-8';
  if (payload !== undefined && payload.length > 0) lower['content-type'] ??= 'text/plain; charset=utf-8';
  const written = {
    headers: Object.fromEntries(
      Object.entries(lower).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : String(v)])
    ),
    body: typeof payload === 'string' ? payload : undefined
  };
  if (res.destroyed || res.headersSent) {
    if (streamed) body.destroy();
    return written;
  }
  res.writeHead(status, lower);
  if (streamed) {
    body.on('error', () => res.destroy());
    res.once('close', () => body.destroy());
    body.pipe(res);
  } else res.end(payload);
  return written;
}

/**
 * @param {unknown} body
 * @returns {body is import('node:stream').Readable}
 */
function isReadable(body) {
  return typeof body === 'object' && body !== null && typeof (/** @type {any} */ (body).pipe) === 'function';
}

/** @param {import('node:http').IncomingMessage} req */
async function readBody(req) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  return Buffer.concat(chunks);
}

/** @param {string} segment */
function safeDecode(segment) {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
