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
    ['src/core/x.ts', "import { ClientAssertionCredential } from '@azure/identity';"]
  ])('%s: %s is allowed', async (file, code) => {
    expect(await violations(file, code)).toEqual([]);
  });
});
