export const id = 317;
export const ids = [317];
export const modules = {

/***/ 6579:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   $: () => (/* binding */ renderItems),
/* harmony export */   i: () => (/* binding */ renderRequest)
/* harmony export */ });
/* harmony import */ var _model_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(4923);
/* harmony import */ var _template_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(90);


/**
 * Renders the operation's URL, query, headers and body. Every rendered field is checked before anything is
 * sent: a template must never carry a secret the run holds (the token, a feed URL with it) to a request,
 * whatever host it goes to.
 */
function renderRequest(operation, scope, guard, organization, label) {
    const refuseSecret = (field, value) => {
        if (guard.contains(typeof value === 'string' ? value : (JSON.stringify(value) ?? '')))
            throw new _model_js__WEBPACK_IMPORTED_MODULE_0__/* .OperationSecretError */ .Sk(label, field);
        return value;
    };
    const url = resolveUrl(refuseSecret('url', (0,_template_js__WEBPACK_IMPORTED_MODULE_1__/* .renderString */ .G4)(operation.url, scope)), organization, label);
    if (!url.searchParams.has('api-version'))
        url.searchParams.set('api-version', operation.apiVersion ?? _model_js__WEBPACK_IMPORTED_MODULE_0__/* .DEFAULT_API_VERSION */ ._L);
    const query = refuseSecret('query', (0,_template_js__WEBPACK_IMPORTED_MODULE_1__/* .renderValue */ .AI)(operation.query, scope));
    for (const [key, value] of Object.entries(query)) {
        if (value !== null && value !== undefined)
            url.searchParams.set(key, (0,_template_js__WEBPACK_IMPORTED_MODULE_1__/* .toText */ .fE)(value));
    }
    const headers = Object.fromEntries(Object.entries(refuseSecret('headers', (0,_template_js__WEBPACK_IMPORTED_MODULE_1__/* .renderValue */ .AI)(operation.headers, scope))).map(([k, v]) => [k, (0,_template_js__WEBPACK_IMPORTED_MODULE_1__/* .toText */ .fE)(v)]));
    // The content-type field wins, then a Content-Type header (any case), then JSON when there is a body.
    const headerKey = Object.keys(headers).find((k) => k.toLowerCase() === 'content-type');
    const given = operation.contentType ?? (headerKey === undefined ? undefined : headers[headerKey]);
    if (headerKey !== undefined)
        delete headers[headerKey];
    let body;
    let bodyValue;
    if (operation.body !== undefined && operation.body !== null) {
        bodyValue = (0,_template_js__WEBPACK_IMPORTED_MODULE_1__/* .renderValue */ .AI)(operation.body, scope);
        body = refuseSecret('body', typeof bodyValue === 'string' ? bodyValue : JSON.stringify(bodyValue));
        headers['content-type'] = given ?? 'application/json';
    }
    else if (given)
        headers['content-type'] = given;
    return { url, headers, contentType: headers['content-type'], body, bodyValue };
}
/** The items of a for-each operation: its template rendered, or its literal list. */
function renderItems(operation, scope, label) {
    const items = typeof operation.forEach === 'string' ? (0,_template_js__WEBPACK_IMPORTED_MODULE_1__/* .renderString */ .G4)(operation.forEach, scope) : operation.forEach;
    if (!Array.isArray(items)) {
        throw new _model_js__WEBPACK_IMPORTED_MODULE_0__/* .OperationFormatError */ .zF(`${label}, field 'for-each': '${(0,_template_js__WEBPACK_IMPORTED_MODULE_1__/* .toText */ .fE)(operation.forEach)}' gave ${items === null ? 'null' : typeof items}, not a list. Point it at a list, such as {{ results.repos }} where repos selects value[].`);
    }
    return items;
}
function resolveUrl(rendered, organization, label) {
    if (typeof rendered !== 'string' || rendered.trim() === '')
        throw new _model_js__WEBPACK_IMPORTED_MODULE_0__/* .OperationFormatError */ .zF(`${label}, field 'url': the template gave ${JSON.stringify(rendered)}, not a URL.`);
    const text = rendered.trim();
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(text))
        return new URL(text);
    if (!organization)
        throw new _model_js__WEBPACK_IMPORTED_MODULE_0__/* .OperationFormatError */ .zF(`${label}, field 'url': '${text}' is relative, but no organization is set.`);
    // Relative to the organization URL, with or without a leading slash.
    return new URL(text.replace(/^\/+/, ''), `${organization.url}/`);
}


