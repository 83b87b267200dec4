import { describe, expect, test } from '@jest/globals';
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
import { WALLS } from '../../eslint.config.js';

/** Lints one line as if it were in `file`, with only the wall rules (no type information needed). */
async function violations(file: string, code: string): Promise<string[]> {
  const eslint = new ESLint({
    overrideConfigFile: true,
    overrideConfig: [{ files: ['**/*.ts'], languageOptions: { parser: tseslint.parser } }, ...WALLS]
  });
  const [result] = await eslint.lintText(code, { filePath: file });
  return (result?.messages ?? []).map((m) => m.message);
}

describe('lint walls between the core and the adapters', () => {
  test.each([
    ['src/core/x.ts', "import * as core from '@actions/core';", '@actions/*'],
    ['src/core/x.ts', "import * as tl from 'azure-pipelines-task-lib/task.js';", 'azure-pipelines-task-lib'],
    ['src/core/x.ts', "import { run } from '../github/main.js';", 'must not import an adapter'],
    ['src/core/auth/x.ts', "import { run } from '../../azure/main.js';", 'must not import an adapter'],
    ['src/core/devops/x.ts', "import * as core from '@actions/core';", '@actions/*'],
    [
      'src/core/http/x.ts',
      "import * as tl from 'azure-pipelines-task-lib/task.js';",
      'azure-pipelines-task-lib'
    ],
    ['src/core/http/x.ts', "import { run } from '../../cli/main.js';", 'must not import an adapter'],
    [
      'src/core/http/x.ts',
      "import { acquire } from '../auth/token-provider.js';",
      'must not import auth/ or devops/'
    ],
    [
      'src/core/http/x.ts',
      "import { createClient } from '../devops/client.js';",
      'must not import auth/ or devops/'
    ],
    [
      'src/core/auth/x.ts',
      "import { runOperations } from '../operations/run.js';",
      'sit below the operations engine'
    ],
    [
      'src/core/devops/x.ts',
      "import { setUp } from '../job-credentials/setup.js';",
      'sit below the operations engine'
    ],
    ['src/core/operations/x.ts', "import { run } from '../../github/main.js';", 'must not import an adapter'],
    ['src/git-credential-helper/x.ts', "import * as core from '@actions/core';", '@actions/*'],
    [
      'src/git-credential-helper/x.ts',
      "import { run } from '../azure/main.js';",
      'runs outside both platforms'
    ],
    ['src/github/x.ts', "import * as tl from 'azure-pipelines-task-lib/task.js';", 'empties process.env'],
    [
      'src/github/x.ts',
      "import { run } from '../azure/main.js';",
      'must not use the Azure Pipelines adapter'
    ],
    ['src/azure/x.ts', "import * as core from '@actions/core';", '@actions/*'],
    ['src/azure/x.ts', "import { run } from '../github/main.js';", 'must not use the GitHub adapter'],
    ['src/cli/x.ts', "import * as core from '@actions/core';", '@actions/*'],
    ['src/cli/x.ts', "import * as tl from 'azure-pipelines-task-lib/task.js';", 'azure-pipelines-task-lib'],
    ['src/cli/x.ts', "import { readGitHubSettings } from '../github/settings.js';", 'third adapter']
  ])('%s: %s is refused', async (file, code, message) => {
    const found = await violations(file, code);
    expect(found).toHaveLength(1);
    expect(found[0]).toContain(message);
  });

  test.each([
    ['src/github/x.ts', "import * as core from '@actions/core';"],
    ['src/azure/x.ts', "import * as tl from 'azure-pipelines-task-lib/task.js';"],
    ['src/core/x.ts', "import { ClientAssertionCredential } from '@azure/identity';"],
    ['src/core/auth/x.ts', "import { ClientAssertionCredential } from '@azure/identity';"],
    ['src/core/auth/x.ts', "import { parseAzureDevOpsError } from '../devops/errors.js';"],
    ['src/core/devops/x.ts', "import type { TokenProvider } from '../auth/token-provider.js';"],
    ['src/core/operations/x.ts', "import { createClient } from '../devops/client.js';"],
    ['src/core/x.ts', "import { setUp } from './job-credentials/setup.js';"]
  ])('%s: %s is allowed', async (file, code) => {
    expect(await violations(file, code)).toEqual([]);
  });
});
