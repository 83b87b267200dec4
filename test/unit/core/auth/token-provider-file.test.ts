import { describe, expect, test } from '@jest/globals';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { OidcSource } from '../../../../src/core/settings.js';
import { createTokenProvider } from '../../../../src/core/auth/token-provider.js';
import { createFakeTransport, createTestGuard, json } from '../../fakes.js';

const SCOPE = '499b84ac-1321-427f-aa17-267ca6975798/.default';
const START = 1_800_000_000_000;

/** An unsigned JWT with the given subject, valid for an hour from START (so a cache would keep it). */
function oidcToken(subject: string): string {
  const part = (value: object): string => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part({ alg: 'RS256' })}.${part({ iss: 'https://k8s.example', sub: subject, aud: 'api://AzureADTokenExchange', exp: START / 1000 + 3600 })}.c2lnbmF0dXJl`;
}

function provider(source: OidcSource) {
  const transport = createFakeTransport([
    json(200, { access_token: 'access-token-000001', expires_in: 3599 })
  ]);
  const { guard, platform } = createTestGuard();
  const tokens = createTokenProvider({
    credential: {
      kind: 'federated',
      tenantId: '11111111-2222-4333-8444-555555555555',
      clientId: '66666666-7777-4888-8999-000000000000',
      authorityHost: 'https://login.microsoftonline.com',
      oidc: source
    },
    scope: SCOPE,
    transport,
    guard,
    names: {
      clientId: "'--client-id'",
      tenantId: "'--tenant-id'",
      cloud: "'--cloud'",
      scope: "'--scope'",
      managedIdentitySelectors: ''
    },
    subjectAdvice: '',
    timeoutSeconds: 30,
    now: () => START
  });
  const assertions = (): string[] =>
    transport.requests.map((r) => new URLSearchParams(String(r.body)).get('client_assertion') ?? '');
  return { tokens, assertions, platform };
}

describe('createTokenProvider with a federated token file', () => {
  // Regression (fixed): the OIDC token cache kept the file's token for its lifetime, so after Kubernetes rotated
  // the file a refresh still presented the old token, although the README and --help promise a re-read.
  test('reads the file again before every exchange: a refresh after rotation presents the new token', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'token-file-'));
    try {
      const path = join(dir, 'token');
      writeFileSync(path, oidcToken('system:serviceaccount:ci:first'));
      const { tokens, assertions, platform } = provider({
        kind: 'file',
        path,
        input: "'--federated-token-file'"
      });
      await tokens.get();
      writeFileSync(path, `${oidcToken('system:serviceaccount:ci:rotated')}\n`);
      await tokens.refresh();
      expect(assertions()).toEqual([
        oidcToken('system:serviceaccount:ci:first'),
        oidcToken('system:serviceaccount:ci:rotated')
      ]);
      expect(tokens.presented()?.subject).toBe('system:serviceaccount:ci:rotated');
      // Each token read is masked before it is used.
      expect(platform.secrets()).toEqual(
        expect.arrayContaining([
          oidcToken('system:serviceaccount:ci:first'),
          oidcToken('system:serviceaccount:ci:rotated')
        ])
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a token from an environment variable (it cannot change) is still read once', async () => {
    const token = oidcToken('project_path:group/app:ref_type:branch:ref:main');
    const { tokens, assertions, platform } = provider({ kind: 'env', variable: 'CI_JOB_JWT', token });
    await tokens.get();
    await tokens.refresh();
    expect(assertions()).toEqual([token, token]);
    expect(platform.lines('info').filter((l) => l.startsWith('Presented OIDC token'))).toHaveLength(1);
  });
});
