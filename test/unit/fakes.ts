import type { Deadline, HttpRequest, HttpResponse, HttpTransport } from '../../src/core/http/transport.js';
import type { Logger, Platform } from '../../src/core/platform.js';
import { createSecretGuard, type SecretGuard } from '../../src/core/secrets.js';

/** One call the core made on the platform, in order, so tests can check masking came before logging. */
export type PlatformCall =
  { kind: 'setSecret'; value: string } | { kind: 'info' | 'warning' | 'debug'; value: string };

export interface FakePlatform extends Platform {
  calls: PlatformCall[];
  secrets(): string[];
  lines(kind?: 'info' | 'warning' | 'debug'): string[];
}

export function createFakePlatform(name = 'Test Platform'): FakePlatform {
  const calls: PlatformCall[] = [];
  return {
    name,
    isDebug: false,
    calls,
    setSecret: (value) => calls.push({ kind: 'setSecret', value }),
    info: (value) => calls.push({ kind: 'info', value }),
    warning: (value) => calls.push({ kind: 'warning', value }),
    debug: (value) => calls.push({ kind: 'debug', value }),
    agentFor: () => undefined,
    secrets: () => calls.filter((c) => c.kind === 'setSecret').map((c) => c.value),
    lines: (kind) =>
      calls
        .filter((c) => c.kind !== 'setSecret' && (kind === undefined || c.kind === kind))
        .map((c) => c.value)
  };
}

/** A real secret guard over a recording platform. */
export function createTestGuard(): { platform: FakePlatform; guard: SecretGuard } {
  const platform = createFakePlatform();
  return { platform, guard: createSecretGuard(platform) };
}

export function createRecordingLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  return {
    lines,
    info: (m) => lines.push(`info: ${m}`),
    warning: (m) => lines.push(`warning: ${m}`),
    debug: (m) => lines.push(`debug: ${m}`)
  };
}

/** A step of a fake transport: a response to return, or an error to throw. */
export type TransportStep = Partial<HttpResponse> | Error;

/** Answers requests with `steps` in order (the last one repeats) and records every request. */
export function createFakeTransport(steps: TransportStep[]): HttpTransport & { requests: HttpRequest[] } {
  const requests: HttpRequest[] = [];
  return {
    requests,
    send(request) {
      requests.push(request);
      const step = steps[Math.min(requests.length - 1, steps.length - 1)];
      if (step === undefined) return Promise.reject(new Error('fake transport has no steps'));
      if (step instanceof Error) return Promise.reject(step);
      return Promise.resolve({ status: 200, headers: {}, body: '', ...step });
    }
  };
}

export function json(status: number, body: unknown, headers: Record<string, string> = {}): HttpResponse {
  return {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
    body: JSON.stringify(body)
  };
}

export function fixedDeadline(remainingMs = 60_000, seconds = 60): Deadline {
  return { seconds, remainingMs: () => remainingMs };
}

/** A sleep that returns at once and records what it was asked for. */
export function createFakeSleep(): ((ms: number) => Promise<void>) & { delays: number[] } {
  const delays: number[] = [];
  const sleep = (ms: number): Promise<void> => {
    delays.push(ms);
    return Promise.resolve();
  };
  return Object.assign(sleep, { delays });
}

/** An unsigned JWT with the given claims, enough for code that only decodes. */
export function makeJwt(claims: Record<string, unknown>): string {
  const part = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part({ alg: 'RS256', typ: 'JWT' })}.${part(claims)}.c2lnbmF0dXJlLW5vdC1jaGVja2Vk`;
}

/** Runs `fn` and returns what it threw, failing the test if it did not throw. */
export function thrownBy(fn: () => unknown): Error {
  try {
    fn();
  } catch (error) {
    if (error instanceof Error) return error;
    throw new Error(`threw a non-Error: ${String(error)}`);
  }
  throw new Error('expected a throw');
}

export async function rejectionOf(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof Error) return error;
    throw new Error(`rejected with a non-Error: ${String(error)}`);
  }
  throw new Error('expected a rejection');
}
