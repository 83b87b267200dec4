#!/usr/bin/env node
import { createRequire as __WEBPACK_EXTERNAL_createRequire } from "module";
/******/ var __webpack_modules__ = ({

/***/ 486:
/***/ ((module, __unused_webpack___webpack_exports__, __nccwpck_require__) => {

__nccwpck_require__.a(module, async (__webpack_handle_async_dependencies__, __webpack_async_result__) => { try {
/* harmony import */ var _core_exit_js__WEBPACK_IMPORTED_MODULE_1__ = __nccwpck_require__(8159);
/* harmony import */ var _main_js__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(5601);


const code = await (0,_main_js__WEBPACK_IMPORTED_MODULE_0__/* .run */ .e)({
    argv: process.argv.slice(2),
    env: process.env,
    cwd: process.cwd(),
    stdout: (text) => process.stdout.write(text),
    stderr: (line) => process.stderr.write(`${line}\n`)
});
await (0,_core_exit_js__WEBPACK_IMPORTED_MODULE_1__/* .exitWhenFlushed */ .K)(code);

__webpack_async_result__();
} catch(e) { __webpack_async_result__(e); } }, 1);

/***/ }),

/***/ 5601:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {


// EXPORTS
__nccwpck_require__.d(__webpack_exports__, {
  e: () => (/* binding */ run)
});

// UNUSED EXPORTS: EXIT

// EXTERNAL MODULE: ./src/core/devops/client.ts + 1 modules
var devops_client = __nccwpck_require__(2676);
// EXTERNAL MODULE: ./src/core/devops/host-policy.ts + 1 modules
var host_policy = __nccwpck_require__(6758);
// EXTERNAL MODULE: ./src/core/errors.ts
var errors = __nccwpck_require__(4296);
// EXTERNAL MODULE: ./src/core/http/transport.ts
var http_transport = __nccwpck_require__(5473);
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

// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __nccwpck_require__(3024);
// EXTERNAL MODULE: ./src/core/devops/errors.ts
var devops_errors = __nccwpck_require__(5154);
// EXTERNAL MODULE: ./src/core/http/retry.ts
var retry = __nccwpck_require__(5834);
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
        ? await (0,retry/* sendWithRetry */.lx)({
            method: 'GET',
            url: `${source.requestUrl}&audience=${encodeURIComponent(source.audience)}`,
            // What @actions/core's getIDToken sends: the request URL already carries api-version=2.0.
            headers: { authorization: `Bearer ${source.requestToken}`, accept: 'application/json' },
            endpoint
        }, context)
        : await (0,retry/* sendWithRetry */.lx)({
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
    const message = (0,devops_errors/* parseAzureDevOpsError */.oz)(response.body).message;
    const detail = message === undefined ? undefined : (0,errors/* neutralizeServerText */.cy)(message);
    const fix = status === 401 || status === 403
        ? "The job's system access token was refused. Check that the pipeline's job authorization scope allows it and that the task runs in the job that received the token."
        : `Check that '${source.serviceConnectionInput}' names a workload identity federation service connection that this pipeline is authorized to use (Project settings → Service connections → the connection → Security).`;
    return new errors/* OidcTokenError */.HZ(`The Azure Pipelines OIDC endpoint answered HTTP ${status}${detail ? `: ${detail.replace(/\.\s*$/, '')}` : ''}. ${fix}${(0,devops_errors/* formatRequestIds */.zG)((0,devops_errors/* readRequestIds */.eu)(response.headers))}`);
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

;// CONCATENATED MODULE: ./src/core/http/throttle.ts
function createThrottle(logger, sleep, now = Date.now) {
    let notBefore = 0;
    let waitedMs = 0;
    // Waiting is counted once per stretch of wall-clock time, however many requests wait through it,
    // and only when some request actually waits (a pause after the last request costs nothing).
    let countedUntil = 0;
    return {
        async wait(deadline) {
            for (let delay = notBefore - now(); delay > 0; delay = notBefore - now()) {
                // A pause longer than the budget left ends with the budget: the caller then reports it.
                const left = deadline?.remainingMs() ?? Infinity;
                if (left <= 0)
                    return;
                const until = Math.min(notBefore, now() + left);
                waitedMs += Math.max(0, until - Math.max(now(), countedUntil));
                countedUntil = Math.max(countedUntil, until);
                await sleep(Math.min(delay, left));
            }
        },
        pause(ms, reason) {
            const until = now() + ms;
            if (until <= notBefore)
                return;
            notBefore = until;
            logger.info(`${reason}: holding requests for ${(ms / 1000).toFixed(1)} s.`);
        },
        get waitedMs() {
            return waitedMs;
        }
    };
}

// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __nccwpck_require__(7598);
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
        const response = await (0,retry/* sendWithRetry */.lx)({
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
        Promise.all(/* import() */[__nccwpck_require__.e(171), __nccwpck_require__.e(237), __nccwpck_require__.e(202)]).then(__nccwpck_require__.bind(__nccwpck_require__, 7202)),
        Promise.all(/* import() */[__nccwpck_require__.e(171), __nccwpck_require__.e(237), __nccwpck_require__.e(863)]).then(__nccwpck_require__.bind(__nccwpck_require__, 3863))
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
var clouds = __nccwpck_require__(1866);
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
    if (error instanceof http_transport/* NetworkError */.Dr)
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
        error instanceof http_transport/* NetworkError */.Dr ||
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
    let budget = (0,http_transport/* createDeadline */.dU)(options.timeoutSeconds, now);
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
        budget = (0,http_transport/* createDeadline */.dU)(options.timeoutSeconds, now);
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
                if (error instanceof http_transport/* NetworkError */.Dr)
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
var validate = __nccwpck_require__(993);
;// CONCATENATED MODULE: ./src/core/devops/verify.ts

/**
 * Proves the token works for the organization: GET _apis/connectionData through the same client the
 * operations use (a 203 or an HTML 2xx is the sign-in page, which the client reports as a failure).
 */
async function verifyToken(client, organization, identity, 
/** The run's budget for getting and verifying the token: verification gets what acquisition left. */
budget) {
    const url = new URL(`${organization.url}/_apis/connectionData`);
    const what = `Verifying the token against organization '${organization.name}'`;
    // The token was issued a moment ago: a 401 means membership, not expiry, so no refresh-and-retry.
    const response = await client.send({
        method: 'GET',
        url,
        description: what,
        refreshOn401: false,
        ...(budget ? { budget } : {})
    });
    const success = response.status >= 200 && response.status < 300;
    if (!success || typeof response.data !== 'object' || response.data === null) {
        // A 2xx without a JSON object is a sign-in page in disguise.
        throw (0,devops_errors/* azureDevOpsError */.nR)(what, `${url.origin}${url.pathname}`, response, identity, organization.name, success);
    }
    const user = response.data
        .authenticatedUser;
    return {
        id: typeof user?.id === 'string' ? user.id : '',
        displayName: typeof user?.providerDisplayName === 'string' ? user.providerDisplayName : ''
    };
}

;// CONCATENATED MODULE: ./src/core/acquire.ts










function describeMethod(credential) {
    switch (credential.kind) {
        case 'federated': {
            const { oidc } = credential;
            // The endpoints hand out a token; a file or variable is named as it is (its path is the user's).
            const source = oidc.kind === 'github'
                ? 'GitHub OIDC token'
                : oidc.kind === 'azure-pipelines'
                    ? 'Azure Pipelines OIDC token'
                    : describeOidcSource(oidc);
            return `workload identity federation (${source})`;
        }
        case 'client-secret':
            return 'service principal with a client secret';
        case 'client-certificate':
            return 'service principal with a certificate';
        case 'managed-identity':
            return credential.selector
                ? `user-assigned managed identity (${credential.selector.kind} ${credential.selector.value})`
                : 'managed identity (system-assigned, or the only one assigned)';
        case 'azure-cli':
            return `the Azure CLI's signed-in account (az account get-access-token${credential.tenantId ? ` --tenant ${credential.tenantId}` : ''})`;
    }
}
/** Gets an Entra access token for the settings, masks it, explains what happened and optionally verifies it. */
async function acquireAzureDevOpsToken(settings, options) {
    const { guard, platform } = options;
    const now = options.now ?? Date.now;
    const cred = settings.credential;
    const transport = options.transport ?? (0,http_transport/* createRunTransport */.dR)(platform, guard);
    // Getting and verifying the token share one budget: a hung verification must not outlast it.
    const deadline = (0,http_transport/* createDeadline */.dU)(settings.timeoutSeconds, now);
    if (settings.dryRun)
        guard.info('Dry run: writes (POST, PUT, PATCH, DELETE) are shown, not sent.');
    guard.info(`Authenticating with ${describeMethod(cred)}.`);
    if (cred.kind !== 'managed-identity' && cred.kind !== 'azure-cli')
        guard.info(`Tenant ${cred.tenantId}, client ID ${cred.clientId}, authority ${cred.authorityHost}, scope ${settings.scope}.`);
    else
        guard.info(`Scope ${settings.scope}.`);
    const tokens = createTokenProvider({
        credential: cred,
        scope: settings.scope,
        transport,
        guard,
        names: options.names,
        subjectAdvice: options.subjectAdvice,
        timeoutSeconds: settings.timeoutSeconds,
        env: options.env,
        now
    });
    const accessToken = await tokens.get();
    const claims = decodeJwtClaims(accessToken.token);
    const result = {
        token: accessToken.token,
        // Stryker disable next-line Regex: toISOString always ends in .dddZ, so the end anchor changes nothing.
        expiresOn: new Date(accessToken.expiresOnTimestamp).toISOString().replace(/\.\d{3}Z$/, 'Z'),
        tenantId: claimString(claims, 'tid'),
        objectId: claimString(claims, 'oid'),
        clientId: claimString(claims, 'appid') || claimString(claims, 'azp'),
        identity: ''
    };
    if (options.report)
        options.report.result = result;
    const minutes = Math.round((accessToken.expiresOnTimestamp - now()) / 60_000);
    guard.info(claims
        ? `Access token issued to application ${result.clientId || '(unknown)'} (object ID ${result.objectId || 'unknown'}) in tenant ${result.tenantId || 'unknown'}; expires ${result.expiresOn} (in ${minutes} minutes).`
        : `Access token issued (not a JWT, so its identity cannot be shown); expires ${result.expiresOn} (in ${minutes} minutes).`);
    const identity = result;
    const stats = { requests: 0, retries: 0 };
    const throttle = createThrottle(guard, (ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    const client = (0,devops_client/* createDevOpsClient */.lJ)({
        transport,
        tokens,
        hosts: (0,host_policy/* createHostPolicy */.Ng)(settings.organization, settings.allowedHosts),
        throttle,
        guard,
        identity,
        organizationName: settings.organization?.name ?? '',
        logRequest: (line) => guard.info(line),
        stats
    });
    if (settings.verify && settings.organization) {
        const verified = await verifyToken(client, settings.organization, identity, {
            deadline,
            exceeded: (what, detail) => tokenBudgetExceeded(what, detail, deadline)
        });
        result.identity = verified.displayName;
        if (options.report)
            options.report.verified = true;
        guard.info(`Verified: organization '${settings.organization.name}' (${settings.organization.url}) accepts the token as '${verified.displayName}' (id ${verified.id}).`);
    }
    return { result, session: { tokens, client, stats, throttle } };
}
function tokenBudgetExceeded(what, detail, deadline) {
    return new errors/* BudgetExceededError */.Zq(`${what} did not finish: the ${deadline.seconds}-second budget for getting and verifying the token ran out ${detail}. Check that the organization's host is reachable from this machine (firewall, proxy, DNS), or raise the ${validate/* TIMEOUT_VARIABLE */.bT} environment variable (seconds, 1 to 600; default 50).`, deadline.seconds);
}

// EXTERNAL MODULE: ./src/core/log-text.ts
var log_text = __nccwpck_require__(9357);
// EXTERNAL MODULE: ./src/core/operations/model.ts
var model = __nccwpck_require__(4923);
// EXTERNAL MODULE: ./src/core/operations/lazy.ts
var lazy = __nccwpck_require__(670);
// EXTERNAL MODULE: ./src/core/product.ts
var product = __nccwpck_require__(4140);
// EXTERNAL MODULE: ./src/core/http/proxy-refusal.ts
var proxy_refusal = __nccwpck_require__(8413);
;// CONCATENATED MODULE: ./src/core/http/proxy.ts


/** IMDS and other link-local / loopback endpoints are never reached through a proxy. */
function bypassesProxy(url) {
    return (0,validate/* isLoopbackHost */.cW)(url.hostname) || url.hostname.startsWith('169.254.');
}
const PROXY_VARIABLES = ['HTTPS_PROXY', 'HTTP_PROXY', 'ALL_PROXY'].flatMap((name) => [
    name,
    name.toLowerCase()
]);
/** The values of the standard proxy variables that are set (either case): the runner's and the CLI's proxies. */
function proxyValues(env) {
    return PROXY_VARIABLES.map((name) => env[name]?.trim() ?? '').filter((value) => value !== '');
}
function proxyVariablesSet(env) {
    return proxyValues(env).length > 0;
}
/**
 * The passwords in the proxy URLs (as written and decoded): secrets to mask, whatever their length, before any
 * request, since a proxy or network error may quote the proxy URL. `user:pw@host:3128` without a scheme is
 * read as http, as curl and most proxy libraries read it.
 */
function proxyPasswords(env) {
    return proxyValues(env).flatMap((value) => {
        try {
            const written = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? value : `http://${value}`).password;
            return written ? [...new Set([written, safeDecode(written)])] : [];
        }
        catch {
            return []; // not a URL: no proxy library uses it either
        }
    });
}
function safeDecode(text) {
    try {
        return decodeURIComponent(text);
    }
    catch {
        return text;
    }
}
/** Where no proxy is configured, no request can be routed to one. */
const noProxySupport = (proxyUrl) => {
    throw new Error(`Internal error: a proxy (${proxyUrl}) applies, but proxy support was not loaded.`);
};
/**
 * Returns a factory of cached agents that tunnel through a proxy (CONNECT for https targets, absolute-URI
 * requests for http targets): one library for every platform; each platform decides when a proxy applies.
 * The proxy agents are loaded only when a proxy is configured: most runners and agents have none, and
 * loading them cost every run about 10 ms of start-up (docs/development.md, Performance).
 */
async function loadProxyAgents(configured) {
    if (!configured)
        return noProxySupport;
    const [{ HttpProxyAgent }, { HttpsProxyAgent }] = await Promise.all([
        Promise.all(/* import() */[__nccwpck_require__.e(171), __nccwpck_require__.e(970)]).then(__nccwpck_require__.t.bind(__nccwpck_require__, 1970, 23)),
        Promise.all(/* import() */[__nccwpck_require__.e(171), __nccwpck_require__.e(669)]).then(__nccwpck_require__.t.bind(__nccwpck_require__, 3669, 23))
    ]);
    const agents = new Map();
    return (proxyUrl, target) => {
        const key = `${target.protocol}${proxyUrl}`;
        let agent = agents.get(key);
        if (agent === undefined) {
            agent = target.protocol === 'http:' ? new HttpProxyAgent(proxyUrl) : new HttpsProxyAgent(proxyUrl);
            agents.set(key, agent);
            (0,proxy_refusal/* registerProxy */.OK)(agent, proxyUrl);
        }
        return agent;
    };
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
        info: (message) => platform.info((0,log_text/* neutralizeLogLine */.C)(redact(message))),
        warning: (message) => platform.warning((0,log_text/* neutralizeLogLine */.C)(redact(message))),
        debug: (message) => platform.debug((0,log_text/* neutralizeLogText */.j)(redact(message)))
    };
}

// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __nccwpck_require__(6760);
var external_node_path_default = /*#__PURE__*/__nccwpck_require__.n(external_node_path_);
// EXTERNAL MODULE: ./src/core/job-credentials/git.ts
var job_credentials_git = __nccwpck_require__(295);
// EXTERNAL MODULE: ./src/core/job-credentials/feeds.ts
var feeds = __nccwpck_require__(3761);
;// CONCATENATED MODULE: ./src/core/step.ts






/** Reads the inputs the action and the task share, in the same order on both; the organization is already read. */
function readStepInputs(input, env, organization, 
/** Relative operation files are found here (the workspace / the default working directory). */
baseDir) {
    const timeoutSeconds = parseTimeout(env);
    const allowedHosts = parseAllowedHosts(input('allowedHosts'));
    const operations = requestedOperations({
        inline: input('operations'),
        file: input('operationsFile'),
        baseDir,
        organization: organization.value,
        allowedHosts
    });
    const timeoutInput = input('operationsTimeout');
    const operationsTimeout = { seconds: parseOperationsTimeout(timeoutInput), input: timeoutInput.name };
    const dryRun = parseBoolean(input('dryRun'));
    const gitInput = input('gitCredentials');
    const gitCredentials = parseBoolean(gitInput);
    if (gitCredentials)
        requireOrganizationFor(gitInput, organization.value, organization.input);
    const feeds = parseFeeds(input('feeds'));
    const summary = parseBoolean(input('summary'));
    return {
        timeoutSeconds,
        allowedHosts,
        operations,
        operationsTimeout,
        dryRun,
        gitCredentials,
        feeds,
        summary
    };
}
/** Runs the configured operations with the run's session; returns the `results` output (JSON), or undefined when there are none. */
async function runConfiguredOperations(settings, token, session, guard, 
/** What templates see as `env`: a snapshot taken before the step exported anything (never process.env later). */
env, 
/** Receives one record per operation for the step summary. */
records) {
    if (settings.operations === undefined)
        return undefined;
    // Loaded only by runs that have operations (see operations/lazy.ts).
    const { runOperations } = await Promise.all(/* import() */[__nccwpck_require__.e(22), __nccwpck_require__.e(762), __nccwpck_require__.e(317)]).then(__nccwpck_require__.bind(__nccwpck_require__, 6317));
    const results = await runOperations(settings.operations, {
        client: session.client,
        organization: settings.organization,
        identity: token,
        env,
        guard,
        stats: session.stats,
        throttle: session.throttle,
        budget: settings.operationsTimeout,
        dryRun: settings.dryRun,
        ...(records ? { records } : {})
    });
    // Results come from Azure DevOps responses; a response that echoed a secret must not carry it on.
    return guard.redact(JSON.stringify(results));
}
/** Where the git credential helper lives: next to the running bundle (dist/<platform>/ → dist/git-credential-helper/). */
function credentialHelperPath(entryScript, paths = path) {
    // Stryker disable next-line StringLiteral: dirname of any name without a slash is '.', so the fallback's text is moot.
    return paths.resolve(paths.dirname(entryScript ?? '.'), '..', 'git-credential-helper', 'index.js');
}
/** Sets up git and feed credentials for the later steps of the job with the session's current token. */
async function setUpJobCredentials(settings, session, guard, tempRoot, options) {
    if (!settings.gitCredentials && settings.feeds.length === 0)
        return undefined;
    const token = await session.tokens.get();
    // Loaded only by runs that set up git or feeds.
    const { setUpCredentials } = await __nccwpck_require__.e(/* import() */ 25).then(__nccwpck_require__.bind(__nccwpck_require__, 8025));
    return setUpCredentials({
        gitCredentials: settings.gitCredentials,
        feeds: settings.feeds,
        organization: settings.organization,
        credential: settings.credential,
        scope: settings.scope
    }, token, {
        tempRoot,
        nodePath: process.execPath,
        helperScript: credentialHelperPath(process.argv[1]),
        env: options.env ?? process.env,
        guard,
        platform: options.platform,
        ...(options.onDirectory ? { onDirectory: options.onDirectory } : {})
    });
}
/** What setUpJobCredentials configures for later steps, in words for the step summary. */
function describeJobCredentials(settings) {
    const git = settings.gitCredentials && settings.organization
        ? [`git over https for ${organizationUrlScopes(settings.organization).join(' and ')}`]
        : [];
    return [...git, ...settings.feeds.map((feed) => `${feed.kind} feed ${feed.url}`)];
}

// EXTERNAL MODULE: external "node:child_process"
var external_node_child_process_ = __nccwpck_require__(1421);
// EXTERNAL MODULE: external "node:os"
var external_node_os_ = __nccwpck_require__(8161);
;// CONCATENATED MODULE: ./src/cli/windows-command.ts



const DEFAULT_PATHEXT = '.COM;.EXE;.BAT;.CMD';
const DEFAULT_COMSPEC = 'C:\\Windows\\System32\\cmd.exe';
/**
 * What cmd.exe cannot pass on literally inside double quotes: `"` ends the quoting, `%NAME%` is expanded
 * even there and has no reliable escape, and CR, LF and NUL end the command line.
 */
const UNSAFE_FOR_CMD = /["%\r\n\0]/;
const isFileOnDisk = (file) => (0,external_node_fs_.statSync)(file, { throwIfNoEntry: false })?.isFile() ?? false;
/** An environment variable by name, as Windows looks it up: case-insensitively (`Path`, `PATH`). */
function variable(env, name) {
    const key = Object.keys(env).find((k) => k.toUpperCase() === name);
    return key === undefined ? undefined : env[key];
}
/**
 * Finds the program cmd.exe would run for `name`, but searching PATH only: never the working directory, so a
 * file dropped in a checked-out repository cannot stand in for `npm`. A name with a directory is looked up
 * there only. A name whose extension is in PATHEXT is tried as is; otherwise each PATHEXT extension is tried in
 * order, in each directory in PATH order. Relative PATH entries are skipped for the same reason.
 */
function resolveWindowsProgram(name, lookup) {
    const paths = lookup.paths ?? (external_node_path_default()).win32;
    const isFile = lookup.isFile ?? isFileOnDisk;
    const extensions = (variable(lookup.env, 'PATHEXT') || DEFAULT_PATHEXT)
        .split(';')
        .map((e) => e.trim())
        .filter((e) => e.startsWith('.'));
    const ext = paths.extname(name).toUpperCase();
    const candidates = (base) => [
        ...(extensions.some((e) => e.toUpperCase() === ext) ? [base] : []),
        // Lower case, as the shims are spelled (npm.cmd); Windows compares names case-insensitively anyway.
        ...extensions.map((e) => `${base}${e.toLowerCase()}`)
    ];
    if (/[\\/]/.test(name) || /^[A-Za-z]:/.test(name))
        return candidates(name).find(isFile);
    const directories = (variable(lookup.env, 'PATH') ?? '')
        .split(';')
        .map((d) => d.trim().replace(/^"(.*)"$/, '$1'))
        .filter((d) => d !== '' && paths.isAbsolute(d));
    for (const directory of directories) {
        const found = candidates(paths.join(directory, name)).find(isFile);
        if (found !== undefined)
            return found;
    }
    return undefined;
}
/**
 * One argument for a batch file: wrapped in double quotes, inside which cmd.exe (with /v:off) takes
 * & | < > ^ ( ) ! literally. Most shims pass their arguments on to an .exe (npm.cmd: `node npm-cli.js %*`),
 * whose C runtime reads `\"` as an escaped quote, so trailing backslashes are doubled before the closing quote.
 */
function quoteForBatch(value) {
    return `"${value.replace(/(\\+)$/, '$1$1')}"`;
}
/**
 * How exec runs a command on Windows. Node refuses to spawn .bat and .cmd files without a shell
 * (CVE-2024-27980) and does not try PATHEXT, so `exec -- npm ci` needs this: an .exe (or anything that is not
 * a batch file) is spawned directly by its full path, and libuv quotes its arguments; a batch file runs
 * under `cmd.exe /d /s /v:off /c "…"` with a command line built here, and an argument cmd.exe would
 * change or split is refused before anything runs (BatBadBut: cross-spawn and `shell: true` get this wrong).
 */
function planWindowsCommand(commandLine, lookup) {
    const [name = '', ...args] = commandLine;
    const paths = lookup.paths ?? (external_node_path_default()).win32;
    const program = resolveWindowsProgram(name, lookup);
    if (program === undefined)
        return { file: name, args, windowsVerbatimArguments: false, notFound: true };
    const ext = paths.extname(program).toLowerCase();
    if (ext !== '.bat' && ext !== '.cmd')
        return { file: program, args, windowsVerbatimArguments: false };
    [program, ...args].forEach((arg, i) => {
        const bad = UNSAFE_FOR_CMD.exec(arg)?.[0];
        if (bad !== undefined)
            throw unsafeArgument(i, arg, bad, program, paths);
    });
    const line = [program, ...args].map(quoteForBatch).join(' ');
    return {
        file: variable(lookup.env, 'COMSPEC') || DEFAULT_COMSPEC,
        args: ['/d', '/s', '/v:off', '/c', `"${line}"`],
        windowsVerbatimArguments: true
    };
}
const CHARACTER_NAMES = {
    '\r': 'a carriage return',
    '\n': 'a line feed',
    '\0': 'a NUL'
};
function unsafeArgument(position, value, char, program, paths) {
    const what = position === 0 ? `The path of '${program}'` : `Argument ${position} ('${value}')`;
    const named = CHARACTER_NAMES[char] ?? `'${char}'`;
    const fix = paths.basename(program).toLowerCase() === 'npm.cmd' || paths.basename(program).toLowerCase() === 'npx.cmd'
        ? `run node with the npm script instead, e.g. node "%APPDATA%\\npm\\node_modules\\npm\\bin\\npm-cli.js" (or the one next to node.exe)`
        : "run the program's .exe, or node with its script, instead of the .cmd shim";
    return new errors/* InputError */.dz('command', `${what} contains ${named}, which cannot be passed safely to the batch file ${program} through cmd.exe ('"' ends cmd's quoting, '%' expands variables even inside quotes, line breaks and NUL end the command). To pass it, ${fix}, or put the value in an environment variable and refer to it from the program.`);
}

;// CONCATENATED MODULE: ./src/cli/exec.ts





/**
 * A git credential helper that answers from the environment variable holding the token: nothing is written
 * to disk and git asks it only for the organization's URLs. It is a shell function because git runs `!`
 * helpers through sh (Git for Windows included), appending the operation (get, store, erase) as $1. It is
 * POSIX sh, so Git for Windows' bash runs it alike. `variable` is spliced in unquoted: it must be a name
 * checked by parseVariableName (letters, digits, underscores), which the CLI's --token-variable is.
 */
function envCredentialHelper(variable) {
    return `!f() { if [ "$1" = get ]; then printf 'username=AzureDevOps\\npassword=%s\\n' "$${variable}"; fi; }; f`;
}
/** The environment of the command exec runs: the token, and git scoped to the organization. */
function execEnvironment(token, tokenVariable, organization, git, env) {
    const result = { ...env, [tokenVariable]: token };
    if (!git || organization === undefined)
        return { env: result, gitScopes: [] };
    Object.assign(result, (0,job_credentials_git/* gitCredentialEnvironment */.JV)(organization, envCredentialHelper(tokenVariable), env));
    return { env: result, gitScopes: (0,job_credentials_git/* organizationUrlScopes */.Mo)(organization) };
}
/** How exec starts the command on this OS; throws an InputError for an argument Windows' cmd.exe would change. */
function prepareCommand(commandLine, env, platform = process.platform, lookup = {}) {
    if (platform === 'win32')
        return planWindowsCommand(commandLine, { ...lookup, env });
    const [file = '', ...args] = commandLine;
    return { file, args, windowsVerbatimArguments: false };
}
/**
 * What exec does with the signals it receives while the command runs. On POSIX, SIGINT and SIGTERM are passed
 * on, so Ctrl-C and a CI cancellation reach the command even when it is not in our process group. On Windows
 * Ctrl-C and Ctrl-Break already reach every process on the console, the command included, and forwarding
 * would TerminateProcess it (a cmd.exe running a shim would die before the program under it could clean
 * up): exec only ignores them, waits for the command and exits with its code. Windows never raises SIGTERM
 * (a kill there is TerminateProcess, which no handler sees), so there is nothing to forward.
 */
function signalHandling(platform) {
    return platform === 'win32'
        ? { forward: [], ignore: ['SIGINT', 'SIGBREAK'] }
        : { forward: ['SIGINT', 'SIGTERM'], ignore: [] };
}
/**
 * Runs the command with the terminal attached and returns what the CLI should exit with: the command's exit
 * code, 128+N when a signal ended it, 127 when it does not exist and 126 when it cannot be executed.
 */
function runCommand(plan, env, report, platform = process.platform) {
    const { file, args } = plan;
    const notFound = () => `Command not found: '${file}'. Check the name and PATH (the command after -- is run directly, not through a shell${platform === 'win32' ? '; on Windows PATH is searched with the PATHEXT extensions, the working directory is not' : ''}).`;
    if (plan.notFound) {
        report(notFound());
        return Promise.resolve(127);
    }
    return new Promise((resolve) => {
        const child = (0,external_node_child_process_.spawn)(file, args, {
            stdio: 'inherit',
            env,
            windowsVerbatimArguments: plan.windowsVerbatimArguments
        });
        const { forward, ignore } = signalHandling(platform);
        const pass = (signal) => {
            child.kill(signal);
        };
        const stay = () => undefined;
        for (const signal of forward)
            process.on(signal, pass);
        for (const signal of ignore)
            process.on(signal, stay);
        const done = (code) => {
            for (const signal of forward)
                process.off(signal, pass);
            for (const signal of ignore)
                process.off(signal, stay);
            resolve(code);
        };
        child.on('error', (error) => {
            if (error.code === 'ENOENT') {
                report(notFound());
                done(127);
            }
            else {
                report(`Cannot run '${file}': ${error.message}`);
                done(126);
            }
        });
        child.on('exit', (code, signal) => {
            if (signal !== null)
                done(128 + (external_node_os_.constants.signals[signal] ?? 0));
            else
                done(code ?? 1);
        });
    });
}

// EXTERNAL MODULE: external "node:util"
var external_node_util_ = __nccwpck_require__(7975);
;// CONCATENATED MODULE: ./src/cli/options.ts



const COMMANDS = ['token', 'exec', 'run'];
/** Every option of the CLI: the parser, --help and the table in docs/command-line.md (npm run docs) come from this one list. */
const CLI_OPTIONS = {
    'federated-token-file': {
        type: 'string',
        value: 'PATH',
        env: 'AZURE_FEDERATED_TOKEN_FILE',
        group: 'Authentication',
        help: 'Workload identity federation with the OIDC token in this file, read before each exchange (Kubernetes workload identity, a CI job that writes its ID token to a file).'
    },
    'federated-token-env': {
        type: 'string',
        value: 'NAME',
        group: 'Authentication',
        help: 'Workload identity federation with the OIDC token in this environment variable (GitLab CI id_tokens, a Jenkins credential).'
    },
    'managed-identity': {
        type: 'boolean',
        group: 'Authentication',
        help: 'The Azure managed identity of this machine (VM, scale set, App Service, Container Apps); --client-id, --managed-identity-object-id or --managed-identity-resource-id selects a user-assigned one.'
    },
    'azure-cli': {
        type: 'boolean',
        group: 'Authentication',
        help: "The Azure CLI's signed-in account (a developer's `az login`); --tenant-id picks the tenant."
    },
    'client-id': {
        type: 'string',
        value: 'GUID',
        env: 'AZURE_CLIENT_ID',
        group: 'Authentication',
        help: 'Application (client) ID of the app registration or user-assigned identity the federated credential belongs to; with --managed-identity, selects a user-assigned identity.'
    },
    'tenant-id': {
        type: 'string',
        value: 'GUID',
        env: 'AZURE_TENANT_ID',
        group: 'Authentication',
        help: 'Directory (tenant) ID (or a verified domain) of the app registration. With --azure-cli: the tenant to get the token from (no environment fallback).'
    },
    'managed-identity-object-id': {
        type: 'string',
        value: 'GUID',
        group: 'Authentication',
        help: 'Selects a user-assigned managed identity by its object (principal) ID.'
    },
    'managed-identity-resource-id': {
        type: 'string',
        value: 'ID',
        group: 'Authentication',
        help: 'Selects a user-assigned managed identity by its Azure resource ID.'
    },
    cloud: {
        type: 'string',
        value: 'NAME',
        group: 'Authentication',
        help: 'AzureCloud (default), AzureUSGovernment or AzureChinaCloud: picks the Entra authority for federated modes.'
    },
    'authority-host': {
        type: 'string',
        value: 'URL',
        env: 'AZURE_AUTHORITY_HOST',
        group: 'Authentication',
        help: 'Entra authority host for federated modes (overrides --cloud).'
    },
    scope: {
        type: 'string',
        value: 'SCOPE',
        group: 'Azure DevOps',
        help: `Scope to request (default ${clouds/* AZURE_DEVOPS_SCOPE */.nk}, Azure DevOps).`
    },
    organization: {
        type: 'string',
        value: 'ORG',
        group: 'Azure DevOps',
        help: 'Organization name or URL (https://dev.azure.com/ORG). Needed for verification, operations and git credentials.'
    },
    verify: {
        type: 'string',
        value: 'MODE',
        group: 'Azure DevOps',
        help: 'auto (default: verify when --organization is set), true or false. Verification calls connectionData and fails early when the identity is not a member of the organization.'
    },
    operations: {
        type: 'string',
        value: 'YAML',
        commands: ['run'],
        group: 'Operations (run)',
        help: 'Azure DevOps REST operations to run (the same YAML format as the action and the task).'
    },
    'operations-file': {
        type: 'string',
        value: 'PATH',
        commands: ['run'],
        group: 'Operations (run)',
        help: 'A file holding the operations, relative to the current directory.'
    },
    'operations-timeout': {
        type: 'string',
        value: 'SECONDS',
        commands: ['run'],
        group: 'Operations (run)',
        help: 'The total time all operations may take, retries and rate-limit pauses included (default 600).'
    },
    'dry-run': {
        type: 'boolean',
        commands: ['run'],
        group: 'Operations (run)',
        help: 'Run only the reading operations (GET, HEAD); print every POST, PUT, PATCH and DELETE as the request it would send (method, URL without its query, content type, body) instead of sending it. The results JSON holds the planned requests.'
    },
    'allowed-hosts': {
        type: 'string',
        value: 'HOSTS',
        commands: ['run'],
        group: 'Operations (run)',
        help: 'Hosts besides Azure DevOps that operations may send the token to (comma or newline separated).'
    },
    'token-variable': {
        type: 'string',
        value: 'NAME',
        commands: ['exec'],
        group: 'exec',
        help: 'The environment variable that carries the token to the command (default AZURE_DEVOPS_TOKEN).'
    },
    'no-git': {
        type: 'boolean',
        commands: ['exec'],
        group: 'exec',
        help: 'Do not configure git for the organization (by default exec does when --organization is set).'
    },
    json: {
        type: 'boolean',
        commands: ['token'],
        group: 'Output',
        help: 'Print JSON (token, expiresOn, tenantId, objectId, clientId, identity) instead of the bare token.'
    },
    quiet: { type: 'boolean', short: 'q', group: 'Output', help: 'Print only errors and warnings on stderr.' },
    debug: { type: 'boolean', group: 'Output', help: 'Print debug lines on stderr (secrets stay masked).' },
    help: { type: 'boolean', short: 'h', group: 'Output', help: 'Show this help.' },
    version: { type: 'boolean', short: 'V', group: 'Output', help: 'Show the version.' }
};
/**
 * `--name value` → `--name=value` for options that take a value, so a value may start with a dash: inline
 * operations are a YAML list (`- url: …`), which node:util's parser would otherwise take for an option.
 */
function joinValues(args) {
    const result = [];
    for (let i = 0; i < args.length; i++) {
        const arg = args[i] ?? '';
        const spec = arg.startsWith('--') ? CLI_OPTIONS[arg.slice(2)] : undefined;
        const value = args[i + 1];
        if (spec?.type === 'string' && value !== undefined) {
            result.push(`${arg}=${value}`);
            i++;
        }
        else
            result.push(arg);
    }
    return result;
}
/** A mistake on the command line: exit code 2, before anything is sent. */
class UsageError extends errors/* InputError */.dz {
}
/** Splits and checks the arguments; every mistake is a UsageError that says how to fix it. */
function parseArguments(argv) {
    const separator = argv.indexOf('--');
    const own = separator === -1 ? [...argv] : argv.slice(0, separator);
    const commandLine = separator === -1 ? [] : argv.slice(separator + 1);
    let parsed;
    try {
        parsed = (0,external_node_util_.parseArgs)({
            args: joinValues(own),
            options: Object.fromEntries(Object.entries(CLI_OPTIONS).map(([name, spec]) => [
                name,
                { type: spec.type, ...('short' in spec ? { short: spec.short } : {}) }
            ])),
            allowPositionals: true,
            strict: true
        });
    }
    catch (error) {
        throw new UsageError('arguments', `${error.message.replace(/\.$/, '')}. Run with --help for the options.`);
    }
    const values = parsed.values;
    if (values.help || values.version)
        return { command: undefined, values, commandLine };
    const [command, ...extra] = parsed.positionals;
    if (command === undefined)
        throw new UsageError('command', `No command given. Use one of: ${COMMANDS.join(', ')} (see --help).`);
    if (!COMMANDS.includes(command))
        throw new UsageError('command', `Unknown command '${command}'. Use one of: ${COMMANDS.join(', ')} (see --help).`);
    const known = command;
    if (extra.length > 0)
        throw new UsageError('arguments', known === 'exec'
            ? `Put the command to run after --: azure-devops-entra-token exec [options] -- ${extra.join(' ')}`
            : `Unexpected argument '${extra[0] ?? ''}' after '${known}'. Run with --help for the options.`);
    if (known === 'exec' && commandLine.length === 0)
        throw new UsageError('arguments', 'exec needs the command to run after --, e.g. azure-devops-entra-token exec --organization contoso -- git push origin v1.2.3');
    if (known !== 'exec' && separator !== -1)
        throw new UsageError('arguments', `'--' and a command line apply to exec only, not to '${known}'.`);
    for (const [name, value] of Object.entries(values)) {
        const spec = CLI_OPTIONS[name];
        if (value !== undefined && spec.commands !== undefined && !spec.commands.includes(known))
            throw new UsageError(`--${name}`, `Option '--${name}' applies to ${spec.commands.join(', ')} only, not to '${known}'.`);
    }
    return { command: known, values, commandLine };
}
const HELP_WIDTH = 100;
const HELP_INDENT = 38;
function wrap(text, width) {
    const lines = [];
    let line = '';
    for (const word of text.split(' ')) {
        if (line !== '' && line.length + 1 + word.length > width) {
            lines.push(line);
            line = word;
        }
        else
            line = line === '' ? word : `${line} ${word}`;
    }
    if (line !== '')
        lines.push(line);
    return lines;
}
/** The --help text, generated from CLI_OPTIONS. */
function helpText(version) {
    const groups = new Map();
    for (const [name, spec] of Object.entries(CLI_OPTIONS)) {
        const flag = `${'short' in spec && spec.short ? `-${spec.short}, ` : '    '}--${name}${spec.value ? ` ${spec.value}` : ''}`;
        const env = spec.env ? ` [env ${spec.env}]` : '';
        const lines = groups.get(spec.group) ?? [];
        const text = wrap(`${spec.help}${env}`, HELP_WIDTH - HELP_INDENT);
        const first = flag.length + 2 < HELP_INDENT ? text.shift() : undefined;
        lines.push(first === undefined ? `  ${flag}` : `  ${flag.padEnd(HELP_INDENT - 2)}${first}`);
        for (const line of text)
            lines.push(`${' '.repeat(HELP_INDENT)}${line}`);
        groups.set(spec.group, lines);
    }
    return [
        `azure-devops-entra-token ${version}: a Microsoft Entra access token for Azure DevOps, without stored secrets.`,
        '',
        'Usage:',
        '  azure-devops-entra-token token [options]            print the token (or JSON with --json) on stdout',
        '  azure-devops-entra-token exec [options] -- CMD ...  run CMD with the token in AZURE_DEVOPS_TOKEN and git',
        '                                                      configured for --organization; nothing is written to disk',
        '  azure-devops-entra-token run [options]              run Azure DevOps REST operations; results JSON on stdout',
        '',
        'Choose one way to authenticate: --federated-token-file (or AZURE_FEDERATED_TOKEN_FILE set),',
        '--federated-token-env, --managed-identity or --azure-cli. Diagnostics go to stderr; secrets never do.',
        ...[...groups].flatMap(([group, lines]) => ['', `${group}:`, ...lines]),
        '',
        'Environment: AZURE_DEVOPS_ENTRA_TOKEN_TIMEOUT (seconds for getting a token, default 50),',
        'HTTPS_PROXY / HTTP_PROXY / NO_PROXY (proxy), NODE_EXTRA_CA_CERTS (extra CA certificates).',
        '',
        'Exit codes: 0 success; 1 the token, verification or an operation failed; 2 bad arguments or',
        'settings (nothing was sent); exec: the exit code of CMD, 126/127 when CMD cannot be run,',
        '128+N when CMD was killed by signal N.',
        '',
        'Examples:',
        '  azure-devops-entra-token token --azure-cli --organization contoso',
        '  azure-devops-entra-token exec --managed-identity --organization contoso -- git push origin main',
        '  azure-devops-entra-token run --federated-token-env GITLAB_OIDC_TOKEN --client-id ID --tenant-id ID \\',
        '      --organization contoso --operations-file release-ops.yml',
        '',
        'Documentation: https://github.com/azure-devops-entra-token/azure-devops-entra-token#command-line'
    ].join('\n');
}

;// CONCATENATED MODULE: ./node_modules/proxy-from-env/index.js


var DEFAULT_PORTS = {
  ftp: 21,
  gopher: 70,
  http: 80,
  https: 443,
  ws: 80,
  wss: 443,
};

function parseUrl(urlString) {
  try {
    return new URL(urlString);
  } catch {
    return null;
  }
}

/**
 * @param {string|object|URL} url - The URL as a string or URL instance, or a
 *   compatible object (such as the result from legacy url.parse).
 * @return {string} The URL of the proxy that should handle the request to the
 *  given URL. If no proxy is set, this will be an empty string.
 */
function getProxyForUrl(url) {
  var parsedUrl = (typeof url === 'string' ? parseUrl(url) : url) || {};
  var proto = parsedUrl.protocol;
  var hostname = parsedUrl.host;
  var port = parsedUrl.port;
  if (typeof hostname !== 'string' || !hostname || typeof proto !== 'string') {
    return '';  // Don't proxy URLs without a valid scheme or host.
  }

  proto = proto.split(':', 1)[0];
  // Stripping ports in this way instead of using parsedUrl.hostname to make
  // sure that the brackets around IPv6 addresses are kept.
  hostname = hostname.replace(/:\d*$/, '');
  port = parseInt(port) || DEFAULT_PORTS[proto] || 0;
  if (!shouldProxy(hostname, port)) {
    return '';  // Don't proxy URLs that match NO_PROXY.
  }

  var proxy = getEnv(proto + '_proxy') || getEnv('all_proxy');
  if (proxy && proxy.indexOf('://') === -1) {
    // Missing scheme in proxy, default to the requested URL's scheme.
    proxy = proto + '://' + proxy;
  }
  return proxy;
}

/**
 * Determines whether a given URL should be proxied.
 *
 * @param {string} hostname - The host name of the URL.
 * @param {number} port - The effective port of the URL.
 * @returns {boolean} Whether the given URL should be proxied.
 * @private
 */
function shouldProxy(hostname, port) {
  var NO_PROXY = getEnv('no_proxy').toLowerCase();
  if (!NO_PROXY) {
    return true;  // Always proxy if NO_PROXY is not set.
  }
  if (NO_PROXY === '*') {
    return false;  // Never proxy if wildcard is set.
  }

  return NO_PROXY.split(/[,\s]/).every(function(proxy) {
    if (!proxy) {
      return true;  // Skip zero-length hosts.
    }
    var parsedProxy = proxy.match(/^(.+):(\d+)$/);
    var parsedProxyHostname = parsedProxy ? parsedProxy[1] : proxy;
    var parsedProxyPort = parsedProxy ? parseInt(parsedProxy[2]) : 0;
    if (parsedProxyPort && parsedProxyPort !== port) {
      return true;  // Skip if ports don't match.
    }

    if (!/^[.*]/.test(parsedProxyHostname)) {
      // No wildcards, so stop proxying if there is an exact match.
      return hostname !== parsedProxyHostname;
    }

    if (parsedProxyHostname.charAt(0) === '*') {
      // Remove leading wildcard.
      parsedProxyHostname = parsedProxyHostname.slice(1);
    }
    // Stop proxying if the hostname ends with the no_proxy host.
    return !hostname.endsWith(parsedProxyHostname);
  });
}

/**
 * Get the value for an environment variable.
 *
 * @param {string} key - The name of the environment variable.
 * @return {string} The value of the environment variable.
 * @private
 */
function getEnv(key) {
  return process.env[key.toLowerCase()] || process.env[key.toUpperCase()] || '';
}

;// CONCATENATED MODULE: ./src/cli/platform.ts


/**
 * A shell, a CI system without our integration, a Kubernetes job: diagnostics on stderr, proxies from the
 * standard environment variables (HTTPS_PROXY, NO_PROXY…, via proxy-from-env). There is no log masking to
 * register with, so the secret guard's redaction is the only protection, and every line passes through it.
 */
function createCliPlatform(output, proxyAgent) {
    return {
        name: 'command line',
        get isDebug() {
            return output.debug;
        },
        info: (message) => {
            if (!output.quiet)
                output.write(message);
        },
        warning: (message) => output.write(`warning: ${message}`),
        debug: (message) => {
            if (output.debug)
                output.write(`debug: ${message}`);
        },
        setSecret: () => undefined,
        agentFor(url) {
            if (bypassesProxy(url))
                return undefined;
            const proxy = getProxyForUrl(url.href);
            return proxy ? proxyAgent(proxy, url) : undefined;
        }
    };
}

;// CONCATENATED MODULE: ./src/cli/settings.ts







const DEFAULT_TOKEN_VARIABLE = 'AZURE_DEVOPS_TOKEN';
/** The CLI has no manifest: its defaults live here and in --help. */
const DEFAULT_OPERATIONS_TIMEOUT = '600';
const MODES = ['federated-token-file', 'federated-token-env', 'managed-identity', 'azure-cli'];
/**
 * Reads and validates the command line and environment once, before anything touches the network. The
 * operations stay as their inputs (undefined when there are none): loadOperations parses them with the engine
 * it loads only then.
 */
function readCliSettings(args, env, guard, cwd) {
    const { values } = args;
    const option = (name, fallbackEnv) => {
        const value = values[name];
        if (typeof value === 'string')
            return { name: `--${name}`, word: 'option', value: value.trim() };
        const fromEnv = fallbackEnv === undefined ? undefined : env[fallbackEnv]?.trim();
        if (fromEnv)
            return { name: `--${name} (from ${fallbackEnv})`, word: 'option', value: fromEnv };
        return { name: `--${name}`, word: 'option', value: '' };
    };
    const given = (name) => values[name] !== undefined;
    const organization = (0,validate/* parseOrganization */.H4)(option('organization'));
    const verify = (0,validate/* parseVerify */.LT)(orDefault(option('verify'), 'auto'), organization !== undefined);
    const scope = (0,validate/* parseScope */.Sk)(orDefault(option('scope'), clouds/* AZURE_DEVOPS_SCOPE */.nk));
    const allowedHosts = (0,host_policy/* parseAllowedHosts */.Vn)(option('allowed-hosts'));
    const operations = (0,lazy/* requestedOperations */.P7)({
        inline: option('operations'),
        file: option('operations-file'),
        baseDir: cwd,
        organization,
        allowedHosts
    });
    if (args.command === 'run' && operations === undefined)
        throw new UsageError('--operations-file', 'The run command needs operations: give --operations-file PATH or --operations YAML (see docs/operations.md for the format).');
    const timeoutInput = option('operations-timeout');
    const operationsTimeout = {
        seconds: (0,validate/* parseOperationsTimeout */.Xn)({
            ...timeoutInput,
            value: given('operations-timeout') ? timeoutInput.value : DEFAULT_OPERATIONS_TIMEOUT
        }),
        input: '--operations-timeout'
    };
    const tokenInput = option('token-variable');
    const tokenVariable = tokenInput.value ? (0,validate/* parseVariableName */.fK)(tokenInput, ['GIT_']) : DEFAULT_TOKEN_VARIABLE;
    return {
        command: args.command,
        credential: readCredential(values, env, guard, option, given),
        scope,
        organization,
        verify,
        timeoutSeconds: (0,validate/* parseTimeout */.ZZ)(env),
        allowedHosts,
        operations,
        operationsTimeout,
        dryRun: values['dry-run'] === true,
        gitCredentials: false,
        feeds: [],
        tokenVariable,
        git: args.command === 'exec' && values['no-git'] !== true && organization !== undefined
    };
}
function readCredential(values, env, guard, option, given) {
    const chosen = MODES.filter((mode) => given(mode));
    if (chosen.length > 1)
        throw new UsageError(`--${chosen[0] ?? ''}`, `Options ${chosen.map((m) => `'--${m}'`).join(' and ')} each choose a way to authenticate; give exactly one.`);
    const fileFromEnv = env.AZURE_FEDERATED_TOKEN_FILE?.trim();
    const mode = chosen[0] ?? (fileFromEnv ? 'federated-token-file' : undefined);
    if (mode === undefined)
        throw new UsageError('authentication', 'No way to authenticate was chosen. Give one of: --federated-token-file PATH (or set AZURE_FEDERATED_TOKEN_FILE), --federated-token-env NAME, --managed-identity, or --azure-cli.');
    const refuse = (names, why) => {
        for (const name of names)
            if (given(name))
                throw new UsageError(`--${name}`, `Option '--${name}' does not apply with --${mode}: ${why} Remove it.`);
    };
    if (mode === 'managed-identity') {
        refuse(['tenant-id', 'authority-host', 'cloud'], 'the managed identity endpoint of this machine issues the token for its own tenant and cloud.');
        const objectId = option('managed-identity-object-id');
        const resourceId = option('managed-identity-resource-id');
        // AZURE_CLIENT_ID selects a user-assigned identity only when no other selector is given (as DefaultAzureCredential does).
        const clientId = objectId.value || resourceId.value ? option('client-id') : option('client-id', 'AZURE_CLIENT_ID');
        return {
            kind: 'managed-identity',
            selector: (0,validate/* parseManagedIdentitySelector */.qv)({ clientId, objectId, resourceId })
        };
    }
    refuse(['managed-identity-object-id', 'managed-identity-resource-id'], 'they select a managed identity, which only --managed-identity uses.');
    if (mode === 'azure-cli') {
        refuse(['client-id', 'authority-host', 'cloud'], 'the Azure CLI uses its signed-in account and its own cloud (see `az account show` and `az cloud show`).');
        const tenant = option('tenant-id');
        return { kind: 'azure-cli', tenantId: tenant.value ? (0,validate/* parseTenant */.sl)(tenant) : undefined };
    }
    const clientInput = option('client-id', 'AZURE_CLIENT_ID');
    const tenantInput = option('tenant-id', 'AZURE_TENANT_ID');
    (0,validate/* requireAppInputs */.Ig)(clientInput, tenantInput, 'workload identity federation');
    const clientId = (0,validate/* parseAppClientId */.hO)(clientInput);
    const tenantId = (0,validate/* parseTenant */.sl)(tenantInput);
    const cloud = (0,validate/* parseCloud */.lw)(orDefault(option('cloud'), 'AzureCloud'));
    const authorityInput = option('authority-host', 'AZURE_AUTHORITY_HOST');
    const authorityHost = authorityInput.value
        ? (0,validate/* parseAuthorityHost */.Pi)(authorityInput)
        : clouds/* CLOUDS */.JJ[cloud].authorityHost;
    if (mode === 'federated-token-env') {
        const variableInput = option('federated-token-env');
        const variable = (0,validate/* parseVariableName */.fK)(variableInput, []);
        const token = env[variable]?.trim() ?? '';
        if (token === '')
            throw new errors/* InputError */.dz('--federated-token-env', `Option '--federated-token-env' names ${variable}, but that environment variable is ${env[variable] === undefined ? 'not set' : 'empty'}. In GitLab CI declare it under the job's id_tokens (with aud: api://AzureADTokenExchange); elsewhere export the OIDC token in it before running this command.`);
        return {
            kind: 'federated',
            clientId,
            tenantId,
            authorityHost,
            oidc: { kind: 'env', variable, token: guard.mask(token) }
        };
    }
    const fileInput = option('federated-token-file', 'AZURE_FEDERATED_TOKEN_FILE');
    if (fileInput.value === '')
        throw (0,errors/* invalidInput */.aY)(fileInput, '', 'it must be the path of the file holding the OIDC token.', 'Give the path, e.g. /var/run/secrets/azure/tokens/azure-identity-token.');
    const source = { path: fileInput.value, input: fileInput.name };
    try {
        // Read once now so a missing or empty file fails before any request; it is read again before each exchange.
        guard.mask(readTokenFile(source));
    }
    catch (error) {
        throw new errors/* InputError */.dz(fileInput.name, error.message);
    }
    return { kind: 'federated', clientId, tenantId, authorityHost, oidc: { kind: 'file', ...source } };
}
/** The CLI has no manifest: an option left out takes its default here. */
function orDefault(input, fallback) {
    return { ...input, value: input.value || fallback };
}

;// CONCATENATED MODULE: ./src/cli/main.ts














const NAMES = {
    clientId: "'--client-id'",
    tenantId: "'--tenant-id'",
    cloud: "'--cloud' (or '--authority-host')",
    scope: "'--scope'",
    managedIdentitySelectors: "'--client-id', '--managed-identity-object-id' or '--managed-identity-resource-id'",
    azureCli: "'--azure-cli'",
    otherModes: '--federated-token-file, --federated-token-env or --managed-identity'
};
const SUBJECT_ADVICE = "Kubernetes subjects look like system:serviceaccount:NAMESPACE:SERVICE_ACCOUNT (issuer: the cluster's OIDC issuer URL); GitLab subjects look like project_path:GROUP/PROJECT:ref_type:branch:ref:main (issuer https://gitlab.com or your instance).";
/** Exit codes, documented in --help and docs/command-line.md. */
const EXIT = { ok: 0, failed: 1, usage: 2 };
/** The CLI's whole run; returns the exit code. Never throws. */
async function run(io) {
    let quiet = false;
    let debug = false;
    const platform = createCliPlatform({
        write: (line) => io.stderr(line),
        get quiet() {
            return quiet;
        },
        get debug() {
            return debug;
        }
    }, await loadProxyAgents(proxyVariablesSet(io.env)));
    const guard = createSecretGuard(platform);
    for (const password of proxyPasswords(io.env))
        guard.maskKnown(password);
    try {
        const args = parseArguments(io.argv);
        quiet = args.values.quiet === true;
        debug = args.values.debug === true;
        if (args.values.help) {
            io.stdout(`${helpText(product/* PRODUCT_VERSION */.vg)}\n`);
            return EXIT.ok;
        }
        if (args.values.version) {
            io.stdout(`${product/* PRODUCT_VERSION */.vg}\n`);
            return EXIT.ok;
        }
        const command = args.command;
        const settings = await (0,lazy/* loadOperations */.Lk)(readCliSettings({ ...args, command }, io.env, guard, io.cwd));
        // Before any request: an argument Windows' cmd.exe would change is a usage error.
        const plan = command === 'exec' ? prepareCommand(args.commandLine, io.env) : undefined;
        const { result, session } = await acquireAzureDevOpsToken(settings, {
            platform,
            guard,
            names: NAMES,
            subjectAdvice: SUBJECT_ADVICE,
            env: io.env
        });
        if (command === 'token') {
            io.stdout(args.values.json ? `${JSON.stringify(result, null, 2)}\n` : `${result.token}\n`);
            return EXIT.ok;
        }
        if (command === 'run') {
            const results = await runConfiguredOperations(settings, result, session, guard, io.env);
            io.stdout(`${results ?? '{}'}\n`);
            return EXIT.ok;
        }
        const { env, gitScopes } = execEnvironment(result.token, settings.tokenVariable, settings.organization, settings.git, io.env);
        guard.info(`Running ${args.commandLine[0] ?? ''} with the token in ${settings.tokenVariable}${gitScopes.length > 0 ? ` and git credentials for ${gitScopes.map((s) => `${s}/`).join(' and ')}` : ''} (valid until ${result.expiresOn}).`);
        // Stryker disable next-line ConditionalExpression: plan is set for exec, the only command left here.
        return await runCommand(plan ?? prepareCommand(args.commandLine, io.env), env, (message) => io.stderr(`error: ${(0,log_text/* neutralizeLogLine */.C)(guard.redact(message))}`));
    }
    catch (error) {
        const message = (0,errors/* failureMessage */.oh)(error, guard, debug);
        io.stderr(`error: ${message}`);
        // Both are found before anything is sent.
        return error instanceof errors/* InputError */.dz || error instanceof model/* OperationFormatError */.zF ? EXIT.usage : EXIT.failed;
    }
}


/***/ }),

/***/ 1866:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   JJ: () => (/* binding */ CLOUDS),
/* harmony export */   nO: () => (/* binding */ findCloud),
/* harmony export */   nk: () => (/* binding */ AZURE_DEVOPS_SCOPE),
/* harmony export */   vD: () => (/* binding */ CLOUD_NAMES)
/* harmony export */ });
/* unused harmony export AZURE_DEVOPS_RESOURCE */
/** The Azure clouds users can name, with the Entra authority host and the OIDC audience each expects. */
const CLOUDS = {
    AzureCloud: {
        authorityHost: 'https://login.microsoftonline.com',
        audience: 'api://AzureADTokenExchange'
    },
    AzureUSGovernment: {
        authorityHost: 'https://login.microsoftonline.us',
        audience: 'api://AzureADTokenExchangeUSGov'
    },
    AzureChinaCloud: {
        authorityHost: 'https://login.chinacloudapi.cn',
        audience: 'api://AzureADTokenExchangeChina'
    }
};
const CLOUD_NAMES = Object.keys(CLOUDS);
function findCloud(name) {
    return CLOUD_NAMES.find((cloud) => cloud.toLowerCase() === name.trim().toLowerCase());
}
const AZURE_DEVOPS_RESOURCE = '499b84ac-1321-427f-aa17-267ca6975798';
const AZURE_DEVOPS_SCOPE = `${AZURE_DEVOPS_RESOURCE}/.default`;


/***/ }),

/***/ 2676:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {


// EXPORTS
__nccwpck_require__.d(__webpack_exports__, {
  lJ: () => (/* binding */ createDevOpsClient)
});

// UNUSED EXPORTS: DEFAULT_CLIENT_POLICY, parseBody, resetDelayMs, truncate

// EXTERNAL MODULE: ./src/core/devops/errors.ts
var errors = __nccwpck_require__(5154);
// EXTERNAL MODULE: ./src/core/validate.ts
var validate = __nccwpck_require__(993);
;// CONCATENATED MODULE: ./src/core/devops/redirect.ts

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
/** Methods whose redirect may leave the origin: they send nothing, so nothing can be replayed elsewhere. */
const READS = new Set(['GET', 'HEAD']);
/** A redirect Azure DevOps (or a host it sent us to) asked for, refused. Names the request, status and target. */
class RedirectRefusedError extends Error {
    name = 'RedirectRefusedError';
}
/**
 * The request that follows a redirect. Within the origin it keeps everything (307/308 keep method and body;
 * 303 turns into a GET). To another origin only a read is followed, and only as a bare GET/HEAD: another host
 * gets no token, no body and none of the operation's headers, and a write is refused rather than replayed
 * somewhere its author never named. A hop to plain http is refused unless it stays on a loopback http host
 * (the local emulator), as the host policy allows.
 */
function followRedirect(original, current, status, location, from, onOrigin, what) {
    const target = new URL(location, from);
    const method = status === 303 && current.method !== 'HEAD' ? 'GET' : current.method;
    if (onOrigin && target.origin === from.origin) {
        const { body, ...rest } = current;
        return {
            request: { ...rest, method, url: target, ...(method === 'GET' || body === undefined ? {} : { body }) },
            sameOrigin: true
        };
    }
    const where = `${target.protocol}//${target.host}`;
    const loopbackHttp = target.protocol === 'http:' && from.protocol === 'http:' && (0,validate/* isLoopbackHost */.cW)(target.hostname);
    if (target.protocol !== 'https:' && !loopbackHttp)
        throw new RedirectRefusedError(`${what}: ${original.method} ${from.origin}${from.pathname} answered HTTP ${status} redirecting to ${where}, which is not https; the redirect was not followed. Point the operation at the final https URL.`);
    if (!READS.has(original.method))
        throw new RedirectRefusedError(`${what}: ${original.method} ${from.origin}${from.pathname} answered HTTP ${status} redirecting to another origin (${where}); a ${original.method} is not sent on to another host, so nothing was sent there. Point the operation at the URL that should receive it (add its host to the allowed hosts if it must get the token).`);
    // The original is a read, and a 303 only turns a request into a GET: the method here is GET or HEAD.
    return {
        request: { method, url: target, description: what },
        sameOrigin: false
    };
}

// EXTERNAL MODULE: ./src/core/errors.ts
var core_errors = __nccwpck_require__(4296);
// EXTERNAL MODULE: ./src/core/http/transport.ts
var transport = __nccwpck_require__(5473);
// EXTERNAL MODULE: ./src/core/http/retry.ts
var retry = __nccwpck_require__(5834);
;// CONCATENATED MODULE: ./src/core/devops/client.ts





// Reading Azure DevOps answers: the body as data, the rate-limit reset, the debug excerpt.
/** Milliseconds until X-RateLimit-Reset (epoch seconds), when the header is there. */
function resetDelayMs(headers) {
    const reset = Number(headers['x-ratelimit-reset']);
    return Number.isFinite(reset) && reset > 0 ? Math.max(0, reset * 1000 - Date.now()) : undefined;
}
/** Parsed JSON body; the text for non-JSON bodies; null when empty. */
function parseBody(response) {
    if (response.body === '')
        return null;
    // String(undefined) is 'undefined': no content type reads as not JSON.
    if (/json/i.test(String(response.headers['content-type'])) || /^[[{]/.test(response.body.trimStart())) {
        try {
            return JSON.parse(response.body);
        }
        catch {
            // Not JSON after all: the text (an empty block, so no mutant can empty it).
        }
    }
    return response.body;
}
/** The body as the debug log shows it: the first 4000 characters. */
function truncate(text) {
    return text.length > 4000 ? `${text.slice(0, 4000)}… (${text.length} characters)` : text;
}
const DEFAULT_CLIENT_POLICY = {
    maxAttempts: 6,
    baseDelayMs: 500,
    maxDelayMs: 30_000,
    maxWaitMs: 120_000,
    requestTimeoutMs: 60_000,
    // Room for the largest pages Azure DevOps serves; far above that, Node runs out of heap decoding the JSON.
    maxResponseBytes: 64 * 1024 * 1024
};
const IDEMPOTENT = new Set(['GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS']);
const MAX_REDIRECTS = 5;
const TOO_LARGE_ADVICE = 'Ask for less per request: use paginate: true with a smaller $top in query, or narrow the query (a path, a date range, fewer fields).';
/**
 * The one Azure DevOps HTTP client (verification and operations): bearer token with refresh, host
 * allow-list checked before anything is sent, shared rate limiting, bounded retries, no token on
 * cross-origin redirects, and a sign-in page treated as the authentication failure it is.
 */
function createDevOpsClient(options) {
    const policy = options.policy ?? DEFAULT_CLIENT_POLICY;
    const sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    // Stryker disable next-line ObjectLiteral: without options.stats the counters are only ever incremented, never read or handed out.
    const stats = options.stats ?? { requests: 0, retries: 0 };
    const { guard, throttle } = options;
    const what = (request) => request.description ?? `${request.method} ${(0,transport/* displayUrl */.Qy)(request.url)}`;
    /** Throws the budget's error when it has run out (before a request, after a wait). */
    function checkBudget(request, detail) {
        if (request.budget !== undefined && request.budget.deadline.remainingMs() <= 0)
            throw request.budget.exceeded(what(request), detail);
    }
    async function attempt(request, withToken) {
        checkBudget(request, `before ${request.method} ${(0,transport/* displayUrl */.Qy)(request.url)} could be sent`);
        await throttle.wait(request.budget?.deadline);
        checkBudget(request, `while requests were held back by Azure DevOps' rate limit`);
        const headers = {
            accept: 'application/json',
            'x-tfs-fedauthredirect': 'Suppress',
            ...(0,transport/* lowerCaseKeys */.QM)(request.headers ?? {})
        };
        if (withToken)
            headers.authorization = `Bearer ${(await options.tokens.get()).token}`;
        stats.requests++;
        const response = await options.transport
            .send({
            method: request.method,
            url: request.url.href,
            headers,
            ...(request.body !== undefined ? { body: request.body } : {}),
            endpoint: `Azure DevOps host ${request.url.host}`,
            timeoutMs: policy.requestTimeoutMs,
            maxBytes: policy.maxResponseBytes,
            tooLargeAdvice: TOO_LARGE_ADVICE,
            ...(request.budget ? { deadline: request.budget.deadline } : {})
        })
            .catch((error) => {
            // The transport names the endpoint; the operation's name says which of the user's requests it was.
            if (error instanceof core_errors/* ResponseTooLargeError */.by && request.description !== undefined)
                throw new core_errors/* ResponseTooLargeError */.by(`${request.description}: ${error.message}`, error.limit);
            throw error;
        });
        // A 429/503 pauses with its own Retry-After in the retry loop; this is the warning before being blocked.
        if (response.headers['x-ratelimit-remaining'] === '0' &&
            response.status !== 429 &&
            response.status !== 503) {
            const delay = (0,retry/* retryAfterMs */.Vs)(response.headers) ?? resetDelayMs(response.headers) ?? 1000;
            throttle.pause(Math.min(delay, policy.maxDelayMs), `Azure DevOps reports the rate limit for ${request.url.host} is used up (X-RateLimit-Remaining: 0)`);
        }
        return response;
    }
    async function sendOnce(request) {
        options.hosts.check(request.url);
        let retries = 0;
        let waited = 0;
        let refreshed = request.refreshOn401 === false;
        for (let attemptNo = 1;; attemptNo++) {
            let outcome;
            try {
                outcome = await attempt(request, true);
            }
            catch (error) {
                // The transport cut the request off at the budget's end: say so, not "did not answer in time".
                if (error instanceof core_errors/* EndpointTimeoutError */.tt)
                    checkBudget(request, `while waiting for ${request.method} ${(0,transport/* displayUrl */.Qy)(request.url)} to answer`);
                if (!(error instanceof transport/* NetworkError */.Dr || error instanceof core_errors/* EndpointTimeoutError */.tt))
                    throw error;
                outcome = error;
            }
            let delay;
            // Stryker disable next-line StringLiteral: every branch that sets a delay also sets why, and why is read only when there is a delay.
            let why = '';
            if (!(outcome instanceof Error) && outcome.status === 401 && !refreshed) {
                refreshed = true;
                guard.info(`${request.method} ${(0,transport/* displayUrl */.Qy)(request.url)} answered 401: getting a new access token and trying once more.`);
                await options.tokens.refresh();
                delay = 0;
                why = 'after a token refresh';
            }
            else if (!(outcome instanceof Error) && (outcome.status === 429 || outcome.status === 503)) {
                delay = (0,retry/* retryAfterMs */.Vs)(outcome.headers) ?? (0,retry/* backoffMs */.jo)(attemptNo, policy);
                why = `after HTTP ${outcome.status}`;
            }
            else if (IDEMPOTENT.has(request.method) &&
                (outcome instanceof Error || outcome.status === 408 || outcome.status >= 500)) {
                delay = (0,retry/* backoffMs */.jo)(attemptNo, policy);
                why = outcome instanceof Error ? `after ${outcome.message}` : `after HTTP ${outcome.status}`;
            }
            if (delay === undefined || attemptNo >= policy.maxAttempts || waited + delay > policy.maxWaitMs) {
                if (outcome instanceof Error)
                    throw outcome;
                return { response: outcome, url: request.url, retries };
            }
            if (request.budget !== undefined && delay >= request.budget.deadline.remainingMs())
                throw request.budget.exceeded(what(request), `before it could retry ${request.method} ${(0,transport/* displayUrl */.Qy)(request.url)} ${why} (a wait of ${(delay / 1000).toFixed(1)} s)`);
            // A 429/503 holds every request at the shared throttle (the limit is per identity), this one included.
            if (isThrottled(outcome)) {
                const retryAfter = outcome.headers['retry-after'];
                throttle.pause(delay, `${request.method} ${(0,transport/* displayUrl */.Qy)(request.url)} answered ${outcome.status}${retryAfter ? ` (Retry-After ${retryAfter})` : ''}`);
            }
            retries++;
            stats.retries++;
            waited += delay;
            guard.info(`Retrying ${request.method} ${(0,transport/* displayUrl */.Qy)(request.url)} ${why} (attempt ${attemptNo + 1} of ${policy.maxAttempts}).`);
            if (!isThrottled(outcome) && delay > 0)
                await sleep(delay);
        }
    }
    return {
        async send(request) {
            const started = Date.now();
            let current = request;
            let { response, url, retries } = await sendOnce(current);
            // Once the request has left the original origin, the token never goes along again.
            let onOrigin = true;
            for (let hops = 0; REDIRECT_STATUSES.has(response.status) && response.headers.location; hops++) {
                if (hops >= MAX_REDIRECTS)
                    throw new Error(`${request.method} ${(0,transport/* displayUrl */.Qy)(request.url)} was redirected more than ${MAX_REDIRECTS} times.`);
                const hop = followRedirect(request, current, response.status, response.headers.location, url, onOrigin, what(request));
                current = { ...hop.request, ...(request.budget ? { budget: request.budget } : {}) };
                if (hop.sameOrigin) {
                    const next = await sendOnce(current);
                    ({ response, url } = next);
                    retries += next.retries;
                    continue;
                }
                // Another host never gets the token, allowed or not; it gets a bare GET/HEAD without Authorization.
                if (onOrigin) {
                    guard.info(`${request.method} ${(0,transport/* displayUrl */.Qy)(url)} redirected to ${current.url.host}: following without the Authorization header, the body or custom headers.`);
                }
                onOrigin = false;
                checkBudget(current, `before following the redirect to ${current.url.host}`);
                try {
                    response = await attempt(current, false);
                }
                catch (error) {
                    if (error instanceof core_errors/* EndpointTimeoutError */.tt)
                        checkBudget(current, `while waiting for ${current.url.host} to answer`);
                    throw error;
                }
                url = current.url;
            }
            const duration = Date.now() - started;
            options.logRequest(`${request.method} ${(0,transport/* displayUrl */.Qy)(request.url)} -> ${response.status} (${duration} ms${retries ? `, ${retries} ${retries === 1 ? 'retry' : 'retries'}` : ''})`);
            guard.debug(`Response body: ${truncate(response.body)}`);
            if (response.status === 203 ||
                (response.status >= 200 &&
                    response.status < 300 &&
                    // Stryker disable next-line StringLiteral: without a content type any text that is not text/html is not HTML, just as '' is not.
                    /text\/html/i.test(response.headers['content-type'] ?? ''))) {
                throw (0,errors/* azureDevOpsError */.nR)(request.description ?? `${request.method} ${(0,transport/* displayUrl */.Qy)(request.url)}`, (0,transport/* displayUrl */.Qy)(url), response, options.identity, options.organizationName, true);
            }
            return { ...response, data: parseBody(response), url, retries };
        }
    };
}
function isThrottled(outcome) {
    return !(outcome instanceof Error) && (outcome.status === 429 || outcome.status === 503);
}


/***/ }),

/***/ 5154:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   eu: () => (/* binding */ readRequestIds),
/* harmony export */   nR: () => (/* binding */ azureDevOpsError),
/* harmony export */   oz: () => (/* binding */ parseAzureDevOpsError),
/* harmony export */   zG: () => (/* binding */ formatRequestIds)
/* harmony export */ });
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(4296);

/** Server-sent IDs are GUIDs or short references; anything longer is cut. */
const MAX_ID_LENGTH = 200;
/** The request IDs of an Azure DevOps answer (`ActivityId`, `X-VSS-E2EID`, `X-MSEdge-Ref`), made safe to print. */
function readRequestIds(headers) {
    const read = (name) => {
        const value = headers[name];
        return value === undefined ? undefined : (0,_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .neutralizeServerText */ .cy)(value).slice(0, MAX_ID_LENGTH) || undefined;
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
    return (0,_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .formatSupportIds */ .ZY)('Azure DevOps', [
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
    const message = parsed.message === undefined ? undefined : (0,_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .neutralizeServerText */ .cy)(parsed.message);
    const typeKey = parsed.typeKey === undefined ? undefined : (0,_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .neutralizeServerText */ .cy)(parsed.typeKey);
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
    return new _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .AzureDevOpsError */ .JQ(`${what} failed: ${url} answered HTTP ${response.status}${said}.${hint}${formatRequestIds(ids)}`, response.status, code, { ...ids, typeKey });
}


/***/ }),

/***/ 6758:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {


// EXPORTS
__nccwpck_require__.d(__webpack_exports__, {
  a7: () => (/* binding */ HostNotAllowedError),
  Ng: () => (/* binding */ createHostPolicy),
  Vn: () => (/* binding */ parseAllowedHosts)
});

// EXTERNAL MODULE: ./src/core/errors.ts
var errors = __nccwpck_require__(4296);
;// CONCATENATED MODULE: ./src/core/devops/public-suffixes.ts
/**
 * Domains under which anyone can get a name: country-code second levels and shared hosting. A wildcard over
 * one of them (`*.co.uk`, `*.azurewebsites.net`) would send the token to strangers' hosts. This is not the
 * Public Suffix List (about 10,000 entries; the npm packages that ship it add 100-300 kB to every bundle and
 * a parse at start-up, and need updating): a wildcard must already have two labels after `*.`, which
 * covers every single-label suffix (`*.com`, `*.io`), and this list adds the multi-label suffixes people
 * are most likely to type, among them the hosting domains of Azure, where an Azure DevOps token is most
 * likely to be pointed.
 */
const MULTI_LABEL_PUBLIC_SUFFIXES = new Set([
    // Country-code second levels.
    ...['co', 'org', 'me', 'ltd', 'plc', 'net', 'ac', 'gov', 'sch', 'nhs'].map((l) => `${l}.uk`),
    ...['com', 'net', 'org', 'edu', 'gov', 'id', 'asn'].map((l) => `${l}.au`),
    ...['co', 'org', 'net', 'ac', 'govt', 'geek', 'kiwi'].map((l) => `${l}.nz`),
    ...['co', 'ne', 'or', 'ac', 'go', 'gr', 'ed', 'lg'].map((l) => `${l}.jp`),
    ...['co', 'or', 'ne', 'ac', 'go', 're'].map((l) => `${l}.kr`),
    ...['co', 'net', 'org', 'firm', 'gen', 'ind', 'ac', 'edu', 'gov'].map((l) => `${l}.in`),
    ...['co', 'org', 'net', 'ac', 'gov', 'web'].map((l) => `${l}.za`),
    ...['co', 'org', 'net', 'ac', 'gov'].map((l) => `${l}.il`),
    ...['co', 'or', 'ac', 'go', 'web', 'my'].map((l) => `${l}.id`),
    ...['co', 'or', 'ac', 'go', 'in'].map((l) => `${l}.th`),
    ...['com', 'net', 'org', 'edu', 'gov'].flatMap((l) => [
        'br',
        'cn',
        'mx',
        'ar',
        'tr',
        'tw',
        'hk',
        'sg',
        'my',
        'ph',
        'vn',
        'ua',
        'pk',
        'eg',
        'sa',
        'ng',
        'co',
        'pe'
    ].map((cc) => `${l}.${cc}`)),
    ...['com', 'net', 'org', 'co', 'biz', 'info'].map((l) => `${l}.pl`),
    // Azure hosting: every customer gets a name under these.
    'azurewebsites.net',
    'azurestaticapps.net',
    'azure-api.net',
    'azureedge.net',
    'azurefd.net',
    'azurecr.io',
    'azurecontainer.io',
    'azurecontainerapps.io',
    'azure-mobile.net',
    'azurehdinsight.net',
    'azureiotcentral.com',
    'cloudapp.net',
    'cloudapp.azure.com',
    'trafficmanager.net',
    'servicebus.windows.net',
    'database.windows.net',
    'vault.azure.net',
    ...['blob', 'web', 'file', 'queue', 'table', 'dfs'].map((s) => `${s}.core.windows.net`),
    // Other shared hosting and tunnels.
    'github.io',
    'githubusercontent.com',
    'gitlab.io',
    'herokuapp.com',
    'netlify.app',
    'vercel.app',
    'pages.dev',
    'workers.dev',
    'web.app',
    'firebaseapp.com',
    'appspot.com',
    'cloudfront.net',
    'amazonaws.com',
    's3.amazonaws.com',
    'elasticbeanstalk.com',
    'onrender.com',
    'fly.dev',
    'ngrok.io',
    'ngrok.app',
    'ngrok-free.app',
    'trycloudflare.com',
    'blogspot.com'
]);

// EXTERNAL MODULE: ./src/core/validate.ts
var validate = __nccwpck_require__(993);
;// CONCATENATED MODULE: ./src/core/devops/host-policy.ts



class HostNotAllowedError extends Error {
    name = 'HostNotAllowedError';
}
const BUILT_IN = ['dev.azure.com', '*.dev.azure.com', '*.visualstudio.com'];
const HOST_PATTERN = /^(\*\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/;
/** Parses `allowed-hosts`: host names or `*.domain` wildcards, separated by commas or new lines. */
function parseAllowedHosts(input) {
    const hosts = input.value
        .split(/[,\n]/)
        .map((h) => h.trim().toLowerCase())
        .filter((h) => h !== '');
    for (const host of hosts) {
        if (!HOST_PATTERN.test(host)) {
            throw new errors/* InputError */.dz(input.name, `${(0,errors/* quoteInputs */.UK)(input)} has the entry '${host}', which is not a host name: give host names only (no scheme, port or path), such as vsrm.contoso.example or *.contoso.example.`);
        }
        const domain = host.startsWith('*.') ? host.slice(2) : undefined;
        if (domain !== undefined && (!domain.includes('.') || MULTI_LABEL_PUBLIC_SUFFIXES.has(domain))) {
            throw new errors/* InputError */.dz(input.name, `${(0,errors/* quoteInputs */.UK)(input)} has the wildcard '${host}', which covers a whole public suffix: anyone can get a host name under '${domain}', and the token would go to it. Give a domain you control, such as *.contoso.${domain}, or list the hosts one by one.`);
        }
    }
    return hosts;
}
function matches(pattern, host) {
    return pattern.startsWith('*.')
        ? host.endsWith(pattern.slice(1)) && host.length > pattern.length - 1
        : host === pattern;
}
/**
 * The token goes over https to the organization's host, dev.azure.com and its subdomains, any
 * *.visualstudio.com host, and the hosts the user allowed; over http only to a loopback organization.
 */
function createHostPolicy(organization, allowed) {
    const orgUrl = organization ? new URL(organization.url) : undefined;
    const patterns = [...(orgUrl ? [orgUrl.hostname.toLowerCase()] : []), ...BUILT_IN, ...allowed];
    const description = [...new Set(patterns)].join(', ');
    return {
        description,
        check(url) {
            const host = url.hostname.toLowerCase();
            if (url.protocol === 'http:') {
                const sameLoopbackOrg = orgUrl?.protocol === 'http:' && (0,validate/* isLoopbackHost */.cW)(host) && url.host === orgUrl.host;
                if (!sameLoopbackOrg)
                    throw new HostNotAllowedError(`Refused to send the token to ${url.host} over plain http: the token only travels over https (http is allowed only for a loopback organization URL). Use https://${url.host}${url.pathname}.`);
                return;
            }
            if (url.protocol !== 'https:')
                throw new HostNotAllowedError(`Refused to send the token to '${url.protocol}' URLs: only https is allowed.`);
            if (!patterns.some((pattern) => matches(pattern, host))) {
                throw new HostNotAllowedError(`Refused to send the token to ${host}: it is not an allowed host (${description}). If you trust it, add it to the allowed hosts input.`);
            }
        }
    };
}


/***/ }),

/***/ 4296:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   HZ: () => (/* binding */ OidcTokenError),
/* harmony export */   JQ: () => (/* binding */ AzureDevOpsError),
/* harmony export */   T6: () => (/* binding */ ProxyError),
/* harmony export */   UK: () => (/* binding */ quoteInputs),
/* harmony export */   Uc: () => (/* binding */ describeError),
/* harmony export */   ZY: () => (/* binding */ formatSupportIds),
/* harmony export */   Zq: () => (/* binding */ BudgetExceededError),
/* harmony export */   aY: () => (/* binding */ invalidInput),
/* harmony export */   by: () => (/* binding */ ResponseTooLargeError),
/* harmony export */   cy: () => (/* binding */ neutralizeServerText),
/* harmony export */   dz: () => (/* binding */ InputError),
/* harmony export */   oh: () => (/* binding */ failureMessage),
/* harmony export */   tt: () => (/* binding */ EndpointTimeoutError),
/* harmony export */   v3: () => (/* binding */ AuthenticationError),
/* harmony export */   w: () => (/* binding */ ManagedIdentityError)
/* harmony export */ });
/* harmony import */ var _log_text_js__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(9357);

