export const id = 191;
export const ids = [191];
export const modules = {

/***/ 4191:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  mintToken: () => (/* binding */ mintToken)
});

// EXTERNAL MODULE: external "node:http"
var external_node_http_ = __webpack_require__(7067);
var external_node_http_default = /*#__PURE__*/__webpack_require__.n(external_node_http_);
// EXTERNAL MODULE: external "node:https"
var external_node_https_ = __webpack_require__(4708);
var external_node_https_default = /*#__PURE__*/__webpack_require__.n(external_node_https_);
// EXTERNAL MODULE: ./src/core/errors.ts
var errors = __webpack_require__(4296);
;// CONCATENATED MODULE: ./src/core/product.ts
/** Kept in step with package.json, task.json and vss-extension.json by the contract test. */
// Stryker disable next-line StringLiteral: a module constant, run before any test starts (no per-test coverage); test/contract/contract.test.ts checks it against package.json.
const PRODUCT_NAME = 'azure-devops-entra-token';
// Stryker disable next-line StringLiteral: as above.
const PRODUCT_VERSION = '1.0.0';
function userAgent(platform) {
    return `${PRODUCT_NAME}/${PRODUCT_VERSION} (${platform}; node ${process.versions.node})`;
}

;// CONCATENATED MODULE: ./src/core/http/proxy-refusal.ts


// Kept apart from proxy.ts, which loads the proxy agents: the transport needs only this, and so does the git
// credential helper's bundle, which never uses a proxy.
/** The proxy each agent tunnels through, as it may be shown (no user name or password). */
const PROXY_OF = new WeakMap();
function registerProxy(agent, proxyUrl) {
    PROXY_OF.set(agent, showProxy(proxyUrl));
}
function proxyShownFor(agent) {
    return PROXY_OF.get(agent);
}
/** `http://proxy.corp:8080`: the proxy URL without its credentials, path or query. */
function showProxy(proxyUrl) {
    try {
        const url = new URL(proxyUrl);
        return `${url.protocol}//${url.host}`;
    }
    catch {
        return '(a proxy URL that does not parse)';
    }
}
/**
 * The proxy refused to carry a request: 407 wants credentials, anything else (403 on CONNECT, mostly) means
 * the proxy does not let this machine reach that host. Either way the endpoint never saw the request.
 */
function proxyRefusal(proxy, status, endpoint, url) {
    const answer = `HTTP ${status}${external_node_http_.STATUS_CODES[status] ? ` ${external_node_http_.STATUS_CODES[status]}` : ''}`;
    const fix = status === 407
        ? "Give the proxy credentials it accepts (user and password in the proxy URL, e.g. HTTPS_PROXY=http://user:password@host:port, or the Azure Pipelines agent's proxy settings)"
        : `Ask the proxy's administrators to allow ${url.host} (the proxy's allow-list)`;
    return new errors/* ProxyError */.T6(`The proxy ${proxy} refused the request to the ${endpoint} (${url.origin}) with ${answer}; the request never reached ${url.host}. ${fix}, or add ${url.hostname} to NO_PROXY (the agent's proxy bypass list on Azure Pipelines) if this machine can reach it directly.`, status, proxy);
}

;// CONCATENATED MODULE: ./src/core/http/transport.ts





function createDeadline(seconds, now = Date.now) {
    const end = now() + seconds * 1000;
    return { seconds, remainingMs: () => end - now() };
}
/** Token requests get 20 s each so a retry still fits in the default 50 s budget. */
const REQUEST_TIMEOUT_MS = 20_000;
/**
 * Token, OIDC and metadata answers are a few kilobytes: 1 MiB is generous, and a larger answer is not from
 * the endpoint we meant to reach. Without a limit a runaway answer is buffered whole and can exhaust the heap.
 */
const DEFAULT_MAX_RESPONSE_BYTES = 1024 * 1024;
/** "64 MiB", "1 MiB", "512 KiB", "100 bytes". */
function formatBytes(bytes) {
    if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) === 0)
        return `${bytes / (1024 * 1024)} MiB`;
    if (bytes >= 1024 && bytes % 1024 === 0)
        return `${bytes / 1024} KiB`;
    return `${bytes} bytes`;
}
/**
 * The URL as logged and quoted in errors: without its query, as the README promises. A query may hold values
 * rendered from templates, continuation tokens or identifiers users did not ask to see, and is seldom what a
 * reader needs to find the request.
 */
function displayUrl(url) {
    const parsed = typeof url === 'string' ? new URL(url) : url;
    return `${parsed.origin}${parsed.pathname}`;
}
/** The transport of a run (and of the git credential helper): the platform's proxy and name, 20 s a request. */
function createRunTransport(platform, logger) {
    return createTransport({
        agentFor: (url) => platform.agentFor(url),
        requestTimeoutMs: REQUEST_TIMEOUT_MS,
        userAgent: userAgent(platform.name),
        logger
    });
}
/**
 * One HTTP stack for every request the product makes, including those of @azure/identity: it applies
 * the platform's proxy, the time budget and the User-Agent, and logs one debug line per request.
 */
