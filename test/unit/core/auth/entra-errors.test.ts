import { AuthenticationError } from '../../../../src/core/errors.js';
import { NetworkError } from '../../../../src/core/http/transport.js';
import { explainCredentialError, type ErrorContext } from '../../../../src/core/auth/entra-errors.js';
import type { CredentialSettings } from '../../../../src/core/settings.js';

const CLIENT_ID = '11111111-2222-4333-8444-555555555555';
const TENANT_ID = '99999999-8888-4777-8666-555555555555';
const PRESENTED = {
  issuer: 'https://token.actions.githubusercontent.com',
  subject: 'repo:contoso/app:ref:refs/heads/main',
  audience: 'api://AzureADTokenExchange',
  expiresAt: undefined
};
const ADVICE = 'GitHub subjects look like repo:OWNER/REPO:environment:NAME.';
const base = { clientId: CLIENT_ID, tenantId: TENANT_ID, authorityHost: 'https://login.microsoftonline.com' };
const FEDERATED: CredentialSettings = {
  ...base,
  kind: 'federated',
  oidc: {
    kind: 'github',
    requestUrl: 'https://x.test/?a=1',
    requestToken: 'request-token',
    audience: PRESENTED.audience
  }
};

function context(credential: CredentialSettings = FEDERATED, withPresented = true): ErrorContext {
  return {
    credential,
    presented: withPresented ? PRESENTED : undefined,
    subjectAdvice: ADVICE,
    names: {
      clientId: "'client-id'",
      tenantId: "'tenant-id'",
      cloud: "'cloud'",
      scope: "'scope'",
      managedIdentitySelectors: "'client-id', 'managed-identity-object-id' or 'managed-identity-resource-id'"
    }
  };
}

const MSAL_700213 =
  "invalid_client: Error(s): 700213 - Timestamp: 2026-05-01 10:00:00Z - Description: AADSTS700213: No matching federated identity record found for presented assertion subject 'repo:contoso/app:ref:refs/heads/main'. Check your federated identity credential Subject, Audience and Issuer against the presented assertion. Trace ID: 0a1b Correlation ID: 2c3d Timestamp: 2026-05-01 10:00:00Z - Correlation ID: 2c3d - Trace ID: 0a1b";

const PRESENTED_LINE = `Presented token: issuer '${PRESENTED.issuer}', subject '${PRESENTED.subject}', audience '${PRESENTED.audience}'.`;
const FEDERATED_FIX = `Add a federated credential with issuer '${PRESENTED.issuer}', subject '${PRESENTED.subject}' and audience '${PRESENTED.audience}' to the app registration`;

