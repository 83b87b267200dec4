import { createRequire as __WEBPACK_EXTERNAL_createRequire } from "module";
/******/ var __webpack_modules__ = ({

/***/ 1866:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   nk: () => (/* binding */ AZURE_DEVOPS_SCOPE)
/* harmony export */ });
/* unused harmony exports CLOUDS, CLOUD_NAMES, findCloud, AZURE_DEVOPS_RESOURCE */
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

/***/ 4296:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   HZ: () => (/* binding */ OidcTokenError),
/* harmony export */   T6: () => (/* binding */ ProxyError),
/* harmony export */   Uc: () => (/* binding */ describeError),
/* harmony export */   ZY: () => (/* binding */ formatSupportIds),
/* harmony export */   by: () => (/* binding */ ResponseTooLargeError),
/* harmony export */   cy: () => (/* binding */ neutralizeServerText),
/* harmony export */   tt: () => (/* binding */ EndpointTimeoutError),
/* harmony export */   v3: () => (/* binding */ AuthenticationError),
/* harmony export */   w: () => (/* binding */ ManagedIdentityError)
/* harmony export */ });
/* unused harmony exports InputError, quoteInputs, invalidInput, AzureDevOpsError, BudgetExceededError, failureMessage */

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
    return neutralizeLogText(guard.redact(describeError(error)));
}


/***/ }),

/***/ 993:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   KU: () => (/* binding */ DEFAULT_TIMEOUT_SECONDS)
/* harmony export */ });
/* unused harmony exports isLoopbackHost, parseGuid, requireAppInputs, parseAppClientId, parseTenant, parseCloud, parseAuthorityHost, parseScope, parseOrganization, parseVerify, parseVariableName, parseManagedIdentitySelector, parseBoolean, requireOrganizationFor, TIMEOUT_VARIABLE, parseTimeout, parseOperationsTimeout */
/* harmony import */ var _auth_clouds_js__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(1866);
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_1__ = __nccwpck_require__(4296);


