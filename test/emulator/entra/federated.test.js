// The emulated GitHub OIDC issuer and Entra's federated exchange, with every AADSTS error it can answer.
import { createPublicKey, verify } from 'node:crypto';
import { startEmulator } from '../index.js';
import { ADO_SCOPE, claimsOf, expectEntraError, JWT_BEARER, send } from '../test-client.js';

/** @type {Awaited<ReturnType<typeof startEmulator>>} */
let emu;
beforeAll(async () => {
  emu = await startEmulator();
});
afterAll(async () => {
  await emu?.close();
});
afterEach(() => {
  emu.setClockOffset(0);
  emu.github.subject = 'repo:contoso/release:environment:production';
  emu.legacyFederatedErrors = false;
  emu.assertionClockSkewSeconds = 300;
});

const tokenUrl = (tenant = emu.tenantId) => `${emu.httpsUrl}/${tenant}/oauth2/v2.0/token`;

/** @param {string} [audience] */
async function githubToken(audience = 'api://AzureADTokenExchange') {
  const url = `${emu.github.requestUrl}&audience=${encodeURIComponent(audience)}`;
  const res = await send(emu, url, { headers: { authorization: `Bearer ${emu.github.requestToken}` } });
  expect(res.status).toBe(200);
  return /** @type {string} */ (res.json.value);
}

/**
 * @param {string} assertion
 * @param {{ clientId?: string, tenant?: string }} [options]
 */
function exchange(assertion, { clientId = emu.app.clientId, tenant } = {}) {
  const form = {
    grant_type: 'client_credentials',
    client_id: clientId,
    scope: ADO_SCOPE,
    client_assertion_type: JWT_BEARER,
    client_assertion: assertion
  };
  return send(emu, tokenUrl(tenant), { form });
}

describe('GitHub OIDC issuer', () => {
  it('issues a signed token for the requested audience', async () => {
    const claims = claimsOf(await githubToken('api://AzureADTokenExchange'));
    expect(claims).toMatchObject({
      iss: emu.github.issuer,
      sub: emu.github.subject,
      aud: 'api://AzureADTokenExchange',
      runner_environment: 'github-hosted'
    });
    expect(claims.exp - claims.iat).toBe(300);
    expect(claims).toEqual(
      expect.objectContaining({
        jti: expect.any(String),
        repository: 'contoso/release',
        environment: 'production',
        ref: expect.any(String),
        job_workflow_ref: expect.any(String),
        nbf: expect.any(Number)
      })
    );
  });

  it('defaults the audience and refuses requests without the request token', async () => {
    const res = await send(emu, emu.github.requestUrl, {
      headers: { authorization: `Bearer ${emu.github.requestToken}` }
    });
    expect(claimsOf(res.json.value).aud).toBe('https://github.com/contoso');
    expect((await send(emu, emu.github.requestUrl)).status).toBe(401);
    expect(
      (await send(emu, emu.github.requestUrl, { headers: { authorization: 'Bearer nope' } })).status
    ).toBe(401);
  });
});