describe('explainCredentialError for Entra codes', () => {
  test.each([
    [
      '70021',
      [
        `No federated credential of app ${CLIENT_ID} matches the presented token.`,
        PRESENTED_LINE,
        FEDERATED_FIX,
        ADVICE
      ]
    ],
    [
      '700211',
      [
        `No federated credential of app ${CLIENT_ID}`,
        PRESENTED_LINE,
        FEDERATED_FIX,
        'exactly (case-sensitive)'
      ]
    ],
    ['700212', [PRESENTED_LINE, FEDERATED_FIX]],
    ['700213', [PRESENTED_LINE, FEDERATED_FIX, ADVICE]],
    ['70025', [`App ${CLIENT_ID} has no federated credentials at all.`, PRESENTED_LINE, FEDERATED_FIX]],
    ['700024', ['outside its validity window', PRESENTED_LINE, "check this machine's clock"]],
    ['700016', [`Check 'client-id' (${CLIENT_ID}) and 'tenant-id' (${TENANT_ID})`, "cloud set by 'cloud'"]],
    ['90002', [`Check 'tenant-id' (${TENANT_ID})`, "'cloud' set to AzureUSGovernment or AzureChinaCloud"]],
    ['90038', ["Set 'cloud' to the tenant's cloud"]],
    ['7000215', ["Use the secret's Value (not its Secret ID)", 'workload identity federation']],
    ['7000222', ['The client secret has expired. Create a new secret']],
    [
      '700027',
      [
        'could not verify the signature of the presented token.',
        PRESENTED_LINE,
        "federated credential's issuer"
      ]
    ],
    ['53003', ['A Conditional Access policy blocked the sign-in.']],
    ['700223', ['Federated identity credentials are disabled for this app or tenant by policy.']],
    [
      '500011',
      [
        "The resource in 'scope' does not exist in the tenant.",
        '499b84ac-1321-427f-aa17-267ca6975798/.default'
      ]
    ],
    ['9999999', ['See https://login.microsoftonline.com/error?code=9999999 for the meaning of this code.']]
  ])('AADSTS%s keeps the code and adds the fix', (code, parts) => {
    const error = explainCredentialError(new Error(`AADSTS${code}: Entra said no. Trace ID: t`), context());
    expect(error).toBeInstanceOf(AuthenticationError);
    expect((error as AuthenticationError).code).toBe(`AADSTS${code}`);
    expect(error.message).toMatch(
      new RegExp(`^Microsoft Entra ID refused the token request: AADSTS${code}: Entra said no\\. `)
    );
    for (const part of parts) expect(error.message).toContain(part);
  });

  test('AADSTS700027 with a certificate credential asks to upload the certificate', () => {
    const certificate: CredentialSettings = { ...base, kind: 'client-certificate', certificatePem: 'pem' };
    const error = explainCredentialError(
      new Error('AADSTS700027: Signature invalid.'),
      context(certificate, false)
    );
    expect(error.message).toContain('Upload the certificate (public part) to the app registration');
    expect(error.message).not.toContain('Presented token');
  });

  test('without a presented token the fix points at the printed claims', () => {
    const error = explainCredentialError(new Error(MSAL_700213), context(FEDERATED, false));
    expect(error.message).not.toContain('Presented token:');
    expect(error.message).toContain(
      'Add a federated credential with the issuer, subject and audience printed above'
    );
  });

  test('an MSAL message is reduced to its code and description, and the support IDs end the line', () => {
    const cause = new Error(MSAL_700213);
    const error = explainCredentialError(cause, context()) as AuthenticationError;
    expect(error.message).toContain(
      "refused the token request: AADSTS700213: No matching federated identity record found for presented assertion subject 'repo:contoso/app:ref:refs/heads/main'."
    );
    expect(error.message).not.toContain('Trace ID:');
    expect(error.message).toMatch(
      / \(Entra trace ID 0a1b, correlation ID 2c3d, timestamp 2026-05-01 10:00:00Z; give these to Microsoft support if you need their help\.\)$/
    );
    expect(error.message.indexOf(ADVICE)).toBeLessThan(error.message.indexOf('(Entra trace ID'));
    expect(error).toMatchObject({
      name: 'AuthenticationError',
      code: 'AADSTS700213',
      traceId: '0a1b',
      correlationId: '2c3d',
      timestamp: '2026-05-01 10:00:00Z'
    });
    expect(error.cause).toBe(cause);
  });

  test('only the IDs that are present are printed; none, no parenthesis', () => {
    const some = explainCredentialError(
      new Error('AADSTS90002: Tenant gone. Correlation ID: 2c3d'),
      context()
    );
    expect(some.message).toMatch(
      /\(Entra correlation ID 2c3d; give these to Microsoft support if you need their help\.\)$/
    );
    const none = explainCredentialError(new Error('AADSTS90002: Tenant gone.'), context());
    expect(none.message).not.toContain('Microsoft support');
  });

  test('the error answers the transport recorded supply the IDs and status when the error lacks them', () => {
    const body = JSON.stringify({
      error: 'invalid_client',
      error_description: 'AADSTS700016: Application not found.\r\nTrace ID: 0a1b\r\nCorrelation ID: 2c3d',
      error_codes: [700016],
      trace_id: '0a1b',
      correlation_id: '2c3d',
      timestamp: '2026-12-04 13:55:00Z'
    });
    const error = explainCredentialError(new Error('network_error: the request failed'), {
      ...context(),
      responses: [{ status: 400, body }]
    }) as AuthenticationError;
    expect(error.message).toMatch(
      /^Microsoft Entra ID refused the token request: AADSTS700016: Application not found\. /
    );
    expect(error.message).toContain(
      '(Entra trace ID 0a1b, correlation ID 2c3d, timestamp 2026-12-04 13:55:00Z;'
    );
    expect(error.status).toBe(400);
  });
});

