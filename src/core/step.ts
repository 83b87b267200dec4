import type { Session, TokenResult } from './acquire.js';
import { runOperations } from './operations/run.js';
import type { SecretGuard } from './secrets.js';
import type { Settings } from './settings.js';

/** Runs the configured operations with the run's session; returns the `results` output (JSON), or undefined when there are none. */
export async function runConfiguredOperations(
  settings: Settings,
  token: TokenResult,
  session: Session,
  guard: SecretGuard,
  env: NodeJS.ProcessEnv = process.env
): Promise<string | undefined> {
  if (settings.operations === undefined) return undefined;
  const results = await runOperations(settings.operations, {
    client: session.client,
    organization: settings.organization,
    identity: token,
    env,
    guard,
    stats: session.stats,
    throttle: session.throttle
  });
  // Results come from Azure DevOps responses; a response that echoed a secret must not carry it on.
  return guard.redact(JSON.stringify(results));
}
