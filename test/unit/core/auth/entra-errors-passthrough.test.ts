import {
  AuthenticationError,
  EndpointTimeoutError,
  ManagedIdentityError,
  OidcTokenError
} from '../../../../src/core/errors.js';
import { explainCredentialError, type ErrorContext } from '../../../../src/core/auth/entra-errors.js';
import { NetworkError } from '../../../../src/core/http/transport.js';
import type { CredentialSettings } from '../../../../src/core/settings.js';

const SELECTORS = "'client-id', 'managed-identity-object-id' or 'managed-identity-resource-id'";
const MANAGED: CredentialSettings = { kind: 'managed-identity', selector: undefined };
const SECRET: CredentialSettings = {
  kind: 'client-secret',
  clientId: '11111111-2222-4333-8444-555555555555',
  tenantId: 'contoso.onmicrosoft.com',
  authorityHost: 'https://login.microsoftonline.com',
  clientSecret: 'secret-value'
};

function context(credential: CredentialSettings): ErrorContext {
  return {
    credential,
    presented: undefined,
    subjectAdvice: '',
    names: { clientId: 'c', tenantId: 't', cloud: 'e', scope: 's', managedIdentitySelectors: SELECTORS }
  };
}

describe('explainCredentialError for managed identity', () => {
  const explain = (error: unknown): Error => explainCredentialError(error, context(MANAGED));

  test('several identities and none selected names the selector inputs', () => {
    const error = explain(
      new Error(
        'ManagedIdentityCredential: Multiple user assigned identities exist, please specify the clientId.'
      )
    );
    expect(error).toBeInstanceOf(ManagedIdentityError);
    expect(error.message).toBe(
      `This machine has several user-assigned managed identities and none was selected. Set one of ${SELECTORS} to choose one. (Endpoint said: ManagedIdentityCredential: Multiple user assigned identities exist, please specify the clientId.)`
    );
  });

  test('identity not found says to check the selector', () => {
    const error = explain(new Error('Identity not found'));
    expect(error).toBeInstanceOf(ManagedIdentityError);
    expect(error.message).toContain('has no identity matching the request.');
    expect(error.message).toContain(`Check ${SELECTORS} against the identities assigned to this machine`);
    expect(error.message).toContain('(Endpoint said: Identity not found)');
  });

  test('a refused connection says managed identity exists only on Azure compute', () => {
    const network = new NetworkError(
      'Could not reach the managed identity endpoint (http://169.254.169.254/metadata/identity/oauth2/token): connect ECONNREFUSED 169.254.169.254:80.',
      'ECONNREFUSED'
    );
    const error = explain(network);
    expect(error).toBeInstanceOf(ManagedIdentityError);
    expect(error.message).toContain(
      'No managed identity endpoint answered on this machine: Could not reach the managed identity endpoint'
    );
    expect(error.message).toContain('Managed identity works only on Azure compute');
    expect(error.message).toContain('use workload identity federation there.');
  });

  test('an unreachable host in a plain error is treated the same way', () => {
    expect(explain(new Error('connect EHOSTUNREACH 169.254.169.254:80')).message).toMatch(
      /^No managed identity endpoint answered on this machine: connect EHOSTUNREACH/
    );
  });

  test('anything else is reported on one line', () => {
    const error = explain(new Error('Unexpected\n  status 500\n  from endpoint'));
    expect(error).toBeInstanceOf(ManagedIdentityError);
    expect(error.message).toBe(
      'The managed identity endpoint did not issue a token: Unexpected status 500 from endpoint'
    );
  });

  test('an Entra code from a managed identity still becomes an AuthenticationError', () => {
    const error = explain(new Error('AADSTS500011: The resource principal was not found.'));
    expect(error).toBeInstanceOf(AuthenticationError);
    expect((error as AuthenticationError).code).toBe('AADSTS500011');
  });
});

describe('explainCredentialError passes through errors that already explain themselves', () => {
  test.each([
    ['EndpointTimeoutError', new EndpointTimeoutError('Entra token endpoint', 'https://login.test/t', 50)],
    ['AuthenticationError', new AuthenticationError('already explained', { code: 'AADSTS1' })],
    ['ManagedIdentityError', new ManagedIdentityError('already explained')],
    ['OidcTokenError', new OidcTokenError('no token')]
  ])('%s', (_name, error) => {
    expect(explainCredentialError(error, context(SECRET))).toBe(error);
  });

  test('a NetworkError for an app credential', () => {
    const error = new NetworkError('Could not reach the Entra token endpoint.', 'ENOTFOUND');
    expect(explainCredentialError(error, context(SECRET))).toBe(error);
  });

  test('an error without a code becomes an AuthenticationError without a code', () => {
    const error = explainCredentialError('socket closed', context(SECRET));
    expect(error).toBeInstanceOf(AuthenticationError);
    expect((error as AuthenticationError).code).toBeUndefined();
    expect(error.message).toBe('Microsoft Entra ID did not issue a token: socket closed');
  });
});

test('a managed identity whose endpoint the transport could not reach: the network failure is told, whatever the library said', () => {
  const network = new NetworkError(
    'Could not reach the managed identity endpoint (http://169.254.169.254/metadata/identity/oauth2/token): connect ETIMEDOUT.',
    'ETIMEDOUT'
  );
  const error = explainCredentialError(new Error('boom'), { ...context(MANAGED), networkError: network });
  expect(error).toBeInstanceOf(ManagedIdentityError);
  expect(error.message).toBe(
    'No managed identity endpoint answered on this machine: Could not reach the managed identity endpoint (http://169.254.169.254/metadata/identity/oauth2/token): connect ETIMEDOUT. Managed identity works only on Azure compute with an identity assigned (a VM, scale set agent, App Service or Container App); hosted runners and agents have none — use workload identity federation there.'
  );
});