describe('federated exchange', () => {
  it('exchanges a GitHub token for a verifiable Azure DevOps access token', async () => {
    const res = await exchange(await githubToken());
    expect(res.status).toBe(200);
    expect(res.json).toEqual({
      token_type: 'Bearer',
      expires_in: 3599,
      ext_expires_in: 3599,
      access_token: expect.any(String)
    });
    const [head = '', body = '', signature = ''] = res.json.access_token.split('.');
    const header = JSON.parse(Buffer.from(head, 'base64url').toString());
    const jwks = (await send(emu, `${emu.httpsUrl}/${emu.tenantId}/discovery/v2.0/keys`)).json;
    const jwk = jwks.keys.find((/** @type {{ kid: string }} */ key) => key.kid === header.kid);
    const publicKey = createPublicKey({ key: jwk, format: 'jwk' });
    expect(
      verify('RSA-SHA256', Buffer.from(`${head}.${body}`), publicKey, Buffer.from(signature, 'base64url'))
    ).toBe(true);
    expect(claimsOf(res.json.access_token)).toMatchObject({
      aud: '499b84ac-1321-427f-aa17-267ca6975798',
      iss: `https://sts.windows.net/${emu.tenantId}/`,
      tid: emu.tenantId,
      oid: emu.app.objectId,
      sub: emu.app.objectId,
      appid: emu.app.clientId,
      appidacr: '2',
      idtyp: 'app',
      ver: '1.0',
      uti: expect.any(String)
    });
  });

  it('honours accessTokenLifetimeSeconds and accepts the tenant domain', async () => {
    emu.accessTokenLifetimeSeconds = 600;
    const res = await exchange(await githubToken(), { tenant: 'contoso.onmicrosoft.com' });
    emu.accessTokenLifetimeSeconds = 3599;
    expect(res.json.expires_in).toBe(600);
    const claims = claimsOf(res.json.access_token);
    expect(claims.exp - claims.iat).toBe(600);
  });

  it('exchanges an Azure Pipelines token', async () => {
    const { azurePipelines } = emu;
    const url = `${azurePipelines.oidcRequestUri}?api-version=7.1&serviceConnectionId=${azurePipelines.serviceConnectionId}`;
    const headers = {
      authorization: `Bearer ${azurePipelines.systemAccessToken}`,
      'content-type': 'application/json',
      'x-tfs-fedauthredirect': 'Suppress'
    };
    const res = await send(emu, url, { method: 'POST', headers, body: '{}' });
    expect(res.status).toBe(200);
    const claims = claimsOf(res.json.oidcToken);
    expect(claims).toMatchObject({
      iss: azurePipelines.issuer,
      sub: 'sc://contoso/release-project/release-wif',
      aud: 'api://AzureADTokenExchange'
    });
    expect(claims.exp - claims.iat).toBe(600);
    expect((await exchange(res.json.oidcToken)).status).toBe(200);
  });

  it('answers 90002 for an unknown tenant before anything else', async () => {
    const description = expectEntraError(
      await exchange('x', { tenant: 'fabrikam.onmicrosoft.com', clientId: 'nobody' }),
      400,
      90002
    );
    expect(description).toContain("Tenant 'fabrikam.onmicrosoft.com' not found");
  });

  it('answers 700016 for an app that is not in the tenant', async () => {
    const other = emu.addTenant({ domain: 'fabrikam.onmicrosoft.com' });
    const res = await exchange(await githubToken(), { tenant: other.id });
    expect(expectEntraError(res, 400, 700016)).toContain(
      `Application with identifier '${emu.app.clientId}' was not found in the directory 'fabrikam.onmicrosoft.com'`
    );
    expect(res.json.error).toBe('unauthorized_client');
  });

  it('answers 70025 for an app without federated credentials', async () => {
    const app = emu.registerApp({ displayName: 'no-fic' });
    const description = expectEntraError(
      await exchange(await githubToken(), { clientId: app.clientId }),
      401,
      70025
    );
    expect(description).toContain(
      `The client '${app.clientId}'(no-fic) has no configured federated identity credentials.`
    );
  });

  it('answers 700027 for a bad signature or an issuer it does not trust', async () => {
    const token = await githubToken();
    const tampered = `${token.slice(0, token.lastIndexOf('.') + 1)}${Buffer.alloc(256, 1).toString('base64url')}`;
    expectEntraError(await exchange(tampered), 401, 700027);
    const foreign = emu.github.mintToken({ iss: 'https://issuer.example.com' });
    expectEntraError(await exchange(foreign), 401, 700027);
  });

  it('answers 50027 for an assertion that is not a JWT', async () => {
    expectEntraError(await exchange('not-a-jwt'), 400, 50027);
  });

  it('answers 700024 for an assertion outside its valid time range plus the allowed skew', async () => {
    const token = await githubToken();
    // Margins of seconds, not one: on a loaded machine seconds pass between minting the token and each exchange.
    emu.setClockOffset((300 + 290) * 1000);
    expect((await exchange(token)).status).toBe(200);
    emu.setClockOffset((300 + 301) * 1000);
    expect(expectEntraError(await exchange(token), 400, 700024)).toMatch(
      /Current time: .+Z, assertion valid from .+Z, expiry time of assertion .+Z/
    );
    emu.setClockOffset(-330_000);
    expectEntraError(await exchange(token), 400, 700024);
  });

  it('checks exp exactly when the skew is 0', async () => {
    emu.assertionClockSkewSeconds = 0;
    const token = await githubToken();
    emu.setClockOffset(301_000);
    expectEntraError(await exchange(token), 400, 700024);
  });

  it('answers 700211 when no federated credential has the issuer', async () => {
    const app = emu.registerApp({
      federatedCredentials: [{ issuer: `${emu.github.issuer}/`, subject: emu.github.subject }]
    });
    const description = expectEntraError(
      await exchange(await githubToken(), { clientId: app.clientId }),
      401,
      700211
    );
    expect(description).toContain(`presented assertion issuer '${emu.github.issuer}'`);
  });

  it('answers 700213 for another subject, and 7002138 when only the case differs', async () => {
    emu.github.subject = 'repo:contoso/release:environment:staging';
    const description = expectEntraError(await exchange(await githubToken()), 401, 700213);
    expect(description).toContain("presented assertion subject 'repo:contoso/release:environment:staging'");
    emu.github.subject = 'repo:contoso/release:environment:Production';
    expect(expectEntraError(await exchange(await githubToken()), 401, 7002138)).toContain(
      'case-insensitive comparison'
    );
  });

  it('answers 700212 when only the audience differs', async () => {
    const description = expectEntraError(
      await exchange(await githubToken('api://AzureADTokenExchangeUSGov')),
      401,
      700212
    );
    expect(description).toContain("presented assertion audience 'api://AzureADTokenExchangeUSGov'");
  });

  it('answers 70021 for every mismatch in legacy mode', async () => {
    emu.legacyFederatedErrors = true;
    emu.github.subject = 'repo:contoso/release:pull_request';
    const description = expectEntraError(await exchange(await githubToken()), 401, 70021);
    expect(description).toContain("Assertion Subject: 'repo:contoso/release:pull_request'");
  });
});

