// Mutation testing of the platform-free core against the unit tests only (`npm run test:mutation`).
// Not part of `npm test` or CI: a full run takes long; pass `--mutate src/core/x.ts` to do one file.
import jestConfig, { baseConfig } from './jest.config.js';

// eslint-disable-next-line no-unused-vars -- taken out: the mutation runs load the tests as CommonJS.
const { extensionsToTreatAsEsm, ...jestBase } = baseConfig;

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  packageManager: 'npm',
  testRunner: 'jest',
  jest: {
    projectType: 'custom',
    config: {
      ...jestBase,
      // Stryker merges this over jest.config.js, whose four projects would bring back the e2e, contract and
      // emulator tests (and the e2e global setup): an empty list makes it the one project below.
      projects: [],
      testTimeout: jestConfig.testTimeout,
      // The same TypeScript and the same tests, transpiled to CommonJS: jest loads a CommonJS test file in about
      // half the time of an ES module graph (vm modules), and a mutant run is mostly loading test files.
      transform: {
        '^.+\\.ts$': [
          'ts-jest',
          {
            useESM: false,
            diagnostics: false,
            tsconfig: {
              module: 'commonjs',
              moduleResolution: 'node10',
              verbatimModuleSyntax: false,
              isolatedModules: true,
              esModuleInterop: true,
              resolveJsonModule: true,
              target: 'ES2022'
            }
          }
        ]
      },
      testMatch: ['<rootDir>/test/unit/**/*.test.ts'],
      testPathIgnorePatterns: [
        '/node_modules/',
        // The scripts' and workflow tests read the built bundles and workflow files, which the sandbox leaves
        // out; the adapters' tests load @actions/core, which is ESM only. None of them tests src/core code
        // that the core's own unit tests do not.
        '<rootDir>/test/unit/scripts/',
        '<rootDir>/test/unit/github/',
        '<rootDir>/test/unit/azure/',
        '<rootDir>/test/unit/lint-walls.test.ts',
        '<rootDir>/test/unit/workflow-pins.test.ts'
      ],
      roots: ['<rootDir>/src', '<rootDir>/test/unit'],
      maxWorkers: 1
    },
    // Each mutant runs only the test files that import the mutated file (jest --findRelatedTests):
    // without it every mutant loads all the unit test files, ten seconds a mutant on two cores.
    enableFindRelatedTests: true
  },
  coverageAnalysis: 'perTest',
  mutate: ['src/core/**/*.ts'],
  // Two cores shared by everyone: one test runner at a time.
  concurrency: 1,
  // Static mutants (module-level constants) rerun every test: 94% of the time for 3% of the mutants.
  ignoreStatic: true,
  // A mutant that loops or waits is killed after 1.5 × the covering tests' time + 3 s (default 5 s).
  timeoutMS: 3000,
  ignorePatterns: ['dist', 'coverage', 'reports', '*.vsix'],
  tempDirName: '.tmp/stryker',
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: 'reports/mutation/index.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  clearTextReporter: { allowColor: false, logTests: false, reportScoreTable: true },
  thresholds: { high: 90, low: 85, break: null },
  cleanTempDir: true
};
