import { beforeAll, describe, expect, test } from '@jest/globals';
import { generateKeyPairSync } from 'node:crypto';
import { createCredential, type CredentialContext } from '../../../../src/core/auth/token-source.js';
import { createFakeTransport, createRecordingLogger, fixedDeadline, json } from '../../fakes.js';

const SCOPE = '499b84ac-1321-427f-aa17-267ca6975798/.default';
const TENANT = '11111111-2222-4333-8444-555555555555';
const CLIENT = '66666666-7777-4888-8999-000000000000';
/** Not the library's default authority: a credential that lost its options would go elsewhere. */
const AUTHORITY = 'https://login.microsoftonline.us';

/**
 * A key made for the run and a certificate block the library only hashes (for the x5t thumbprint): no key is
 * kept in the repository.
 */
const CERTIFICATE_PEM = `${generateKeyPairSync('rsa', { modulusLength: 2048 })
  .privateKey.export({ type: 'pkcs8', format: 'pem' })
  .toString()}-----BEGIN CERTIFICATE-----
${Buffer.from('not a real certificate, only its bytes are hashed').toString('base64')}
-----END CERTIFICATE-----
`;

function setup(env: NodeJS.ProcessEnv = {}) {
  const transport = createFakeTransport([
    json(200, { token_type: 'Bearer', access_token: 'access-token-0001', expires_in: 3600 })
  ]);
  const logger = createRecordingLogger();
  const context: CredentialContext = {
    transport,
    deadline: fixedDeadline(),
    endpointFor: () => 'Microsoft Entra token endpoint',
    getAssertion: () => Promise.reject(new Error('not federated')),
    logger,
    env
  };
  return { transport, logger, context };
}

const form = (body: unknown): Record<string, string> => Object.fromEntries(new URLSearchParams(String(body)));

describe('createCredential for the @azure/identity kinds', () => {
  beforeAll(async () => {
    // Loaded one after the other: jest's ESM loader trips over the two concurrent imports token-source.ts makes.
    await import('../../../../src/core/auth/identity-http.js');
    await import('@azure/identity');
  });

  test('a client secret is sent to the configured authority through our transport', async () => {
    const { transport, context } = setup();
    const credential = await createCredential(
      {
        kind: 'client-secret',
        tenantId: TENANT,
        clientId: CLIENT,
        clientSecret: 'client-secret-0001',
        authorityHost: AUTHORITY
      },
      context
    );
    expect((await credential.getToken(SCOPE))?.token).toBe('access-token-0001');
    expect(transport.requests.map((r) => `${r.method} ${r.url.replace(/\?.*/, '')}`)).toEqual([
      `POST ${AUTHORITY}/${TENANT}/oauth2/v2.0/token`
    ]);
    expect(form(transport.requests[0]?.body)).toMatchObject({
      client_id: CLIENT,
      client_secret: 'client-secret-0001',
      grant_type: 'client_credentials',
      scope: SCOPE
    });
  });

  test('a certificate signs a client assertion sent to the configured authority', async () => {
    const { transport, context } = setup();
    const credential = await createCredential(
      {
        kind: 'client-certificate',
        tenantId: TENANT,
        clientId: CLIENT,
        certificatePem: CERTIFICATE_PEM,
        authorityHost: AUTHORITY
      },
      context
    );
    expect((await credential.getToken(SCOPE))?.token).toBe('access-token-0001');
    expect(transport.requests.map((r) => `${r.method} ${r.url.replace(/\?.*/, '')}`)).toEqual([
      `POST ${AUTHORITY}/${TENANT}/oauth2/v2.0/token`
    ]);
    const sent = form(transport.requests[0]?.body);
    expect(sent).toMatchObject({
      client_id: CLIENT,
      client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
      grant_type: 'client_credentials'
    });
    const claims = JSON.parse(
      Buffer.from(String(sent.client_assertion).split('.')[1] ?? '', 'base64url').toString()
    ) as Record<string, unknown>;
    expect(claims).toMatchObject({
      iss: CLIENT,
      sub: CLIENT,
      aud: `${AUTHORITY}/${TENANT}/oauth2/v2.0/token`
    });
  });

  test('managed identity: no token file variable, nothing to ignore; IMDS is retried four times', async () => {
    const { logger, context } = setup({ PATH: '/usr/bin' });
    const credential = await createCredential({ kind: 'managed-identity', selector: undefined }, context);
    expect(logger.lines).toEqual([]);
    expect(context.env).toEqual({ PATH: '/usr/bin' });
    // The library's own retry count for IMDS (404 and 410 answers, seconds apart): ours replaces its five.
    expect(
      (credential as unknown as { msiRetryConfig: { maxRetries: number } }).msiRetryConfig.maxRetries
    ).toBe(4);
  });
});
