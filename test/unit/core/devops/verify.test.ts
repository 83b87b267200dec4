import { AzureDevOpsError } from '../../../../src/core/errors.js';
import { verifyToken } from '../../../../src/core/devops/verify.js';
import { createDevOpsClient } from '../../../../src/core/devops/client.js';
import { createHostPolicy } from '../../../../src/core/devops/host-policy.js';
import { createThrottle } from '../../../../src/core/http/throttle.js';
import {
  createFakeSleep,
  createFakeTransport,
  createTestGuard,
  json,
  rejectionOf,
  type TransportStep
} from '../../fakes.js';

const TOKEN = 'eyJ0eXAiOiJKV1QifQ.access-token.signature';
const ORG = { name: 'contoso', url: 'https://dev.azure.com/contoso' };
const URL = 'https://dev.azure.com/contoso/_apis/connectionData';
const IDENTITY = {
  objectId: 'aaaaaaaa-0000-4000-8000-000000000001',
  clientId: 'bbbbbbbb-0000-4000-8000-000000000002',
  tenantId: 'cccccccc-0000-4000-8000-000000000003'
};
const NOT_A_MEMBER = `The identity (object ID ${IDENTITY.objectId}, application ID ${IDENTITY.clientId}, tenant ${IDENTITY.tenantId}) is not a member of organization 'contoso'. Add it in Organization settings → Users → Add users`;
const TF400813 =
  "TF400813: The user 'bbbbbbbb-0000-4000-8000-000000000002' is not authorized to access this resource.";

function setup(steps: TransportStep[], identity = IDENTITY) {
  const transport = createFakeTransport(steps);
  const { guard } = createTestGuard();
  const sleep = createFakeSleep();
  const token = { token: TOKEN, expiresOnTimestamp: Date.now() + 3_600_000 };
  const client = createDevOpsClient({
    transport,
    tokens: {
      get: () => Promise.resolve(token),
      refresh: () => Promise.resolve(token),
      presented: () => undefined
    },
    hosts: createHostPolicy(ORG, []),
    throttle: createThrottle(guard, sleep),
    guard,
    identity,
    organizationName: ORG.name,
    logRequest: () => undefined,
    sleep
  });
  return { transport, verify: () => verifyToken(client, ORG, identity) };
}

