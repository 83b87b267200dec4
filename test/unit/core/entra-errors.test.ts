import { AuthenticationError } from '../../../src/core/errors.js';
import { explainCredentialError, type ErrorContext } from '../../../src/core/entra-errors.js';
import type { CredentialSettings } from '../../../src/core/settings.js';

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