describe('support IDs on Entra error answers', () => {
  const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

  it('carries error_codes, a fresh trace id per answer, a correlation id and the timestamp, recorded as sent', async () => {
    emu.reset();
    emu.github.subject = 'repo:contoso/release:environment:staging';
    const first = await exchange(await githubToken());
    const second = await exchange(await githubToken());
    for (const res of [first, second]) {
      expectEntraError(res, 401, 700213);
      expect(res.json.trace_id).toMatch(UUID);
      expect(res.json.correlation_id).toMatch(UUID);
      expect(res.json.timestamp).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ$/);
      expect(res.json.error_description).toContain(`Trace ID: ${res.json.trace_id}\r\n`);
      expect(res.json.error_description).toContain(`Correlation ID: ${res.json.correlation_id}\r\n`);
      expect(res.json.error_description).toMatch(new RegExp(`Timestamp: ${res.json.timestamp}$`));
      expect(res.headers['x-ms-request-id']).toBe(res.json.trace_id);
    }
    expect(second.json.trace_id).not.toBe(first.json.trace_id);
    expect(second.json.correlation_id).not.toBe(first.json.correlation_id);
    const records = emu.requestsFor('entra-token');
    expect(records.map((r) => JSON.parse(r.responseBody ?? '{}'))).toEqual([first.json, second.json]);
    expect(records[0]?.responseHeaders).toMatchObject({
      'x-ms-request-id': first.json.trace_id,
      'content-type': 'application/json; charset=utf-8'
    });
  });

  it('uses the request client-request-id as the correlation id, as Entra does', async () => {
    emu.github.subject = 'repo:contoso/release:environment:staging';
    const correlationId = '5c6d7e8f-0a1b-4c2d-8e3f-405162738495';
    const res = await send(emu, tokenUrl(), {
      form: {
        grant_type: 'client_credentials',
        client_id: emu.app.clientId,
        scope: ADO_SCOPE,
        client_assertion_type: JWT_BEARER,
        client_assertion: await githubToken()
      },
      headers: { 'client-request-id': correlationId }
    });
    expectEntraError(res, 401, 700213);
    expect(res.json.correlation_id).toBe(correlationId);
    expect(res.headers['client-request-id']).toBe(correlationId);
  });
});
