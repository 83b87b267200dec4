export const id = 720;
export const ids = [720];
export const modules = {

/***/ 9720:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  setUpCredentials: () => (/* binding */ setUpCredentials)
});

// UNUSED EXPORTS: refreshRecipe

// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
// EXTERNAL MODULE: external "node:os"
var external_node_os_ = __webpack_require__(8161);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
// EXTERNAL MODULE: ./src/core/errors.ts
var errors = __webpack_require__(4296);
// EXTERNAL MODULE: ./src/core/validate.ts
var validate = __webpack_require__(993);
;// CONCATENATED MODULE: ./src/core/job-credentials/state.ts


const CREDENTIALS_DIR_PREFIX = 'azure-devops-entra-token-';
/** A private directory (0700) under the runner's or agent's temp directory — never the workspace. */
function createCredentialsDir(tempRoot) {
    const dir = (0,external_node_fs_.mkdtempSync)((0,external_node_path_.join)(tempRoot, CREDENTIALS_DIR_PREFIX));
    (0,external_node_fs_.chmodSync)(dir, 0o700);
    return dir;
}
/** Writes a file only its owner can read, atomically (a concurrent reader never sees half a file). */
function writePrivateFile(path, content) {
    const temporary = `${path}.${process.pid}.tmp`;
    (0,external_node_fs_.writeFileSync)(temporary, content, { mode: 0o600 });
    (0,external_node_fs_.renameSync)(temporary, path);
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
/** Removes a credentials directory, but only one of ours inside the given temp root. */
function removeCredentialsDir(dir, tempRoot) {
    const normalizedRoot = tempRoot.endsWith('/') ? tempRoot : `${tempRoot}/`;
    const name = dir.slice(normalizedRoot.length);
    if (!dir.startsWith(normalizedRoot) || !name.startsWith(CREDENTIALS_DIR_PREFIX) || name.includes('/'))
        return false;
    rmSync(dir, { recursive: true, force: true });
    return true;
}

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
            throw new InputError(input.name, `Input '${input.name}' has the entry '${text}': ${problem} Give Azure Artifacts feed URLs such as https://pkgs.dev.azure.com/contoso/_packaging/release/npm/registry/, .../nuget/v3/index.json or .../pypi/simple/ (copy them from the feed's "Connect to feed" page).`);
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
        const previous = env.NPM_CONFIG_USERCONFIG ?? (0,external_node_path_.join)((0,external_node_os_.homedir)(), '.npmrc');
        const kept = (0,external_node_fs_.existsSync)(previous) ? `${(0,external_node_fs_.readFileSync)(previous, 'utf8').trimEnd()}\n` : '';
        const auth = npm.map((feed) => `${nerfDart(feed.url)}:_authToken=${token}`).join('\n');
        const path = (0,external_node_path_.join)(dir, 'npmrc');
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

// EXTERNAL MODULE: ./src/core/job-credentials/git.ts
var git = __webpack_require__(295);
;// CONCATENATED MODULE: ./src/core/job-credentials/setup.ts




/** How the git helper can get a new token later in the job without a stored secret, where the platform allows it. */
function refreshRecipe(credential, scope) {
    if (credential.kind === 'managed-identity')
        return { kind: 'managed-identity', selector: credential.selector, scope };
    if (credential.kind === 'federated' && credential.oidc.kind === 'github') {
        return {
            kind: 'github-federated',
            tenantId: credential.tenantId,
            clientId: credential.clientId,
            authorityHost: credential.authorityHost,
            audience: credential.oidc.audience,
            scope
        };
    }
    return { kind: 'none' };
}
/**
 * Sets up git and the package clients for the later steps of the job. Returns the environment to export
 * and the private directory holding the files (removed by the post step), or undefined when nothing was asked.
 */
function setUpCredentials(request, token, ctx) {
    if (!request.gitCredentials && request.feeds.length === 0)
        return undefined;
    const dir = createCredentialsDir(ctx.tempRoot);
    ctx.onDirectory?.(dir);
    const env = {};
    if (request.gitCredentials && request.organization) {
        const refresh = refreshRecipe(request.credential, request.scope);
        const statePath = `${dir}/git-credential.json`;
        writeHelperState(statePath, {
            token: token.token,
            expiresOnTimestamp: token.expiresOnTimestamp,
            refresh,
            platform: ctx.platform
        });
        Object.assign(env, (0,git/* gitCredentialEnvironment */.JV)(request.organization, (0,git/* helperCommand */.Ey)(ctx.nodePath, ctx.helperScript, statePath), ctx.env));
        const lifetime = refresh.kind === 'none'
            ? `the token is valid until ${new Date(token.expiresOnTimestamp).toISOString()}; run the step again for longer jobs`
            : refresh.kind === 'managed-identity'
                ? 'a fresh token is minted from the managed identity when this one nears expiry'
                : "a fresh token is minted with the job's OIDC token when this one nears expiry";
        ctx.guard.info(`Git: credentials for ${(0,git/* organizationUrlScopes */.Mo)(request.organization)
            .map((s) => `${s}/`)
            .join(' and ')} only, through a credential helper (${lifetime}).`);
    }
    // Stryker disable next-line ConditionalExpression,EqualityOperator: no feeds configure nothing and log nothing anyway.
    if (request.feeds.length > 0) {
        const feeds = configureFeeds(request.feeds, token.token, dir, ctx.env);
        Object.assign(env, feeds.env);
        for (const line of feeds.lines)
            ctx.guard.info(`Feed ${line}.`);
    }
    return { dir, env };
}


/***/ })

};
