import { describeError } from './errors.js';
import type { SecretGuard } from './secrets.js';

/** The one failure line a run reports, scrubbed of secrets; the stack goes to the debug log only. */
export function failureMessage(error: unknown, guard: SecretGuard, isDebug: boolean): string {
  const stack = error instanceof Error ? error.stack : undefined;
  if (stack && isDebug) guard.debug(stack);
  return guard.redact(describeError(error));
}
