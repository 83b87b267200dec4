export const id = 663;
export const ids = [663];
export const modules = {

/***/ 2663:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   MAX_SHOWN_BODY: () => (/* binding */ MAX_SHOWN_BODY),
/* harmony export */   MAX_SHOWN_REQUESTS: () => (/* binding */ MAX_SHOWN_REQUESTS),
/* harmony export */   WRITE_METHODS: () => (/* binding */ WRITE_METHODS),
/* harmony export */   createDryRun: () => (/* binding */ createDryRun)
/* harmony export */ });
/* harmony import */ var _http_transport_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(978);
/* harmony import */ var _request_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(6579);
/* harmony import */ var _template_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(90);



/** The methods a dry run does not send. GET and HEAD run: later templates need their results. */
const WRITE_METHODS = ['POST', 'PUT', 'PATCH', 'DELETE'];
/** Requests of one for-each operation shown in the log; the rest are counted (results hold them all). */
const MAX_SHOWN_REQUESTS = 20;
/** Characters of a body shown in the log; results hold the whole body. */
const MAX_SHOWN_BODY = 2000;
/** A placeholder as a URL path holds it: `%3Cresult%20of%20'create'%3E`. Names are letters, digits and underscores. */
const PLACEHOLDER_IN_URL = /%3C((?:item%20of%20the%20)?results?%20of%20'\w+'(?:,%20'\w+')*)%3E/g;
// The same pattern as template.ts: the text between {{ and }}.
const TEMPLATE = /\{\{([\s\S]*?)\}\}/g;
/** "result of 'create'" or "results of 'a', 'b'". */
function describeResults(names) {
    return `${names.length === 1 ? 'result' : 'results'} of ${names.map((n) => `'${n}'`).join(', ')}`;
}
/** The dry run of one operations run: remembers which results are plans, so templates show placeholders for them. */
function createDryRun() {
    const planned = new Set();
    let operations = 0;
    let requests = 0;
    /** The planned results an expression reads; all of them when it reads `results` whole. */
    const plannedIn = (expression) => {
        const names = new Set();
        for (const { root, next } of (0,_template_js__WEBPACK_IMPORTED_MODULE_2__/* .rootsOf */ .RD)(expression)) {
            if (root !== 'results')
                continue;
            if (next === undefined)
                for (const name of planned)
                    names.add(name);
            else if (planned.has(next))
                names.add(next);
        }
        return [...names];
    };
    const plannedInText = (text) => [
        ...new Set((0,_template_js__WEBPACK_IMPORTED_MODULE_2__/* .expressionsIn */ .l$)(text).flatMap((expression) => plannedIn(expression)))
    ];
    const fieldsOf = (operation) => [
        operation.url,
        operation.query,
        operation.headers,
        operation.body,
        operation.forEach
    ];
    return {
        skips: (operation) => WRITE_METHODS.includes(operation.method) ||
            (0,_template_js__WEBPACK_IMPORTED_MODULE_2__/* .stringsIn */ .QQ)(fieldsOf(operation)).some((text) => plannedInText(text).length > 0),
        plan(operation, scope, ctx, label, paths) {
            const needs = [...new Set((0,_template_js__WEBPACK_IMPORTED_MODULE_2__/* .stringsIn */ .QQ)(fieldsOf(operation)).flatMap(plannedInText))];
            const write = WRITE_METHODS.includes(operation.method);
            // A for-each over a result that was not sent: its items are unknown, so one request shows them as a placeholder.
            const unknownItems = typeof operation.forEach === 'string' ? plannedInText(operation.forEach) : [];
            const itemPlaceholder = unknownItems.length > 0 ? `<item of the ${describeResults(unknownItems)}>` : undefined;
            const rewritten = withPlaceholders(operation, (expression) => {
                const names = plannedIn(expression);
                if (names.length > 0)
                    return `<${describeResults(names)}>`;
                if (itemPlaceholder !== undefined && (0,_template_js__WEBPACK_IMPORTED_MODULE_2__/* .rootsOf */ .RD)(expression).some((r) => r.root === 'item'))
                    return itemPlaceholder;
                return undefined;
            });
            const show = (request) => ({
                dryRun: true,
                method: operation.method,
                url: shownUrl(request.url),
                contentType: request.contentType ?? null,
                body: request.body === undefined ? null : request.bodyValue
            });
            const why = write
                ? 'not sent'
                : `not run: it needs the ${describeResults(needs)}, which the dry run did not send`;
            let result;
            let shown;
            if (operation.forEach === undefined || unknownItems.length > 0) {
                const one = show((0,_request_js__WEBPACK_IMPORTED_MODULE_1__/* .renderRequest */ .i)({ ...rewritten, forEach: undefined }, scope, ctx.guard, ctx.organization, label));
                if (unknownItems.length > 0)
                    one.forEach = `<${describeResults(unknownItems)}>`;
                result = unknownItems.length > 0 ? [one] : one;
                shown = [one];
                ctx.guard.info(`Dry run, ${label}: ${why}${unknownItems.length > 0 ? `; for each item of the ${describeResults(unknownItems)}` : ''}:`);
                logRequest(ctx.guard, one, '  ');
            }
            else {
                const items = (0,_request_js__WEBPACK_IMPORTED_MODULE_1__/* .renderItems */ .$)(rewritten, scope, label);
                const all = items.map((item, i) => show((0,_request_js__WEBPACK_IMPORTED_MODULE_1__/* .renderRequest */ .i)(rewritten, { ...scope, item }, ctx.guard, ctx.organization, `${label}, item ${i + 1}`)));
                result = all;
                shown = all.slice(0, MAX_SHOWN_REQUESTS);
                ctx.guard.info(`Dry run, ${label}: ${why}; ${all.length} item${all.length === 1 ? '' : 's'}${all.length > MAX_SHOWN_REQUESTS ? `, the first ${MAX_SHOWN_REQUESTS} shown` : ''}:`);
                shown.forEach((request, i) => {
                    ctx.guard.info(`  item ${i + 1}:`);
                    logRequest(ctx.guard, request, '    ');
                });
                if (all.length > MAX_SHOWN_REQUESTS)
                    ctx.guard.info(`  … and ${all.length - MAX_SHOWN_REQUESTS} more${operation.name === undefined ? '' : ` (all ${all.length} are in results.${operation.name})`}.`);
            }
            for (const request of shown)
                paths.add(pathOf(request.url));
            if (operation.name !== undefined)
                planned.add(operation.name);
            const count = Array.isArray(result) ? result.length : 1;
            operations++;
            requests += count;
            return { result, requests: count };
        },
        closing: () => operations === 0
            ? undefined
            : `Dry run: ${operations} operation${operations === 1 ? '' : 's'} not sent (${requests} request${requests === 1 ? '' : 's'} planned); nothing was written to Azure DevOps by them.`
    };
}
/** The operation with every template that `replace` answers for turned into that literal text. */
function withPlaceholders(operation, replace) {
    const text = (value) => value.replace(TEMPLATE, (whole, expression) => replace(expression.trim()) ?? whole);
    const walk = (value) => {
        if (typeof value === 'string')
            return text(value);
        if (Array.isArray(value))
            return value.map(walk);
        if (value && typeof value === 'object')
            return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, walk(v)]));
        return value;
    };
    return {
        ...operation,
        url: text(operation.url),
        query: walk(operation.query),
        headers: walk(operation.headers),
        body: walk(operation.body),
        forEach: walk(operation.forEach)
    };
}
/** The URL as the log shows it (no query), with placeholders readable instead of percent-encoded. */
function shownUrl(url) {
    return (0,_http_transport_js__WEBPACK_IMPORTED_MODULE_0__/* .displayUrl */ .Qy)(url).replace(PLACEHOLDER_IN_URL, (_, inner) => `<${inner.replace(/%20/g, ' ')}>`);
}
/** The path of a shown URL: what follows its origin. */
function pathOf(url) {
    const origin = /^[a-z][a-z0-9+.-]*:\/\/[^/]*/i.exec(url)?.[0] ?? '';
    return url.slice(origin.length) || '/';
}
function logRequest(guard, request, indent) {
    guard.info(`${indent}${request.method} ${request.url}`);
    if (request.contentType !== null)
        guard.info(`${indent}Content-Type: ${request.contentType}`);
    if (request.body !== null) {
        // Redacted before it is cut, so no part of a secret is left whole enough to show.
        const body = guard.redact(typeof request.body === 'string' ? request.body : JSON.stringify(request.body));
        guard.info(`${indent}Body: ${body.length > MAX_SHOWN_BODY ? `${body.slice(0, MAX_SHOWN_BODY)}… (${body.length - MAX_SHOWN_BODY} more characters in results)` : body}`);
    }
}


/***/ })

};