/**
 * Typed failures. Each message is complete on its own: what went wrong, which input or endpoint,
 * the offending value when it is not secret, and how to fix it.
 */
class InputError extends Error {
    input;
    name = 'InputError';
    constructor(
    /** The input as the user spells it on their platform (`client-id`, `azureSubscription`). */
    input, message) {
        super(message);
        this.input = input;
    }
}
/** How a message names inputs: "Input 'client-id'", "Option '--client-id'", "Inputs 'a' and 'b'". */
function quoteInputs(...inputs) {
    const word = inputs[0].word === 'option' ? 'Option' : 'Input';
    return `${word}${inputs.length > 1 ? 's' : ''} ${inputs.map((input) => `'${input.name}'`).join(' and ')}`;
}
/** Builds the standard bad-input message: names the input, quotes the value, says what is allowed and the fix. */
function invalidInput(
/** A plain name is an input's (the action's or the task's). */
input, value, problem, fix) {
    const named = typeof input === 'string' ? { name: input } : input;
    const shown = value === '' ? 'is empty' : `is '${value}'`;
    return new InputError(named.name, `${quoteInputs(named)} ${shown}: ${problem} ${fix}`);
}
/** Microsoft Entra refused to issue a token. Keeps the AADSTS code and the support IDs as fields. */
class AuthenticationError extends Error {
    name = 'AuthenticationError';
    code;
    error;
    description;
    traceId;
    correlationId;
    timestamp;
    status;
    constructor(message, details = {}, options) {
        super(message, options);
        this.code = details.code;
        this.error = details.error;
        this.description = details.description;
        this.traceId = details.traceId;
        this.correlationId = details.correlationId;
        this.timestamp = details.timestamp;
        this.status = details.status;
    }
}
/** The CI platform's OIDC endpoint did not give us a token. */
class OidcTokenError extends Error {
    name = 'OidcTokenError';
}
/** The managed identity endpoint did not give us a token. */
class ManagedIdentityError extends Error {
    name = 'ManagedIdentityError';
}
/** Azure DevOps answered with an error. Keeps the TF code, typeKey and request IDs as fields. */
class AzureDevOpsError extends Error {
    status;
    code;
    name = 'AzureDevOpsError';
    typeKey;
    activityId;
    e2eId;
    msEdgeRef;
    constructor(message, status, 
    /** `TF400813`, when the body carried one. */
    code, details = {}) {
        super(message);
        this.status = status;
        this.code = code;
        this.typeKey = details.typeKey;
        this.activityId = details.activityId;
        this.e2eId = details.e2eId;
        this.msEdgeRef = details.msEdgeRef;
    }
}
/** An endpoint did not answer in time. Names the endpoint so users know what to look at. */
class EndpointTimeoutError extends Error {
    endpoint;
    url;
    seconds;
    name = 'EndpointTimeoutError';
    constructor(endpoint, url, seconds) {
        super(`The ${endpoint} (${url}) did not answer within ${seconds} seconds. ` +
            'Check that the host is reachable from this machine (firewall, proxy settings, DNS) and try again.');
        this.endpoint = endpoint;
        this.url = url;
        this.seconds = seconds;
    }
}
/** A response went past the size limit of its endpoint; the rest was not read and the connection was closed. */
class ResponseTooLargeError extends Error {
    limit;
    name = 'ResponseTooLargeError';
    constructor(message, 
    /** The limit, in bytes. */
    limit) {
        super(message);
        this.limit = limit;
    }
}
/** The proxy refused the request (407, or a CONNECT it would not open): the proxy's doing, not the endpoint's. */
class ProxyError extends Error {
    status;
    proxy;
    name = 'ProxyError';
    constructor(message, 
    /** The proxy's answer, e.g. 407. */
    status, 
    /** The proxy as shown: scheme, host and port, never its user name or password. */
    proxy) {
        super(message);
        this.status = status;
        this.proxy = proxy;
    }
}
/** A total time budget (getting and verifying the token, or all the operations) ran out. */
class BudgetExceededError extends Error {
    seconds;
    name = 'BudgetExceededError';
    constructor(message, 
    /** The budget, in seconds. */
    seconds) {
        super(message);
        this.seconds = seconds;
    }
}
/** Turns any thrown value into one line of text, with the stack only when asked for. */
function describeError(error, withStack = false) {
    if (error instanceof Error) {
        const text = error.message || error.name;
        return withStack && error.stack ? `${text}\n${error.stack}` : text;
    }
    if (typeof error === 'string')
        return error;
    try {
        return `Unexpected failure: ${JSON.stringify(error)}`;
    }
    catch {
        return 'Unexpected failure of an unknown kind.';
    }
}
/**
 * Makes text from a server safe inside one of our log lines: no line breaks or other control characters
 * (a CR/LF would start a line of its own) and nothing a runner or agent reads as a command (`##vso[`, `##[`
 * anywhere, `::` at the start).
 */
