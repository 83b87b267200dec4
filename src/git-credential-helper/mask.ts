import type { CiPlatform } from '../core/job-credentials/state.js';

/**
 * The logging command that registers `token` with the platform's masking, or undefined outside CI. It goes to
 * the helper's stderr: stdout belongs to git (the credential), while git passes the helper's stderr through to
 * the step's, and both platforms read commands on a step's stderr as well as its stdout (actions/runner
 * ScriptHandler/NodeScriptActionHandler hand stderr to an OutputManager with the ActionCommandManager;
 * azure-pipelines-agent NodeHandler subscribes OnDataReceived, which calls CommandManager.TryProcessCommand,
 * to ErrorDataReceived too).
 */
export function maskCommand(platform: CiPlatform | undefined, token: string): string | undefined {
  if (platform === 'github')
    // @actions/core's escapeData
    return `::add-mask::${token.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A')}\n`;
  if (platform === 'azure-pipelines')
    // azure-pipelines-task-lib's escapedata
    return `##vso[task.setsecret]${token.replace(/%/g, '%AZP25').replace(/\r/g, '%0D').replace(/\n/g, '%0A')}\n`;
  return undefined;
}

/** The platform from the state file, else from the variables each sets for every step (state of older releases). */
export function detectPlatform(
  recorded: CiPlatform | undefined,
  env: NodeJS.ProcessEnv
): CiPlatform | undefined {
  if (recorded !== undefined) return recorded;
  if (env.GITHUB_ACTIONS === 'true') return 'github';
  if ((env.TF_BUILD ?? '').toLowerCase() === 'true') return 'azure-pipelines';
  return undefined;
}
