import type { TokenIdentity } from '../../src/core/devops/errors.js';
import {
  createDevOpsClient,
  type ClientPolicy,
  type DevOpsClient,
  type DevOpsRequest,
  type DevOpsResponse,
  type RequestStats
} from '../../src/core/devops/client.js';
import { createHostPolicy } from '../../src/core/devops/host-policy.js';
import { parseOperations } from '../../src/core/operations/parse.js';
import { runOperations } from '../../src/core/operations/run.js';
import type { SecretGuard } from '../../src/core/secrets.js';
import type { Organization } from '../../src/core/settings.js';
import { createThrottle, type Throttle } from '../../src/core/http/throttle.js';
import type { AccessToken, TokenProvider } from '../../src/core/auth/token-provider.js';
import { createFakeTransport, createTestGuard, type FakePlatform, type TransportStep } from './fakes.js';

export const ORG: Organization = { name: 'contoso', url: 'https://dev.azure.com/contoso' };
export const IDENTITY: TokenIdentity = {
  objectId: 'aaaaaaaa-0000-4000-8000-000000000001',
  clientId: 'bbbbbbbb-0000-4000-8000-000000000002',
  tenantId: 'cccccccc-0000-4000-8000-000000000003'
};

/** A clock whose sleep advances it, so throttle waits end at once but keep their exact lengths. */
export interface FakeClock {
  now: () => number;
  sleep: (ms: number) => Promise<void>;
  advance: (ms: number) => void;
  delays: number[];
}

export function createFakeClock(start = 1_000_000): FakeClock {
  let time = start;
  const delays: number[] = [];
  return {
    delays,
    now: () => time,
    advance: (ms) => {
      time += ms;
    },
    sleep: (ms) => {
      delays.push(ms);
      time += ms;
      return Promise.resolve();
    }
  };
}

/** Hands out `tokens` in order: get() returns the current one, refresh() moves to the next. */
export function createFakeTokens(tokens: string[]): TokenProvider & { gets: number; refreshes: number } {
  let current = 0;
  const issued = (): AccessToken => ({
    token: tokens[Math.min(current, tokens.length - 1)] ?? '',
    expiresOnTimestamp: 4_102_444_800_000
  });
  const provider = {
    gets: 0,
    refreshes: 0,
    get: () => {
      provider.gets++;
      return Promise.resolve(issued());
    },
    refresh: () => {
      provider.refreshes++;
      current++;
      return Promise.resolve(issued());
    },
    presented: () => undefined
  };
  return provider;
}

export interface ClientHarness {
  client: DevOpsClient;
  transport: ReturnType<typeof createFakeTransport>;
  tokens: ReturnType<typeof createFakeTokens>;
  clock: FakeClock;
  throttle: Throttle;
  platform: FakePlatform;
  stats: RequestStats;
  /** What logRequest received. */
  logged: string[];
}

export interface HarnessOptions {
  organization?: Organization;
  allowed?: string[];
  tokens?: string[];
  policy?: ClientPolicy;
}

/** A real client and throttle over a fake transport, fake tokens and a fake clock. */
export function createClientHarness(steps: TransportStep[], options: HarnessOptions = {}): ClientHarness {
  const organization = options.organization ?? ORG;
  const transport = createFakeTransport(steps);
  const tokens = createFakeTokens(options.tokens ?? ['first-access-token-0001', 'second-access-token-0002']);
  const { platform, guard } = createTestGuard();
  for (const token of options.tokens ?? ['first-access-token-0001', 'second-access-token-0002'])
    guard.mask(token);
  const clock = createFakeClock();
  const throttle = createThrottle(guard, clock.sleep, clock.now);
  const stats = { requests: 0, retries: 0 };
  const logged: string[] = [];
  const client = createDevOpsClient({
    transport,
    tokens,
    hosts: createHostPolicy(organization, options.allowed ?? []),
    throttle,
    guard,
    identity: IDENTITY,
    organizationName: organization.name,
    logRequest: (line) => logged.push(line),
    stats,
    sleep: clock.sleep,
    ...(options.policy ? { policy: options.policy } : {})
  });
  return { client, transport, tokens, clock, throttle, platform, stats, logged };
}

/** A request as the fake client saw it, with the URL copied at send time (pagination mutates it). */
export interface SentRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: string | undefined;
  description: string | undefined;
}

export type Reply = Partial<Omit<DevOpsResponse, 'url'>> | Error;

/** A DevOpsClient answering with `reply(request, n)` (n counts from 0, may be async) and recording requests. */
export function createFakeClient(
  reply: (request: SentRequest, n: number) => Reply | Promise<Reply>,
  stats?: RequestStats
): DevOpsClient & { sent: SentRequest[] } {
  const sent: SentRequest[] = [];
  return {
    sent,
    async send(request: DevOpsRequest) {
      const seen: SentRequest = {
        method: request.method,
        url: request.url.href,
        headers: { ...(request.headers ?? {}) },
        body: request.body,
        description: request.description
      };
      sent.push(seen);
      if (stats) stats.requests++;
      const answer = await reply(seen, sent.length - 1);
      if (answer instanceof Error) throw answer;
      const data = 'data' in answer ? answer.data : null;
      return {
        status: 200,
        headers: {},
        body: data === null || data === undefined ? '' : JSON.stringify(data),
        data,
        retries: 0,
        ...answer,
        url: new URL(request.url.href)
      };
    }
  };
}

/** A JSON reply for the fake client. */
export function ok(data: unknown, headers: Record<string, string> = {}, status = 200): Reply {
  return { status, headers: { 'content-type': 'application/json', ...headers }, data };
}

export interface RunHarness {
  client: ReturnType<typeof createFakeClient>;
  platform: FakePlatform;
  /** The run's guard: mask a value with it to make it a secret of the run. */
  guard: SecretGuard;
  stats: RequestStats;
  throttle: Throttle;
  run(yaml: string): Promise<Record<string, unknown>>;
}

/** runOperations over a fake client, a real throttle on a fake clock and a recording platform. */
export function createRunHarness(
  reply: (request: SentRequest, n: number) => Reply | Promise<Reply>,
  env: NodeJS.ProcessEnv = {},
  stats: RequestStats = { requests: 0, retries: 0 }
): RunHarness {
  const { platform, guard } = createTestGuard();
  const clock = createFakeClock();
  const throttle = createThrottle(guard, clock.sleep, clock.now);
  const client = createFakeClient(reply, stats);
  const run = (yaml: string) =>
    runOperations(parseOperations(yaml, "Input 'operations'", ORG), {
      client,
      organization: ORG,
      identity: IDENTITY,
      env,
      guard,
      stats,
      throttle
    });
  return { client, platform, guard, stats, throttle, run };
}