/***/ }),

/***/ 6317:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  runOperations: () => (/* binding */ runOperations)
});

// UNUSED EXPORTS: mapConcurrent

// EXTERNAL MODULE: ./src/core/devops/errors.ts
var errors = __webpack_require__(5154);
// EXTERNAL MODULE: ./src/core/errors.ts
var core_errors = __webpack_require__(4296);
// EXTERNAL MODULE: ./src/core/devops/client.ts + 1 modules
var client = __webpack_require__(2676);
// EXTERNAL MODULE: ./src/core/http/transport.ts + 1 modules
var transport = __webpack_require__(978);
// EXTERNAL MODULE: ./src/core/operations/model.ts
var model = __webpack_require__(4923);
// EXTERNAL MODULE: ./src/core/operations/preflight.ts + 2 modules
var preflight = __webpack_require__(9762);
// EXTERNAL MODULE: ./src/core/operations/request.ts
var request = __webpack_require__(6579);
// EXTERNAL MODULE: ./src/core/operations/template.ts
var template = __webpack_require__(90);
;// CONCATENATED MODULE: ./src/core/operations/template-env.ts
/**
 * Which environment variables `{{ env.NAME }}` may read. Templates render into requests sent to Azure DevOps
 * and into the step's `results` output, so any variable that may carry a credential is left out: by its name
 * (the runner's and agent's own variables, and the usual names of tokens, keys, passwords and connection
 * strings) or by its value (a URL with a user name or password, a connection string with a password or key).
 * The list cannot know every name: a value that holds a secret the run knows is refused at render time too.
 */
