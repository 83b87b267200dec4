import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { ROOT } from './manifests.js';

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
export function runCliBundle(args: string[], dir: string, env: Record<string, string> = {}): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      cwd: dir,
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir, ...env },
      stdio: ['ignore', 'pipe', 'pipe']
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
    child.on('error', reject);
    child.on('close', (exitCode) => resolve({ exitCode, stdout, stderr, dir }));
  });
}
