// The live canary's checks, defined once. .github/workflows/live.yml and azure-pipelines/live.yml carry a
// step named `... (canary: <id>)` for each, scripts/canary.mjs runs them, and test/contract/live-canary.test.ts
// holds the three in step and ties each check to the end-to-end test that makes the same check against the
// emulator (its file must contain the evidence and the marker comment `// canary: <id>`).

/** The one read the canary sends, as it appears in the action's `operations` and the task's `operations`. */
export const CANARY_OPERATION = { name: 'projects', url: '_apis/projects', select: 'value[].name' };

/** Prefix of the directory the action and the task create for git and feed credentials (src/core/job-credentials/state.ts). */
export const CREDENTIALS_DIR_PREFIX = 'azure-devops-entra-token-';

/**
 * @typedef {{ file: string, evidence: string[] }} E2eCheck  an end-to-end test file, and text it must contain
 * @typedef {{ id: string, proves: string, operation?: typeof CANARY_OPERATION,
 *   e2e: { github: E2eCheck, azure: E2eCheck } }} CanaryCheck
 * @type {readonly CanaryCheck[]}
 */
export const CANARY_CHECKS = [
  {
    id: 'verify',
    proves:
      'Entra issued a token for the federated credential and the organization accepted it (the identity output comes from connectionData).',
    e2e: {
      github: { file: 'test/e2e/github.test.ts', evidence: ["identity: 'release-bot'"] },
      azure: { file: 'test/e2e/azure.test.ts', evidence: ["identity: 'release-bot'"] }
    }
  },
  {
    id: 'projects-read',
    proves: 'An operation reads the REST API with the token: the results output lists at least one project.',
    operation: CANARY_OPERATION,
    e2e: {
      github: {
        file: 'test/e2e/operations.test.ts',
        evidence: ['url: _apis/projects', 'select: "value[].name"']
      },
      azure: {
        file: 'test/e2e/operations-azure.test.ts',
        evidence: ["{ name: 'projects', url: '_apis/projects', select: 'value[].name' }"]
      }
    }
  },
  {
    id: 'git-ls-remote',
    proves:
      'git, configured by git-credentials / gitCredentials, authenticates to Azure Repos with no other set-up.',
    e2e: {
      github: { file: 'test/e2e/credentials.test.ts', evidence: ["['ls-remote', repo.cloneUrl]"] },
      azure: { file: 'test/e2e/credentials.test.ts', evidence: ["['ls-remote', repo.cloneUrl]"] }
    }
  },
  {
    id: 'post-cleanup',
    proves:
      'The post step (GitHub) / postjobexecution handler (Azure Pipelines) removes the credentials directory, and git no longer authenticates.',
    e2e: {
      github: { file: 'test/e2e/credentials.test.ts', evidence: ["'Removed the git and feed credentials'"] },
      azure: {
        file: 'test/e2e/credentials.test.ts',
        evidence: ["'Removed 1 git and feed credential directory'"]
      }
    }
  }
];

/** The marker comment an end-to-end test carries next to the assertion that makes a canary check. */
export const canaryMarker = (id) => `// canary: ${id}`;
