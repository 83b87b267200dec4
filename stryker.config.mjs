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
    config: { ...jestConfig, testMatch: ['<rootDir>/test/unit/**/*.test.ts'], maxWorkers: 1 },
    enableFindRelatedTests: false
  },
  coverageAnalysis: 'perTest',
  mutate: ['src/core/**/*.ts'],
  // Two cores shared by everyone: one test runner at a time.
  concurrency: 1,
  // Static mutants (module-level constants) rerun every test: 94% of the time for 3% of the mutants.
  ignoreStatic: true,
  ignorePatterns: ['dist', 'coverage', 'reports', '*.vsix'],
  tempDirName: '.tmp/stryker',
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: 'reports/mutation/index.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  clearTextReporter: { allowColor: false, logTests: false, reportScoreTable: true },
  thresholds: { high: 90, low: 85, break: null },
  cleanTempDir: true
};
