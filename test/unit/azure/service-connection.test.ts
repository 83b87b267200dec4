import type { InputError } from '../../../src/core/errors.js';
import { thrownBy } from '../fakes.js';
import {
  CLIENT_ID,
  COLLECTION_URI,
  CONNECTION_ID,
  OIDC_URI,
  read,
  SYSTEM_TOKEN,
  TENANT_ID,
  WIF,
  type FakeEndpoint
} from './azure-fixture.js';

const SECRET = 'spn-client-secret-value-0123';
const KEY_LINE = 'MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7';
const CERT_LINE = 'MIIDBTCCAe2gAwIBAgIQN33ROaIJ6bJBWDCxtmJEbjANBgkqhkiG';
const PEM = `-----BEGIN PRIVATE KEY-----\n${KEY_LINE}\n-----END PRIVATE KEY-----\n-----BEGIN CERTIFICATE-----\n${CERT_LINE}\n-----END CERTIFICATE-----\n`;
const SP_PARAMS = { serviceprincipalid: CLIENT_ID, tenantid: TENANT_ID };
const withEnvironment = (data: Record<string, string>): FakeEndpoint => ({ ...WIF, data });

describe('readAzureSettings with an azureRM service connection', () => {
  test('workload identity federation reads the OIDC request URI and masks the system token', () => {
    const { settings, platform } = read(WIF);
    expect(settings.credential).toEqual({
      kind: 'federated',
      clientId: CLIENT_ID,
      tenantId: TENANT_ID,
      authorityHost: 'https://login.microsoftonline.com',
      oidc: {
        kind: 'azure-pipelines',
        requestUri: OIDC_URI,
        systemAccessToken: SYSTEM_TOKEN,
        serviceConnectionId: CONNECTION_ID,
        serviceConnectionInput: 'azureSubscription'
      }
    });
    expect(platform.secrets()).toEqual([SYSTEM_TOKEN]);
  });

  test.each([
    ['spnKey', { ...SP_PARAMS, authenticationType: 'spnKey', serviceprincipalkey: SECRET }],
    ['no authenticationType', { ...SP_PARAMS, serviceprincipalkey: SECRET }]
  ])('a service principal with a secret (%s) masks the secret', (_what, params) => {
    const { settings, platform } = read({ scheme: 'ServicePrincipal', params });
    expect(settings.credential).toEqual({
      kind: 'client-secret',
      clientId: CLIENT_ID,
      tenantId: TENANT_ID,
      authorityHost: 'https://login.microsoftonline.com',
      clientSecret: SECRET
    });
    expect(platform.secrets()).toEqual([SECRET]);
  });

  test('a service principal without a secret is an error', () => {
    expect(thrownBy(() => read({ scheme: 'ServicePrincipal', params: SP_PARAMS })).message).toBe(
      `The service connection '${CONNECTION_ID}' uses a client secret but has none. Edit the connection to add one — or better, convert it to workload identity federation.`
    );
  });

  test('a certificate masks the PEM and each of its lines', () => {
    const params = { ...SP_PARAMS, authenticationType: 'spnCertificate', servicePrincipalCertificate: PEM };
    const { settings, platform } = read({ scheme: 'ServicePrincipal', params });
    expect(settings.credential).toMatchObject({ kind: 'client-certificate', certificatePem: PEM.trim() });
    expect(platform.secrets()).toEqual([KEY_LINE, CERT_LINE]);
  });

  test('a certificate without a private key is an error', () => {
    const certOnly = `-----BEGIN CERTIFICATE-----\n${CERT_LINE}\n-----END CERTIFICATE-----`;
    const params = {
      ...SP_PARAMS,
      authenticationType: 'spnCertificate',
      servicePrincipalCertificate: certOnly
    };
    const error = thrownBy(() => read({ scheme: 'ServicePrincipal', params }));
    expect((error as InputError).input).toBe('azureSubscription');
    expect(error.message).toBe(
      `The service connection '${CONNECTION_ID}' uses certificate authentication but its certificate has no private key. Upload a PEM file that contains both the certificate and its private key.`
    );
  });

  test('ManagedServiceIdentity becomes the system-assigned managed identity', () => {
    expect(read({ scheme: 'ManagedServiceIdentity' }).settings.credential).toEqual({
      kind: 'managed-identity',
      selector: undefined
    });
  });

  test("ManagedServiceIdentity uses the connection's msiclientId when it names a user-assigned identity", () => {
    const endpoint = { scheme: 'ManagedServiceIdentity', data: { msiclientId: CLIENT_ID.toUpperCase() } };
    expect(read(endpoint).settings.credential).toEqual({
      kind: 'managed-identity',
      selector: { kind: 'clientId', value: CLIENT_ID }
    });
  });

  test('an unknown service principal authentication type is named, not treated as a secret', () => {
    const endpoint = {
      scheme: 'ServicePrincipal',
      params: { ...SP_PARAMS, authenticationType: 'spnFederated', serviceprincipalkey: SECRET }
    };
    const message = thrownBy(() => read(endpoint)).message;
    expect(message).toContain("uses the service principal authentication type 'spnFederated'");
    expect(message).toContain('Supported: spnKey (client secret), spnCertificate (certificate).');
    expect(message).not.toContain(SECRET);
  });

  test('connectionType is accepted in any case', () => {
    expect(read(WIF, { inputs: { connectionType: 'AZURERM' } }).settings.credential.kind).toBe('federated');
  });

  test('an unsupported scheme is named', () => {
    const message = thrownBy(() => read({ scheme: 'UsernamePassword' })).message;
    expect(message).toContain(
      `The service connection '${CONNECTION_ID}' uses the authentication scheme 'UsernamePassword'`
    );
    expect(message).toContain(
      'Supported schemes: WorkloadIdentityFederation, ServicePrincipal, ManagedServiceIdentity.'
    );
  });

  test('a connection that is not available names the input and the id', () => {
    const error = thrownBy(() => read(undefined));
    expect((error as InputError).input).toBe('azureSubscription');
    expect(error.message).toMatch(
      new RegExp(
        `^Input 'azureSubscription' is '${CONNECTION_ID}', but no such service connection is available to this task\\.`
      )
    );
    expect(error.message).toContain('Pipeline permissions');
  });

  test('an empty connection input is required', () => {
    expect(thrownBy(() => read(WIF, { inputs: { azureSubscription: '' } })).message).toBe(
      "Input 'azureSubscription' is required: name the service connection to authenticate with."
    );
  });

  test('a service principal ID that is not a GUID names the connection', () => {
    const endpoint = { ...WIF, params: { serviceprincipalid: 'app', tenantid: TENANT_ID } };
    expect(thrownBy(() => read(endpoint)).message).toMatch(
      new RegExp(
        `^Input 'azureSubscription \\(service connection '${CONNECTION_ID}': service principal ID\\)' is 'app'`
      )
    );
  });
});

