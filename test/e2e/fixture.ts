import { afterAll, beforeAll, beforeEach, expect, test } from '@jest/globals';
import { startEmulator } from '../emulator/index.js';
import { findLeaks, unmasked } from './leaks.js';
import type { AzureOptions, AzureRun, Endpoint, GitHubRun } from './runner.js';

export type Emulator = Awaited<ReturnType<typeof startEmulator>>;
export { startEmulator };

export const AZURE_DEVOPS_SCOPE = '499b84ac-1321-427f-aa17-267ca6975798/.default';

/**
 * `test` on other systems, `test.skip` on the ones named, printing why once (the CI matrix runs Linux, Windows
 * and macOS): `skipOn(['win32'], 'a #!/bin/sh stand-in is not executable on Windows')('…', async () => …)`.
 */
export function skipOn(platforms: readonly NodeJS.Platform[], reason: string): typeof test.skip {
  if (!platforms.includes(process.platform)) return test;
  console.warn(`Skipped on ${process.platform}: ${reason}`);
  return test.skip;
}

/** Environment of a GitHub job with `permissions: id-token: write`, pointed at the emulator. */
export function githubEnv(emu: Emulator): Record<string, string> {
  return { ...emu.env.common, ...emu.env.github };
}

/** Inputs for a federated run against the emulator's Entra and organization. */
export function githubInputs(emu: Emulator, extra: Record<string, string> = {}): Record<string, string> {
  return {
    'client-id': emu.app.clientId,
    'tenant-id': emu.tenantId,
    'authority-host': emu.httpsUrl,
    organization: emu.devops.orgUrl,
    ...extra
  };
}

export function wifEndpoint(emu: Emulator, extra: Partial<Endpoint> = {}): Endpoint {
  return {
    id: emu.azurePipelines.serviceConnectionId,
    scheme: 'WorkloadIdentityFederation',
    parameters: {
      serviceprincipalid: emu.app.clientId,
      tenantid: emu.tenantId,
      workloadIdentityFederationSubject: 'sc://contoso/release-project/release-wif'
    },
    data: { activeDirectoryAuthority: `${emu.httpsUrl}/`, environment: 'AzureCloud' },
    ...extra
  };
}

/** Agent environment of a job in the emulator's organization. */
export function azureOptions(emu: Emulator, extra: AzureOptions = {}): AzureOptions {
  return {
    ...extra,
    inputs: { azureSubscription: emu.azurePipelines.serviceConnectionId, ...extra.inputs },
    endpoints: extra.endpoints ?? [wifEndpoint(emu)],
    variables: {
      'System.OidcRequestUri': emu.azurePipelines.oidcRequestUri,
      'System.CollectionUri': emu.azurePipelines.collectionUri,
      ...extra.variables
    },
    systemAccessToken: extra.systemAccessToken ?? emu.azurePipelines.systemAccessToken,
    env: { ...emu.env.common, ...extra.env }
  };
}

/** Every secret the emulator knows is absent from the output; every secret the run handled was masked. */
export function expectNoLeaks(run: GitHubRun | AzureRun, emu: Emulator, allowedInFiles: string[] = []): void {
  expect(findLeaks(run, emu.secrets(), allowedInFiles)).toEqual([]);
  const handled = emu.secrets().filter((s) => run.stdout.includes(s));
  expect(unmasked(run, handled)).toEqual([]);
}

export function decodeClaims(jwt: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<
    string,
    unknown
  >;
}

/** What a user reads when the step fails: GitHub's ::error:: text or the task's result message. */
export function failureText(run: GitHubRun | AzureRun): string {
  return 'masks' in run ? run.errors.join('\n') : run.resultMessage;
}

/**
 * Starts one emulator for the test file (closed after it, reset before each test) and returns a handle
 * that forwards to it, so tests write `emu.requests` as if they held the emulator itself.
 */
export function useEmulator(): Emulator {
  let current: Emulator | undefined;
  beforeAll(async () => {
    current = await startEmulator();
  });
  afterAll(async () => {
    await current?.close();
  });
  beforeEach(() => current?.reset());
  return new Proxy({} as Emulator, {
    get(_target, property) {
      if (current === undefined) throw new Error('The emulator is used before beforeAll started it.');
      const value: unknown = Reflect.get(current, property, current);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(current) : value;
    },
    set(_target, property, value) {
      if (current === undefined) throw new Error('The emulator is used before beforeAll started it.');
      return Reflect.set(current, property, value, current);
    }
  });
}