function neutralizeServerText(text) {
    // Stryker disable next-line Regex: without the `+`, each control character gives a space and the next replace joins them.
    const spaced = text.replace(/[\p{Cc}\u2028\u2029]+/gu, ' ');
    return spaced
        .replace(/\s{2,}/g, ' ')
        .trim()
        .replace(/##(vso)?\[/gi, (match) => `${match.slice(0, -1)} [`)
        .replace(/^::/, ': :');
}
/**
 * The end of every failure line that has support IDs: ` (Entra trace ID …, correlation ID …; give these to
 * Microsoft support if you need their help.)`. Only IDs that are present are named; none gives ''.
 */
function formatSupportIds(service, ids) {
    const present = ids.filter((id) => id[1] !== undefined && id[1] !== '');
    if (present.length === 0)
        return '';
    const list = present.map(([label, value]) => `${label} ${value}`).join(', ');
    return ` (${service} ${list}; give these to Microsoft support if you need their help.)`;
}
/**
 * The one failure line a run reports, scrubbed of secrets and of anything the runner or agent would act on
 * (it quotes server answers); the stack goes to the debug log only.
 */
function failureMessage(error, guard, isDebug) {
    const stack = error instanceof Error ? error.stack : undefined;
    if (stack && isDebug)
        guard.debug(stack);
    return (0,_log_text_js__WEBPACK_IMPORTED_MODULE_0__/* .neutralizeLogText */ .j)(guard.redact(describeError(error)));
}


/***/ }),