describe('the authority host of a service connection', () => {
  const hostOf = (endpoint: FakeEndpoint, env: NodeJS.ProcessEnv = {}): unknown =>
    (read(endpoint, {}, env).settings.credential as { authorityHost?: string }).authorityHost;

  test('comes first from activeDirectoryAuthority, trailing slash removed', () => {
    const endpoint = withEnvironment({
      activeDirectoryAuthority: 'https://login.microsoftonline.us/',
      environment: 'AzureCloud'
    });
    expect(hostOf(endpoint, { AZURE_AUTHORITY_HOST: 'https://env.login.test' })).toBe(
      'https://login.microsoftonline.us'
    );
  });

  test("AZURE_AUTHORITY_HOST naming the cloud's own Microsoft host is accepted", () => {
    expect(
      hostOf(withEnvironment({ environment: 'AzureChinaCloud' }), {
        AZURE_AUTHORITY_HOST: 'https://login.chinacloudapi.cn/'
      })
    ).toBe('https://login.chinacloudapi.cn');
  });

  test.each([
    ['another https host', 'AzureCloud', 'https://env.login.test/'],
    ['another cloud', 'AzureCloud', 'https://login.microsoftonline.us'],
    ['plain http', 'AzureCloud', 'http://login.microsoftonline.com']
  ])(
    'AZURE_AUTHORITY_HOST naming %s is refused: a variable must not redirect the connection credentials',
    (_what, environment, value) => {
      const error = thrownBy(() =>
        read(withEnvironment({ environment }), {}, { AZURE_AUTHORITY_HOST: value })
      ) as InputError;
      expect(error.input).toBe('AZURE_AUTHORITY_HOST');
      expect(error.message).toContain(value.trim());
      expect(error.message).not.toContain(SYSTEM_TOKEN);
    }
  );

  test('AZURE_AUTHORITY_HOST is refused for a service principal secret too, naming the fix', () => {
    const endpoint = {
      scheme: 'ServicePrincipal',
      params: { ...SP_PARAMS, serviceprincipalkey: SECRET },
      data: { environment: 'AzureCloud' }
    };
    const message = thrownBy(() =>
      read(endpoint, {}, { AZURE_AUTHORITY_HOST: 'https://attacker.example' })
    ).message;
    expect(message).toBe(
      `The AZURE_AUTHORITY_HOST variable is 'https://attacker.example', but the service connection '${CONNECTION_ID}' targets AzureCloud, whose Entra authority host is https://login.microsoftonline.com: the task sends the connection's credentials only to the authority its connection names. Remove the AZURE_AUTHORITY_HOST variable, or use a connection whose environment or activeDirectoryAuthority names the authority you need.`
    );
    expect(message).not.toContain(SECRET);
  });

  test.each([
    ['AzureUSGovernment', 'https://login.microsoftonline.us'],
    ['AzureChinaCloud', 'https://login.chinacloudapi.cn'],
    ['', 'https://login.microsoftonline.com']
  ])('then from the environment %j', (environment, host) => {
    expect(hostOf(withEnvironment({ environment }))).toBe(host);
  });

  test("an unknown environment is an error that points at the connection's activeDirectoryAuthority", () => {
    const message = thrownBy(() => read(withEnvironment({ environment: 'AzureStack' }))).message;
    expect(message).toContain(
      `The service connection '${CONNECTION_ID}' targets the 'AzureStack' environment`
    );
    expect(message).toContain('activeDirectoryAuthority');
    expect(message).not.toContain('AZURE_AUTHORITY_HOST');
  });

  test('an http activeDirectoryAuthority is rejected', () => {
    expect(
      thrownBy(() => read(withEnvironment({ activeDirectoryAuthority: 'http://adfs.test/' }))).message
    ).toContain('must use https');
  });
});

