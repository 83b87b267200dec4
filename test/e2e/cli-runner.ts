import { join } from 'node:path';
import { runProcess } from '../../scripts/lib/hosts.mjs';
import { ROOT } from '../contract/manifests.js';

const CLI = join(ROOT, 'dist/cli/index.js');

export interface CliRun {
  exitCode: number | null;
  stdout: string;
  stderr: string;
  /** The scratch directory the command ran in (its HOME and working directory). */
  dir: string;
}

/**
 * Runs the committed bundle as a user's shell would: `node dist/cli/index.js ARGS` in `dir` (also HOME), with
 * PATH and only the given env.
 */
export async function runCliBundle(
  args: string[],
  dir: string,
  env: Record<string, string> = {}
): Promise<CliRun> {
  const { exitCode, stdout, stderr } = await runProcess([process.execPath, CLI, ...args], env, dir);
  return { exitCode, stdout, stderr, dir };
}
