import { describeError } from './errors.js';
import { neutralizeLogText } from './log-text.js';
import type { SecretGuard } from './secrets.js';

/**
 * The one failure line a run reports, scrubbed of secrets and of anything the runner or agent would act on
 * (it quotes server answers); the stack goes to the debug log only.
 */
export function failureMessage(error: unknown, guard: SecretGuard, isDebug: boolean): string {
  const stack = error instanceof Error ? error.stack : undefined;
  if (stack && isDebug) guard.debug(stack);
  return neutralizeLogText(guard.redact(describeError(error)));
}