function createTransport(options) {
    return {
        send(request, signal) {
            const url = new URL(request.url);
            const timeoutMs = Math.min(request.timeoutMs ?? options.requestTimeoutMs, request.deadline?.remainingMs() ?? Infinity);
            const shown = displayUrl(url);
            if (timeoutMs <= 0) {
                return Promise.reject(new errors/* EndpointTimeoutError */.tt(request.endpoint, shown, request.deadline?.seconds ?? 0));
            }
            const started = Date.now();
            return new Promise((resolve, reject) => {
                let failed = false;
                const client = url.protocol === 'http:' ? (external_node_http_default()) : (external_node_https_default());
                const headers = {
                    'user-agent': options.userAgent,
                    ...lowerCaseKeys(request.headers ?? {})
                };
                if (request.body !== undefined)
                    headers['content-length'] = String(Buffer.byteLength(request.body));
                const agent = options.agentFor(url);
                const proxy = agent ? proxyShownFor(agent) : undefined;
                const maxBytes = request.maxBytes ?? options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
                const tooLarge = () => new errors/* ResponseTooLargeError */.by(`The ${request.endpoint} (${shown}) sent a response larger than ${formatBytes(maxBytes)}, the limit for this endpoint; it was not read to the end. ${request.tooLargeAdvice ?? 'Check that the URL points at the right endpoint (and that no proxy or captive portal answers in its place).'}`, maxBytes);
                const req = client.request(url, { method: request.method, headers, ...(agent ? { agent } : {}) }, (res) => {
                    if (failed)
                        return void res.destroy();
                    // A proxy that answers an absolute-URI (http) request itself: its 407 is not the endpoint's.
                    if (proxy !== undefined && res.statusCode === 407) {
                        res.destroy();
                        return fail(proxyRefusal(proxy, 407, request.endpoint, url));
                    }
                    if (Number(res.headers['content-length']) > maxBytes) {
                        res.destroy();
                        return fail(tooLarge());
                    }
                    const chunks = [];
                    let received = 0;
                    res.on('data', (chunk) => {
                        received += chunk.length;
                        // Stop reading at once: keeping the rest would cost the memory the limit is there to save.
                        if (received > maxBytes) {
                            res.destroy();
                            req.destroy();
                            fail(tooLarge());
                            return;
                        }
                        chunks.push(chunk);
                    });
                    res.on('error', fail);
                    res.on('end', () => {
                        if (failed)
                            return;
                        cleanup();
                        const status = res.statusCode ?? 0;
                        options.logger.debug(`${request.method} ${shown} -> ${status} (${Date.now() - started} ms)`);
                        resolve({
                            status,
                            headers: flattenHeaders(res.headers),
                            body: Buffer.concat(chunks).toString('utf8')
                        });
                    });
                });
                const timer = setTimeout(() => {
                    const seconds = Math.round(timeoutMs / 100) / 10;
                    req.destroy();
                    fail(new errors/* EndpointTimeoutError */.tt(request.endpoint, shown, seconds));
                }, timeoutMs);
                const onAbort = () => {
                    req.destroy();
                    fail(signal?.reason instanceof Error
                        ? signal.reason
                        : new Error(`The request to the ${request.endpoint} was cancelled`));
                };
                signal?.addEventListener('abort', onAbort, { once: true });
                // https-proxy-agent reports the proxy's answer to CONNECT here, then replays a refusal as if the endpoint
                // had sent it: catch it first, so a 407 or 403 is blamed on the proxy and not on the endpoint.
                req.on('proxyConnect', (connect) => {
                    const status = connect.statusCode ?? 0;
                    if (status === 200)
                        return;
                    req.destroy();
                    fail(proxyRefusal(proxy ?? 'configured for this URL', status, request.endpoint, url));
                });
                function cleanup() {
                    clearTimeout(timer);
                    signal?.removeEventListener('abort', onAbort);
                }
                function fail(error) {
                    // Destroying a timed-out request raises a second error ("socket hang up"): report only the first.
                    if (failed)
                        return;
                    failed = true;
                    cleanup();
                    options.logger.debug(`${request.method} ${shown} failed after ${Date.now() - started} ms: ${error.message}`);
                    reject(error instanceof errors/* EndpointTimeoutError */.tt ||
                        error instanceof errors/* ResponseTooLargeError */.by ||
                        error instanceof errors/* ProxyError */.T6
                        ? error
                        : networkError(request.endpoint, shown, error, proxy));
                }
                req.on('error', fail);
                req.end(request.body);
            });
        }
    };
}
/** A network-level failure, with the endpoint named and the system error code kept. */
class NetworkError extends Error {
    code;
    name = 'NetworkError';
    constructor(message, code) {
        super(message);
        this.code = code;
    }
}
function networkError(endpoint, url, cause, proxy) {
    if (cause instanceof NetworkError)
        return cause;
    const code = cause.code;
    return new NetworkError(`Could not reach the ${endpoint} (${url}${proxy ? ` through the proxy ${proxy}` : ''}): ${cause.message}${code && !cause.message.includes(code) ? ` (${code})` : ''}.`, code);
}
/** Header names are case-insensitive: one spelling, lower case, lets later headers replace earlier ones. */
function lowerCaseKeys(headers) {
    return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
}
function flattenHeaders(headers) {
    const result = {};
    for (const [name, value] of Object.entries(headers)) {
        if (value !== undefined)
            result[name] = Array.isArray(value) ? value.join(', ') : value;
    }
    return result;
}

;// CONCATENATED MODULE: ./src/core/log-text.ts
/**
 * What the runner and the agent would act on in plain output. The Azure Pipelines agent runs `##vso[…]` found
 * anywhere in a line of stdout or stderr and formats `##[…]` lines; the GitHub runner runs `::command::` at the
 * start of a line (after leading white space) and v1 `##[command]` anywhere. Either splits lines on CR as well
 * as LF. A value we did not write (server data, headers, inputs, file contents) must never start a line or
 * carry one of these markers, so every log line, failure message and CLI diagnostic passes through here.
 */
const MARKER = /##(vso)?\[/gi;
function escapeControl(char) {
    if (char === '\n')
        return '\\n';
    if (char === '\r')
        return '\\r';
    return `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`;
}
function neutralizeLine(line, keepTabs) {
    const printable = [...line]
        .map((c) => (c < ' ' && !(keepTabs && c === '\t')) || c === '\u007f' || c === '\u2028' || c === '\u2029'
        ? escapeControl(c)
        : c)
        .join('');
    return printable.replace(MARKER, (marker) => `${marker.slice(0, -1)} [`).replace(/^(\s*):(?=:)/, '$1: ');
}
/** One log line: line breaks and other control characters shown escaped (`\n`), no command marker. */
function neutralizeLogLine(text) {
    return neutralizeLine(text, true);
}
/**
 * Text that may span lines (debug output, a stack trace, a failure with a YAML code frame): it keeps its
 * line breaks, but no line can start a command and no marker survives.
 */
function neutralizeLogText(text) {
    return text
        .split(/\r\n|\r|\n/)
        .map((line) => neutralizeLine(line, true))
        .join('\n');
}

;// CONCATENATED MODULE: ./src/core/secrets.ts

const REDACTED = '***';
/** Shorter values are not worth masking and would redact unrelated text. */
const MIN_SECRET_LENGTH = 6;
function createSecretGuard(platform) {
    const secrets = new Set();
    const sorted = () => [...secrets].sort((a, b) => b.length - a.length);
    const register = (value, anyLength = false) => {
        // Stryker disable next-line ConditionalExpression,StringLiteral: a safeguard: '' is shorter than the minimum, and maskKnown skips blanks.
        if (value === '')
            return;
        if ((!anyLength && value.length < MIN_SECRET_LENGTH) || secrets.has(value))
            return;
        secrets.add(value);
        // Platforms mask line by line and Azure Pipelines refuses multi-line secrets: those are kept for
        // redaction here, and each of their lines is registered on its own.
        if (!/[\r\n]/.test(value))
            platform.setSecret(value);
    };
    const redact = (text) => {
        let result = text;
        for (const secret of sorted()) {
            // Stryker disable next-line ConditionalExpression: splitting text without the secret gives it back unchanged; the test saves the work.
            if (result.includes(secret))
                result = result.split(secret).join(REDACTED);
        }
        return result;
    };
    return {
        mask(value) {
            if (value === undefined || value.trim() === '')
                return value;
            // Multi-line secrets (PEM keys) are masked line by line: runners match masks within one line.
            for (const line of value.split(/\r?\n/)) {
                const trimmed = line.trim();
                // A blank line is left to register, which refuses ''.
                if (!trimmed.startsWith('-----'))
                    register(trimmed);
            }
            register(value);
            return value;
        },
        maskKnown(value) {
            if (value.trim() === '')
                return;
            register(value, true);
            // Stryker disable next-line ConditionalExpression: registering the same value again is a no-op; the test saves the work.
            if (value.trim() !== value)
                register(value.trim(), true);
        },
        contains: (text) => sorted().some((secret) => secret.length >= MIN_SECRET_LENGTH && text.includes(secret)),
        redact,
        // The one path of every log line: secrets out, then nothing a runner or agent would act on.
        info: (message) => platform.info(neutralizeLogLine(redact(message))),
        warning: (message) => platform.warning(neutralizeLogLine(redact(message))),
        debug: (message) => platform.debug(neutralizeLogText(redact(message)))
    };
}

// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
;// CONCATENATED MODULE: ./src/core/auth/entra-error-details.ts

/**
 * The token endpoint's error answer to our own federated exchange, parsed. It is never shown as it is:
 * explainCredentialError turns it into an AuthenticationError with the hint and the support IDs.
 */
class EntraErrorResponse extends Error {
    details;
    name = 'EntraErrorResponse';
    constructor(message, details) {
        super(message);
        this.details = details;
    }
}
/** IDs are hex GUIDs in practice; anything else a server sends is cut to this many characters. */
const MAX_ID_LENGTH = 100;
/** How far down `cause` to look: @azure/identity wraps MSAL's error once, our code at most once more. */
const MAX_CAUSES = 5;
/**
 * Entra's fields from a JSON error body (`error`, `error_description`, `error_codes`, `trace_id`,
 * `correlation_id`, `timestamp`); undefined when the body is not one.
 */
function parseEntraErrorBody(body, status) {
    let answer;
    try {
        answer = JSON.parse(body);
    }
    catch {
        // Not JSON: answer stays undefined, which the next line turns away.
    }
    if (typeof answer !== 'object' || answer === null)
        return undefined;
    const fields = answer;
    const description = entra_error_details_text(fields.error_description);
    const codes = fields.error_codes;
    if (entra_error_details_text(fields.error) === undefined && description === undefined && !Array.isArray(codes))
        return undefined;
    const firstCode = Array.isArray(codes) ? codes[0] : undefined;
    return {
        ...describedBy(description),
        ...withoutEmpty({
            code: typeof firstCode === 'number' ? `AADSTS${firstCode}` : undefined,
            error: cleanId(fields.error),
            traceId: cleanId(fields.trace_id),
            correlationId: cleanId(fields.correlation_id),
            timestamp: cleanId(fields.timestamp),
            status
        })
    };
}
/**
 * Entra's fields from text: `AADSTS700213: description` (up to `Trace ID:` or a line break), then
 * `Trace ID: …`, `Correlation ID: …`, `Timestamp: …` as Entra writes them into error_description and
 * MSAL into its error messages.
 */
function parseEntraText(value) {
    const coded = /AADSTS(\d+):?\s*([\s\S]*?)(?:\s*Trace ID:|\r|\n|$)/.exec(value);
    return withoutEmpty({
        code: coded?.[1] === undefined ? undefined : `AADSTS${coded[1]}`,
        // Stryker disable next-line StringLiteral: group 2 always takes part in a match, so the fallback is never used.
        description: coded?.[1] === undefined ? undefined : (0,errors/* neutralizeServerText */.cy)(coded[2] ?? ''),
        traceId: /Trace ID:\s*([0-9a-f][0-9a-f-]*)/i.exec(value)?.[1],
        correlationId: /Correlation ID:\s*([0-9a-f][0-9a-f-]*)/i.exec(value)?.[1],
        timestamp: /Timestamp:\s*(\d{4}-\d\d-\d\d[ T]\d\d:\d\d:\d\d(?:\.\d+)?Z)/.exec(value)?.[1]
    });
}
/**
 * Everything Entra said about a failed token request, from whatever was thrown: our exchange's
 * EntraErrorResponse, @azure/identity's AuthenticationError (`errorResponse`, `statusCode`), MSAL's
 * ServerError (`errorCode`, `errorMessage`, `correlationId`, `status`) anywhere down the `cause` chain, the
 * AADSTS text of their messages, and last the error bodies the transport saw (newest first). The first
 * source with an AADSTS code decides the code; the others fill in only fields it lacks, and only when they
 * name no other code. Undefined when nothing was found.
 */
function readEntraErrorDetails(error, 
// Stryker disable next-line ArrayDeclaration: an entry without a body is not JSON, so it adds nothing.
answers = []) {
    const found = [];
    for (const item of causeChain(error)) {
        if (item instanceof EntraErrorResponse)
            found.push(item.details);
        const library = libraryDetails(item);
        if (library !== undefined)
            found.push(library);
        found.push(parseEntraText((0,errors/* describeError */.Uc)(item)));
    }
    for (const answer of [...answers].reverse()) {
        const parsed = parseEntraErrorBody(answer.body, answer.status);
        if (parsed !== undefined)
            found.push(parsed);
    }
    // The first source with a code (else the first source) decides the code; nothing found merges to {}.
    const merged = { ...(found.find((details) => details.code !== undefined) ?? found[0]) };
    for (const details of found) {
        if (details.code !== undefined && details.code !== merged.code)
            continue;
        for (const [key, value] of Object.entries(details)) {
            if (merged[key] === undefined && value !== undefined)
                Object.assign(merged, { [key]: value });
        }
    }
    return Object.keys(merged).length === 0 ? undefined : merged;
}
/** ` (Entra trace ID …, correlation ID …, timestamp …; give these to Microsoft support …)`, or '' without IDs. */
function formatEntraSupportIds(details) {
    return (0,errors/* formatSupportIds */.ZY)('Entra', [
        ['trace ID', details?.traceId],
        ['correlation ID', details?.correlationId],
        ['timestamp', details?.timestamp]
    ]);
}
/** The structured fields of @azure/identity's AuthenticationError and of MSAL's AuthError / ServerError. */
function libraryDetails(item) {
    if (typeof item !== 'object' || item === null)
        return undefined;
    const fields = item;
    const response = fields.errorResponse;
    if (typeof response === 'object' && response !== null) {
        // @azure/identity: errorResponse {error, errorDescription, errorCodes, timestamp, traceId, correlationId}.
        const r = response;
        const codes = r.errorCodes;
        const firstCode = Array.isArray(codes) ? codes[0] : undefined;
        return {
            ...describedBy(entra_error_details_text(r.errorDescription)),
            ...withoutEmpty({
                code: typeof firstCode === 'number' ? `AADSTS${firstCode}` : undefined,
                error: cleanId(r.error),
                traceId: cleanId(r.traceId),
                correlationId: cleanId(r.correlationId),
                timestamp: cleanId(r.timestamp),
                status: typeof fields.statusCode === 'number' ? fields.statusCode : undefined
            })
        };
    }
    if (typeof fields.errorCode === 'string' && typeof fields.errorMessage === 'string') {
        // MSAL: errorMessage is "Error(s): n - Timestamp: … - Description: AADSTSn: … - Correlation ID: … - Trace ID: …".
        return {
            ...describedBy(fields.errorMessage),
            ...withoutEmpty({
                error: cleanId(fields.errorCode),
                correlationId: cleanId(fields.correlationId),
                traceId: cleanId(fields.traceId),
                timestamp: cleanId(fields.timestamp),
                status: typeof fields.status === 'number' ? fields.status : undefined
            })
        };
    }
    return undefined;
}
/** What a description says: its AADSTS text and IDs, or the whole (neutralised) text when it has no code. */
function describedBy(description) {
    if (description === undefined)
        return {};
    const parsed = parseEntraText(description);
    if (parsed.code !== undefined)
        return parsed;
    const whole = (0,errors/* neutralizeServerText */.cy)(description);
    return whole === '' ? parsed : { ...parsed, description: whole };
}
function* causeChain(error) {
    let current = error;
    for (let depth = 0; depth < MAX_CAUSES && current !== undefined && current !== null; depth++) {
        yield current;
        current = typeof current === 'object' ? current.cause : undefined;
    }
}
function entra_error_details_text(value) {
    return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}