describe('verifyToken', () => {
  test('returns the identity Azure DevOps knows, after a GET to connectionData', async () => {
    const { transport, verify } = setup([
      json(200, { authenticatedUser: { id: 'user-id-1', providerDisplayName: 'release-bot' } })
    ]);
    expect(await verify()).toEqual({ id: 'user-id-1', displayName: 'release-bot' });
    expect(transport.requests).toEqual([
      {
        method: 'GET',
        url: URL,
        headers: {
          authorization: `Bearer ${TOKEN}`,
          accept: 'application/json',
          'x-tfs-fedauthredirect': 'Suppress'
        },
        endpoint: 'Azure DevOps host dev.azure.com',
        timeoutMs: 60_000,
        maxBytes: 64 * 1024 * 1024,
        tooLargeAdvice: expect.stringContaining('$top')
      }
    ]);
  });

  test('returns empty strings when the body has no authenticated user', async () => {
    const { verify } = setup([json(200, {})]);
    expect(await verify()).toEqual({ id: '', displayName: '' });
  });

  test('any 2xx with a JSON object is accepted (299 included)', async () => {
    const { verify } = setup([json(299, { authenticatedUser: { id: 'u', providerDisplayName: 'bot' } })]);
    expect(await verify()).toEqual({ id: 'u', displayName: 'bot' });
  });

  test('199 is not success, even with the object', async () => {
    const { verify } = setup([json(199, { authenticatedUser: { id: 'u', providerDisplayName: 'bot' } })]);
    expect(((await rejectionOf(verify())) as AzureDevOpsError).status).toBe(199);
  });

  test('300 is not success, even with the object', async () => {
    const { verify } = setup([json(300, { authenticatedUser: { id: 'u', providerDisplayName: 'bot' } })]);
    const error = await rejectionOf(verify());
    expect(error).toBeInstanceOf(AzureDevOpsError);
    expect((error as AzureDevOpsError).status).toBe(300);
  });

  test.each([
    ['an empty body', ''],
    ['JSON null', 'null'],
    ['a JSON string', '"ok"']
  ])('200 with %s is not a verification', async (_label, body) => {
    const { verify } = setup([{ status: 200, headers: { 'content-type': 'application/json' }, body }]);
    const error = await rejectionOf(verify());
    expect(error).toBeInstanceOf(AzureDevOpsError);
    expect((error as AzureDevOpsError).status).toBe(200);
  });

  test('203 is the sign-in page: names the object ID to add to the organization', async () => {
    const { verify } = setup([
      { status: 203, headers: { 'content-type': 'text/html' }, body: '<html>sign in</html>' }
    ]);
    const error = await rejectionOf(verify());
    expect(error).toBeInstanceOf(AzureDevOpsError);
    expect((error as AzureDevOpsError).status).toBe(203);
    expect(error.message).toContain(
      `Verifying the token against organization 'contoso' failed: ${URL} answered HTTP 203 with a sign-in page instead of JSON, which means it did not accept the token.`
    );
    expect(error.message).toContain(NOT_A_MEMBER);
    expect(error.message).toContain('with a sign-in page instead of JSON');
    expect(error.message).not.toContain(TOKEN);
  });

  test('200 with HTML is the sign-in page too', async () => {
    const { verify } = setup([
      { status: 200, headers: { 'content-type': 'text/html; charset=utf-8' }, body: '<html/>' }
    ]);
    const error = await rejectionOf(verify());
    expect(error).toBeInstanceOf(AzureDevOpsError);
    expect((error as AzureDevOpsError).status).toBe(200);
    expect(error.message).toContain(NOT_A_MEMBER);
    expect(error.message).toContain('sign-in page instead of JSON');
  });

  // Regression (fixed): verify.ts rewrites the status to 203 before building the message, so a 200 HTML answer is reported as "HTTP 203".
  test('200 with HTML reports the status Azure DevOps actually sent', async () => {
    const { verify } = setup([{ status: 200, headers: { 'content-type': 'text/html' }, body: '<html/>' }]);
    expect((await rejectionOf(verify())).message).toContain(`${URL} answered HTTP 200`);
  });

  test('401 with TF400813 keeps the code and says to add the identity in Organization settings', async () => {
    const { transport, verify } = setup([
      json(401, { message: TF400813, typeKey: 'UnauthorizedRequestException' })
    ]);
    const error = (await rejectionOf(verify())) as AzureDevOpsError;
    expect(error).toBeInstanceOf(AzureDevOpsError);
    expect(error.code).toBe('TF400813');
    expect(error.status).toBe(401);
    expect(error.message).toContain(
      `answered HTTP 401: ${TF400813.replace(/\.$/, '')} (UnauthorizedRequestException).`
    );
    expect(error.message).toContain(NOT_A_MEMBER);
    expect(error.message).toContain('Organization settings → Microsoft Entra');
    expect(transport.requests).toHaveLength(1);
  });

  test('an identity without claims is named as unknown', async () => {
    const { verify } = setup([json(401, {})], { objectId: '', clientId: '', tenantId: '' });
    expect((await rejectionOf(verify())).message).toContain(
      'The identity (object ID unknown, application ID unknown, tenant unknown)'
    );
  });

  test('403 says the identity lacks permission', async () => {
    const { verify } = setup([json(403, { message: 'VS800075: no access' })]);
    const error = (await rejectionOf(verify())) as AzureDevOpsError;
    expect(error.code).toBe('VS800075');
    expect(error.message).toBe(
      `Verifying the token against organization 'contoso' failed: ${URL} answered HTTP 403: VS800075: no access. The identity is a member of 'contoso' but lacks permission for this call. Grant it the needed permission or add it to a group that has it.`
    );
  });

  test('404 says to check the organization name', async () => {
    const { verify } = setup([{ status: 404, body: 'Not Found' }]);
    const error = (await rejectionOf(verify())) as AzureDevOpsError;
    expect(error.code).toBeUndefined();
    expect(error.message).toBe(
      `Verifying the token against organization 'contoso' failed: ${URL} answered HTTP 404. Check the organization name ('contoso') and the path; a missing project or repository also looks like this when the identity cannot see it.`
    );
  });
});
