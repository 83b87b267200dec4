// One jest run, four projects: `npx jest --selectProjects unit` (or contract, e2e, emulator) runs one of them.
//   unit      test/unit: the source against fakes, and the scripts.
//   contract  test/contract: the manifests, docs and source against each other and the emulator; no bundle runs.
//   e2e       test/e2e: the committed dist/ bundles run as the runner and the agent run them. Its global setup
//             refuses a dist/ built from other sources than the working tree's (scripts/lib/build-stamp.mjs).
//   emulator  test/emulator/**: the emulator's own tests.

/** What every project shares: TypeScript through ts-jest as ES modules. @type {import('jest').Config} */
export const baseConfig = {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, diagnostics: false }]
  }
};

/** @param {string} name @param {string} dir @param {import('jest').Config} [extra] @returns {import('jest').Config} */
const project = (name, dir, extra = {}) => ({
  ...baseConfig,
  displayName: name,
  testMatch: [`<rootDir>/test/${dir}/**/*.test.ts`, `<rootDir>/test/${dir}/**/*.test.js`],
  ...extra
});

/** @type {import('jest').Config} */
export default {
  projects: [
    project('unit', 'unit'),
    project('contract', 'contract'),
    project('e2e', 'e2e', { globalSetup: '<rootDir>/test/e2e/fresh-dist.js' }),
    project('emulator', 'emulator')
  ],
  testTimeout: 120000,
  maxWorkers: 2
};
