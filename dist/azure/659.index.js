export const id = 659;
export const ids = [659];
export const modules = {

/***/ 6659:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  readOperations: () => (/* binding */ readOperations)
});

// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
// EXTERNAL MODULE: ./src/core/errors.ts
var errors = __webpack_require__(4296);
// EXTERNAL MODULE: ./src/core/devops/host-policy.ts + 1 modules
var host_policy = __webpack_require__(6758);
// EXTERNAL MODULE: ./src/core/operations/model.ts
var model = __webpack_require__(4923);
// EXTERNAL MODULE: ./src/core/operations/lazy.ts
var lazy = __webpack_require__(670);
// EXTERNAL MODULE: ./node_modules/yaml/dist/index.js
var dist = __webpack_require__(8815);
// EXTERNAL MODULE: ./src/core/operations/template.ts
var template = __webpack_require__(90);
;// CONCATENATED MODULE: ./src/core/operations/parse.ts



const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/**
 * Parses and validates an operations document (YAML or JSON) completely, before any request: every
 * field, every template and every reference to an earlier result. `source` names where it came from.
 */
function parseOperations(text, source, organization) {
    let document;
    try {
        // The parser reads CRLF line ends as they are, but not the byte order mark Windows editors put first.
        // Stryker disable next-line ObjectLiteral: both options are the yaml defaults; stated so as not to depend on them
        document = (0,dist/* parse */.qg)(text.replace(/^\uFEFF/, ''), { prettyErrors: true, uniqueKeys: true });
    }
    catch (error) {
        // Stryker disable next-line ConditionalExpression,LogicalOperator: with prettyErrors every YAMLParseError has a linePos and no other error has one, so either test alone decides the same
        const position = error instanceof dist/* YAMLParseError */.XT && error.linePos ? error.linePos[0] : undefined;
        const where = position ? ` at line ${position.line}, column ${position.col}` : '';
        const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
        throw new model/* OperationFormatError */.zF(`${source} is not valid YAML${where}: ${message}`);
    }
    if (document == null)
        return []; // null or undefined
    if (!Array.isArray(document)) {
        throw new model/* OperationFormatError */.zF(`${source} must be a YAML list of operations (each item starting with '- '), not a ${typeof document}.`);
    }
    const names = new Set();
    const all = new Set();
    for (const item of document) {
        if (!isRecord(item))
            continue;
        // Stryker disable next-line ConditionalExpression: a name that is not text is never looked up (results.NAME is text)
        if (typeof item.name === 'string')
            all.add(item.name);
    }
    return document.map((item, i) => {
        const operation = parseOne(item, i + 1, source, organization, new Set(names), all);
        if (operation.name !== undefined) {
            if (names.has(operation.name))
                throw new model/* OperationFormatError */.zF(`${source}, ${(0,model/* operationLabel */.kF)(i + 1, operation.name)}: the name '${operation.name}' is used twice; names must be unique.`);
            names.add(operation.name);
        }
        return operation;
    });
}
function parseOne(item, index, source, organization, earlier, all) {
    const name = isRecord(item) && typeof item.name === 'string' ? item.name : undefined;
    const at = `${source}, ${(0,model/* operationLabel */.kF)(index, name)}`;
    const fail = (field, problem) => {
        throw new model/* OperationFormatError */.zF(`${at}, field '${field}': ${problem}`);
    };
    if (!isRecord(item))
        throw new model/* OperationFormatError */.zF(`${at}: each operation is a mapping of fields (url, method, ...), not ${JSON.stringify(item)}.`);
    for (const key of Object.keys(item)) {
        if (!model/* FIELDS */.cJ.includes(key))
            fail(key, `unknown field. Known fields: ${model/* FIELDS */.cJ.join(', ')}.`);
    }
    if ('name' in item && (typeof item.name !== 'string' || !NAME.test(item.name)))
        fail('name', `'${String(item.name)}' is not a valid name: use letters, digits and underscores, not starting with a digit (results are read as results.NAME).`);
    const method = item.method === undefined
        ? 'GET'
        : typeof item.method === 'string'
            ? item.method.toUpperCase()
            : undefined;
    if (!model/* METHODS */.J8.includes(method))
        fail('method', `'${String(item.method)}' is not one of ${model/* METHODS */.J8.join(', ')}.`);
    if (typeof item.url !== 'string' || item.url.trim() === '')
        fail('url', 'is required: a path relative to the organization (MyProject/_apis/git/repositories) or an absolute https URL.');
    const url = item.url.trim();
    const absolute = /^[a-z][a-z0-9+.-]*:\/\//i.test(url);
    if (!absolute && !url.startsWith('{{') && organization === undefined)
        fail('url', `'${url}' is relative, but no organization is set to resolve it against. Set the organization input or use an absolute https URL.`);
    // Undefined when omitted: the pre-flight gives the route's own version (preview routes need -preview.N).
    const givenVersion = item['api-version'];
    const apiVersion = givenVersion === undefined ? undefined : scalarText(givenVersion);
    // String(undefined), for a value that is not a scalar, is 'undefined', which fails too.
    if (givenVersion !== undefined && !/^\d+\.\d+(-preview(\.\d+)?)?$/.test(String(apiVersion)))
        fail('api-version', `'${(0,template/* toText */.fE)(givenVersion)}' is not an api-version such as "7.1" or "7.1-preview.1" (quote it: YAML reads 7.10 as the number 7.1).`);
    const query = optionalRecord(item.query, 'query', fail);
    for (const [key, value] of Object.entries(query)) {
        if (value !== null && typeof value === 'object')
            fail('query', `parameter '${key}' must be a string, number or boolean.`);
    }
    const headers = optionalRecord(item.headers, 'headers', fail);
    for (const [key, value] of Object.entries(headers)) {
        if (key.toLowerCase() === 'authorization')
            fail('headers', 'Authorization cannot be set: the step sends its own bearer token and nothing else.');
        if (typeof value !== 'string' && typeof value !== 'number')
            fail('headers', `header '${key}' must be a string.`);
    }
    const contentType = item['content-type'] === undefined
        ? undefined
        : typeof item['content-type'] === 'string'
            ? item['content-type']
            : fail('content-type', 'must be a string such as application/json-patch+json.');
    const paginate = optionalBoolean(item.paginate, 'paginate', fail);
    const continueOnError = optionalBoolean(item['continue-on-error'], 'continue-on-error', fail);
    const unchecked = optionalBoolean(item.unchecked, 'unchecked', fail);
    let select;
    if (item.select !== undefined) {
        if (typeof item.select !== 'string' || item.select.trim() === '')
            fail('select', 'must be a JMESPath expression such as "value[].{id: id, name: name}".');
        select = item.select.trim();
        (0,template/* compileExpression */.Wo)(select, `${at}, field 'select'`);
    }
    const expect = parseExpect(item.expect, fail);
    const forEach = item['for-each'];
    if (forEach !== undefined &&
        !Array.isArray(forEach) &&
        (typeof forEach !== 'string' || (0,template/* expressionsIn */.l$)(forEach).length !== 1)) {
        fail('for-each', 'must be one template giving a list, such as "{{ results.repos }}", or a literal YAML list.');
    }
    let concurrency = model/* DEFAULT_CONCURRENCY */.WH;
    if (item.concurrency !== undefined) {
        if (forEach === undefined)
            fail('concurrency', 'applies only to an operation with for-each.');
        if (!Number.isInteger(item.concurrency) ||
            item.concurrency < 1 ||
            item.concurrency > model/* MAX_CONCURRENCY */.fx)
            fail('concurrency', `'${(0,template/* toText */.fE)(item.concurrency)}' must be a whole number from 1 to ${model/* MAX_CONCURRENCY */.fx}.`);
        concurrency = item.concurrency;
    }
    const rules = { earlier, all, hasItem: forEach !== undefined };
    if (typeof forEach === 'string')
        (0,template/* checkTemplates */.Yw)(forEach, { ...rules, hasItem: false, where: `${at}, field 'for-each'` });
    (0,template/* checkTemplates */.Yw)(url, { ...rules, where: `${at}, field 'url'` });
    for (const [field, value] of [
        ['query', query],
        ['headers', headers],
        ['body', item.body]
    ]) {
        for (const text of (0,template/* stringsIn */.QQ)(value))
            (0,template/* checkTemplates */.Yw)(text, { ...rules, where: `${at}, field '${field}'` });
    }
    return {
        index,
        name,
        method: method,
        url,
        apiVersion,
        query,
        headers: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, String(v)])),
        body: item.body,
        contentType,
        paginate,
        select,
        expect,
        forEach,
        concurrency,
        continueOnError,
        unchecked
    };
}
function parseExpect(value, fail) {
    if (value === undefined)
        return undefined;
    const list = Array.isArray(value) ? value : [value];
    if (list.length === 0 ||
        !list.every((s) => Number.isInteger(s) && s >= 100 && s <= 599))
        fail('expect', `'${JSON.stringify(value)}' must be an HTTP status or a list of them, such as [200, 201].`);
    return list;
}
function optionalRecord(value, field, fail) {
    if (value === undefined || value === null)
        return {};
    if (!isRecord(value))
        return fail(field, 'must be a mapping of names to values.');
    return value;
}
function optionalBoolean(value, field, fail) {
    if (value === undefined)
        return false;
    if (typeof value !== 'boolean')
        return fail(field, `'${(0,template/* toText */.fE)(value)}' must be true or false.`);
    return value;
}
function scalarText(value) {
    return typeof value === 'string' ? value.trim() : typeof value === 'number' ? String(value) : undefined;
}
function isRecord(value) {
    return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// EXTERNAL MODULE: ./src/core/operations/preflight.ts + 2 modules
var preflight = __webpack_require__(9762);
;// CONCATENATED MODULE: ./src/core/operations/source.ts








/** Reads the operations from the inline input or the file input (not both); undefined when neither is set. */
function readOperations(inputs) {
    const inline = inputs.inline.value.trim();
    const file = (0,lazy/* operationsFileInput */.jk)(inputs.file.value, inputs.baseDir);
    if (inline !== '' && file !== '') {
        throw new errors/* InputError */.dz(inputs.file.name, `${(0,errors/* quoteInputs */.UK)(inputs.inline, inputs.file)} are both set. Give the operations in one of them.`);
    }
    if (inline !== '')
        return checkLiteralHosts(parseOperations(inline, (0,errors/* quoteInputs */.UK)(inputs.inline), inputs.organization), inputs, (0,errors/* quoteInputs */.UK)(inputs.inline));
    if (file === '')
        return undefined;
    const path = (0,external_node_path_.isAbsolute)(file) ? file : (0,external_node_path_.resolve)(inputs.baseDir, file);
    let text;
    try {
        text = (0,external_node_fs_.readFileSync)(path, 'utf8');
    }
    catch (error) {
        const code = error.code;
        throw new errors/* InputError */.dz(inputs.file.name, `${(0,errors/* quoteInputs */.UK)(inputs.file)} is '${file}', but ${path} cannot be read (${code ?? String(error)}). Give a path relative to ${inputs.baseDir}, and check out the repository before this step.`);
    }
    return checkLiteralHosts(parseOperations(text, `The operations file ${file}`, inputs.organization), inputs, `The operations file ${file}`);
}
/**
 * Fails on what is wrong before any request, the token's included: the pre-flight against Microsoft's REST API
 * index (routes, methods, versions, query, body, content type). The operations come back as they will run
 * (routed, with the route's api-version); the run logs what the check found instead of checking again.
 */
function checkAgainstApi(operations, inputs, source) {
    try {
        const checked = (0,preflight/* preflightOperations */.KN)(operations, {
            organization: inputs.organization,
            info: () => undefined
        });
        for (const operation of checked)
            (0,preflight/* checkListedItems */.kU)(operation, inputs.organization);
        return checked;
    }
    catch (error) {
        if (error instanceof model/* OperationFormatError */.zF)
            throw new model/* OperationFormatError */.zF(`${source}, ${error.message}`);
        throw error;
    }
}
/** A URL without templates that points at a host the token may not go to fails now, not after earlier operations ran. */
function checkLiteralHosts(operations, inputs, source) {
    const policy = (0,host_policy/* createHostPolicy */.Ng)(inputs.organization, inputs.allowedHosts);
    for (const operation of operations) {
        if (operation.url.includes('{{') || !/^[a-z][a-z0-9+.-]*:\/\//i.test(operation.url))
            continue;
        try {
            policy.check(new URL(operation.url));
        }
        catch (error) {
            if (!(error instanceof host_policy/* HostNotAllowedError */.a7)) {
                throw new model/* OperationFormatError */.zF(`${source}, ${(0,model/* operationLabel */.kF)(operation.index, operation.name)}, field 'url': '${operation.url}' is not a valid URL.`);
            }
            throw new model/* OperationFormatError */.zF(`${source}, ${(0,model/* operationLabel */.kF)(operation.index, operation.name)}, field 'url': ${error.message}`);
        }
    }
    return checkAgainstApi(operations, inputs, source);
}


/***/ })

};
