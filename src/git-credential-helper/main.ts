import type { Readable, Writable } from 'node:stream';
import type { CiPlatform, RefreshRecipe } from '../core/job-credentials/state.js';
import type { AccessToken } from '../core/auth/token-provider.js';
import { readHelperState, writeHelperState, type HelperState } from '../core/job-credentials/state.js';
import { FEED_USER } from '../core/job-credentials/feeds.js';

/** A token with less than this left is replaced, when the job allows minting a new one. */
const MARGIN_MS = 5 * 60_000;

/** What the helper takes from outside; tests pass fakes. */
export interface HelperDependencies {
  mint?: (recipe: RefreshRecipe, env: NodeJS.ProcessEnv) => Promise<AccessToken | undefined>;
  env?: NodeJS.ProcessEnv;
  /** Saves the state with the fresh token (a test passes one that fails, as a locked file does on Windows). */
  save?: (path: string, state: HelperState) => void;
}

// Loaded only when needed: the usual answer is the stored token, which needs none of it.
const mintLazily: NonNullable<HelperDependencies['mint']> = async (recipe, env) =>
  (await import('./mint.js')).mintToken(recipe, env);

/**
 * The git credential helper (git-credential(1) protocol). For `get` it answers with the stored token, or
 * a freshly minted one when the stored token is near expiry and the job can mint (GitHub OIDC variables
 * present, or a managed identity). It writes nothing but the credential to stdout and never logs the token.
 * A minted token is registered with the runner's or agent's masking (on stderr) before git receives it.
 * When the state file is gone (the post step removed it) it answers nothing, so git fails.
 */
export async function run(
  args: string[],
  stdin: Readable,
  stdout: Writable,
  stderr: Writable,
  { mint = mintLazily, env = process.env, save = writeHelperState }: HelperDependencies = {}
): Promise<number> {
  const [statePath, operation] = args;
  await drain(stdin);
  if (!statePath || operation !== 'get') return 0;
  const state = readHelperState(statePath);
  if (!state) return 0;
  let token = state.token;
  if (state.expiresOnTimestamp - MARGIN_MS <= Date.now() && state.refresh.kind !== 'none') {
    try {
      const fresh = await mint(state.refresh, env);
      if (fresh) {
        // Masked before anything else sees it: git gets it only after the platform was told.
        const mask = maskCommand(detectPlatform(state.platform, env), fresh.token);
        if (mask !== undefined) await write(stderr, mask);
        const next: HelperState = {
          ...state,
          token: fresh.token,
          expiresOnTimestamp: fresh.expiresOnTimestamp
        };
        token = fresh.token;
        try {
          save(statePath, next);
        } catch (error) {
          // On Windows an antivirus scan or another git process can hold the file for a moment: git still gets
          // the fresh token, and the next call mints again.
          stderr.write(
            `azure-devops-entra-token: could not save the new token for git (${(error as NodeJS.ErrnoException).code ?? 'error'}); the next git command gets another.\n`
          );
        }
      }
    } catch (error) {
      stderr.write(
        `azure-devops-entra-token: could not mint a new token for git (${error instanceof Error ? error.name : 'error'}); using the stored one.\n`
      );
    }
  }
  stdout.write(`username=${FEED_USER}\npassword=${token}\n`);
  return 0;
}

function write(stream: Writable, text: string): Promise<void> {
  return new Promise((resolve) => stream.write(text, () => resolve()));
}

function drain(stream: Readable): Promise<void> {
  return new Promise((resolve) => {
    if (stream.readableEnded) return resolve();
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
function maskCommand(platform: CiPlatform | undefined, token: string): string | undefined {
  if (platform === 'github')
    // @actions/core's escapeData
    return `::add-mask::${token.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A')}\n`;
  if (platform === 'azure-pipelines')
    // azure-pipelines-task-lib's escapedata
    return `##vso[task.setsecret]${token.replace(/%/g, '%AZP25').replace(/\r/g, '%0D').replace(/\n/g, '%0A')}\n`;
  return undefined;
}

/** The platform from the state file, else from the variables each sets for every step (state of older releases). */
function detectPlatform(recorded: CiPlatform | undefined, env: NodeJS.ProcessEnv): CiPlatform | undefined {
  if (recorded !== undefined) return recorded;
  if (env.GITHUB_ACTIONS === 'true') return 'github';
  if ((env.TF_BUILD ?? '').toLowerCase() === 'true') return 'azure-pipelines';
  return undefined;
}