/***/ 8159:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   K: () => (/* binding */ exitWhenFlushed)
/* harmony export */ });
/**
 * Ends the process once what it wrote has left: writes to a pipe are asynchronous on macOS (Node's docs,
 * process I/O), and process.exit() drops what is still queued, which on a runner or agent can be the last lines of the log, `##vso[task.complete]`
 * included. The callback of an empty write runs after every earlier write to that stream was flushed. The exit
 * itself stays explicit, so keep-alive sockets or a library's retry timer cannot hold the step open.
 */
async function exitWhenFlushed(code) {
    const flushed = (stream) => new Promise((resolve) => {
        if (stream.destroyed || !stream.writable)
            resolve();
        else
            stream.write('', () => resolve());
    });
    await Promise.all([flushed(process.stdout), flushed(process.stderr)]);
    // process.exit(undefined) would reset process.exitCode (Node sets it whenever an argument is passed), so a
    // step that called setFailed would exit 0: pass the code only when there is one.
    return code === undefined ? process.exit() : process.exit(code);
}


/***/ }),

/***/ 8413:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   OK: () => (/* binding */ registerProxy),
/* harmony export */   Pg: () => (/* binding */ proxyShownFor),
/* harmony export */   vd: () => (/* binding */ proxyRefusal)
/* harmony export */ });
/* unused harmony export showProxy */
/* harmony import */ var node_http__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(7067);
/* harmony import */ var node_http__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__nccwpck_require__.n(node_http__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_1__ = __nccwpck_require__(4296);


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
    const answer = `HTTP ${status}${node_http__WEBPACK_IMPORTED_MODULE_0__.STATUS_CODES[status] ? ` ${node_http__WEBPACK_IMPORTED_MODULE_0__.STATUS_CODES[status]}` : ''}`;
    const fix = status === 407
        ? "Give the proxy credentials it accepts (user and password in the proxy URL, e.g. HTTPS_PROXY=http://user:password@host:port, or the Azure Pipelines agent's proxy settings)"
        : `Ask the proxy's administrators to allow ${url.host} (the proxy's allow-list)`;
    return new _errors_js__WEBPACK_IMPORTED_MODULE_1__/* .ProxyError */ .T6(`The proxy ${proxy} refused the request to the ${endpoint} (${url.origin}) with ${answer}; the request never reached ${url.host}. ${fix}, or add ${url.hostname} to NO_PROXY (the agent's proxy bypass list on Azure Pipelines) if this machine can reach it directly.`, status, proxy);
}


