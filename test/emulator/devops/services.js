// Installs the emulated Azure DevOps REST services (projects, git, policies, work items, builds) and
// the test-control routes into the devops route table, and adds their methods to `emu.devops`.
import { createBuilds } from './builds.js';
import { createGit } from './git-api.js';
import { createPolicies } from './policy.js';
import { createProjects } from './projects.js';
import { installStaticTestRoutes } from './testing-static.js';
import { createTestingRoutes } from './testing.js';
import { createWorkItems } from './wit.js';

/**
 * @param {ReturnType<typeof import('./devops.js').createDevOps>['devops']} devops
 * @param {{ httpsUrl: string, now: () => number, sleep: (ms: number) => Promise<boolean> }} deps
 */
export function installDevOpsServices(devops, { httpsUrl, now, sleep }) {
  const projects = createProjects({ devops, httpsUrl, now });
  const git = createGit({ httpsUrl, projects });
  const policies = createPolicies({ httpsUrl, projects, git });
  const workItems = createWorkItems({ httpsUrl, projects });
  const builds = createBuilds({ httpsUrl, projects });
  const testing = createTestingRoutes({ devops, httpsUrl });
  installStaticTestRoutes({ devops, sleep });

  const resetConcurrency = devops.resetStats;
  const stats = {
    /** Forgets concurrency maxima and the test-control routes' per-key counters, logs and revoked tokens. */
    resetStats() {
      resetConcurrency();
      testing.reset();
    }
  };
  const withData = extend(extend(extend(devops, projects.api), git.api), policies.api);
  return extend(extend(extend(extend(withData, workItems.api), builds.api), testing.api), stats);
}

/**
 * Copies property descriptors, not values, so accessors such as `emptyPageBeforeLast` stay live.
 * @template T, U
 * @param {T} target
 * @param {U} source
 * @returns {T & U}
 */
function extend(target, source) {
  return /** @type {T & U} */ (Object.defineProperties(target, Object.getOwnPropertyDescriptors(source)));
}