const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DOMAIN = /^(?=.{3,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i;
const ORG_NAME = /^[a-z0-9]([a-z0-9-]{0,48}[a-z0-9])?$/i;
const MULTI_TENANT = (/* unused pure expression or super */ null && (['common', 'organizations', 'consumers']));
const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);
function isLoopbackHost(hostname) {
    return LOOPBACK.has(hostname) || /^127\.\d+\.\d+\.\d+$/.test(hostname);
}
function parseGuid(input, what, where) {
    const value = input.value.trim();
    if (!GUID.test(value)) {
        throw invalidInput(input, value, `it must be the ${what}, a GUID such as 00000000-0000-0000-0000-000000000000.`, `Copy it from ${where}.`);
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
        throw new InputError(client.name, `${quoteInputs(client)} is required for ${requiredFor} (and AZURE_CLIENT_ID is not set). Set it to the Application (client) ID from ${APP_PAGE}.`);
    if (tenant.value === '')
        throw new InputError(tenant.name, `${quoteInputs(tenant)} is required for ${requiredFor} (and AZURE_TENANT_ID is not set). Set it to the Directory (tenant) ID from ${APP_PAGE}.`);
}
function parseAppClientId(input) {
    return parseGuid(input, 'Application (client) ID of the app registration or user-assigned identity', APP_PAGE);
}
function parseTenant(input) {
    const value = input.value.trim();
    if (MULTI_TENANT.includes(value.toLowerCase())) {
        throw invalidInput(input, value, 'a token exchange needs the specific tenant of the app registration, not a multi-tenant alias.', "Use the Directory (tenant) ID from the app registration's Overview page.");
    }
    if (!GUID.test(value) && !DOMAIN.test(value)) {
        throw invalidInput(input, value, 'it must be a tenant ID (a GUID) or a verified domain such as contoso.onmicrosoft.com.', "Use the Directory (tenant) ID from the app registration's Overview page.");
    }
    return value.toLowerCase();
}
function parseCloud(input) {
    const cloud = findCloud(input.value);
    if (cloud === undefined) {
        throw invalidInput(input, input.value, `it must be one of ${CLOUD_NAMES.join(', ')}.`, 'Use AzureCloud unless your tenant lives in a national cloud.');
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
        throw invalidInput(input, value, 'it is not a URL.', `Use an https origin such as ${CLOUDS.AzureCloud.authorityHost}, or leave it empty to use the cloud's host.`);
    }
    if (url.protocol !== 'https:') {
        throw invalidInput(input, value, 'the Entra authority host must use https (tokens and assertions must never cross the network in clear text).', `Use https://${url.host}.`);
    }
    if (url.search !== '' || url.hash !== '' || url.username !== '' || url.password !== '') {
        throw invalidInput(input, value, 'it must be a plain https origin with no query, fragment or credentials.', `Use ${url.origin}.`);
    }
    return url.origin + url.pathname.replace(/\/+$/, '');
}
function parseScope(input) {
    const value = input.value.trim();
    if (value === '' || /\s/.test(value)) {
        throw invalidInput(input, value, `it must be a single scope such as ${AZURE_DEVOPS_SCOPE}.`, "Leave it empty for Azure DevOps, or give one resource's /.default scope.");
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
            throw invalidInput(input, value, 'an organization name has 1 to 50 letters, digits or hyphens and does not start or end with a hyphen.', fix);
        }
        return { name: value, url: `https://dev.azure.com/${value}` };
    }
    let url;
    try {
        url = new URL(value);
    }
    catch {
        throw invalidInput(input, value, 'it is neither an organization name nor a URL.', fix);
    }
    const segments = url.pathname.split('/').filter((s) => s !== '');
    const host = url.hostname.toLowerCase();
    if (url.protocol === 'http:' && !isLoopbackHost(host)) {
        throw invalidInput(input, value, 'the token must only travel over https.', `Use https://${url.host}${url.pathname}.`);
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:')
        throw invalidInput(input, value, 'only https URLs are allowed.', fix);
    if (url.search !== '' || url.hash !== '' || url.username !== '' || url.password !== '') {
        throw invalidInput(input, value, 'an organization URL has no query, fragment or credentials.', fix);
    }
    if (host === 'dev.azure.com' || isLoopbackHost(host)) {
        const name = segments[0];
        if (name === undefined || segments.length > 1 || !ORG_NAME.test(name)) {
            throw invalidInput(input, value, `the URL must be ${url.origin}/<organization>, with nothing after the organization name.`, fix);
        }
        return { name, url: `${url.origin}/${name}` };
    }
    const legacy = /^([a-z0-9][a-z0-9-]*)\.visualstudio\.com$/.exec(host);
    if (legacy?.[1] !== undefined &&
        (segments.length === 0 || (segments.length === 1 && segments[0]?.toLowerCase() === 'defaultcollection'))) {
        return { name: legacy[1], url: `https://${host}` };
    }
    throw invalidInput(input, value, 'it is not an Azure DevOps Services organization URL (https://dev.azure.com/<organization> or https://<organization>.visualstudio.com).', fix);
}
function parseVerify(input, organizationSet) {
    const value = input.value.trim().toLowerCase();
    if (value === '' || value === 'auto')
        return organizationSet;
    if (value === 'true' || value === 'false') {
        const verify = value === 'true';
        if (verify && !organizationSet) {
            throw new InputError(input.name, `${quoteInputs(input)} is 'true' but no organization is set, so there is nothing to verify against. Set the organization input, or set '${input.name}' to auto or false.`);
        }
        return verify;
    }
    throw invalidInput(input, input.value, 'it must be auto, true or false.', 'Use auto (verify when an organization is set), true or false.');
}
const RESERVED_VARIABLES = new Set(['PATH', 'NODE_OPTIONS', 'HOME', 'PWD', 'SHELL', 'TEMP', 'TMP', 'TMPDIR']);
function parseVariableName(input, reservedPrefixes) {
    const value = input.value.trim();
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(value)) {
        throw invalidInput(input, value, 'a variable name has letters, digits and underscores and does not start with a digit.', 'Use a name such as AZURE_DEVOPS_TOKEN.');
    }
    const upper = value.toUpperCase();
    const prefix = reservedPrefixes.find((p) => upper.startsWith(p));
    if (RESERVED_VARIABLES.has(upper) || prefix !== undefined) {
        throw invalidInput(input, value, `that name is reserved${prefix === undefined ? '' : ` (names starting with ${prefix} belong to the platform)`}.`, 'Use a name such as AZURE_DEVOPS_TOKEN.');
    }
    return value;
}
/** At most one selector; each has its own shape. */
function parseManagedIdentitySelector(inputs) {
    const given = Object.entries(inputs).filter(([, input]) => input.value.trim() !== '');
    if (given.length > 1) {
        const [first, ...others] = given.map(([, input]) => input);
        throw new InputError(first?.name ?? '', `${first ? quoteInputs(first, ...others) : ''} are both set, but a user-assigned managed identity is selected by one of them only. Keep exactly one, or none to use the system-assigned identity.`);
    }
    const [kind, input] = given[0] ?? [];
    if (kind === undefined || input === undefined)
        return undefined;
    if (kind === 'resourceId') {
        const value = input.value.trim();
        if (!/^\/subscriptions\/[^/]+\/resourcegroups\/[^/]+\/providers\/microsoft\.managedidentity\/userassignedidentities\/[^/]+$/i.test(value)) {
            throw invalidInput(input, value, 'it must be the Azure resource ID of a user-assigned identity: /subscriptions/<id>/resourceGroups/<group>/providers/Microsoft.ManagedIdentity/userAssignedIdentities/<name>.', "Copy it from the identity's Properties page in the Azure portal.");
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
        throw invalidInput(TIMEOUT_VARIABLE, raw, 'it must be a number of seconds between 1 and 600.', `Unset it to use the default of ${DEFAULT_TIMEOUT_SECONDS} seconds.`);
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
        throw invalidInput(input, input.value, 'it must be a whole number of seconds, 1 or more (the total time all operations may take).', `Give seconds, such as 600 (the default), or more if the operations need longer.`);
    }
    return seconds;
}


/***/ }),

