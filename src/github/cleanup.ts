import * as core from '@actions/core';
import { tmpdir } from 'node:os';
import { removeCredentialsDir } from '../core/credentials/state.js';
import { describeError } from '../core/errors.js';

/** The action's post step (job end): removes the git and feed credentials the main step set up. Never throws. */
export function run(): void {
  const dir = core.getState('credentialsDir');
  if (!dir) return;
  try {
    if (removeCredentialsDir(dir, process.env.RUNNER_TEMP ?? tmpdir()))
      core.info(
        `Removed the git and feed credentials (${dir}); git and package clients no longer get a token from this step.`
      );
    else
      core.warning(
        `Did not remove ${dir}: it is not a credentials directory of this action inside RUNNER_TEMP.`
      );
  } catch (error) {
    core.warning(`Could not remove the git and feed credentials (${dir}): ${describeError(error)}`);
  }
}