/***/ }),

/***/ 5834:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   Vs: () => (/* binding */ retryAfterMs),
/* harmony export */   jo: () => (/* binding */ backoffMs),
/* harmony export */   lx: () => (/* binding */ sendWithRetry)
/* harmony export */ });
/* unused harmony exports DEFAULT_RETRY_POLICY, isTransientStatus */
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(4296);

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
            if (error instanceof _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .ProxyError */ .T6 || error instanceof _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .ResponseTooLargeError */ .by)
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
            ? outcome instanceof _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .EndpointTimeoutError */ .tt
                ? 'did not answer in time'
                : `failed (${outcome.message})`
            : `answered HTTP ${outcome.status}`;
        context.logger.info(`The ${request.endpoint} ${what}; retrying in ${(delay / 1000).toFixed(1)} s (attempt ${attempt + 1} of ${policy.maxAttempts}).`);
        await sleep(delay);
    }
}


/***/ }),

/***/ 5473:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   Dr: () => (/* binding */ NetworkError),
/* harmony export */   QM: () => (/* binding */ lowerCaseKeys),
/* harmony export */   Qy: () => (/* binding */ displayUrl),
/* harmony export */   dR: () => (/* binding */ createRunTransport),
/* harmony export */   dU: () => (/* binding */ createDeadline)
/* harmony export */ });
/* unused harmony exports DEFAULT_MAX_RESPONSE_BYTES, formatBytes, createTransport */
/* harmony import */ var node_http__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(7067);
/* harmony import */ var node_http__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__nccwpck_require__.n(node_http__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_https__WEBPACK_IMPORTED_MODULE_1__ = __nccwpck_require__(4708);
/* harmony import */ var node_https__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__nccwpck_require__.n(node_https__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_2__ = __nccwpck_require__(4296);
/* harmony import */ var _product_js__WEBPACK_IMPORTED_MODULE_4__ = __nccwpck_require__(4140);
/* harmony import */ var _proxy_refusal_js__WEBPACK_IMPORTED_MODULE_3__ = __nccwpck_require__(8413);





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
        userAgent: (0,_product_js__WEBPACK_IMPORTED_MODULE_4__/* .userAgent */ .N1)(platform.name),
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
                return Promise.reject(new _errors_js__WEBPACK_IMPORTED_MODULE_2__/* .EndpointTimeoutError */ .tt(request.endpoint, shown, request.deadline?.seconds ?? 0));
            }
            const started = Date.now();
            return new Promise((resolve, reject) => {
                let failed = false;
                const client = url.protocol === 'http:' ? (node_http__WEBPACK_IMPORTED_MODULE_0___default()) : (node_https__WEBPACK_IMPORTED_MODULE_1___default());
                const headers = {
                    'user-agent': options.userAgent,
                    ...lowerCaseKeys(request.headers ?? {})
                };
                if (request.body !== undefined)
                    headers['content-length'] = String(Buffer.byteLength(request.body));
                const agent = options.agentFor(url);
                const proxy = agent ? (0,_proxy_refusal_js__WEBPACK_IMPORTED_MODULE_3__/* .proxyShownFor */ .Pg)(agent) : undefined;
                const maxBytes = request.maxBytes ?? options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
                const tooLarge = () => new _errors_js__WEBPACK_IMPORTED_MODULE_2__/* .ResponseTooLargeError */ .by(`The ${request.endpoint} (${shown}) sent a response larger than ${formatBytes(maxBytes)}, the limit for this endpoint; it was not read to the end. ${request.tooLargeAdvice ?? 'Check that the URL points at the right endpoint (and that no proxy or captive portal answers in its place).'}`, maxBytes);
                const req = client.request(url, { method: request.method, headers, ...(agent ? { agent } : {}) }, (res) => {
                    if (failed)
                        return void res.destroy();
                    // A proxy that answers an absolute-URI (http) request itself: its 407 is not the endpoint's.
                    if (proxy !== undefined && res.statusCode === 407) {
                        res.destroy();
                        return fail((0,_proxy_refusal_js__WEBPACK_IMPORTED_MODULE_3__/* .proxyRefusal */ .vd)(proxy, 407, request.endpoint, url));
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
                    fail(new _errors_js__WEBPACK_IMPORTED_MODULE_2__/* .EndpointTimeoutError */ .tt(request.endpoint, shown, seconds));
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
                    fail((0,_proxy_refusal_js__WEBPACK_IMPORTED_MODULE_3__/* .proxyRefusal */ .vd)(proxy ?? 'configured for this URL', status, request.endpoint, url));
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
                    reject(error instanceof _errors_js__WEBPACK_IMPORTED_MODULE_2__/* .EndpointTimeoutError */ .tt ||
                        error instanceof _errors_js__WEBPACK_IMPORTED_MODULE_2__/* .ResponseTooLargeError */ .by ||
                        error instanceof _errors_js__WEBPACK_IMPORTED_MODULE_2__/* .ProxyError */ .T6
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


/***/ }),

/***/ 3761:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   Uj: () => (/* binding */ configureFeeds)
/* harmony export */ });
/* unused harmony exports parseFeeds, TOKEN_VARIABLES, FEED_USER */
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(3024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__nccwpck_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_os__WEBPACK_IMPORTED_MODULE_1__ = __nccwpck_require__(8161);
/* harmony import */ var node_os__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__nccwpck_require__.n(node_os__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_2__ = __nccwpck_require__(6760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_2___default = /*#__PURE__*/__nccwpck_require__.n(node_path__WEBPACK_IMPORTED_MODULE_2__);
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_3__ = __nccwpck_require__(4296);
/* harmony import */ var _validate_js__WEBPACK_IMPORTED_MODULE_4__ = __nccwpck_require__(993);
/* harmony import */ var _state_js__WEBPACK_IMPORTED_MODULE_5__ = __nccwpck_require__(1865);






// Stryker disable all: module constants are evaluated once when the module loads, so Stryker runs their mutants
// against the covering tests without reloading the module and none can fail ("static" mutants). The feed tests in
// test/unit/core/job-credentials/job-credentials.test.ts check each pattern both ways: look-alike hosts, extra segments, each kind.
const SHAPES = [
    { kind: 'npm', pattern: /\/_packaging\/[^/]+\/npm\/registry\/?$/ },
    { kind: 'nuget', pattern: /\/_packaging\/[^/]+\/nuget\/v3\/index\.json$/ },
    { kind: 'pypi', pattern: /\/_packaging\/[^/]+\/pypi\/simple\/?$/ }
];
const FEED_HOST = /^(pkgs\.dev\.azure\.com|[a-z0-9-]+\.pkgs\.visualstudio\.com)$/;
// Stryker restore all
/** Parses the feeds input: Azure Artifacts npm registry, NuGet v3 index and PyPI simple URLs, one per line or comma separated. */
function parseFeeds(input) {
    const urls = input.value
        .split(/[\n,]/)
        .map((u) => u.trim())
        .filter((u) => u !== '');
    return urls.map((text) => {
        const fail = (problem) => {
            throw new InputError(input.name, `${quoteInputs(input)} has the entry '${text}': ${problem} Give Azure Artifacts feed URLs such as https://pkgs.dev.azure.com/contoso/_packaging/release/npm/registry/, .../nuget/v3/index.json or .../pypi/simple/ (copy them from the feed's "Connect to feed" page).`);
        };
        let url;
        try {
            url = new URL(text);
        }
        catch {
            return fail('it is not a URL.');
        }
        const loopback = isLoopbackHost(url.hostname);
        if (url.protocol !== 'https:' && !(loopback && url.protocol === 'http:'))
            fail('feeds are reached over https only.');
        if (!loopback && !FEED_HOST.test(url.hostname))
            fail(`the host ${url.hostname} is not Azure Artifacts (pkgs.dev.azure.com or ORG.pkgs.visualstudio.com).`);
        if (url.search !== '' || url.username !== '')
            fail('a feed URL has no query or credentials.');
        const shape = SHAPES.find((s) => s.pattern.test(url.pathname));
        if (shape === undefined)
            return fail('it is not an npm registry, NuGet v3 index or PyPI simple URL of a feed.');
        const normalized = shape.kind === 'nuget' ? url.href : url.href.replace(/\/?$/, '/');
        return { kind: shape.kind, url: normalized };
    });
}
// Stryker disable all: module constants, as above; the feed tests check each variable and the user name.
/** Variables configureFeeds sets whose value holds the token itself (the others hold paths). */
const TOKEN_VARIABLES = (/* unused pure expression or super */ null && ([
    'VSS_NUGET_EXTERNAL_FEED_ENDPOINTS',
    'PIP_INDEX_URL',
    'PIP_EXTRA_INDEX_URL'
]));
/** The user name clients send with the token as password; Azure Artifacts ignores it. */
const FEED_USER = 'azure-devops';
// Stryker restore all
/**
 * Configures the package clients for the feeds: an npmrc under the credentials directory (the user's own
 * npmrc content is kept) selected with NPM_CONFIG_USERCONFIG; VSS_NUGET_EXTERNAL_FEED_ENDPOINTS for the
 * Azure Artifacts credential provider; PIP_INDEX_URL (first PyPI feed) and PIP_EXTRA_INDEX_URL (the rest).
 * Returns the environment for the later steps and one line per feed for the log.
 */
function configureFeeds(feeds, token, dir, env) {
    const exported = {};
    const lines = [];
    const npm = feeds.filter((f) => f.kind === 'npm');
    if (npm.length > 0) {
        const previous = env.NPM_CONFIG_USERCONFIG ?? (0,node_path__WEBPACK_IMPORTED_MODULE_2__.join)((0,node_os__WEBPACK_IMPORTED_MODULE_1__.homedir)(), '.npmrc');
        const kept = (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.existsSync)(previous) ? `${(0,node_fs__WEBPACK_IMPORTED_MODULE_0__.readFileSync)(previous, 'utf8').trimEnd()}\n` : '';
        const auth = npm.map((feed) => `${nerfDart(feed.url)}:_authToken=${token}`).join('\n');
        const path = (0,node_path__WEBPACK_IMPORTED_MODULE_2__.join)(dir, 'npmrc');
        // '\n' on every OS: npm's ini parser splits lines on CR and LF alike, and a kept CRLF file stays valid.
        (0,_state_js__WEBPACK_IMPORTED_MODULE_5__/* .writePrivateFile */ .Pl)(path, `${kept}${auth}\n`);
        exported.NPM_CONFIG_USERCONFIG = path;
        for (const feed of npm)
            lines.push(`npm: ${feed.url} (token in ${path}, selected with NPM_CONFIG_USERCONFIG)`);
    }
    const nuget = feeds.filter((f) => f.kind === 'nuget');
    if (nuget.length > 0) {
        exported.VSS_NUGET_EXTERNAL_FEED_ENDPOINTS = JSON.stringify({
            endpointCredentials: nuget.map((feed) => ({ endpoint: feed.url, username: FEED_USER, password: token }))
        });
        for (const feed of nuget)
            lines.push(`NuGet: ${feed.url} (VSS_NUGET_EXTERNAL_FEED_ENDPOINTS, for the Azure Artifacts credential provider)`);
    }
    const pypi = feeds.filter((f) => f.kind === 'pypi');
    if (pypi.length > 0) {
        const withToken = pypi.map((feed) => {
            const url = new URL(feed.url);
            url.username = FEED_USER;
            url.password = token;
            return url.href;
        });
        // Stryker disable next-line StringLiteral: there is at least one PyPI feed here, so the fallback is never used.
        exported.PIP_INDEX_URL = withToken[0] ?? '';
        if (withToken.length > 1)
            exported.PIP_EXTRA_INDEX_URL = withToken.slice(1).join(' ');
        pypi.forEach((feed, i) => lines.push(`pip: ${feed.url} (${i === 0 ? 'PIP_INDEX_URL' : 'PIP_EXTRA_INDEX_URL'})`));
    }
    return { env: exported, lines };
}
/** npm's key for per-registry settings: the registry URL without its scheme ("//host/path/"). */
function nerfDart(registry) {
    const url = new URL(registry);
    return `//${url.host}${url.pathname.endsWith('/') ? url.pathname : `${url.pathname}/`}`;
}


/***/ }),

/***/ 295:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   Ey: () => (/* binding */ helperCommand),
/* harmony export */   JV: () => (/* binding */ gitCredentialEnvironment),
/* harmony export */   Mo: () => (/* binding */ organizationUrlScopes)
/* harmony export */ });
/* harmony import */ var _validate_js__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(993);

/**
 * The URL prefixes under which the organization's repositories live. An organization is reachable both as
 * https://dev.azure.com/ORG and as https://ORG.visualstudio.com; a loopback organization (tests) is itself.
 */
function organizationUrlScopes(organization) {
    const url = new URL(organization.url);
    if ((0,_validate_js__WEBPACK_IMPORTED_MODULE_0__/* .isLoopbackHost */ .cW)(url.hostname))
        return [organization.url];
    return [`https://dev.azure.com/${organization.name}`, `https://${organization.name}.visualstudio.com`];
}
/**
 * Git configuration passed through the environment (GIT_CONFIG_COUNT / GIT_CONFIG_KEY_n / GIT_CONFIG_VALUE_n,
 * git ≥ 2.31): for each of the organization's URL prefixes, the helper list is reset and our credential
 * helper added. Nothing is written to a repository's .git/config or the user's ~/.gitconfig, no secret is in
 * the environment (the helper reads the token from a private file or mints one), and git asks the helper
 * only for URLs under those prefixes. Existing GIT_CONFIG_* entries are kept.
 */
function gitCredentialEnvironment(organization, helperCommand, env) {
    // Number(undefined) is NaN: no count starts at 0 like a bad one.
    const existing = Number(env.GIT_CONFIG_COUNT);
    // Stryker disable next-line EqualityOperator: a count of 0 starts at 0 either way.
    const start = Number.isInteger(existing) && existing > 0 ? existing : 0;
    const entries = [];
    for (const scope of organizationUrlScopes(organization)) {
        // An empty value clears helpers configured elsewhere (a system credential manager) for this URL.
        entries.push([`credential.${scope}.helper`, ''], [`credential.${scope}.helper`, helperCommand]);
    }
    const result = { GIT_CONFIG_COUNT: String(start + entries.length) };
    entries.forEach(([key, value], i) => {
        result[`GIT_CONFIG_KEY_${start + i}`] = key;
        result[`GIT_CONFIG_VALUE_${start + i}`] = value;
    });
    return result;
}
/**
 * The helper command line as git runs it: through its shell (Git for Windows' bundled MSYS bash too), with the
 * operation appended. Each word is single-quoted, so spaces, `$`, backslashes and quotes (`'` as `'\''`) stay
 * literal. On Windows a drive-letter path is given with forward slashes (`C:/Program Files/nodejs/node.exe`):
 * bash's exec, node and fs all accept it, and unlike a backslash a slash survives any later unquoted or MSYS
 * argument conversion unchanged. UNC paths (`\\server\share`) keep their backslashes, because MSYS reads an
 * argument starting with `//` as an escaped `/`.
 */
function helperCommand(nodePath, helperScript, statePath, platform = process.platform) {
    const forShell = (value) => platform === 'win32' && /^[A-Za-z]:\\/.test(value) ? value.replace(/\\/g, '/') : value;
    const quote = (value) => `'${forShell(value).replace(/'/g, `'\\''`)}'`;
    return `!${quote(nodePath)} ${quote(helperScript)} ${quote(statePath)}`;
}


/***/ }),

/***/ 1865:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   D9: () => (/* binding */ writeHelperState),
/* harmony export */   Ge: () => (/* binding */ createCredentialsDir),
/* harmony export */   Pl: () => (/* binding */ writePrivateFile)
/* harmony export */ });
/* unused harmony exports CREDENTIALS_DIR_PREFIX, readHelperState, REMOVE_OPTIONS, removeCredentialsDir */
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(3024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__nccwpck_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1__ = __nccwpck_require__(6760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__nccwpck_require__.n(node_path__WEBPACK_IMPORTED_MODULE_1__);


const CREDENTIALS_DIR_PREFIX = 'azure-devops-entra-token-';
/**
 * A private directory (0700) under the runner's or agent's temp directory — never the workspace. On Windows
 * modes only set or clear the read-only attribute (0700 and 0600 keep the owner's write bit, so nothing becomes
 * read-only); there the ACL the temp directory inherits from the runner's or agent's folder protects the
 * files, and nothing here reads a mode back (docs/security.md).
 */
function createCredentialsDir(tempRoot) {
    const dir = (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.mkdtempSync)((0,node_path__WEBPACK_IMPORTED_MODULE_1__.join)(tempRoot, CREDENTIALS_DIR_PREFIX));
    (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.chmodSync)(dir, 0o700);
    return dir;
}
/** Writes a file only its owner can read, atomically (a concurrent reader never sees half a file). */
function writePrivateFile(path, content) {
    const temporary = `${path}.${process.pid}.tmp`;
    (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.writeFileSync)(temporary, content, { mode: 0o600 });
    try {
        (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.renameSync)(temporary, path);
    }
    catch (error) {
        // Windows refuses to replace a file another process holds without sharing delete (an antivirus scan).
        (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.rmSync)(temporary, { force: true });
        throw error;
    }
}
function writeHelperState(path, state) {
    writePrivateFile(path, JSON.stringify(state));
}
function readHelperState(path) {
    try {
        return JSON.parse(readFileSync(path, 'utf8'));
    }
    catch {
        // Missing or not JSON: no state (an empty block, so no mutant can empty it).
    }
    return undefined;
}
/**
 * Retries of the removal: on Windows a file still open elsewhere (an antivirus scan, a git process that has
 * not exited yet) makes the removal fail with EBUSY or EPERM for a moment; rmSync retries those with a
 * linearly growing delay (0.1 s, 0.2 s, … 1.5 s in all).
 */
const REMOVE_OPTIONS = { recursive: true, force: true, maxRetries: 5, retryDelay: 100 };
/**
 * Removes a credentials directory, but only one of ours directly inside the given temp root. Paths are
 * compared with the platform's path module: on Windows RUNNER_TEMP is `D:\a\_temp`, whose children are
 * `D:\a\_temp\azure-devops-entra-token-…`, and drive letters and case may differ in spelling.
 */
function removeCredentialsDir(dir, tempRoot, paths = path, remove = rmSync) {
    const name = paths.relative(paths.resolve(tempRoot), paths.resolve(dir));
    if (!name.startsWith(CREDENTIALS_DIR_PREFIX) || name.includes(paths.sep) || name.includes('/'))
        return false;
    remove(dir, REMOVE_OPTIONS);
    return true;
}


/***/ }),

/***/ 9357:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   C: () => (/* binding */ neutralizeLogLine),
/* harmony export */   j: () => (/* binding */ neutralizeLogText)
/* harmony export */ });
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


/***/ }),

/***/ 670:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   Lk: () => (/* binding */ loadOperations),
/* harmony export */   P7: () => (/* binding */ requestedOperations),
/* harmony export */   jk: () => (/* binding */ operationsFileInput)
/* harmony export */ });
/* unused harmony exports operationsRequested, withOperations */
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(3024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__nccwpck_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1__ = __nccwpck_require__(6760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__nccwpck_require__.n(node_path__WEBPACK_IMPORTED_MODULE_1__);


/**
 * The operations file input, or '' when it is not set. Azure Pipelines fills an empty filePath input with the
 * sources directory, so a file input naming a directory means "not set". A missing file is set: reading it
 * reports the error.
 */
function operationsFileInput(file, baseDir) {
    const path = file.trim();
    // Stryker disable next-line ConditionalExpression: a shortcut: resolving '' gives baseDir, a directory (or unreadable), which also yields ''.
    if (path === '')
        return '';
    try {
        return (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.statSync)((0,node_path__WEBPACK_IMPORTED_MODULE_1__.resolve)(baseDir, path)).isDirectory() ? '' : path;
    }
    catch {
        return path;
    }
}
/** True when a run has operations (inline, or a file that is set). */
function operationsRequested(inline, file, baseDir) {
    return inline.trim() !== '' || operationsFileInput(file, baseDir) !== '';
}
/** The operations inputs when the run has operations; undefined when it has none. */
function requestedOperations(inputs) {
    return operationsRequested(inputs.inline.value, inputs.file.value, inputs.baseDir) ? inputs : undefined;
}
/** The settings with their operations parsed by `readOperations`. */
function withOperations(read, readOperations) {
    return { ...read, operations: read.operations && readOperations(read.operations) };
}
/**
 * The operations engine (YAML, JMESPath, the runner) is loaded only by runs that have operations: most runs
 * only get a token, and loading it cost them about 15 ms of start-up (docs/development.md, Performance).
 */
async function loadOperations(read) {
    if (read.operations === undefined)
        return { ...read, operations: undefined };
    return withOperations(read, (await Promise.all(/* import() */[__nccwpck_require__.e(22), __nccwpck_require__.e(815), __nccwpck_require__.e(762), __nccwpck_require__.e(659)]).then(__nccwpck_require__.bind(__nccwpck_require__, 6659))).readOperations);
}


/***/ }),

/***/ 4923:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   J8: () => (/* binding */ METHODS),
/* harmony export */   Sk: () => (/* binding */ OperationSecretError),
/* harmony export */   WH: () => (/* binding */ DEFAULT_CONCURRENCY),
/* harmony export */   _L: () => (/* binding */ DEFAULT_API_VERSION),
/* harmony export */   cJ: () => (/* binding */ FIELDS),
/* harmony export */   fx: () => (/* binding */ MAX_CONCURRENCY),
/* harmony export */   kF: () => (/* binding */ operationLabel),
/* harmony export */   zF: () => (/* binding */ OperationFormatError)
/* harmony export */ });
const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD'];
const FIELDS = [
    'name',
    'method',
    'url',
    'api-version',
    'query',
    'headers',
    'body',
    'content-type',
    'paginate',
    'select',
    'expect',
    'for-each',
    'concurrency',
    'continue-on-error',
    'unchecked'
];
const DEFAULT_API_VERSION = '7.1';
const DEFAULT_CONCURRENCY = 4;
const MAX_CONCURRENCY = 16;
/** A mistake in the operations document, found before any request is sent. */
class OperationFormatError extends Error {
    name = 'OperationFormatError';
}
/** "operation 2 ('repos')" or "operation 3": how messages point at an operation. */
function operationLabel(index, name) {
    return name ? `operation ${index} ('${name}')` : `operation ${index}`;
}
/**
 * A template rendered a value that holds a secret of this run (the access token, a feed credential, a proxy
 * password). Refused before the request is sent; the message names the operation and field, never the value.
 */
class OperationSecretError extends Error {
    operation;
    field;
    name = 'OperationSecretError';
    constructor(
    /** How messages point at the operation, e.g. "operation 2 ('repos')". */
    operation, 
    /** The field whose rendered value held the secret: url, query, headers or body. */
    field) {
        super(`${operation}, field '${field}': the rendered value contains a secret of this run (the access token or another masked value), so the request was not sent. Templates must not carry secrets: remove the {{ env.… }} or {{ results.… }} reference that brings it in (the step authenticates its requests itself).`);
        this.operation = operation;
        this.field = field;
    }
}


/***/ }),

/***/ 4140:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   N1: () => (/* binding */ userAgent),
/* harmony export */   vg: () => (/* binding */ PRODUCT_VERSION)
/* harmony export */ });
/* unused harmony export PRODUCT_NAME */
/** Kept in step with package.json, task.json and vss-extension.json by the contract test. */
// Stryker disable next-line StringLiteral: a module constant, run before any test starts (no per-test coverage); test/contract/contract.test.ts checks it against package.json.
const PRODUCT_NAME = 'azure-devops-entra-token';
// Stryker disable next-line StringLiteral: as above.
const PRODUCT_VERSION = '1.0.0';
function userAgent(platform) {
    return `${PRODUCT_NAME}/${PRODUCT_VERSION} (${platform}; node ${process.versions.node})`;
}


/***/ }),

/***/ 993:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   H4: () => (/* binding */ parseOrganization),
/* harmony export */   Ig: () => (/* binding */ requireAppInputs),
/* harmony export */   LT: () => (/* binding */ parseVerify),
/* harmony export */   Pi: () => (/* binding */ parseAuthorityHost),
/* harmony export */   Sk: () => (/* binding */ parseScope),
/* harmony export */   Xn: () => (/* binding */ parseOperationsTimeout),
/* harmony export */   ZZ: () => (/* binding */ parseTimeout),
/* harmony export */   bT: () => (/* binding */ TIMEOUT_VARIABLE),
/* harmony export */   cW: () => (/* binding */ isLoopbackHost),
/* harmony export */   fK: () => (/* binding */ parseVariableName),
/* harmony export */   hO: () => (/* binding */ parseAppClientId),
/* harmony export */   lw: () => (/* binding */ parseCloud),
/* harmony export */   qv: () => (/* binding */ parseManagedIdentitySelector),
/* harmony export */   sl: () => (/* binding */ parseTenant)
/* harmony export */ });
/* unused harmony exports parseGuid, parseBoolean, requireOrganizationFor, DEFAULT_TIMEOUT_SECONDS */
/* harmony import */ var _auth_clouds_js__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(1866);
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_1__ = __nccwpck_require__(4296);


const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DOMAIN = /^(?=.{3,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i;
const ORG_NAME = /^[a-z0-9]([a-z0-9-]{0,48}[a-z0-9])?$/i;
const MULTI_TENANT = ['common', 'organizations', 'consumers'];
const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);
function isLoopbackHost(hostname) {
    return LOOPBACK.has(hostname) || /^127\.\d+\.\d+\.\d+$/.test(hostname);
}
function parseGuid(input, what, where) {
    const value = input.value.trim();
    if (!GUID.test(value)) {
        throw (0,_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .invalidInput */ .aY)(input, value, `it must be the ${what}, a GUID such as 00000000-0000-0000-0000-000000000000.`, `Copy it from ${where}.`);
    }
    return value.toLowerCase();
}
/** Where the app registration's client and tenant IDs are shown. */
const APP_PAGE = "the app registration's Overview page in the Entra admin center";
/**
 * An app registration's client and tenant IDs are both required; AZURE_CLIENT_ID and AZURE_TENANT_ID, the
 * variables each falls back to, are not set either when they are empty.
 */
function requireAppInputs(client, tenant, requiredFor) {
    if (client.value === '')
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_1__/* .InputError */ .dz(client.name, `${(0,_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .quoteInputs */ .UK)(client)} is required for ${requiredFor} (and AZURE_CLIENT_ID is not set). Set it to the Application (client) ID from ${APP_PAGE}.`);
    if (tenant.value === '')
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_1__/* .InputError */ .dz(tenant.name, `${(0,_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .quoteInputs */ .UK)(tenant)} is required for ${requiredFor} (and AZURE_TENANT_ID is not set). Set it to the Directory (tenant) ID from ${APP_PAGE}.`);
}
function parseAppClientId(input) {
    return parseGuid(input, 'Application (client) ID of the app registration or user-assigned identity', APP_PAGE);
}
function parseTenant(input) {
    const value = input.value.trim();
    if (MULTI_TENANT.includes(value.toLowerCase())) {
        throw (0,_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .invalidInput */ .aY)(input, value, 'a token exchange needs the specific tenant of the app registration, not a multi-tenant alias.', "Use the Directory (tenant) ID from the app registration's Overview page.");
    }
    if (!GUID.test(value) && !DOMAIN.test(value)) {
        throw (0,_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .invalidInput */ .aY)(input, value, 'it must be a tenant ID (a GUID) or a verified domain such as contoso.onmicrosoft.com.', "Use the Directory (tenant) ID from the app registration's Overview page.");
    }
    return value.toLowerCase();
}
function parseCloud(input) {
    const cloud = (0,_auth_clouds_js__WEBPACK_IMPORTED_MODULE_0__/* .findCloud */ .nO)(input.value);
    if (cloud === undefined) {
        throw (0,_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .invalidInput */ .aY)(input, input.value, `it must be one of ${_auth_clouds_js__WEBPACK_IMPORTED_MODULE_0__/* .CLOUD_NAMES */ .vD.join(', ')}.`, 'Use AzureCloud unless your tenant lives in a national cloud.');
    }
    return cloud;
}
function parseAuthorityHost(input) {
    const value = input.value.trim();
    let url;
    try {
        url = new URL(value);
    }
    catch {
        throw (0,_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .invalidInput */ .aY)(input, value, 'it is not a URL.', `Use an https origin such as ${_auth_clouds_js__WEBPACK_IMPORTED_MODULE_0__/* .CLOUDS */ .JJ.AzureCloud.authorityHost}, or leave it empty to use the cloud's host.`);
    }
    if (url.protocol !== 'https:') {
        throw (0,_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .invalidInput */ .aY)(input, value, 'the Entra authority host must use https (tokens and assertions must never cross the network in clear text).', `Use https://${url.host}.`);
    }
    if (url.search !== '' || url.hash !== '' || url.username !== '' || url.password !== '') {
        throw (0,_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .invalidInput */ .aY)(input, value, 'it must be a plain https origin with no query, fragment or credentials.', `Use ${url.origin}.`);
    }
    return url.origin + url.pathname.replace(/\/+$/, '');
}
function parseScope(input) {
    const value = input.value.trim();
    if (value === '' || /\s/.test(value)) {
        throw (0,_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .invalidInput */ .aY)(input, value, `it must be a single scope such as ${_auth_clouds_js__WEBPACK_IMPORTED_MODULE_0__/* .AZURE_DEVOPS_SCOPE */ .nk}.`, "Leave it empty for Azure DevOps, or give one resource's /.default scope.");
    }
    return value;
}
/** Accepts `contoso`, `https://dev.azure.com/contoso[/]`, `https://contoso.visualstudio.com[/]`, or a loopback URL (tests). */
function parseOrganization(input) {
    const value = input.value.trim();
    if (value === '')
        return undefined;
    const fix = 'Use the organization name (contoso) or its URL (https://dev.azure.com/contoso).';
    if (!value.includes('/') && !value.includes(':')) {
        if (!ORG_NAME.test(value)) {
            throw (0,_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .invalidInput */ .aY)(input, value, 'an organization name has 1 to 50 letters, digits or hyphens and does not start or end with a hyphen.', fix);
        }
        return { name: value, url: `https://dev.azure.com/${value}` };
    }
    let url;
    try {
        url = new URL(value);
    }
    catch {
        throw (0,_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .invalidInput */ .aY)(input, value, 'it is neither an organization name nor a URL.', fix);
    }
    const segments = url.pathname.split('/').filter((s) => s !== '');
    const host = url.hostname.toLowerCase();
    if (url.protocol === 'http:' && !isLoopbackHost(host)) {
        throw (0,_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .invalidInput */ .aY)(input, value, 'the token must only travel over https.', `Use https://${url.host}${url.pathname}.`);
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:')
        throw (0,_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .invalidInput */ .aY)(input, value, 'only https URLs are allowed.', fix);
    if (url.search !== '' || url.hash !== '' || url.username !== '' || url.password !== '') {
        throw (0,_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .invalidInput */ .aY)(input, value, 'an organization URL has no query, fragment or credentials.', fix);
    }
    if (host === 'dev.azure.com' || isLoopbackHost(host)) {
        const name = segments[0];
        if (name === undefined || segments.length > 1 || !ORG_NAME.test(name)) {
            throw (0,_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .invalidInput */ .aY)(input, value, `the URL must be ${url.origin}/<organization>, with nothing after the organization name.`, fix);
        }
        return { name, url: `${url.origin}/${name}` };
    }
    const legacy = /^([a-z0-9][a-z0-9-]*)\.visualstudio\.com$/.exec(host);
    if (legacy?.[1] !== undefined &&
        (segments.length === 0 || (segments.length === 1 && segments[0]?.toLowerCase() === 'defaultcollection'))) {
        return { name: legacy[1], url: `https://${host}` };
    }
    throw (0,_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .invalidInput */ .aY)(input, value, 'it is not an Azure DevOps Services organization URL (https://dev.azure.com/<organization> or https://<organization>.visualstudio.com).', fix);
}
function parseVerify(input, organizationSet) {
    const value = input.value.trim().toLowerCase();
    if (value === '' || value === 'auto')
        return organizationSet;
    if (value === 'true' || value === 'false') {
        const verify = value === 'true';
        if (verify && !organizationSet) {
            throw new _errors_js__WEBPACK_IMPORTED_MODULE_1__/* .InputError */ .dz(input.name, `${(0,_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .quoteInputs */ .UK)(input)} is 'true' but no organization is set, so there is nothing to verify against. Set the organization input, or set '${input.name}' to auto or false.`);
        }
        return verify;
    }
    throw (0,_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .invalidInput */ .aY)(input, input.value, 'it must be auto, true or false.', 'Use auto (verify when an organization is set), true or false.');
}
const RESERVED_VARIABLES = new Set(['PATH', 'NODE_OPTIONS', 'HOME', 'PWD', 'SHELL', 'TEMP', 'TMP', 'TMPDIR']);
function parseVariableName(input, reservedPrefixes) {
    const value = input.value.trim();
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(value)) {
        throw (0,_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .invalidInput */ .aY)(input, value, 'a variable name has letters, digits and underscores and does not start with a digit.', 'Use a name such as AZURE_DEVOPS_TOKEN.');
    }
    const upper = value.toUpperCase();
    const prefix = reservedPrefixes.find((p) => upper.startsWith(p));
    if (RESERVED_VARIABLES.has(upper) || prefix !== undefined) {
        throw (0,_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .invalidInput */ .aY)(input, value, `that name is reserved${prefix === undefined ? '' : ` (names starting with ${prefix} belong to the platform)`}.`, 'Use a name such as AZURE_DEVOPS_TOKEN.');
    }
    return value;
}
/** At most one selector; each has its own shape. */
function parseManagedIdentitySelector(inputs) {
    const given = Object.entries(inputs).filter(([, input]) => input.value.trim() !== '');
    if (given.length > 1) {
        const [first, ...others] = given.map(([, input]) => input);
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_1__/* .InputError */ .dz(first?.name ?? '', `${first ? (0,_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .quoteInputs */ .UK)(first, ...others) : ''} are both set, but a user-assigned managed identity is selected by one of them only. Keep exactly one, or none to use the system-assigned identity.`);
    }
    const [kind, input] = given[0] ?? [];
    if (kind === undefined || input === undefined)
        return undefined;
    if (kind === 'resourceId') {
        const value = input.value.trim();
        if (!/^\/subscriptions\/[^/]+\/resourcegroups\/[^/]+\/providers\/microsoft\.managedidentity\/userassignedidentities\/[^/]+$/i.test(value)) {
            throw (0,_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .invalidInput */ .aY)(input, value, 'it must be the Azure resource ID of a user-assigned identity: /subscriptions/<id>/resourceGroups/<group>/providers/Microsoft.ManagedIdentity/userAssignedIdentities/<name>.', "Copy it from the identity's Properties page in the Azure portal.");
        }
        return { kind, value };
    }
    const what = kind === 'clientId'
        ? 'client ID of the user-assigned managed identity'
        : 'object (principal) ID of the user-assigned managed identity';
    return {
        kind: kind,
        value: parseGuid(input, what, "the identity's Overview page in the Azure portal")
    };
}
/** A true/false input (the manifests give the default). */
function parseBoolean(input) {
    const value = input.value.trim().toLowerCase();
    if (value === 'true' || value === 'false')
        return value === 'true';
    throw invalidInput(input, input.value, 'it must be true or false.', `Set '${input.name}' to true or false.`);
}
/** Git credentials are scoped to the organization, so one must be set. */
function requireOrganizationFor(input, organization, organizationInput) {
    if (organization === undefined) {
        throw new InputError(input.name, `${quoteInputs(input)} is true, but '${organizationInput}' is empty: git credentials are scoped to the organization's URLs. Set '${organizationInput}'.`);
    }
}
const DEFAULT_TIMEOUT_SECONDS = 50;
const TIMEOUT_VARIABLE = 'AZURE_DEVOPS_ENTRA_TOKEN_TIMEOUT';
/** The total network budget; an environment variable so slow proxies can raise it without a new input. */
function parseTimeout(env) {
    const raw = env[TIMEOUT_VARIABLE]?.trim();
    if (raw === undefined || raw === '')
        return DEFAULT_TIMEOUT_SECONDS;
    const seconds = Number(raw);
    if (!Number.isFinite(seconds) || seconds < 1 || seconds > 600) {
        throw (0,_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .invalidInput */ .aY)(TIMEOUT_VARIABLE, raw, 'it must be a number of seconds between 1 and 600.', `Unset it to use the default of ${DEFAULT_TIMEOUT_SECONDS} seconds.`);
    }
    return seconds;
}
/**
 * The total time all operations may take (`operations-timeout`): whole seconds, at least 1. The default lives
 * in the manifests (600 seconds); an empty value means the input was cleared.
 */
function parseOperationsTimeout(input) {
    const seconds = Number(input.value);
    if (!/^\d+$/.test(input.value) || !Number.isSafeInteger(seconds) || seconds < 1) {
        throw (0,_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .invalidInput */ .aY)(input, input.value, 'it must be a whole number of seconds, 1 or more (the total time all operations may take).', `Give seconds, such as 600 (the default), or more if the operations need longer.`);
    }
    return seconds;
}


/***/ }),

