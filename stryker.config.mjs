// Mutation testing of the platform-free core against the unit tests only (`npm run test:mutation`).
// Not part of `npm test` or CI: a full run takes long; pass `--mutate src/core/x.ts` to do one file.
import jestConfig from './jest.config.js';

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  packageManager: 'npm',
  testRunner: 'jest',
  // The unit tests are ESM (ts-jest with useESM), exactly as `npm run test:unit` runs them.
  testRunnerNodeArgs: ['--experimental-vm-modules'],
  jest: {
    projectType: 'custom',
    config: {
      ...jestConfig,
      testMatch: ['<rootDir>/test/unit/**/*.test.ts'],
      // The scripts' tests read the built bundles, which the sandbox leaves out; they test no src/core code.
      testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/unit/scripts/'],
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
