export const id = 682;
export const ids = [682];
export const modules = {

/***/ 682:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  setUpCredentials: () => (/* binding */ setUpCredentials)
});

// UNUSED EXPORTS: refreshRecipe

// EXTERNAL MODULE: ./src/core/credentials/feeds.ts
var credentials_feeds = __webpack_require__(2315);
// EXTERNAL MODULE: ./src/core/credentials/scopes.ts
var scopes = __webpack_require__(5113);
;// CONCATENATED MODULE: ./src/core/credentials/git.ts

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
    for (const scope of (0,scopes/* organizationUrlScopes */.M)(organization)) {
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
/** The helper command line as git runs it (through the shell, with the operation appended). */
function helperCommand(nodePath, helperScript, statePath) {
    const quote = (value) => `'${value.replace(/'/g, `'\\''`)}'`;
    return `!${quote(nodePath)} ${quote(helperScript)} ${quote(statePath)}`;
}

// EXTERNAL MODULE: ./src/core/credentials/state.ts
var state = __webpack_require__(879);
;// CONCATENATED MODULE: ./src/core/credentials/setup.ts




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
    const dir = (0,state/* createCredentialsDir */.Ge)(ctx.tempRoot);
    ctx.onDirectory?.(dir);
    const env = {};
    if (request.gitCredentials && request.organization) {
        const refresh = refreshRecipe(request.credential, request.scope);
        const statePath = `${dir}/git-credential.json`;
        (0,state/* writeHelperState */.D9)(statePath, {
            token: token.token,
            expiresOnTimestamp: token.expiresOnTimestamp,
            refresh,
            platform: ctx.platform
        });
        Object.assign(env, gitCredentialEnvironment(request.organization, helperCommand(ctx.nodePath, ctx.helperScript, statePath), ctx.env));
        const lifetime = refresh.kind === 'none'
            ? `the token is valid until ${new Date(token.expiresOnTimestamp).toISOString()}; run the step again for longer jobs`
            : refresh.kind === 'managed-identity'
                ? 'a fresh token is minted from the managed identity when this one nears expiry'
                : "a fresh token is minted with the job's OIDC token when this one nears expiry";
        ctx.guard.info(`Git: credentials for ${(0,scopes/* organizationUrlScopes */.M)(request.organization)
            .map((s) => `${s}/`)
            .join(' and ')} only, through a credential helper (${lifetime}).`);
    }
    // Stryker disable next-line ConditionalExpression,EqualityOperator: no feeds configure nothing and log nothing anyway.
    if (request.feeds.length > 0) {
        const feeds = (0,credentials_feeds/* configureFeeds */.Uj)(request.feeds, token.token, dir, ctx.env);
        Object.assign(env, feeds.env);
        for (const line of feeds.lines)
            ctx.guard.info(`Feed ${line}.`);
    }
    return { dir, env };
}


/***/ })

};
