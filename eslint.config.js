import eslint from '@eslint/js';
import tseslint from 'typescript-eslint';

const ACTIONS = {
  group: ['@actions/*'],
  message: 'Only src/github may use @actions/* (the core is platform-free).'
};
const TASK_LIB = {
  group: ['azure-pipelines-task-lib', 'azure-pipelines-task-lib/*'],
  message:
    'Only src/azure may use azure-pipelines-task-lib: importing it empties process.env of INPUT_* variables.'
};

/** An adapter as the core's files (src/core and its concern folders) would import it. */
const ADAPTERS_FROM_CORE = ['../github/*', '../azure/*', '../cli/*', '../git-credential-helper/*'].flatMap(
  (p) => [p, `../${p}`]
);
/** What sits above the transport and the token source: the two users of a token, loaded only when a run needs them. */
const UPPER_FOLDERS = {
  group: ['../operations/*', '../job-credentials/*'],
  message:
    'auth/, devops/ and http/ sit below the operations engine and the job credentials: they must not import them.'
};

/**
 * The walls between the core and the two adapters, and between the core's concern folders; test/unit/lint-walls.test.ts proves they hold.
 * @type {import('eslint').Linter.Config[]}
 */
export const WALLS = [
  {
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            ACTIONS,
            TASK_LIB,
            { group: ADAPTERS_FROM_CORE, message: 'The core must not import an adapter.' }
          ]
        }
      ]
    }
  },
  {
    files: ['src/core/http/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            ACTIONS,
            TASK_LIB,
            { group: ADAPTERS_FROM_CORE, message: 'The core must not import an adapter.' },
            UPPER_FOLDERS,
            {
              group: ['../auth/*', '../devops/*'],
              message: 'http/ is the transport under everything: it must not import auth/ or devops/.'
            }
          ]
        }
      ]
    }
  },
  {
    files: ['src/core/auth/**/*.ts', 'src/core/devops/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            ACTIONS,
            TASK_LIB,
            { group: ADAPTERS_FROM_CORE, message: 'The core must not import an adapter.' },
            UPPER_FOLDERS
          ]
        }
      ]
    }
  },
  {
    files: ['src/github/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            TASK_LIB,
            { group: ['../azure/*'], message: 'The GitHub adapter must not use the Azure Pipelines adapter.' }
          ]
        }
      ]
    }
  },
  {
    files: ['src/git-credential-helper/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            ACTIONS,
            TASK_LIB,
            {
              group: ['../github/*', '../azure/*'],
              message: 'The git credential helper runs outside both platforms.'
            }
          ]
        }
      ]
    }
  },
  {
    files: ['src/cli/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            ACTIONS,
            TASK_LIB,
            {
              group: ['../github/*', '../azure/*'],
              message: 'The command line is a third adapter over the core, not a user of the other two.'
            }
          ]
        }
      ]
    }
  },
  {
    files: ['src/azure/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            ACTIONS,
            {
              group: ['../github/*'],
              message: 'The Azure Pipelines adapter must not use the GitHub adapter.'
            }
          ]
        }
      ]
    }
  }
];

const NODE_GLOBALS = Object.fromEntries(
  [
    'process',
    'console',
    'Buffer',
    'setTimeout',
    'clearTimeout',
    'setInterval',
    'clearInterval',
    'URL',
    'URLSearchParams',
    'fetch',
    'AbortController',
    'AbortSignal'
  ].map((g) => [g, 'readonly'])
);
const JEST_GLOBALS = Object.fromEntries(
  ['expect', 'it', 'test', 'describe', 'beforeAll', 'afterAll', 'beforeEach', 'afterEach', 'jest'].map(
    (g) => [g, 'readonly']
  )
);

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', '.tmp/**', 'reports/**'] },
  eslint.configs.recommended,
  {
    files: ['**/*.ts'],
    extends: [...tseslint.configs.recommendedTypeChecked],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/explicit-module-boundary-types': 'error',
      '@typescript-eslint/consistent-type-imports': 'error'
    }
  },
  ...WALLS,
  { files: ['test/**/*.{ts,js}', 'scripts/**/*.mjs', '*.js'], languageOptions: { globals: NODE_GLOBALS } },
  { files: ['test/**/*.js'], languageOptions: { globals: JEST_GLOBALS } },
  {
    files: ['test/**/*.ts'],
    rules: {
      '@typescript-eslint/explicit-module-boundary-types': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-return': 'off'
    }
  }
);
