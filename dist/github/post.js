import { createRequire as __WEBPACK_EXTERNAL_createRequire } from "module";
var __webpack_exports__ = {};

;// CONCATENATED MODULE: external "node:crypto"
const external_node_crypto_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:crypto");
;// CONCATENATED MODULE: external "node:fs"
const external_node_fs_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:fs");
;// CONCATENATED MODULE: external "node:os"
const external_node_os_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:os");
;// CONCATENATED MODULE: ./src/github/workflow.ts



/**
 * The GitHub runner's side of the protocol, the part this action uses: INPUT_* variables, workflow commands on
 * stdout (::add-mask::, ::debug::, ::warning::, ::error::) and the GITHUB_OUTPUT / GITHUB_ENV / GITHUB_STATE
 * command files. @actions/core implements the same protocol but always loads @actions/http-client, undici and
 * tunnel for its OIDC helper, which this action never calls: a second HTTP stack that cost about a quarter of
 * the action's start-up (see the README's Performance section).
 */
/** An input as the runner passes it: INPUT_<NAME>, upper-cased, spaces as underscores, trimmed. */
function getInput(name) {
    return (process.env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] ?? '').trim();
}
function isDebug() {
    return process.env.RUNNER_DEBUG === '1';
}
function escapeData(value) {
    return value.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}
function command(name, message) {
    process.stdout.write(`::${name}::${escapeData(message)}${external_node_os_namespaceObject.EOL}`);
}
const info = (message) => {
    process.stdout.write(`${message}${external_node_os_namespaceObject.EOL}`);
};
const debug = (message) => command('debug', message);
const warning = (message) => command('warning', message);
const error = (message) => command('error', message);
const setSecret = (value) => command('add-mask', value);
/** Appends `name<<delimiter` … `delimiter` to a command file, refusing a value that holds the delimiter. */
function appendToCommandFile(file, name, value) {
    const path = process.env[`GITHUB_${file}`];
    if (!path || !existsSync(path))
        throw new Error(`GITHUB_${file} is not set to an existing file: this step must run on a GitHub Actions runner.`);
    const delimiter = `ghadelimiter_${randomUUID()}`;
    if (name.includes(delimiter) || value.includes(delimiter))
        throw new Error(`The value of ${name} contains the command file delimiter.`);
    appendFileSync(path, `${name}<<${delimiter}${EOL}${value}${EOL}${delimiter}${EOL}`, 'utf8');
}
const setOutput = (name, value) => appendToCommandFile('OUTPUT', name, value);
const saveState = (name, value) => appendToCommandFile('STATE', name, value);
function exportVariable(name, value) {
    process.env[name] = value;
    appendToCommandFile('ENV', name, value);
}
/** STATE_<name>, set by the runner for the post step from what the main step saved. */
function getState(name) {
    return process.env[`STATE_${name}`] ?? '';
}
function setFailed(message) {
    process.exitCode = 1;
    error(message);
}

;// CONCATENATED MODULE: external "node:path"
const external_node_path_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:path");
;// CONCATENATED MODULE: ./src/core/credentials/state.ts


const CREDENTIALS_DIR_PREFIX = 'azure-devops-entra-token-';
/** A private directory (0700) under the runner's or agent's temp directory — never the workspace. */
function createCredentialsDir(tempRoot) {
    const dir = mkdtempSync(join(tempRoot, CREDENTIALS_DIR_PREFIX));
    chmodSync(dir, 0o700);
    return dir;
}
/** Writes a file only its owner can read, atomically (a concurrent reader never sees half a file). */
function writePrivateFile(path, content) {
    const temporary = `${path}.${process.pid}.tmp`;
    writeFileSync(temporary, content, { mode: 0o600 });
    renameSync(temporary, path);
}
function writeHelperState(path, state) {
    writePrivateFile(path, JSON.stringify(state));
}
function readHelperState(path) {
    try {
        return JSON.parse(readFileSync(path, 'utf8'));
    }
    catch {
        return undefined;
    }
}
/** Removes a credentials directory, but only one of ours inside the given temp root. */
function removeCredentialsDir(dir, tempRoot) {
    const normalizedRoot = tempRoot.endsWith('/') ? tempRoot : `${tempRoot}/`;
    const name = dir.slice(normalizedRoot.length);
    if (!dir.startsWith(normalizedRoot) || !name.startsWith(CREDENTIALS_DIR_PREFIX) || name.includes('/'))
        return false;
    (0,external_node_fs_namespaceObject.rmSync)(dir, { recursive: true, force: true });
    return true;
}

;// CONCATENATED MODULE: ./src/github/post.ts



/** The action's post entry (job end): removes the git and feed credentials the main step set up. */
const dir = getState('credentialsDir');
if (dir) {
    const removed = removeCredentialsDir(dir, process.env.RUNNER_TEMP ?? (0,external_node_os_namespaceObject.tmpdir)());
    if (removed)
        info(`Removed the git and feed credentials (${dir}); git and package clients no longer get a token from this step.`);
    else
        warning(`Did not remove ${dir}: it is not a credentials directory of this action inside RUNNER_TEMP.`);
}

