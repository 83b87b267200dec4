import * as tl from 'azure-pipelines-task-lib/task.js';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { CREDENTIALS_DIR_PREFIX, removeCredentialsDir } from '../core/job-credentials/state.js';

/** The task's postjobexecution handler (job end): removes every git and feed credential directory the task set up. */
const tempRoot = tl.getVariable('Agent.TempDirectory');
if (tempRoot) {
  let removed = 0;
  for (const name of readdirSync(tempRoot).filter((n) => n.startsWith(CREDENTIALS_DIR_PREFIX))) {
    if (removeCredentialsDir(join(tempRoot, name), tempRoot)) removed++;
  }
  if (removed > 0)
    console.log(
      `Removed ${removed} git and feed credential director${removed === 1 ? 'y' : 'ies'}; git and package clients no longer get a token from this task.`
    );
}
tl.setResult(tl.TaskResult.Succeeded, 'Credentials cleaned up.');
