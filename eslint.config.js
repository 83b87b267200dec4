import eslint from '@eslint/js';
import tseslint from 'typescript-eslint';

const platformLibraries = (extra) => ({
  patterns: [
    { group: ['@actions/*'], message: 'Only src/github may use @actions/* (the core is platform-free).' },
    {
      group: ['azure-pipelines-task-lib', 'azure-pipelines-task-lib/*'],
      message:
        'Only src/azure may use azure-pipelines-task-lib: importing it empties process.env of INPUT_* variables.'
    },
    ...extra
  ]
});

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', '.tmp/**'] },
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
  {
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        platformLibraries([
          { group: ['../github/*', '../azure/*'], message: 'The core must not import an adapter.' }
        ])
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
            {
              group: ['azure-pipelines-task-lib', 'azure-pipelines-task-lib/*', '../azure/*'],
              message: 'The GitHub adapter must not use the Azure Pipelines adapter or task-lib.'
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
            {
              group: ['@actions/*', '../github/*'],
              message: 'The Azure Pipelines adapter must not use the GitHub adapter or @actions/*.'
            }
          ]
        }
      ]
    }
  },
  {
    files: ['test/**/*.{ts,js}', 'scripts/**/*.mjs', '*.js'],
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        Buffer: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        URL: 'readonly',
        URLSearchParams: 'readonly',
        fetch: 'readonly',
        setInterval: 'readonly',
        clearInterval: 'readonly',
        AbortController: 'readonly',
        AbortSignal: 'readonly'
      }
    }
  },
  {
    files: ['test/**/*.js'],
    languageOptions: {
      globals: {
        expect: 'readonly',
        it: 'readonly',
        test: 'readonly',
        describe: 'readonly',
        beforeAll: 'readonly',
        afterAll: 'readonly',
        beforeEach: 'readonly',
        afterEach: 'readonly',
        jest: 'readonly'
      }
    }
  },
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
