import { chmodSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
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

/** A private directory (0700) under the runner's or agent's temp directory — never the workspace. */
export function createCredentialsDir(tempRoot: string): string {
  const dir = mkdtempSync(join(tempRoot, CREDENTIALS_DIR_PREFIX));
  chmodSync(dir, 0o700);
  return dir;
}

/** Writes a file only its owner can read, atomically (a concurrent reader never sees half a file). */
export function writePrivateFile(path: string, content: string): void {
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, content, { mode: 0o600 });
  renameSync(temporary, path);
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

/** Removes a credentials directory, but only one of ours inside the given temp root. */
export function removeCredentialsDir(dir: string, tempRoot: string): boolean {
  const normalizedRoot = tempRoot.endsWith('/') ? tempRoot : `${tempRoot}/`;
  const name = dir.slice(normalizedRoot.length);
  if (!dir.startsWith(normalizedRoot) || !name.startsWith(CREDENTIALS_DIR_PREFIX) || name.includes('/'))
    return false;
  rmSync(dir, { recursive: true, force: true });
  return true;
}
