/* global process, URL */
// Runs after the action's own post step (post steps run in reverse order): the same check as
// `node scripts/canary.mjs post-cleanup`, with the environment the job has at its end.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const script = fileURLToPath(new URL('../../../scripts/canary.mjs', import.meta.url));
const run = spawnSync(process.execPath, [script, 'post-cleanup'], { stdio: 'inherit' });
process.exitCode = run.status ?? 1;
