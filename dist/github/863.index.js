export const id = 863;
export const ids = [863];
export const modules = {

/***/ 3863:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   createIdentityHttpClient: () => (/* binding */ createIdentityHttpClient)
/* harmony export */ });
/* harmony import */ var _azure_core_rest_pipeline__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(4237);

/**
 * Lets @azure/identity (and the MSAL code inside it) send its requests through our transport, so
 * every request of a run shares one proxy configuration, one time budget and one log format.
 */
function createIdentityHttpClient(transport, endpointFor, deadline) {
    return {
        async sendRequest(request) {
            const response = await transport.send({
                method: request.method,
                url: request.url,
                headers: request.headers.toJSON(),
                ...bodyOf(request),
                endpoint: endpointFor(new URL(request.url)),
                ...(deadline ? { deadline } : {})
            }, request.abortSignal);
            return {
                request,
                status: response.status,
                headers: (0,_azure_core_rest_pipeline__WEBPACK_IMPORTED_MODULE_0__/* .createHttpHeaders */ .Nc)(response.headers),
                bodyAsText: response.body
            };
        }
    };
}
function bodyOf(request) {
    if (request.formData !== undefined) {
        const form = new URLSearchParams();
        for (const [key, value] of Object.entries(request.formData)) {
            for (const item of Array.isArray(value) ? value : [value]) {
                if (typeof item !== 'string')
                    throw new Error(`Unsupported form field '${key}' in an identity request.`);
                form.append(key, item);
            }
        }
        return { body: form.toString() };
    }
    const body = request.body;
    if (body === undefined || body === null)
        return {};
    if (typeof body === 'string')
        return { body };
    if (body instanceof ArrayBuffer || ArrayBuffer.isView(body))
        return { body: Buffer.from(body).toString('utf8') };
    throw new Error('Unsupported request body type in an identity request.');
}


/***/ })

};