/***/ 2289:
/***/ ((module, __unused_webpack___webpack_exports__, __nccwpck_require__) => {

__nccwpck_require__.a(module, async (__webpack_handle_async_dependencies__, __webpack_async_result__) => { try {
/* harmony import */ var _main_js__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(1640);

// git runs: <node> <this file> <state file> <get|store|erase>; the credential goes to stdout.
process.exitCode = await (0,_main_js__WEBPACK_IMPORTED_MODULE_0__/* .run */ .e)(process.argv.slice(2), process.stdin, process.stdout, process.stderr);

__webpack_async_result__();
} catch(e) { __webpack_async_result__(e); } }, 1);

/***/ }),

/***/ 1640:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {


// EXPORTS
__nccwpck_require__.d(__webpack_exports__, {
  e: () => (/* binding */ run)
});

// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __nccwpck_require__(3024);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __nccwpck_require__(6760);
;// CONCATENATED MODULE: ./src/core/job-credentials/state.ts


const CREDENTIALS_DIR_PREFIX = 'azure-devops-entra-token-';
/**
 * A private directory (0700) under the runner's or agent's temp directory — never the workspace. On Windows
 * modes only set or clear the read-only attribute (0700 and 0600 keep the owner's write bit, so nothing becomes
 * read-only); there the ACL the temp directory inherits from the runner's or agent's folder protects the
 * files, and nothing here reads a mode back (docs/security.md).
 */
function createCredentialsDir(tempRoot) {
    const dir = mkdtempSync(join(tempRoot, CREDENTIALS_DIR_PREFIX));
    chmodSync(dir, 0o700);
    return dir;
}
/** Writes a file only its owner can read, atomically (a concurrent reader never sees half a file). */
function state_writePrivateFile(path, content) {
    const temporary = `${path}.${process.pid}.tmp`;
    (0,external_node_fs_.writeFileSync)(temporary, content, { mode: 0o600 });
    try {
        (0,external_node_fs_.renameSync)(temporary, path);
    }
    catch (error) {
        // Windows refuses to replace a file another process holds without sharing delete (an antivirus scan).
        (0,external_node_fs_.rmSync)(temporary, { force: true });
        throw error;
    }
}
function writeHelperState(path, state) {
    state_writePrivateFile(path, JSON.stringify(state));
}
function readHelperState(path) {
    try {
        return JSON.parse((0,external_node_fs_.readFileSync)(path, 'utf8'));
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

// EXTERNAL MODULE: external "node:os"
var external_node_os_ = __nccwpck_require__(8161);
// EXTERNAL MODULE: ./src/core/errors.ts
var errors = __nccwpck_require__(4296);
// EXTERNAL MODULE: ./src/core/validate.ts
var validate = __nccwpck_require__(993);
;// CONCATENATED MODULE: ./src/core/job-credentials/feeds.ts






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
        const previous = env.NPM_CONFIG_USERCONFIG ?? join(homedir(), '.npmrc');
        const kept = existsSync(previous) ? `${readFileSync(previous, 'utf8').trimEnd()}\n` : '';
        const auth = npm.map((feed) => `${nerfDart(feed.url)}:_authToken=${token}`).join('\n');
        const path = join(dir, 'npmrc');
        // '\n' on every OS: npm's ini parser splits lines on CR and LF alike, and a kept CRLF file stays valid.
        writePrivateFile(path, `${kept}${auth}\n`);
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

;// CONCATENATED MODULE: ./src/git-credential-helper/main.ts


/** A token with less than this left is replaced, when the job allows minting a new one. */
const MARGIN_MS = 5 * 60_000;
// Loaded only when needed: the usual answer is the stored token, which needs none of it.
const mintLazily = async (recipe, env) => (await __nccwpck_require__.e(/* import() */ 191).then(__nccwpck_require__.bind(__nccwpck_require__, 4191))).mintToken(recipe, env);
/**
 * The git credential helper (git-credential(1) protocol). For `get` it answers with the stored token, or
 * a freshly minted one when the stored token is near expiry and the job can mint (GitHub OIDC variables
 * present, or a managed identity). It writes nothing but the credential to stdout and never logs the token.
 * A minted token is registered with the runner's or agent's masking (on stderr) before git receives it.
 * When the state file is gone (the post step removed it) it answers nothing, so git fails.
 */
async function run(args, stdin, stdout, stderr, { mint = mintLazily, env = process.env, save = writeHelperState } = {}) {
    const [statePath, operation] = args;
    await drain(stdin);
    if (!statePath || operation !== 'get')
        return 0;
    const state = readHelperState(statePath);
    if (!state)
        return 0;
    let token = state.token;
    if (state.expiresOnTimestamp - MARGIN_MS <= Date.now() && state.refresh.kind !== 'none') {
        try {
            const fresh = await mint(state.refresh, env);
            if (fresh) {
                // Masked before anything else sees it: git gets it only after the platform was told.
                const mask = maskCommand(detectPlatform(state.platform, env), fresh.token);
                if (mask !== undefined)
                    await write(stderr, mask);
                const next = {
                    ...state,
                    token: fresh.token,
                    expiresOnTimestamp: fresh.expiresOnTimestamp
                };
                token = fresh.token;
                try {
                    save(statePath, next);
                }
                catch (error) {
                    // On Windows an antivirus scan or another git process can hold the file for a moment: git still gets
                    // the fresh token, and the next call mints again.
                    stderr.write(`azure-devops-entra-token: could not save the new token for git (${error.code ?? 'error'}); the next git command gets another.\n`);
                }
            }
        }
        catch (error) {
            stderr.write(`azure-devops-entra-token: could not mint a new token for git (${error instanceof Error ? error.name : 'error'}); using the stored one.\n`);
        }
    }
    stdout.write(`username=${FEED_USER}\npassword=${token}\n`);
    return 0;
}
function write(stream, text) {
    return new Promise((resolve) => stream.write(text, () => resolve()));
}
function drain(stream) {
    return new Promise((resolve) => {
        if (stream.readableEnded)
            return resolve();
        stream.on('data', () => undefined);
        stream.on('end', resolve);
        stream.on('error', () => resolve());
        // git closes stdin after the attributes; a terminal would not, so do not wait forever.
        setTimeout(resolve, 2000).unref();
    });
}
/**
 * The logging command that registers `token` with the platform's masking, or undefined outside CI. It goes to
 * the helper's stderr: stdout belongs to git (the credential), while git passes the helper's stderr through to
 * the step's, and both platforms read commands on a step's stderr as well as its stdout (actions/runner
 * ScriptHandler/NodeScriptActionHandler hand stderr to an OutputManager with the ActionCommandManager;
 * azure-pipelines-agent NodeHandler subscribes OnDataReceived, which calls CommandManager.TryProcessCommand,
 * to ErrorDataReceived too).
 */
function maskCommand(platform, token) {
    if (platform === 'github')
        // @actions/core's escapeData
        return `::add-mask::${token.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A')}\n`;
    if (platform === 'azure-pipelines')
        // azure-pipelines-task-lib's escapedata
        return `##vso[task.setsecret]${token.replace(/%/g, '%AZP25').replace(/\r/g, '%0D').replace(/\n/g, '%0A')}\n`;
    return undefined;
}
/** The platform from the state file, else from the variables each sets for every step (state of older releases). */
function detectPlatform(recorded, env) {
    if (recorded !== undefined)
        return recorded;
    if (env.GITHUB_ACTIONS === 'true')
        return 'github';
    if ((env.TF_BUILD ?? '').toLowerCase() === 'true')
        return 'azure-pipelines';
    return undefined;
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
/******/ var __webpack_exports__ = __nccwpck_require__(2289);
/******/ __webpack_exports__ = await __webpack_exports__;
/******/ 
