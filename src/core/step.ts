import path, { type PlatformPath } from 'node:path';
import type { Session, TokenResult } from './acquire.js';
import type { SecretGuard } from './secrets.js';
import type { Settings } from './settings.js';
import { organizationUrlScopes } from './job-credentials/git.js';
import type { CiPlatform } from './job-credentials/state.js';
import type { OperationRecord } from './summary.js';
import { parseAllowedHosts } from './devops/host-policy.js';
import { parseFeeds } from './job-credentials/feeds.js';
import { requestedOperations, type SettingsRead } from './operations/lazy.js';
import {
  parseBoolean,
  parseOperationsTimeout,
  parseTimeout,
  requireOrganizationFor,
  type RawInput
} from './validate.js';

/** The inputs the action and the task share, under the same internal keys in both tables. */
export type StepInputKey =
  | 'allowedHosts'
  | 'operations'
  | 'operationsFile'
  | 'operationsTimeout'
  | 'dryRun'
  | 'gitCredentials'
  | 'feeds'
  | 'summary';

type StepSettings = Pick<
  SettingsRead<Settings>,
  | 'timeoutSeconds'
  | 'allowedHosts'
  | 'operations'
  | 'operationsTimeout'
  | 'dryRun'
  | 'gitCredentials'
  | 'feeds'
> & {
  /** Write the step summary. */
  summary: boolean;
};

/** Reads the inputs the action and the task share, in the same order on both; the organization is already read. */
export function readStepInputs(
  input: (key: StepInputKey) => RawInput,
  env: NodeJS.ProcessEnv,
  organization: { value: Settings['organization']; input: string },
  /** Relative operation files are found here (the workspace / the default working directory). */
  baseDir: string
): StepSettings {
  const timeoutSeconds = parseTimeout(env);
  const allowedHosts = parseAllowedHosts(input('allowedHosts'));
  const operations = requestedOperations({
    inline: input('operations'),
    file: input('operationsFile'),
    baseDir,
    organization: organization.value,
    allowedHosts
  });
  const timeoutInput = input('operationsTimeout');
  const operationsTimeout = { seconds: parseOperationsTimeout(timeoutInput), input: timeoutInput.name };
  const dryRun = parseBoolean(input('dryRun'));
  const gitInput = input('gitCredentials');
  const gitCredentials = parseBoolean(gitInput);
  if (gitCredentials) requireOrganizationFor(gitInput, organization.value, organization.input);
  const feeds = parseFeeds(input('feeds'));
  const summary = parseBoolean(input('summary'));
  return {
    timeoutSeconds,
    allowedHosts,
    operations,
    operationsTimeout,
    dryRun,
    gitCredentials,
    feeds,
    summary
  };
}

/** Runs the configured operations with the run's session; returns the `results` output (JSON), or undefined when there are none. */
export async function runConfiguredOperations(
  settings: Settings,
  token: TokenResult,
  session: Session,
  guard: SecretGuard,
  /** What templates see as `env`: a snapshot taken before the step exported anything (never process.env later). */
  env: NodeJS.ProcessEnv,
  /** Receives one record per operation for the step summary. */
  records?: OperationRecord[]
): Promise<string | undefined> {
  if (settings.operations === undefined) return undefined;
  // Loaded only by runs that have operations (see operations/lazy.ts).
  const { runOperations } = await import('./operations/run.js');
  const results = await runOperations(settings.operations, {
    client: session.client,
    organization: settings.organization,
    identity: token,
    env,
    guard,
    stats: session.stats,
    throttle: session.throttle,
    budget: settings.operationsTimeout,
    dryRun: settings.dryRun,
    ...(records ? { records } : {})
  });
  // Results come from Azure DevOps responses; a response that echoed a secret must not carry it on.
  return guard.redact(JSON.stringify(results));
}

/** Where the git credential helper lives: next to the running bundle (dist/<platform>/ → dist/git-credential-helper/). */
export function credentialHelperPath(entryScript: string | undefined, paths: PlatformPath = path): string {
  // Stryker disable next-line StringLiteral: dirname of any name without a slash is '.', so the fallback's text is moot.
  return paths.resolve(paths.dirname(entryScript ?? '.'), '..', 'git-credential-helper', 'index.js');
}

export interface JobCredentialOptions {
  /** The platform the step runs on (the git helper masks the tokens it mints there). */
  platform: CiPlatform;
  /** Receives the credentials directory before anything is written to it (see CredentialContext). */
  onDirectory?: (dir: string) => void;
  env?: NodeJS.ProcessEnv;
}

/** Sets up git and feed credentials for the later steps of the job with the session's current token. */
export async function setUpJobCredentials(
  settings: Settings,
  session: Session,
  guard: SecretGuard,
  tempRoot: string,
  options: JobCredentialOptions
): Promise<{ dir: string; env: Record<string, string> } | undefined> {
  if (!settings.gitCredentials && settings.feeds.length === 0) return undefined;
  const token = await session.tokens.get();
  // Loaded only by runs that set up git or feeds.
  const { setUpCredentials } = await import('./job-credentials/setup.js');
  return setUpCredentials(
    {
      gitCredentials: settings.gitCredentials,
      feeds: settings.feeds,
      organization: settings.organization,
      credential: settings.credential,
      scope: settings.scope
    },
    token,
    {
      tempRoot,
      nodePath: process.execPath,
      helperScript: credentialHelperPath(process.argv[1]),
      env: options.env ?? process.env,
      guard,
      platform: options.platform,
      ...(options.onDirectory ? { onDirectory: options.onDirectory } : {})
    }
  );
}

/** What setUpJobCredentials configures for later steps, in words for the step summary. */
export function describeJobCredentials(settings: Settings): string[] {
  const git =
    settings.gitCredentials && settings.organization
      ? [`git over https for ${organizationUrlScopes(settings.organization).join(' and ')}`]
      : [];
  return [...git, ...settings.feeds.map((feed) => `${feed.kind} feed ${feed.url}`)];
}
