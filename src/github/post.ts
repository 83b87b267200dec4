import * as core from './workflow.js';
import { tmpdir } from 'node:os';
import { removeCredentialsDir } from '../core/credentials/state.js';

/** The action's post entry (job end): removes the git and feed credentials the main step set up. */
const dir = core.getState('credentialsDir');
if (dir) {
  const removed = removeCredentialsDir(dir, process.env.RUNNER_TEMP ?? tmpdir());
  if (removed)
    core.info(
      `Removed the git and feed credentials (${dir}); git and package clients no longer get a token from this step.`
    );
  else
    core.warning(
      `Did not remove ${dir}: it is not a credentials directory of this action inside RUNNER_TEMP.`
    );
}
