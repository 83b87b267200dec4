export const id = 25;
export const ids = [25];
export const modules = {

/***/ 8025:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   setUpCredentials: () => (/* binding */ setUpCredentials)
/* harmony export */ });
/* unused harmony export refreshRecipe */
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(6760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_path__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var _feeds_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(3761);
/* harmony import */ var _git_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(295);
/* harmony import */ var _state_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(1865);





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
    const dir = (0,_state_js__WEBPACK_IMPORTED_MODULE_3__/* .createCredentialsDir */ .Ge)(ctx.tempRoot);
    ctx.onDirectory?.(dir);
    const env = {};
    if (request.gitCredentials && request.organization) {
        const refresh = refreshRecipe(request.credential, request.scope);
        const statePath = (0,node_path__WEBPACK_IMPORTED_MODULE_0__.join)(dir, 'git-credential.json');
        (0,_state_js__WEBPACK_IMPORTED_MODULE_3__/* .writeHelperState */ .D9)(statePath, {
            token: token.token,
            expiresOnTimestamp: token.expiresOnTimestamp,
            refresh,
            platform: ctx.platform
        });
        Object.assign(env, (0,_git_js__WEBPACK_IMPORTED_MODULE_2__/* .gitCredentialEnvironment */ .JV)(request.organization, (0,_git_js__WEBPACK_IMPORTED_MODULE_2__/* .helperCommand */ .Ey)(ctx.nodePath, ctx.helperScript, statePath), ctx.env));
        const lifetime = refresh.kind === 'none'
            ? `the token is valid until ${new Date(token.expiresOnTimestamp).toISOString()}; run the step again for longer jobs`
            : refresh.kind === 'managed-identity'
                ? 'a fresh token is minted from the managed identity when this one nears expiry'
                : "a fresh token is minted with the job's OIDC token when this one nears expiry";
        ctx.guard.info(`Git: credentials for ${(0,_git_js__WEBPACK_IMPORTED_MODULE_2__/* .organizationUrlScopes */ .Mo)(request.organization)
            .map((s) => `${s}/`)
            .join(' and ')} only, through a credential helper (${lifetime}).`);
    }
    // Stryker disable next-line ConditionalExpression,EqualityOperator: no feeds configure nothing and log nothing anyway.
    if (request.feeds.length > 0) {
        const feeds = (0,_feeds_js__WEBPACK_IMPORTED_MODULE_1__/* .configureFeeds */ .Uj)(request.feeds, token.token, dir, ctx.env);
        Object.assign(env, feeds.env);
        for (const line of feeds.lines)
            ctx.guard.info(`Feed ${line}.`);
    }
    return { dir, env };
}


/***/ })

};
