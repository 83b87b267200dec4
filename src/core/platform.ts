import type { Agent } from 'node:http';

/** Where log lines go. Every message passes through the secret guard before it reaches one of these. */
export interface Logger {
  info(message: string): void;
  warning(message: string): void;
  debug(message: string): void;
}

/**
 * What the core needs from the CI platform. Inputs and outputs are handled by each adapter, which
 * knows its own manifest; the core only masks, logs and asks how to reach a URL.
 */
export interface Platform extends Logger {
  /** Human name used in messages: "GitHub Actions" or "Azure Pipelines". */
  readonly name: string;
  /** Registers a value with the platform's log masking. Must be called before the value is used. */
  setSecret(value: string): void;
  /** The agent to use for a request to `url` (a proxy agent when a proxy applies), or undefined. */
  agentFor(url: URL): Agent | undefined;
  /** True when the user asked for debug logging (RUNNER_DEBUG / System.Debug). */
  readonly isDebug: boolean;
}