describe('workload identity federation needs the agent', () => {
  test('to provide System.OidcRequestUri', () => {
    const message = thrownBy(() => read(WIF, { variables: {} })).message;
    expect(message).toContain('The agent did not provide System.OidcRequestUri (SYSTEM_OIDCREQUESTURI)');
    expect(message).toContain('agent 3.230.2 or later');
  });

  test('to provide System.CollectionUri, which the OIDC request URI is checked against', () => {
    const error = thrownBy(() => read(WIF, { variables: { 'System.OidcRequestUri': OIDC_URI } }));
    expect((error as InputError).input).toBe('System.CollectionUri');
    expect(error.message).toContain('System.CollectionUri is empty');
  });

  test('to provide the system access token', () => {
    const message = thrownBy(() => read(WIF, { systemToken: undefined })).message;
    expect(message).toContain('The job has no System.AccessToken (SYSTEMVSSCONNECTION)');
    expect(message).toContain('limit job authorization scope');
  });
});

describe('System.OidcRequestUri receives System.AccessToken, so it is checked first', () => {
  const withUris = (requestUri: string, collectionUri = COLLECTION_URI) =>
    read(WIF, {
      variables: { 'System.OidcRequestUri': requestUri, 'System.CollectionUri': collectionUri }
    });

  test.each([
    ['the dev.azure.com collection', OIDC_URI, COLLECTION_URI],
    [
      'a legacy visualstudio.com collection',
      'https://contoso.visualstudio.com/p1/_apis/distributedtask/hubs/build/plans/p/jobs/j/oidctoken',
      'https://contoso.visualstudio.com/'
    ],
    [
      'a loopback collection over http (tests)',
      'http://127.0.0.1:8080/contoso/oidc',
      'http://127.0.0.1:8080/contoso/'
    ]
  ])('accepts a URI on %s', (_what, requestUri, collectionUri) => {
    const oidc = (withUris(requestUri, collectionUri).settings.credential as { oidc: { requestUri: string } })
      .oidc;
    expect(oidc.requestUri).toBe(requestUri);
  });

  test.each([
    ['plain http', 'http://dev.azure.com/contoso/p1/oidctoken', COLLECTION_URI, 'must use https'],
    [
      'another host',
      'https://attacker.example/oidc',
      COLLECTION_URI,
      "not on the host of the job's collection"
    ],
    [
      'another Azure DevOps host',
      'https://fabrikam.visualstudio.com/p1/oidctoken',
      COLLECTION_URI,
      "not on the host of the job's collection"
    ],
    ['a loopback URI for a real collection', 'http://127.0.0.1:9/oidc', COLLECTION_URI, 'must use https'],
    [
      'another loopback port',
      'http://127.0.0.1:9/oidc',
      'http://127.0.0.1:8080/contoso/',
      "not on the host of the job's collection"
    ],
    [
      'credentials in the URL',
      'https://u:p4ssw0rd@dev.azure.com/contoso/oidc',
      COLLECTION_URI,
      'no credentials'
    ],
    ['a query', 'https://dev.azure.com/contoso/oidc?x=1', COLLECTION_URI, 'no credentials, query'],
    ['not a URL', 'dev.azure.com/contoso', COLLECTION_URI, 'not a URL']
  ])('refuses %s, naming the variable and the value', (_what, requestUri, collectionUri, problem) => {
    const error = thrownBy(() => withUris(requestUri, collectionUri)) as InputError;
    expect(error.input).toBe('System.OidcRequestUri');
    // Credentials in the URL are never repeated in the error.
    expect(error.message).toContain(
      `System.OidcRequestUri is '${requestUri.replace('u:p4ssw0rd@', '***@')}'`
    );
    expect(error.message).not.toContain('p4ssw0rd');
    expect(error.message).toContain(problem);
    expect(error.message).toContain('System.AccessToken is not sent there');
    expect(error.message).not.toContain(SYSTEM_TOKEN);
  });

  test('refuses a collection that is not an Azure DevOps Services URL', () => {
    const error = thrownBy(() =>
      withUris('https://tfs.contoso.example/oidc', 'https://tfs.contoso.example/')
    ) as InputError;
    expect(error.input).toBe('System.CollectionUri');
    expect(error.message).toContain(
      "System.CollectionUri is 'https://tfs.contoso.example/', which is not an Azure DevOps Services organization URL"
    );
  });
});