describe('explainCredentialError with the Azure CLI (the command line)', () => {
  const cli = (tenantId?: string): ErrorContext => ({
    ...context({ kind: 'azure-cli', tenantId }, false),
    names: { ...context().names, azureCli: "'--azure-cli'", otherModes: '--managed-identity' }
  });
  const unavailable = (message: string): Error =>
    Object.assign(new Error(message), { name: 'CredentialUnavailableError' });

  test('not installed: install it or use another mode', () => {
    const error = explainCredentialError(
      unavailable(
        'Azure CLI could not be found. Please visit https://aka.ms/azure-cli for installation instructions'
      ),
      cli()
    );
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error.message).toBe(
      "The Azure CLI ('az') was not found on PATH, so '--azure-cli' cannot be used. Install it (https://aka.ms/azure-cli) and run `az login --allow-no-subscriptions`, or use another mode: --managed-identity."
    );
  });

  test('not signed in: the exact az login to run, for the tenant asked for', () => {
    const error = explainCredentialError(
      unavailable(
        "Please run 'az login' from a command prompt to authenticate before using this credential."
      ),
      cli(TENANT_ID)
    );
    expect(error.message).toContain(
      `The Azure CLI is not signed in to tenant ${TENANT_ID}. Run \`az login --allow-no-subscriptions --tenant ${TENANT_ID}\``
    );
  });

  test('an expired sign-in keeps its AADSTS code and says to sign in again', () => {
    const error = explainCredentialError(
      unavailable(
        'ERROR: AADSTS700082: The refresh token has expired due to inactivity. Trace ID: 1 Correlation ID: 2\nInteractive authentication is needed. Please run:\naz login --scope 499b84ac-1321-427f-aa17-267ca6975798/.default'
      ),
      cli()
    );
    expect(error.message).toContain('AADSTS700082: The refresh token has expired due to inactivity.');
    expect(error.message).toContain('Run `az login --allow-no-subscriptions` and retry.');
    expect((error as AuthenticationError).code).toBe('AADSTS700082');
  });

  test('anything else is passed on as the Azure CLI said it', () => {
    expect(explainCredentialError(unavailable('ERROR: boom'), cli()).message).toBe(
      'The Azure CLI did not issue a token: ERROR: boom'
    );
  });
});

describe('explainCredentialError: each hint word for word', () => {
  const refused = (code: string, ctx: ErrorContext = context()): string =>
    explainCredentialError(new Error(`AADSTS${code}: Entra said no.`), ctx).message;
  const prefix = (code: string): string =>
    `Microsoft Entra ID refused the token request: AADSTS${code}: Entra said no.`;
  const FIX = `Entra matches issuer, subject and audience exactly (case-sensitive). ${FEDERATED_FIX} (Entra ID → App registrations → the app → Certificates & secrets → Federated credentials), or change the workflow so the token matches an existing one. ${ADVICE}`;

  test.each([
    [
      '7002138',
      `No federated credential of app ${CLIENT_ID} matches the presented token. ${PRESENTED_LINE} ${FIX}`
    ],
    [
      '900382',
      "The tenant lives in another Azure cloud. Set 'cloud' to the tenant's cloud (AzureCloud, AzureUSGovernment or AzureChinaCloud)."
    ],
    [
      '700238',
      'Federated identity credentials are disabled for this app or tenant by policy. Ask a tenant administrator to allow them for this app.'
    ],
    [
      '7000112',
      'The application is disabled in the tenant. Ask a tenant administrator to enable the enterprise application (service principal).'
    ],
    ['9999999', 'See https://login.microsoftonline.com/error?code=9999999 for the meaning of this code.'],
    ['50076', 'See https://login.microsoftonline.com/error?code=50076 for the meaning of this code.']
  ])('AADSTS%s', (code, hint) => {
    expect(refused(code)).toBe(`${prefix(code)} ${hint}`);
  });

  test('without a presented token nothing stands in for it', () => {
    expect(refused('70025', context(FEDERATED, false))).toBe(
      `${prefix('70025')} App ${CLIENT_ID} has no federated credentials at all. Entra matches issuer, subject and audience exactly (case-sensitive). Add a federated credential with the issuer, subject and audience printed above to the app registration (Entra ID → App registrations → the app → Certificates & secrets → Federated credentials), or change the workflow so the token matches an existing one. ${ADVICE}`
    );
  });

  test('a code without a description ends with a full stop', () => {
    expect(explainCredentialError(new Error('AADSTS90038:'), context()).message).toBe(
      "Microsoft Entra ID refused the token request: AADSTS90038. The tenant lives in another Azure cloud. Set 'cloud' to the tenant's cloud (AzureCloud, AzureUSGovernment or AzureChinaCloud)."
    );
  });

  test('a credential without client and tenant IDs leaves them empty', () => {
    expect(refused('700016', context({ kind: 'managed-identity', selector: undefined }, false))).toBe(
      `${prefix('700016')} Check 'client-id' () and 'tenant-id' (): the client ID must be the Application (client) ID of an app registration in that tenant, and the tenant must be in the cloud set by 'cloud'.`
    );
  });

  describe('AADSTS700024: the token or assertion was outside its validity window', () => {
    const WINDOW = 'The OIDC token was outside its validity window when Entra checked it.';
    const KEEP_FRESH =
      "check that whatever writes it keeps it fresh (the Kubernetes webhook rotates the projected file; a CI job's id_tokens last only for the job), and that this machine's clock is in sync with internet time.";

    test('a token file: names the file and asks to keep it fresh', () => {
      const file: CredentialSettings = {
        ...base,
        kind: 'federated',
        oidc: { kind: 'file', path: '/var/run/secrets/token', input: '--federated-token-file' }
      };
      expect(refused('700024', context(file))).toBe(
        `${prefix('700024')} ${WINDOW} ${PRESENTED_LINE} It comes from the federated token file /var/run/secrets/token: ${KEEP_FRESH}`
      );
    });

    test('a token variable: names the variable', () => {
      const env: CredentialSettings = {
        ...base,
        kind: 'federated',
        oidc: { kind: 'env', variable: 'GITLAB_OIDC_TOKEN', token: 'x' }
      };
      expect(refused('700024', context(env, false))).toBe(
        `${prefix('700024')} ${WINDOW} It comes from the environment variable GITLAB_OIDC_TOKEN: ${KEEP_FRESH}`
      );
    });

    test('a token fetched from the platform: only the clock is left to check', () => {
      expect(refused('700024')).toBe(
        `${prefix('700024')} ${WINDOW} ${PRESENTED_LINE} A fresh token is fetched right before each exchange, so check this machine's clock (it must be in sync with internet time) and retry.`
      );
    });

    test('a client assertion (secret or certificate): the clock', () => {
      const secret: CredentialSettings = { ...base, kind: 'client-secret', clientSecret: 's' };
      expect(refused('700024', context(secret, false))).toBe(
        `${prefix('700024')} The client assertion was outside its validity window when Entra checked it. Check this machine's clock (it must be in sync with internet time) and retry.`
      );
    });
  });
});