/***/ 2613:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("assert");

/***/ }),

/***/ 181:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("buffer");

/***/ }),

/***/ 5317:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("child_process");

/***/ }),

/***/ 6982:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("crypto");

/***/ }),

/***/ 4434:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("events");

/***/ }),

/***/ 9896:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("fs");

/***/ }),

/***/ 8611:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("http");

/***/ }),

/***/ 5692:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("https");

/***/ }),

/***/ 9278:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("net");

/***/ }),

/***/ 4573:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:buffer");

/***/ }),

/***/ 1421:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:child_process");

/***/ }),

/***/ 7598:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:crypto");

/***/ }),

/***/ 3024:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:fs");

/***/ }),

/***/ 1455:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:fs/promises");

/***/ }),

/***/ 7067:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:http");

/***/ }),

/***/ 4708:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:https");

/***/ }),

/***/ 8161:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:os");

/***/ }),

/***/ 6760:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:path");

/***/ }),

/***/ 1708:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:process");

/***/ }),

/***/ 7075:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:stream");

/***/ }),

/***/ 3136:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:url");

/***/ }),

/***/ 7975:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:util");

/***/ }),

/***/ 8522:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:zlib");

/***/ }),

/***/ 857:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("os");

/***/ }),

/***/ 4547:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("path");