const HIDDEN_NAME = new RegExp([
    'TOKEN',
    'SECRET',
    'PASSWORD',
    'PASSWD',
    'PASSPHRASE',
    'CREDENTIAL',
    'PRIVATE',
    'CONNECTION_?STRING',
    'CONN_?STR',
    'COOKIE',
    'APIKEY',
    'ACCESSKEY',
    '(^|_)PAT($|_)',
    '_PWD$',
    'KEY($|_)',
    '(^|_)AUTH(ORIZATION)?($|_)',
    '(^|_)SAS($|_)',
    '^INPUT_',
    '^ENDPOINT_',
    '^ACTIONS_',
    '^STATE_',
    '^SECRET_',
    '^SECUREFILE_',
    '^VSS_NUGET_',
    '^PIP_(EXTRA_)?INDEX_URL$'
].join('|'), 'i');
/** `scheme://user[:password]@`, anywhere in the value (lists of URLs too). */
const URL_WITH_USERINFO = /[a-z][a-z0-9+.-]*:\/\/[^\s/?#@]+@/i;
/** `user:password@host` without a scheme, as proxy variables are sometimes written. */
const BARE_USERINFO = /^[^\s/@:]+:[^\s/@]*@[^\s/@]+/;
/** Connection strings and key=value credential lists (`Password=…`, `AccountKey=…`, `SharedAccessKey=…`). */
const CREDENTIAL_PAIR = /(^|[;\s])(password|pwd|accountkey|sharedaccesskey|sharedaccesssignature)\s*=/i;
function isHiddenVariable(name, value) {
    return (HIDDEN_NAME.test(name) ||
        URL_WITH_USERINFO.test(value) ||
        BARE_USERINFO.test(value) ||
        CREDENTIAL_PAIR.test(value));
}
/** The variables templates may read, from `env` (a snapshot taken before the step exported anything). */
function templateEnvironment(env) {
    return Object.fromEntries(Object.entries(env).filter((e) => e[1] !== undefined && !isHiddenVariable(e[0], e[1])));
}

;// CONCATENATED MODULE: ./src/core/operations/run.ts









const MAX_PAGES = 10_000;
/** Runs the operations in order and returns each named operation's result. */
async function runOperations(written, ctx) {
    // Checked against Microsoft's published REST API before the first request (and routed to the right host).
    const operations = (0,preflight/* preflightOperations */.KN)(written, {
        organization: ctx.organization,
        info: (message) => ctx.guard.info(message)
    });
    const started = Date.now();
    const before = {
        requests: ctx.stats.requests,
        retries: ctx.stats.retries,
        throttled: ctx.throttle.waitedMs
    };
    const results = {};
    const budget = ctx.budget ? operationsBudget(ctx.budget.seconds, ctx.budget.input) : undefined;
    const env = templateEnvironment(ctx.env);
    const organization = ctx.organization ? { name: ctx.organization.name, url: ctx.organization.url } : null;
    const dryRun = ctx.dryRun ? (await __webpack_require__.e(/* import() */ 663).then(__webpack_require__.bind(__webpack_require__, 2663))).createDryRun() : undefined;
    for (const operation of operations) {
        const scope = { results, env, organization };
        const label = (0,model/* operationLabel */.kF)(operation.index, operation.name);
        const tally = { statuses: new Map(), paths: new Set(), retries: 0, planned: 0 };
        const operationStarted = Date.now();
        let result;
        try {
            if (dryRun?.skips(operation)) {
                ({ result, requests: tally.planned } = dryRun.plan(operation, scope, ctx, label, tally.paths));
            }
            else if (operation.forEach === undefined) {
                ctx.guard.info(`Running ${label}: ${operation.method} ${operation.url}${operation.paginate ? ' (all pages)' : ''}.`);
                result = await runOne(operation, scope, ctx, label, tally, budget);
            }
            else {
                const items = (0,request/* renderItems */.$)(operation, scope, label);
                ctx.guard.info(`Running ${label}: ${operation.method} ${operation.url} for ${items.length} items, ${Math.min(operation.concurrency, items.length)} at a time.`);
                result = await mapConcurrent(items, operation.concurrency, (item, i) => runOne(operation, { ...scope, item }, ctx, `${label}, item ${i + 1}`, tally, budget));
            }
            ctx.records?.push(record(operation, label, tally, operationStarted));
        }
        catch (error) {
            ctx.records?.push(record(operation, label, tally, operationStarted, error));
            throw error;
        }
        if (operation.name !== undefined)
            results[operation.name] = result;
    }
    const planned = dryRun?.closing();
    if (planned !== undefined)
        ctx.guard.info(planned);
    const requests = ctx.stats.requests - before.requests;
    const retries = ctx.stats.retries - before.retries;
    const throttled = (ctx.throttle.waitedMs - before.throttled) / 1000;
    ctx.guard.info(`Operations done: ${operations.length} operations, ${requests} requests, ${retries} retries, ${throttled.toFixed(1)} s held back by rate limits, ${((Date.now() - started) / 1000).toFixed(1)} s in all.`);
    return results;
}
/** The summary's row for an operation: its path without the query, how its requests ended, what they cost. */
function record(operation, label, tally, started, error) {
    const statuses = [...tally.statuses.entries()].sort(([a], [b]) => a - b);
    let status = statuses.length === 1 && statuses[0]?.[1] === 1
        ? String(statuses[0][0])
        : statuses.map(([code, count]) => `${code} ×${count}`).join(', ');
    if (tally.planned > 0)
        status = `planned (dry run)${tally.planned === 1 ? '' : ` ×${tally.planned}`}`;
    if (error !== undefined)
        status = status === '' ? 'failed' : `failed (${status})`;
    const paths = [...tally.paths];
    // Stryker disable next-line StringLiteral: unreachable fallbacks: paths[0] exists when there is one path, and split always gives a first part.
    const path = paths.length === 1 ? (paths[0] ?? '') : (operation.url.split('?')[0] ?? '');
    return {
        label,
        method: operation.method,
        path,
        status,
        durationMs: Date.now() - started,
        retries: tally.retries
    };
}
async function runOne(operation, scope, ctx, label, tally, budget) {
    const { url, headers, body } = (0,request/* renderRequest */.i)(operation, scope, ctx.guard, ctx.organization, label);
    if (operation.forEach !== undefined)
        (0,preflight/* checkItemUrl */.n5)(operation, url, ctx.organization, label);
    tally.paths.add(url.pathname);
    let response;
    let data;
    // The URL object is shared: paging sets continuationToken on it between requests.
    const send = async () => {
        const answer = await ctx.client.send({
            method: operation.method,
            url,
            headers,
            ...(body !== undefined ? { body } : {}),
            description: label,
            ...(budget ? { budget } : {})
        });
        tally.statuses.set(answer.status, (tally.statuses.get(answer.status) ?? 0) + 1);
        tally.retries += answer.retries;
        return answer;
    };
    if (operation.paginate) {
        const items = [];
        const seen = new Set();
        for (let page = 1;; page++) {
            response = await send();
            if (!expected(operation, response.status))
                break;
            const value = response.data?.value;
            if (!Array.isArray(value)) {
                const ids = (0,errors/* readRequestIds */.eu)(response.headers);
                throw new core_errors/* AzureDevOpsError */.JQ(`${label}: paginate needs a response with a 'value' list, but ${operation.method} ${(0,transport/* displayUrl */.Qy)(url)} answered without one.${(0,errors/* formatRequestIds */.zG)(ids)}`, response.status, undefined, ids);
            }
            items.push(...value);
            const token = response.headers['x-ms-continuationtoken'];
            if (!token)
                break;
            if (seen.has(token) || page >= MAX_PAGES) {
                const ids = (0,errors/* readRequestIds */.eu)(response.headers);
                throw new core_errors/* AzureDevOpsError */.JQ(`${label}: Azure DevOps repeated continuation token '${(0,core_errors/* neutralizeServerText */.cy)(token)}' (or sent more than ${MAX_PAGES} pages); stopping instead of looping.${(0,errors/* formatRequestIds */.zG)(ids)}`, response.status, undefined, ids);
            }
            seen.add(token);
            url.searchParams.set('continuationToken', token);
        }
        data = { count: items.length, value: items };
    }
    else {
        response = await send();
        data = response.data;
    }
    if (!expected(operation, response.status)) {
        const error = (0,errors/* azureDevOpsError */.nR)(label, `${operation.method} ${(0,transport/* displayUrl */.Qy)(response.url)}`, response, ctx.identity, ctx.organization?.name ?? '');
        if (!operation.continueOnError)
            throw error;
        ctx.guard.warning(`${error.message} (continue-on-error: the run goes on)`);
        const { message, typeKey } = (0,errors/* parseAzureDevOpsError */.oz)(response.body);
        return {
            error: {
                status: response.status,
                message: message ?? '',
                typeKey: typeKey ?? '',
                code: error.code ?? '',
                activityId: error.activityId ?? '',
                e2eId: error.e2eId ?? '',
                msEdgeRef: error.msEdgeRef ?? ''
            }
        };
    }
    if (operation.select === undefined)
        return operation.paginate ? data.value : data;
    return (0,template/* evaluate */._3)(operation.select, data);
}
/** One deadline for every request of every operation: pages, items, retries and rate-limit pauses. */
function operationsBudget(seconds, input) {
    const deadline = (0,transport/* createDeadline */.dU)(seconds);
    return {
        deadline,
        exceeded: (what, detail) => new core_errors/* BudgetExceededError */.Zq(`${capitalize(what)} did not finish: the operations' time budget of ${seconds} second${seconds === 1 ? '' : 's'} ran out ${detail}. Raise '${input}' (seconds) if the operations need longer, or make them do less (fewer pages or items, narrower queries).`, seconds)
    };
}
function capitalize(text) {
    return text.charAt(0).toUpperCase() + text.slice(1);
}
function expected(operation, status) {
    return operation.expect ? operation.expect.includes(status) : status >= 200 && status < 300;
}
/** Runs `fn` over `items` with at most `limit` in flight; results keep item order; the first failure stops new items. */
async function mapConcurrent(items, limit, fn) {
    // Stryker disable next-line ArrayDeclaration: every index is assigned before results is returned (a failure throws), so preallocating changes nothing.
    const results = new Array(items.length);
    let next = 0;
    let failure;
    const worker = async () => {
        while (failure === undefined && next < items.length) {
            const index = next++;
            try {
                results[index] = await fn(items[index], index);
            }
            catch (error) {
                failure ??= { error };
            }
        }
    };
    await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
    if (failure !== undefined)
        throw failure.error;
    return results;
}


/***/ })

};