/** A server-sent identifier made safe for one log line, or undefined when it is empty. */
function cleanId(value) {
    const raw = entra_error_details_text(value);
    if (raw === undefined)
        return undefined;
    return (0,errors/* neutralizeServerText */.cy)(raw).slice(0, MAX_ID_LENGTH) || undefined;
}
/** Drops undefined and empty fields, so spreading one result over another never erases a value. */
function withoutEmpty(details) {
    return Object.fromEntries(Object.entries(details).filter(([, value]) => value !== undefined && value !== ''));
}

;// CONCATENATED MODULE: ./src/core/http/retry.ts

const DEFAULT_RETRY_POLICY = { maxAttempts: 4, baseDelayMs: 500, maxDelayMs: 8000 };
function isTransientStatus(status) {
    return status === 408 || status === 429 || status >= 500;
}
/** Parses Retry-After (seconds or an HTTP date) into milliseconds. */
function retryAfterMs(headers, now = Date.now()) {
    const value = headers['retry-after'] ?? headers['x-ratelimit-delay'];
    // Stryker disable next-line ConditionalExpression: without the early return, Number(undefined) and Date.parse(undefined) are NaN and give undefined too; the line only says so plainly.
    if (value === undefined)
        return undefined;
    const seconds = Number(value);
    if (Number.isFinite(seconds))
        return Math.max(0, seconds * 1000);
    const date = Date.parse(value);
    return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
/** Exponential backoff with full jitter on the upper half: base·2^(n-1)·[0.5, 1). */
function backoffMs(attempt, policy, random = Math.random) {
    const exponential = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
    return Math.round(exponential * (0.5 + random() / 2));
}
const defaultSleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
/**
 * Sends an idempotent request, retrying transient statuses (408, 429, 5xx) and network errors with
 * backoff, within both the attempt limit and the run's time budget. Each retry is logged.
 */
async function sendWithRetry(request, context) {
    const policy = context.policy ?? DEFAULT_RETRY_POLICY;
    const sleep = context.sleep ?? defaultSleep;
    for (let attempt = 1;; attempt++) {
        let outcome;
        try {
            outcome = await context.transport.send({ ...request, deadline: context.deadline });
            if (!isTransientStatus(outcome.status))
                return outcome;
        }
        catch (error) {
            // The same proxy or the same oversized answer would come back: retrying only spends the budget.
            if (error instanceof errors/* ProxyError */.T6 || error instanceof errors/* ResponseTooLargeError */.by)
                throw error;
            outcome = error instanceof Error ? error : new Error(String(error));
        }
        const hinted = outcome instanceof Error ? undefined : retryAfterMs(outcome.headers);
        const delay = hinted ?? backoffMs(attempt, policy, context.random);
        const remaining = context.deadline.remainingMs();
        const lastTry = attempt >= policy.maxAttempts || delay >= remaining - 1000;
        if (lastTry) {
            if (outcome instanceof Error)
                throw outcome;
            return outcome;
        }
        const what = outcome instanceof Error
            ? outcome instanceof errors/* EndpointTimeoutError */.tt
                ? 'did not answer in time'
                : `failed (${outcome.message})`
            : `answered HTTP ${outcome.status}`;
        context.logger.info(`The ${request.endpoint} ${what}; retrying in ${(delay / 1000).toFixed(1)} s (attempt ${attempt + 1} of ${policy.maxAttempts}).`);
        await sleep(delay);
    }
}

;// CONCATENATED MODULE: ./src/core/auth/federated-exchange.ts



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
class FederatedTokenExchange {
    options;
    constructor(options) {
        this.options = options;
    }
    async getToken(scope) {
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
        const response = await sendWithRetry({
            method: 'POST',
            url: `${authorityHost}/${encodeURIComponent(tenantId)}/oauth2/v2.0/token`,
            headers: {
                'content-type': 'application/x-www-form-urlencoded;charset=utf-8',
                accept: 'application/json',
                'client-request-id': (0,external_node_crypto_.randomUUID)()
            },
            body,
            endpoint: 'Microsoft Entra token endpoint'
        }, { transport, deadline, logger, ...(this.options.sleep ? { sleep: this.options.sleep } : {}) });
        let answer;
        try {
            answer = JSON.parse(response.body);
        }
        catch {
            throw new Error(`The Microsoft Entra token endpoint answered HTTP ${response.status} with a body that is not JSON.`);
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
        throw new EntraErrorResponse(`${code}: ${description || 'the token endpoint issued no access token.'}`, parseEntraErrorBody(response.body, response.status) ?? { status: response.status });
    }
}

;// CONCATENATED MODULE: ./src/core/auth/token-source.ts

/** The env var that makes ManagedIdentityCredential silently switch to AKS workload identity. */
const TOKEN_EXCHANGE_VARIABLE = 'AZURE_FEDERATED_TOKEN_FILE';
/** `az` can be slow to start (Python, extensions); it still has to fit the acquisition budget. */
const AZURE_CLI_TIMEOUT_MS = 30_000;
/**
 * Builds the token source for the settings. Workload identity federation, the path of almost every run, is one
 * POST of ours (federated-exchange.ts): @azure/identity and MSAL, about 30 ms of start-up, load only for the
 * other kinds. Their HTTP goes through our transport too, with instance discovery disabled: the authority host
 * is known, so nothing but the token endpoint (and, for a host MSAL has no built-in metadata for, its
 * openid-configuration) is contacted.
 */
async function createCredential(credential, context) {
    if (credential.kind === 'federated')
        return new FederatedTokenExchange({
            tenantId: credential.tenantId,
            clientId: credential.clientId,
            authorityHost: credential.authorityHost,
            getAssertion: context.getAssertion,
            transport: context.transport,
            deadline: context.deadline,
            logger: context.logger,
            now: context.now
        });
    const [identity, { createIdentityHttpClient }] = await Promise.all([
        Promise.all(/* import() */[__webpack_require__.e(237), __webpack_require__.e(202)]).then(__webpack_require__.bind(__webpack_require__, 7202)),
        Promise.all(/* import() */[__webpack_require__.e(237), __webpack_require__.e(863)]).then(__webpack_require__.bind(__webpack_require__, 3863))
    ]);
    const httpClient = createIdentityHttpClient(context.transport, context.endpointFor, context.deadline);
    const common = { httpClient, disableInstanceDiscovery: true, retryOptions: { maxRetries: 3 } };
    switch (credential.kind) {
        case 'client-secret':
            return new identity.ClientSecretCredential(credential.tenantId, credential.clientId, credential.clientSecret, {
                ...common,
                authorityHost: credential.authorityHost
            });
        case 'client-certificate':
            return new identity.ClientCertificateCredential(credential.tenantId, credential.clientId, { certificate: credential.certificatePem }, { ...common, authorityHost: credential.authorityHost });
        case 'managed-identity': {
            const env = context.env ?? process.env;
            if (env[TOKEN_EXCHANGE_VARIABLE] !== undefined) {
                // Managed identity was asked for explicitly; do not let the library switch to another flow.
                context.logger.debug(`Ignoring ${TOKEN_EXCHANGE_VARIABLE} because managed identity was requested.`);
                delete env[TOKEN_EXCHANGE_VARIABLE];
            }
            const selector = credential.selector;
            const options = { httpClient, retryOptions: { maxRetries: 4 } };
            if (selector === undefined)
                return new identity.ManagedIdentityCredential(options);
            return new identity.ManagedIdentityCredential({ ...options, [selector.kind]: selector.value });
        }
        case 'azure-cli':
            // Runs `az account get-access-token --resource <scope's resource> [--tenant]`; the outer budget still applies.
            return new identity.AzureCliCredential({
                ...(credential.tenantId ? { tenantId: credential.tenantId } : {}),
                processTimeoutInMs: AZURE_CLI_TIMEOUT_MS
            });
    }
}

// EXTERNAL MODULE: ./src/core/auth/clouds.ts
var clouds = __webpack_require__(1866);
// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
;// CONCATENATED MODULE: ./src/core/devops/errors.ts

/** Server-sent IDs are GUIDs or short references; anything longer is cut. */
const errors_MAX_ID_LENGTH = 200;
/** The request IDs of an Azure DevOps answer (`ActivityId`, `X-VSS-E2EID`, `X-MSEdge-Ref`), made safe to print. */
function readRequestIds(headers) {
    const read = (name) => {
        const value = headers[name];
        return value === undefined ? undefined : (0,errors/* neutralizeServerText */.cy)(value).slice(0, errors_MAX_ID_LENGTH) || undefined;
    };
    const ids = {};
    const activityId = read('activityid') ?? read('x-tfs-session');
    const e2eId = read('x-vss-e2eid');
    const msEdgeRef = read('x-msedge-ref');
    if (activityId !== undefined)
        ids.activityId = activityId;
    if (e2eId !== undefined)
        ids.e2eId = e2eId;
    if (msEdgeRef !== undefined)
        ids.msEdgeRef = msEdgeRef;
    return ids;
}
/** ` (Azure DevOps activity ID …, E2E ID …, edge ref '…'; give these to Microsoft support …)`, or '' without IDs. */
function formatRequestIds(ids) {
    return (0,errors/* formatSupportIds */.ZY)('Azure DevOps', [
        ['activity ID', ids.activityId],
        ['E2E ID', ids.e2eId],
        ['edge ref', ids.msEdgeRef === undefined ? undefined : `'${ids.msEdgeRef}'`]
    ]);
}
function parseAzureDevOpsError(body) {
    try {
        const parsed = JSON.parse(body);
        return {
            ...(typeof parsed.message === 'string' ? { message: parsed.message } : {}),
            ...(typeof parsed.typeKey === 'string' ? { typeKey: parsed.typeKey } : {})
        };
    }
    catch {
        return {};
    }
}
/** An Azure DevOps error with its TF code kept, a fix for the statuses users hit, and the request IDs at the end. */
function azureDevOpsError(what, url, response, identity, organizationName, 
/** A 2xx that is not JSON: Azure DevOps' sign-in page, i.e. the token was not accepted. */
signInPage = false) {
    const parsed = parseAzureDevOpsError(response.body);
    const message = parsed.message === undefined ? undefined : neutralizeServerText(parsed.message);
    const typeKey = parsed.typeKey === undefined ? undefined : neutralizeServerText(parsed.typeKey);
    // Stryker disable next-line StringLiteral: without a message any text without a TF/VS code finds no code, just as '' does.
    const code = /\b(TF\d{5,6}|VS\d{6})\b/.exec(message ?? '')?.[1];
    const ids = readRequestIds(response.headers);
    const said = signInPage
        ? ' with a sign-in page instead of JSON, which means it did not accept the token'
        : message
            ? `: ${message.replace(/\.\s*$/, '')}${typeKey ? ` (${typeKey})` : ''}`
            : '';
    let hint = '';
    if (signInPage || response.status === 401 || response.status === 203 || code === 'TF400813') {
        hint =
            ` The identity (object ID ${identity.objectId || 'unknown'}, application ID ${identity.clientId || 'unknown'}, tenant ${identity.tenantId || 'unknown'}) is not a member of organization '${organizationName}'.` +
                ' Add it in Organization settings → Users → Add users (search by its name or object ID) with an access level (Basic for Repos), or check that the organization is connected to the same Entra tenant (Organization settings → Microsoft Entra).';
    }
    else if (response.status === 403) {
        hint = ` The identity is a member of '${organizationName}' but lacks permission for this call. Grant it the needed permission or add it to a group that has it.`;
    }
    else if (response.status === 404) {
        hint = ` Check the organization name ('${organizationName}') and the path; a missing project or repository also looks like this when the identity cannot see it.`;
    }
    return new AzureDevOpsError(`${what} failed: ${url} answered HTTP ${response.status}${said}.${hint}${formatRequestIds(ids)}`, response.status, code, { ...ids, typeKey });
}

;// CONCATENATED MODULE: ./src/core/auth/jwt.ts
/**
 * Decodes the payload of a JWT without verifying it (the token came from a trusted endpoint over
 * TLS; we read it only to explain what happened). Returns undefined for anything that is not a JWT:
 * access tokens are opaque by contract.
 */
function decodeJwtClaims(token) {
    const parts = token.split('.');
    // Stryker disable next-line ConditionalExpression: three parts always have a second; the test is for the type checker.
    if (parts.length !== 3 || parts[1] === undefined)
        return undefined;
    try {
        const payload = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'));
        return typeof payload === 'object' && payload !== null && !Array.isArray(payload)
            ? payload
            : undefined;
    }
    catch {
        // Not base64url JSON: nothing to show (an empty block, so no mutant can empty it).
    }
    return undefined;
}
function claimString(claims, name) {
    const value = claims?.[name];
    if (typeof value === 'string')
        return value;
    if (Array.isArray(value))
        return value.filter((v) => typeof v === 'string').join(', ');
    return '';
}

;// CONCATENATED MODULE: ./src/core/auth/oidc.ts





function describeOidcSource(source) {
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
function readLocalToken(source) {
    return source.kind === 'env' ? source.token : readTokenFile(source);
}
/** Reads a federated token file; throws an OidcTokenError that names the file, the option and the fix. */
function readTokenFile(source) {
    let text;
    try {
        text = (0,external_node_fs_.readFileSync)(source.path, 'utf8');
    }
    catch (error) {
        const code = error.code;
        const problem = code === 'ENOENT'
            ? 'does not exist'
            : code === 'EACCES'
                ? 'cannot be read by this user'
                : code === 'EISDIR'
                    ? 'is a directory'
                    : `cannot be read (${code ?? 'unknown error'})`;
        throw new errors/* OidcTokenError */.HZ(`The federated token file '${source.path}' (from ${source.input}) ${problem}. Point ${source.input} at the file that holds the OIDC token: on Kubernetes the workload identity webhook mounts it (check the pod's azure.workload.identity/use label and service account); in GitLab CI write the id_tokens variable to a file first.`);
    }
    // trim() also drops a Windows editor's CRLF and byte order mark (U+FEFF is white space to it), which Entra would refuse.
    const token = text.trim();
    if (token === '')
        throw new errors/* OidcTokenError */.HZ(`The federated token file '${source.path}' (from ${source.input}) is empty. Check that the process that writes it (the workload identity webhook, the CI job) has run.`);
    return token;
}
/** Fetches one OIDC token from the platform, masks it at once, and logs its issuer, subject and audience. */
async function fetchOidcToken(source, context) {
    if (source.kind === 'file' || source.kind === 'env') {
        const token = context.guard.mask(readLocalToken(source));
        return { token, info: describePresented(token, context) };
    }
    const endpoint = describeOidcSource(source);
    const response = source.kind === 'github'
        ? await sendWithRetry({
            method: 'GET',
            url: `${source.requestUrl}&audience=${encodeURIComponent(source.audience)}`,
            // What @actions/core's getIDToken sends: the request URL already carries api-version=2.0.
            headers: { authorization: `Bearer ${source.requestToken}`, accept: 'application/json' },
            endpoint
        }, context)
        : await sendWithRetry({
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
        }, context);
    const token = context.guard.mask(readToken(source, response));
    return { token, info: describePresented(token, context) };
}
/** Logs the presented token's issuer, subject and audience: what Entra matches against a federated credential. */
function describePresented(token, context) {
    const claims = decodeJwtClaims(token);
    if (claims === undefined)
        context.guard.warning('The presented OIDC token is not a JWT, so Microsoft Entra ID will refuse it. Check that the token source holds an OIDC ID token (three base64url parts separated by dots).');
    const info = {
        issuer: claimString(claims, 'iss'),
        subject: claimString(claims, 'sub'),
        audience: claimString(claims, 'aud'),
        expiresAt: typeof claims?.exp === 'number' ? claims.exp * 1000 : undefined
    };
    context.guard.info(`Presented OIDC token: issuer '${info.issuer}', subject '${info.subject}', audience '${info.audience}'${info.expiresAt ? `, expires ${new Date(info.expiresAt).toISOString()}` : ''}.`);
    return info;
}
function readToken(source, response) {
    const endpoint = describeOidcSource(source);
    if (response.status < 200 || response.status >= 300)
        throw oidcStatusError(source, response);
    let body;
    try {
        body = JSON.parse(response.body);
    }
    catch {
        throw new errors/* OidcTokenError */.HZ(`The ${endpoint} answered HTTP ${response.status} with a body that is not JSON, so no OIDC token was obtained. Retry the job; if it persists, the platform's token service is having problems.`);
    }
    const field = source.kind === 'github' ? 'value' : 'oidcToken';
    const token = 
    // Stryker disable next-line ConditionalExpression: JSON.parse gives no undefined, and a string, number or boolean has no such field either
    typeof body === 'object' && body !== null ? body[field] : undefined;
    if (typeof token !== 'string' || token === '') {
        throw new errors/* OidcTokenError */.HZ(`The ${endpoint} answered without a token (no '${field}' field in its JSON). Retry the job; if it persists, the platform's token service is having problems.`);
    }
    return token;
}
function oidcStatusError(source, response) {
    const status = response.status;
    if (source.kind === 'github') {
        const fix = status === 401 || status === 403
            ? 'The request token was refused: it belongs to another job or has expired. Run the step in the job that has `permissions: id-token: write`, and do not pass ACTIONS_ID_TOKEN_REQUEST_* between jobs.'
            : 'Retry the job; if it persists, check https://www.githubstatus.com.';
        return new errors/* OidcTokenError */.HZ(`The GitHub OIDC endpoint answered HTTP ${status}. ${fix}`);
    }
    const message = parseAzureDevOpsError(response.body).message;
    const detail = message === undefined ? undefined : (0,errors/* neutralizeServerText */.cy)(message);
    const fix = status === 401 || status === 403
        ? "The job's system access token was refused. Check that the pipeline's job authorization scope allows it and that the task runs in the job that received the token."
        : `Check that '${source.serviceConnectionInput}' names a workload identity federation service connection that this pipeline is authorized to use (Project settings → Service connections → the connection → Security).`;
    return new errors/* OidcTokenError */.HZ(`The Azure Pipelines OIDC endpoint answered HTTP ${status}${detail ? `: ${detail.replace(/\.\s*$/, '')}` : ''}. ${fix}${formatRequestIds(readRequestIds(response.headers))}`);
}
/**
 * Keeps the OIDC token for its lifetime (less a safety margin) so a credential that asks for an
 * assertion on every getToken does not fetch twice, and fetches a fresh one when it is near expiry.
 * With `reuse` false every get() reads afresh (concurrent calls still share one read): a federated token
 * file is rotated by its owner (Kubernetes) well before the old token expires, and reading it costs nothing.
 */
function createOidcTokenCache(fetch, now = Date.now, marginMs = 60_000, reuse = true) {
    let cached;
    let pending;
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

;// CONCATENATED MODULE: ./src/core/auth/entra-errors.ts





const EXACT_MATCH = 'Entra matches issuer, subject and audience exactly (case-sensitive).';
function presentedText(ctx) {
    const p = ctx.presented;
    if (p === undefined)
        return '';
    return ` Presented token: issuer '${p.issuer}', subject '${p.subject}', audience '${p.audience}'.`;
}
function federatedFix(ctx) {
    const p = ctx.presented;
    const credential = p
        ? `issuer '${p.issuer}', subject '${p.subject}' and audience '${p.audience}'`
        : 'the issuer, subject and audience printed above';
    return `${EXACT_MATCH} Add a federated credential with ${credential} to the app registration (Entra ID → App registrations → the app → Certificates & secrets → Federated credentials), or change the workflow so the token matches an existing one. ${ctx.subjectAdvice}`;
}
function hintFor(code, ctx) {
    const clientId = 'clientId' in ctx.credential ? ctx.credential.clientId : '';
    const tenantId = ('tenantId' in ctx.credential ? ctx.credential.tenantId : undefined) ?? '';
    switch (code) {
        case 'AADSTS70021':
        case 'AADSTS700211':
        case 'AADSTS700212':
        case 'AADSTS700213':
        case 'AADSTS7002138':
            return `No federated credential of app ${clientId} matches the presented token.${presentedText(ctx)} ${federatedFix(ctx)}`;
        case 'AADSTS70025':
            return `App ${clientId} has no federated credentials at all.${presentedText(ctx)} ${federatedFix(ctx)}`;
        case 'AADSTS700024':
            if (ctx.credential.kind === 'federated' &&
                (ctx.credential.oidc.kind === 'file' || ctx.credential.oidc.kind === 'env'))
                return `The OIDC token was outside its validity window when Entra checked it.${presentedText(ctx)} It comes from the ${describeOidcSource(ctx.credential.oidc)}: check that whatever writes it keeps it fresh (the Kubernetes webhook rotates the projected file; a CI job's id_tokens last only for the job), and that this machine's clock is in sync with internet time.`;
            return ctx.credential.kind === 'federated'
                ? `The OIDC token was outside its validity window when Entra checked it.${presentedText(ctx)} A fresh token is fetched right before each exchange, so check this machine's clock (it must be in sync with internet time) and retry.`
                : "The client assertion was outside its validity window when Entra checked it. Check this machine's clock (it must be in sync with internet time) and retry.";
        case 'AADSTS700016':
            return `Check ${ctx.names.clientId} (${clientId}) and ${ctx.names.tenantId} (${tenantId}): the client ID must be the Application (client) ID of an app registration in that tenant, and the tenant must be in the cloud set by ${ctx.names.cloud}.`;
        case 'AADSTS90002':
            return `Check ${ctx.names.tenantId} (${tenantId}): use the Directory (tenant) ID of the app registration. A tenant in a national cloud also needs ${ctx.names.cloud} set to AzureUSGovernment or AzureChinaCloud.`;
        case 'AADSTS90038':
        case 'AADSTS900382':
            return `The tenant lives in another Azure cloud. Set ${ctx.names.cloud} to the tenant's cloud (AzureCloud, AzureUSGovernment or AzureChinaCloud).`;
        case 'AADSTS7000215':
            return "The client secret is wrong. Use the secret's Value (not its Secret ID) and update the service connection — or better, convert it to workload identity federation so there is no secret to rotate.";
        case 'AADSTS7000222':
            return 'The client secret has expired. Create a new secret in the app registration and update the service connection — or better, convert it to workload identity federation so there is no secret to expire.';
        case 'AADSTS700027':
            return ctx.credential.kind === 'client-certificate'
                ? 'Entra could not verify the client assertion with any certificate of the app. Upload the certificate (public part) to the app registration, or update the service connection with a certificate the app has.'
                : `Entra could not verify the signature of the presented token.${presentedText(ctx)} Check that the federated credential's issuer is the exact issuer of this platform's tokens.`;
        case 'AADSTS53003':
            return "A Conditional Access policy blocked the sign-in. Ask a tenant administrator to exclude this workload identity from the policy or allow the runner's network location (Entra ID → Security → Conditional Access → Workload identities).";
        case 'AADSTS700223':
        case 'AADSTS700238':
            return 'Federated identity credentials are disabled for this app or tenant by policy. Ask a tenant administrator to allow them for this app.';
        case 'AADSTS500011':
            return `The resource in ${ctx.names.scope} does not exist in the tenant. For Azure DevOps leave ${ctx.names.scope} at its default (${clouds/* AZURE_DEVOPS_SCOPE */.nk}).`;
        case 'AADSTS7000112':
            return 'The application is disabled in the tenant. Ask a tenant administrator to enable the enterprise application (service principal).';
        case 'AADSTS700082':
        case 'AADSTS50173':
        case 'AADSTS50076':
        case 'AADSTS50079':
        case 'AADSTS50078':
            return ctx.credential.kind === 'azure-cli'
                ? `The Azure CLI's sign-in is no longer valid (expired, revoked, or a new MFA sign-in is required). Run \`${azLoginCommand(ctx.credential.tenantId)}\` and retry.`
                : genericHint(code);
        default:
            return ctx.credential.kind === 'azure-cli'
                ? `${genericHint(code)} If the Azure CLI's sign-in is stale, run \`${azLoginCommand(ctx.credential.tenantId)}\` and retry.`
                : genericHint(code);
    }
}
function genericHint(code) {
    return `See https://login.microsoftonline.com/error?code=${code.replace('AADSTS', '')} for the meaning of this code.`;
}
/** The sign-in that gives the Azure CLI a token for Azure DevOps, with or without an Azure subscription. */
function azLoginCommand(tenantId) {
    return `az login --allow-no-subscriptions${tenantId ? ` --tenant ${tenantId}` : ''}`;
}
/** What the Azure CLI said, turned into the step to take. */
function explainAzureCliError(error, names, tenantId) {
    const text = (0,errors/* neutralizeServerText */.cy)((0,errors/* describeError */.Uc)(error));
    if (/Azure CLI could not be found|az: .*not found|is not recognized/i.test(text))
        return new errors/* AuthenticationError */.v3(`The Azure CLI ('az') was not found on PATH, so ${names.azureCli} cannot be used. Install it (https://aka.ms/azure-cli) and run \`${azLoginCommand(tenantId)}\`, or use another mode: ${names.otherModes}.`);
    if (/az login/i.test(text))
        return new errors/* AuthenticationError */.v3(`The Azure CLI is not signed in${tenantId ? ` to tenant ${tenantId}` : ''}. Run \`${azLoginCommand(tenantId)}\` (--allow-no-subscriptions lets an account without Azure subscriptions sign in) and retry. (Azure CLI said: ${text})`);
    return new errors/* AuthenticationError */.v3(`The Azure CLI did not issue a token: ${text}`);
}
/**
 * Turns whatever the credential threw into one error with the Entra code kept, a fix added and the support IDs
 * (trace ID, correlation ID, timestamp) at the end; the original error is kept as `cause`.
 */
function explainCredentialError(error, ctx) {
    if (error instanceof errors/* EndpointTimeoutError */.tt ||
        error instanceof errors/* AuthenticationError */.v3 ||
        error instanceof errors/* ManagedIdentityError */.w)
        return error;
    if (error instanceof Error && error.name === 'OidcTokenError')
        return error;
    const details = readEntraErrorDetails(error, ctx.responses);
    if (details?.code !== undefined) {
        const said = details.description ? `: ${details.description}` : '.';
        return new errors/* AuthenticationError */.v3(`Microsoft Entra ID refused the token request: ${details.code}${said} ${hintFor(details.code, ctx)}${formatEntraSupportIds(details)}`, details, { cause: error });
    }
    if (ctx.credential.kind === 'managed-identity')
        return explainManagedIdentityError(error, ctx);
    if (ctx.credential.kind === 'azure-cli')
        return explainAzureCliError(error, ctx.names, ctx.credential.tenantId);
    if (error instanceof NetworkError)
        return error;
    if (ctx.networkError !== undefined && /network_error|network/i.test((0,errors/* describeError */.Uc)(error)))
        return ctx.networkError;
    return new errors/* AuthenticationError */.v3(`Microsoft Entra ID did not issue a token: ${(0,errors/* neutralizeServerText */.cy)((0,errors/* describeError */.Uc)(error))}${formatEntraSupportIds(details)}`, details, { cause: error });
}
function explainManagedIdentityError(error, ctx) {
    const text = (0,errors/* describeError */.Uc)(error);
    const selectors = ctx.names.managedIdentitySelectors;
    if (/multiple user assigned identities/i.test(text)) {
        return new errors/* ManagedIdentityError */.w(`This machine has several user-assigned managed identities and none was selected. Set one of ${selectors} to choose one. (Endpoint said: ${(0,errors/* neutralizeServerText */.cy)(text)})`);
    }
    if (/identity not found/i.test(text)) {
        return new errors/* ManagedIdentityError */.w(`The managed identity endpoint has no identity matching the request. Check ${selectors} against the identities assigned to this machine (Azure portal → the VM or app → Identity), or assign a system-assigned identity. (Endpoint said: ${(0,errors/* neutralizeServerText */.cy)(text)})`);
    }
    if (ctx.networkError !== undefined ||
        error instanceof NetworkError ||
        /ECONNREFUSED|EHOSTUNREACH|ENETUNREACH|ETIMEDOUT|unreachable|network_error|no response/i.test(text)) {
        return new errors/* ManagedIdentityError */.w(`No managed identity endpoint answered on this machine: ${(0,errors/* neutralizeServerText */.cy)(ctx.networkError?.message ?? text)} Managed identity works only on Azure compute with an identity assigned (a VM, scale set agent, App Service or Container App); hosted runners and agents have none — use workload identity federation there.`);
    }
    return new errors/* ManagedIdentityError */.w(`The managed identity endpoint did not issue a token: ${(0,errors/* neutralizeServerText */.cy)(text)}`);
}

;// CONCATENATED MODULE: ./src/core/auth/token-provider.ts





/** Refresh this long before expiry, or at half the lifetime for short-lived tokens. */
const REFRESH_MARGIN_MS = 5 * 60_000;
function createTokenProvider(options) {
    const { credential: cred, guard } = options;
    const now = options.now ?? Date.now;
    // Each acquisition gets its own budget; requests made for it (OIDC, Entra, IMDS) read the current one.
    let budget = createDeadline(options.timeoutSeconds, now);
    const deadline = {
        get seconds() {
            return budget.seconds;
        },
        remainingMs: () => budget.remainingMs()
    };
    let failures = newFailures();
    const transport = recordFailures(options.transport, () => failures);
    let oidcFailure;
    const oidc = cred.kind === 'federated'
        ? createOidcTokenCache(() => fetchOidcToken(cred.oidc, { transport, deadline, logger: guard, guard }).catch((error) => {
            oidcFailure = error;
            throw error;
        }), now, undefined, 
        // The file is read before every exchange, as the README and --help promise: it may have been rotated.
        cred.oidc.kind !== 'file')
        : undefined;
    const newCredential = () => createCredential(cred, {
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
    let cached;
    let issuedAt = 0;
    const acquire = async () => {
        budget = createDeadline(options.timeoutSeconds, now);
        failures = newFailures();
        oidcFailure = undefined;
        try {
            const token = await withDeadline(credential.then((source) => getToken(source, options.scope)), deadline, failures.timeouts, cred);
            issuedAt = now();
            cached = { token: guard.mask(token.token), expiresOnTimestamp: token.expiresOnTimestamp };
            return cached;
        }
        catch (error) {
            throw (failures.timeouts[0] ??
                failures.fatal[0] ??
                (oidcFailure instanceof Error ? oidcFailure : undefined) ??
                explainCredentialError(error, {
                    credential: cred,
                    names: options.names,
                    presented: oidc?.last(),
                    subjectAdvice: options.subjectAdvice,
                    responses: failures.errorAnswers,
                    networkError: failures.network.at(-1)
                }));
        }
    };
    return {
        get() {
            if (cached) {
                const margin = Math.min(REFRESH_MARGIN_MS, (cached.expiresOnTimestamp - issuedAt) / 2);
                if (cached.expiresOnTimestamp - margin > now())
                    return Promise.resolve(cached);
                guard.info(`The access token expires at ${new Date(cached.expiresOnTimestamp).toISOString()}; getting a fresh one.`);
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
async function getToken(credential, scope) {
    const token = await credential.getToken(scope);
    if (token === null)
        throw new Error('The credential returned no token.');
    return token;
}
function endpointName(cred, url) {
    if (cred.kind === 'managed-identity')
        return 'managed identity endpoint';
    return url.pathname.includes('openid-configuration')
        ? 'Microsoft Entra metadata endpoint'
        : 'Microsoft Entra token endpoint';
}
function newFailures() {
    return {
        timeouts: [],
        network: [],
        fatal: [],
        // Stryker disable next-line ArrayDeclaration: an entry that is not an answer has no body to parse, so is skipped
        errorAnswers: []
    };
}
/** Libraries wrap transport errors into vaguer ones ("network_error"); keep the originals, which name the endpoint. */
function recordFailures(transport, current) {
    return {
        async send(request, signal) {
            try {
                const response = await transport.send(request, signal);
                if (response.status >= 400)
                    current().errorAnswers.push({ status: response.status, body: response.body });
                return response;
            }
            catch (error) {
                if (error instanceof errors/* EndpointTimeoutError */.tt)
                    current().timeouts.push(error);
                if (error instanceof NetworkError)
                    current().network.push(error);
                if (error instanceof errors/* ProxyError */.T6 || error instanceof errors/* ResponseTooLargeError */.by)
                    current().fatal.push(error);
                throw error;
            }
        }
    };
}
/** Outer guard: libraries may sleep between retries; the acquisition still ends when the budget does. */
async function withDeadline(promise, deadline, timeouts, cred) {
    let timer;
    const expired = new Promise((_, reject) => {
        timer = setTimeout(() => {
            const endpoint = cred.kind === 'managed-identity'
                ? 'managed identity endpoint'
                : cred.kind === 'azure-cli'
                    ? 'Azure CLI'
                    : cred.kind === 'federated'
                        ? 'OIDC or Microsoft Entra token endpoint'
                        : 'Microsoft Entra token endpoint';
            reject(timeouts[0] ??
                new errors/* EndpointTimeoutError */.tt(endpoint, 'authorityHost' in cred ? cred.authorityHost : 'see the log above', deadline.seconds));
        }, 
        // A grace second lets the transport's own timeout, which names the endpoint, win the race.
        Math.max(0, deadline.remainingMs()) + 1000);
        timer.unref();
    });
    try {
        return await Promise.race([promise, expired]);
    }
    finally {
        clearTimeout(timer);
    }
}

// EXTERNAL MODULE: ./src/core/validate.ts
var validate = __webpack_require__(993);
;// CONCATENATED MODULE: ./src/git-credential-helper/mint.ts




/** Nothing from the helper may reach git's stdout; only warnings go to stderr. */
const QUIET = {
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
async function mintToken(recipe, env) {
    let credential;
    if (recipe.kind === 'managed-identity') {
        credential = { kind: 'managed-identity', selector: recipe.selector };
    }
    else if (recipe.kind === 'github-federated') {
        const requestUrl = env.ACTIONS_ID_TOKEN_REQUEST_URL;
        const requestToken = env.ACTIONS_ID_TOKEN_REQUEST_TOKEN;
        if (!requestUrl || !requestToken)
            return undefined;
        credential = {
            kind: 'federated',
            tenantId: recipe.tenantId,
            clientId: recipe.clientId,
            authorityHost: recipe.authorityHost,
            oidc: { kind: 'github', requestUrl, requestToken, audience: recipe.audience }
        };
    }
    else {
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
        timeoutSeconds: validate/* DEFAULT_TIMEOUT_SECONDS */.KU,
        env
    });
    return provider.get();
}


/***/ })

};
