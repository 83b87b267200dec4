import {
  chmodSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
  type RmOptions
} from 'node:fs';
import path, { join, type PlatformPath } from 'node:path';
import type { ManagedIdentitySelector } from '../settings.js';

/** How the git credential helper may mint a new token later in the job, without any stored secret. */
export type RefreshRecipe =
  | {
      kind: 'github-federated';
      tenantId: string;
      clientId: string;
      authorityHost: string;
      audience: string;
      scope: string;
    }
  | { kind: 'managed-identity'; selector: ManagedIdentitySelector | undefined; scope: string }
  | { kind: 'none' };

/** The CI platform whose log the helper's stderr reaches, so it can register a minted token with its masking. */
export type CiPlatform = 'github' | 'azure-pipelines';

/** What the credential helper reads: the current token, when it expires, and how to get another. */
export interface HelperState {
  token: string;
  /** Epoch milliseconds. */
  expiresOnTimestamp: number;
  refresh: RefreshRecipe;
  /** Where the step ran; absent in state files of older releases (the helper then asks the environment). */
  platform?: CiPlatform;
}

export const CREDENTIALS_DIR_PREFIX = 'azure-devops-entra-token-';

/**
 * A private directory (0700) under the runner's or agent's temp directory — never the workspace. On Windows
 * modes only set or clear the read-only attribute (0700 and 0600 keep the owner's write bit, so nothing becomes
 * read-only); there the ACL the temp directory inherits from the runner's or agent's folder protects the
 * files, and nothing here reads a mode back (docs/security.md).
 */
export function createCredentialsDir(tempRoot: string): string {
  const dir = mkdtempSync(join(tempRoot, CREDENTIALS_DIR_PREFIX));
  chmodSync(dir, 0o700);
  return dir;
}

/** Writes a file only its owner can read, atomically (a concurrent reader never sees half a file). */
export function writePrivateFile(path: string, content: string): void {
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, content, { mode: 0o600 });
  try {
    renameSync(temporary, path);
  } catch (error) {
    // Windows refuses to replace a file another process holds without sharing delete (an antivirus scan).
    rmSync(temporary, { force: true });
    throw error;
  }
}

export function writeHelperState(path: string, state: HelperState): void {
  writePrivateFile(path, JSON.stringify(state));
}

export function readHelperState(path: string): HelperState | undefined {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as HelperState;
  } catch {
    // Missing or not JSON: no state (an empty block, so no mutant can empty it).
  }
  return undefined;
}

/** What removeCredentialsDir needs from fs.rmSync (a test passes a recorder). */
export type RemoveDirectory = (dir: string, options: RmOptions) => void;

/**
 * Retries of the removal: on Windows a file still open elsewhere (an antivirus scan, a git process that has
 * not exited yet) makes the removal fail with EBUSY or EPERM for a moment; rmSync retries those with a
 * linearly growing delay (0.1 s, 0.2 s, … 1.5 s in all).
 */
export const REMOVE_OPTIONS: RmOptions = { recursive: true, force: true, maxRetries: 5, retryDelay: 100 };

/**
 * Removes a credentials directory, but only one of ours directly inside the given temp root. Paths are
 * compared with the platform's path module: on Windows RUNNER_TEMP is `D:\a\_temp`, whose children are
 * `D:\a\_temp\azure-devops-entra-token-…`, and drive letters and case may differ in spelling.
 */
export function removeCredentialsDir(
  dir: string,
  tempRoot: string,
  paths: PlatformPath = path,
  remove: RemoveDirectory = rmSync
): boolean {
  const name = paths.relative(paths.resolve(tempRoot), paths.resolve(dir));
  if (!name.startsWith(CREDENTIALS_DIR_PREFIX) || name.includes(paths.sep) || name.includes('/'))
    return false;
  remove(dir, REMOVE_OPTIONS);
  return true;
}
