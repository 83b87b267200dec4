import { neutralizeLogLine, neutralizeLogText } from './log-text.js';
import type { Logger, Platform } from './platform.js';

const REDACTED = '***';
/** Shorter values are not worth masking and would redact unrelated text. */
const MIN_SECRET_LENGTH = 6;

/**
 * Keeps every secret the run has seen, registers each with the platform's masking, and scrubs them
 * from any text the core writes or throws. Masking by the runner is the first line of defence;
 * `redact` is the second, for messages built from error bodies or third-party errors. Its log methods also
 * neutralise runner and agent commands (log-text.ts), since log lines quote server and input text.
 */
export interface SecretGuard extends Logger {
  /** Masks `value` (and its non-trivial lines) and returns it, so it can wrap the first use. */
  mask<T extends string | undefined>(value: T): T;
  redact(text: string): string;
}

export function createSecretGuard(platform: Platform): SecretGuard {
  const secrets = new Set<string>();
  const sorted = (): string[] => [...secrets].sort((a, b) => b.length - a.length);

  const register = (value: string): void => {
    if (value.length < MIN_SECRET_LENGTH || secrets.has(value)) return;
    secrets.add(value);
    // Platforms mask line by line and Azure Pipelines refuses multi-line secrets: those are kept for
    // redaction here, and each of their lines is registered on its own.
    if (!/[\r\n]/.test(value)) platform.setSecret(value);
  };

  const redact = (text: string): string => {
    let result = text;
    for (const secret of sorted()) {
      if (result.includes(secret)) result = result.split(secret).join(REDACTED);
    }
    return result;
  };

  return {
    mask<T extends string | undefined>(value: T): T {
      if (value === undefined || value.trim() === '') return value;
      // Multi-line secrets (PEM keys) are masked line by line: runners match masks within one line.
      for (const line of value.split(/\r?\n/)) {
        const trimmed = line.trim();
        if (trimmed !== '' && !trimmed.startsWith('-----')) register(trimmed);
      }
      register(value);
      return value;
    },
    redact,
    // The one path of every log line: secrets out, then nothing a runner or agent would act on.
    info: (message) => platform.info(neutralizeLogLine(redact(message))),
    warning: (message) => platform.warning(neutralizeLogLine(redact(message))),
    debug: (message) => platform.debug(neutralizeLogText(redact(message)))
  };
}