/***/ }),

/***/ 932:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("process");

/***/ }),

/***/ 2203:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("stream");

/***/ }),

/***/ 4756:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("tls");

/***/ }),

/***/ 2018:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("tty");

/***/ }),

/***/ 7016:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("url");

/***/ }),

/***/ 9023:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("util");

/***/ })

/******/ });
/************************************************************************/
/******/ // The module cache
/******/ var __webpack_module_cache__ = {};
/******/ 
/******/ // The require function
/******/ function __nccwpck_require__(moduleId) {
/******/ 	// Check if module is in cache
/******/ 	var cachedModule = __webpack_module_cache__[moduleId];
/******/ 	if (cachedModule !== undefined) {
/******/ 		return cachedModule.exports;
/******/ 	}
/******/ 	// Create a new module (and put it into the cache)
/******/ 	var module = __webpack_module_cache__[moduleId] = {
/******/ 		// no module.id needed
/******/ 		// no module.loaded needed
/******/ 		exports: {}
/******/ 	};
/******/ 
/******/ 	// Execute the module function
/******/ 	var threw = true;
/******/ 	try {
/******/ 		__webpack_modules__[moduleId].call(module.exports, module, module.exports, __nccwpck_require__);
/******/ 		threw = false;
/******/ 	} finally {
/******/ 		if(threw) delete __webpack_module_cache__[moduleId];
/******/ 	}
/******/ 
/******/ 	// Return the exports of the module
/******/ 	return module.exports;
/******/ }
/******/ 
/******/ // expose the modules object (__webpack_modules__)
/******/ __nccwpck_require__.m = __webpack_modules__;
/******/ 
/************************************************************************/
/******/ /* webpack/runtime/asset-relocator-loader */
/******/ if (typeof __nccwpck_require__ !== 'undefined') __nccwpck_require__.ab = decodeURIComponent(new URL('.', import.meta.url).pathname).slice(import.meta.url.match(/^file:\/\/\/\w:/) ? 1 : 0, -1) + "/";
/******/ 
/******/ /* webpack/runtime/async module */
/******/ (() => {
/******/ 	var webpackQueues = typeof Symbol === "function" ? Symbol("webpack queues") : "__webpack_queues__";
/******/ 	var webpackExports = typeof Symbol === "function" ? Symbol("webpack exports") : "__webpack_exports__";
/******/ 	var webpackError = typeof Symbol === "function" ? Symbol("webpack error") : "__webpack_error__";
/******/ 	var resolveQueue = (queue) => {
/******/ 		if(queue && queue.d < 1) {
/******/ 			queue.d = 1;
/******/ 			queue.forEach((fn) => (fn.r--));
/******/ 			queue.forEach((fn) => (fn.r-- ? fn.r++ : fn()));
/******/ 		}
/******/ 	}
/******/ 	var wrapDeps = (deps) => (deps.map((dep) => {
/******/ 		if(dep !== null && typeof dep === "object") {
/******/ 			if(dep[webpackQueues]) return dep;
/******/ 			if(dep.then) {
/******/ 				var queue = [];
/******/ 				queue.d = 0;
/******/ 				dep.then((r) => {
/******/ 					obj[webpackExports] = r;
/******/ 					resolveQueue(queue);
/******/ 				}, (e) => {
/******/ 					obj[webpackError] = e;
/******/ 					resolveQueue(queue);
/******/ 				});
/******/ 				var obj = {};
/******/ 				obj[webpackQueues] = (fn) => (fn(queue));
/******/ 				return obj;
/******/ 			}
/******/ 		}
/******/ 		var ret = {};
/******/ 		ret[webpackQueues] = x => {};
/******/ 		ret[webpackExports] = dep;
/******/ 		return ret;
/******/ 	}));
/******/ 	__nccwpck_require__.a = (module, body, hasAwait) => {
/******/ 		var queue;
/******/ 		hasAwait && ((queue = []).d = -1);
/******/ 		var depQueues = new Set();
/******/ 		var exports = module.exports;
/******/ 		var currentDeps;
/******/ 		var outerResolve;
/******/ 		var reject;
/******/ 		var promise = new Promise((resolve, rej) => {
/******/ 			reject = rej;
/******/ 			outerResolve = resolve;
/******/ 		});
/******/ 		promise[webpackExports] = exports;
/******/ 		promise[webpackQueues] = (fn) => (queue && fn(queue), depQueues.forEach(fn), promise["catch"](x => {}));
/******/ 		module.exports = promise;
/******/ 		body((deps) => {
/******/ 			currentDeps = wrapDeps(deps);
/******/ 			var fn;
/******/ 			var getResult = () => (currentDeps.map((d) => {
/******/ 				if(d[webpackError]) throw d[webpackError];
/******/ 				return d[webpackExports];
/******/ 			}))
/******/ 			var promise = new Promise((resolve) => {
/******/ 				fn = () => (resolve(getResult));
/******/ 				fn.r = 0;
/******/ 				var fnQueue = (q) => (q !== queue && !depQueues.has(q) && (depQueues.add(q), q && !q.d && (fn.r++, q.push(fn))));
/******/ 				currentDeps.map((dep) => (dep[webpackQueues](fnQueue)));
/******/ 			});
/******/ 			return fn.r ? promise : getResult();
/******/ 		}, (err) => ((err ? reject(promise[webpackError] = err) : outerResolve(exports)), resolveQueue(queue)));
/******/ 		queue && queue.d < 0 && (queue.d = 0);
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/compat get default export */
/******/ (() => {
/******/ 	// getDefaultExport function for compatibility with non-harmony modules
/******/ 	__nccwpck_require__.n = (module) => {
/******/ 		var getter = module && module.__esModule ?
/******/ 			() => (module['default']) :
/******/ 			() => (module);
/******/ 		__nccwpck_require__.d(getter, { a: getter });
/******/ 		return getter;
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/create fake namespace object */
/******/ (() => {
/******/ 	var getProto = Object.getPrototypeOf ? (obj) => (Object.getPrototypeOf(obj)) : (obj) => (obj.__proto__);
/******/ 	var leafPrototypes;
/******/ 	// create a fake namespace object
/******/ 	// mode & 1: value is a module id, require it
/******/ 	// mode & 2: merge all properties of value into the ns
/******/ 	// mode & 4: return value when already ns object
/******/ 	// mode & 16: return value when it's Promise-like
/******/ 	// mode & 8|1: behave like require
/******/ 	__nccwpck_require__.t = function(value, mode) {
/******/ 		if(mode & 1) value = this(value);
/******/ 		if(mode & 8) return value;
/******/ 		if(typeof value === 'object' && value) {
/******/ 			if((mode & 4) && value.__esModule) return value;
/******/ 			if((mode & 16) && typeof value.then === 'function') return value;
/******/ 		}
/******/ 		var ns = Object.create(null);
/******/ 		__nccwpck_require__.r(ns);
/******/ 		var def = {};
/******/ 		leafPrototypes = leafPrototypes || [null, getProto({}), getProto([]), getProto(getProto)];
/******/ 		for(var current = mode & 2 && value; typeof current == 'object' && !~leafPrototypes.indexOf(current); current = getProto(current)) {
/******/ 			Object.getOwnPropertyNames(current).forEach((key) => (def[key] = () => (value[key])));
/******/ 		}
/******/ 		def['default'] = () => (value);
/******/ 		__nccwpck_require__.d(ns, def);
/******/ 		return ns;
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/define property getters */
/******/ (() => {
/******/ 	// define getter functions for harmony exports
/******/ 	__nccwpck_require__.d = (exports, definition) => {
/******/ 		for(var key in definition) {
/******/ 			if(__nccwpck_require__.o(definition, key) && !__nccwpck_require__.o(exports, key)) {
/******/ 				Object.defineProperty(exports, key, { enumerable: true, get: definition[key] });
/******/ 			}
/******/ 		}
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/ensure chunk */
/******/ (() => {
/******/ 	__nccwpck_require__.f = {};
/******/ 	// This file contains only the entry chunk.
/******/ 	// The chunk loading function for additional chunks
/******/ 	__nccwpck_require__.e = (chunkId) => {
/******/ 		return Promise.all(Object.keys(__nccwpck_require__.f).reduce((promises, key) => {
/******/ 			__nccwpck_require__.f[key](chunkId, promises);
/******/ 			return promises;
/******/ 		}, []));
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/get javascript chunk filename */
/******/ (() => {
/******/ 	// This function allow to reference async chunks
/******/ 	__nccwpck_require__.u = (chunkId) => {
/******/ 		// return url for filenames based on template
/******/ 		return "" + chunkId + ".index.js";
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/hasOwnProperty shorthand */
/******/ (() => {
/******/ 	__nccwpck_require__.o = (obj, prop) => (Object.prototype.hasOwnProperty.call(obj, prop))
/******/ })();
/******/ 
/******/ /* webpack/runtime/make namespace object */
/******/ (() => {
/******/ 	// define __esModule on exports
/******/ 	__nccwpck_require__.r = (exports) => {
/******/ 		if(typeof Symbol !== 'undefined' && Symbol.toStringTag) {
/******/ 			Object.defineProperty(exports, Symbol.toStringTag, { value: 'Module' });
/******/ 		}
/******/ 		Object.defineProperty(exports, '__esModule', { value: true });
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/import chunk loading */
/******/ (() => {
/******/ 	// no baseURI
/******/ 	
/******/ 	// object to store loaded and loading chunks
/******/ 	// undefined = chunk not loaded, null = chunk preloaded/prefetched
/******/ 	// [resolve, Promise] = chunk loading, 0 = chunk loaded
/******/ 	var installedChunks = {
/******/ 		792: 0
/******/ 	};
/******/ 	
/******/ 	var installChunk = (data) => {
/******/ 		var {ids, modules, runtime} = data;
/******/ 		// add "modules" to the modules object,
/******/ 		// then flag all "ids" as loaded and fire callback
/******/ 		var moduleId, chunkId, i = 0;
/******/ 		for(moduleId in modules) {
/******/ 			if(__nccwpck_require__.o(modules, moduleId)) {
/******/ 				__nccwpck_require__.m[moduleId] = modules[moduleId];
/******/ 			}
/******/ 		}
/******/ 		if(runtime) runtime(__nccwpck_require__);
/******/ 		for(;i < ids.length; i++) {
/******/ 			chunkId = ids[i];
/******/ 			if(__nccwpck_require__.o(installedChunks, chunkId) && installedChunks[chunkId]) {
/******/ 				installedChunks[chunkId][0]();
/******/ 			}
/******/ 			installedChunks[ids[i]] = 0;
/******/ 		}
/******/ 	
/******/ 	}
/******/ 	
/******/ 	__nccwpck_require__.f.j = (chunkId, promises) => {
/******/ 			// import() chunk loading for javascript
/******/ 			var installedChunkData = __nccwpck_require__.o(installedChunks, chunkId) ? installedChunks[chunkId] : undefined;
/******/ 			if(installedChunkData !== 0) { // 0 means "already installed".
/******/ 	
/******/ 				// a Promise means "currently loading".
/******/ 				if(installedChunkData) {
/******/ 					promises.push(installedChunkData[1]);
/******/ 				} else {
/******/ 					if(true) { // all chunks have JS
/******/ 						// setup Promise in chunk cache
/******/ 						var promise = import("./" + __nccwpck_require__.u(chunkId)).then(installChunk, (e) => {
/******/ 							if(installedChunks[chunkId] !== 0) installedChunks[chunkId] = undefined;
/******/ 							throw e;
/******/ 						});
/******/ 						var promise = Promise.race([promise, new Promise((resolve) => (installedChunkData = installedChunks[chunkId] = [resolve]))])
/******/ 						promises.push(installedChunkData[1] = promise);
/******/ 					}
/******/ 				}
/******/ 			}
/******/ 	};
/******/ 	
/******/ 	// no prefetching
/******/ 	
/******/ 	// no preloaded
/******/ 	
/******/ 	// no external install chunk
/******/ 	
/******/ 	// no on chunks loaded
/******/ })();
/******/ 
/************************************************************************/
/******/ 
/******/ // startup
/******/ // Load entry module and return exports
/******/ // This entry module used 'module' so it can't be inlined
/******/ var __webpack_exports__ = __nccwpck_require__(486);
/******/ __webpack_exports__ = await __webpack_exports__;
/******/ 
