import * as core from '@actions/core';
import { tmpdir } from 'node:os';
import { removeCredentialsDir } from '../core/job-credentials/state.js';
import { describeError } from '../core/errors.js';
import { neutralizeLogLine } from '../core/log-text.js';

/** The action's post step (job end): removes the git and feed credentials the main step set up. Never throws. */
export function run(): void {
  const dir = core.getState('credentialsDir');
  if (!dir) return;
  // The state is ours, but it passed through a file of the job: print it as text, never as a command.
  const shown = neutralizeLogLine(dir);
  try {
    if (removeCredentialsDir(dir, process.env.RUNNER_TEMP ?? tmpdir()))
      core.info(
        `Removed the git and feed credentials (${shown}); git and package clients no longer get a token from this step.`
      );
    else
      core.warning(
        `Did not remove ${shown}: it is not a credentials directory of this action inside RUNNER_TEMP.`
      );
  } catch (error) {
    core.warning(
      `Could not remove the git and feed credentials (${shown}): ${neutralizeLogLine(describeError(error))}`
    );
  }
}
