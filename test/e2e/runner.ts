// The e2e tests' view of the GitHub runner and the Azure Pipelines agent: the types of a run. The behaviour
// lives in scripts/lib/hosts.mjs (plain JavaScript, shared with `npm run demo`), re-exported here.
import { parseCommandFile, runBundle } from '../../scripts/lib/hosts.mjs';
export {
  laterStepEnv,
  parseCommandFile,
  readTree,
  runAzurePost,
  runAzureTask,
  runBundle,
  runGitHubAction,
  runGitHubPost
} from '../../scripts/lib/hosts.mjs';

export interface ProcessResult {
  exitCode: number | null;
  stdout: string;
  stderr: string;
  /** Milliseconds from spawn to exit. */
  durationMs: number;
}

/** The job's directories and environment, for running later steps (git, npm) and the post entry. */
export interface JobContext {
  dir: string;
  workspace: string;
  temp: string;
  env: Record<string, string>;
  cleanup: () => void;
}

export interface GitHubRun extends ProcessResult {
  job: JobContext;
  /** Everything in the workspace after the run. */
  workspaceFiles: Record<string, string>;
  outputs: Record<string, string>;
  exportedEnv: Record<string, string>;
  masks: string[];
  errors: string[];
  /** Lines that are neither workflow commands nor empty: what the user reads. */
  infoLines: string[];
  /** The log as the runner shows it: commands hidden, masks applied, groups as headings (scripts/lib/job-log.mjs). */
  shownLog: string;
  /** The command files after the run: output, env, state, summary. */
  files: Record<string, string>;
}

export interface GitHubOptions {
  inputs?: Record<string, string>;
  env?: Record<string, string>;
  debug?: boolean;
  /** Files to create in the workspace before the run (path relative to it → content). */
  files?: Record<string, string>;
  /** The node binary to run the bundle with (default: this one). */
  node?: string;
  /** The folder holding the dist/ to run (default: this repository), e.g. a copy under an awkward path. */
  root?: string;
  /** Keep the job's directories (workspace, RUNNER_TEMP) after the run; call `cleanup()` when done. */
  keep?: boolean;
}

export interface VsoVariable {
  name: string;
  value: string;
  isSecret: boolean;
  isOutput: boolean;
}

export interface AzureRun extends ProcessResult {
  job: JobContext;
  workspaceFiles: Record<string, string>;
  variables: VsoVariable[];
  secrets: string[];
  result: string | undefined;
  resultMessage: string;
  errors: string[];
  /** The Markdown of each summary the task uploaded (##vso[task.uploadsummary]). */
  summaries: string[];
  infoLines: string[];
  /** The log as the agent shows it: ##vso commands hidden, secrets masked (scripts/lib/job-log.mjs). */
  shownLog: string;
}

/** A service connection as the agent presents it to a task (ENDPOINT_* variables). */
export interface Endpoint {
  id: string;
  scheme: string;
  parameters?: Record<string, string>;
  data?: Record<string, string>;
  url?: string;
}

export interface AzureOptions {
  inputs?: Record<string, string>;
  endpoints?: Endpoint[];
  /** Agent variables by their dotted name, e.g. System.OidcRequestUri. */
  variables?: Record<string, string>;
  systemAccessToken?: string;
  env?: Record<string, string>;
  debug?: boolean;
  /** Files to create in the workspace before the run (path relative to it → content). */
  files?: Record<string, string>;
  /** The node binary to run the bundle with (default: this one). */
  node?: string;
  /** The folder holding the dist/ to run (default: this repository), e.g. a copy under an awkward path. */
  root?: string;
  /** Keep the job's directories after the run; call `job.cleanup()` when done. */
  keep?: boolean;
}

/** runGitHubPost with another node binary and the post entry of the dist/ under `root`. */
export function runGitHubPostWith(main: GitHubRun, node: string, root: string): Promise<ProcessResult> {
  const state = parseCommandFile(main.files.state ?? '');
  const env = {
    ...main.job.env,
    ...Object.fromEntries(Object.entries(state).map(([k, v]) => [`STATE_${k}`, v]))
  };
  return runBundle('dist/github/post.js', env, main.job.workspace, node, root);
}

/** runAzurePost with another node binary and the post entry of the dist/ under `root`. */
export function runAzurePostWith(main: AzureRun, node: string, root: string): Promise<ProcessResult> {
  return runBundle('dist/azure/post.js', main.job.env, main.job.workspace, node, root);
}