describe('explainCredentialError: network failures of an app credential', () => {
  const network = new NetworkError(
    'Could not reach the Entra token endpoint (https://login.microsoftonline.com): getaddrinfo ENOTFOUND.',
    'ENOTFOUND'
  );

  test("a library's network error gives way to the transport's, which names the endpoint", () => {
    const error = new Error('network_error: Network request failed');
    expect(explainCredentialError(error, { ...context(), networkError: network })).toBe(network);
  });

  test('without a network failure recorded, it is reported as the library said it, with the cause kept', () => {
    const cause = new Error('network_error: Network request failed');
    const error = explainCredentialError(cause, context());
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error.message).toBe(
      'Microsoft Entra ID did not issue a token: network_error: Network request failed'
    );
    expect(error.cause).toBe(cause);
  });

  test('a recorded network failure does not replace an error that is not about the network', () => {
    const error = explainCredentialError(new Error('socket closed'), { ...context(), networkError: network });
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error.message).toBe('Microsoft Entra ID did not issue a token: socket closed');
  });
});

describe('explainCredentialError with the Azure CLI: exact lines', () => {
  const cli = (tenantId?: string): ErrorContext => ({
    ...context({ kind: 'azure-cli', tenantId }, false),
    names: { ...context().names, azureCli: "'--azure-cli'", otherModes: '--managed-identity' }
  });

  test('a shell that has no az', () => {
    expect(explainCredentialError(new Error('/bin/sh: 1: az: command not found'), cli()).message).toBe(
      "The Azure CLI ('az') was not found on PATH, so '--azure-cli' cannot be used. Install it (https://aka.ms/azure-cli) and run `az login --allow-no-subscriptions`, or use another mode: --managed-identity."
    );
  });

  test('not signed in, no tenant asked for', () => {
    expect(
      explainCredentialError(new Error("Please run 'az login' to set up an account."), cli()).message
    ).toBe(
      "The Azure CLI is not signed in. Run `az login --allow-no-subscriptions` (--allow-no-subscriptions lets an account without Azure subscriptions sign in) and retry. (Azure CLI said: Please run 'az login' to set up an account.)"
    );
  });

  test.each(['700082', '50173', '50076', '50079', '50078'])('AADSTS%s: sign in again', (code) => {
    expect(explainCredentialError(new Error(`AADSTS${code}: Sign-in expired.`), cli(TENANT_ID)).message).toBe(
      `Microsoft Entra ID refused the token request: AADSTS${code}: Sign-in expired. The Azure CLI's sign-in is no longer valid (expired, revoked, or a new MFA sign-in is required). Run \`az login --allow-no-subscriptions --tenant ${TENANT_ID}\` and retry.`
    );
  });

  test('any other code: its page, and a fresh sign-in if the old one is stale', () => {
    expect(explainCredentialError(new Error('AADSTS9999999: Entra said no.'), cli()).message).toBe(
      "Microsoft Entra ID refused the token request: AADSTS9999999: Entra said no. See https://login.microsoftonline.com/error?code=9999999 for the meaning of this code. If the Azure CLI's sign-in is stale, run `az login --allow-no-subscriptions` and retry."
    );
  });
});
