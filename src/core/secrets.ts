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
  /**
   * Masks a value known to be a secret (a proxy password) whatever its length: unlike arbitrary short
   * strings, it is worth redacting even when short.
   */
  maskKnown(value: string): void;
  /**
   * True when `text` holds a registered secret of at least MIN_SECRET_LENGTH characters (shorter known
   * secrets would refuse unrelated text), so callers can refuse to send it without repeating it.
   */
  contains(text: string): boolean;
  redact(text: string): string;
}

export function createSecretGuard(platform: Platform): SecretGuard {
  const secrets = new Set<string>();
  const sorted = (): string[] => [...secrets].sort((a, b) => b.length - a.length);

  const register = (value: string, anyLength = false): void => {
    // Stryker disable next-line ConditionalExpression,StringLiteral: a safeguard: '' is shorter than the minimum, and maskKnown skips blanks.
    if (value === '') return;
    if ((!anyLength && value.length < MIN_SECRET_LENGTH) || secrets.has(value)) return;
    secrets.add(value);
    // Platforms mask line by line and Azure Pipelines refuses multi-line secrets: those are kept for
    // redaction here, and each of their lines is registered on its own.
    if (!/[\r\n]/.test(value)) platform.setSecret(value);
  };

  const redact = (text: string): string => {
    let result = text;
    for (const secret of sorted()) {
      // Stryker disable next-line ConditionalExpression: splitting text without the secret gives it back unchanged; the test saves the work.
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
        // A blank line is left to register, which refuses ''.
        if (!trimmed.startsWith('-----')) register(trimmed);
      }
      register(value);
      return value;
    },
    maskKnown(value) {
      if (value.trim() === '') return;
      register(value, true);
      // Stryker disable next-line ConditionalExpression: registering the same value again is a no-op; the test saves the work.
      if (value.trim() !== value) register(value.trim(), true);
    },
    contains: (text) =>
      sorted().some((secret) => secret.length >= MIN_SECRET_LENGTH && text.includes(secret)),
    redact,
    // The one path of every log line: secrets out, then nothing a runner or agent would act on.
    info: (message) => platform.info(neutralizeLogLine(redact(message))),
    warning: (message) => platform.warning(neutralizeLogLine(redact(message))),
    debug: (message) => platform.debug(neutralizeLogText(redact(message)))
  };
}
