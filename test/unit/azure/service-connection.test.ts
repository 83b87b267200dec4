import type { InputError } from '../../../src/core/errors.js';
import { thrownBy } from '../fakes.js';
import {
  CLIENT_ID,
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

  test('then from AZURE_AUTHORITY_HOST', () => {
    expect(
      hostOf(withEnvironment({ environment: 'AzureChinaCloud' }), {
        AZURE_AUTHORITY_HOST: 'https://env.login.test/'
      })
    ).toBe('https://env.login.test');
  });

  test.each([
    ['AzureUSGovernment', 'https://login.microsoftonline.us'],
    ['AzureChinaCloud', 'https://login.chinacloudapi.cn'],
    ['', 'https://login.microsoftonline.com']
  ])('then from the environment %j', (environment, host) => {
    expect(hostOf(withEnvironment({ environment }))).toBe(host);
  });

  test('an unknown environment is an error that suggests AZURE_AUTHORITY_HOST', () => {
    const message = thrownBy(() => read(withEnvironment({ environment: 'AzureStack' }))).message;
    expect(message).toContain(
      `The service connection '${CONNECTION_ID}' targets the 'AzureStack' environment`
    );
    expect(message).toContain('set the AZURE_AUTHORITY_HOST variable');
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

  test('to provide the system access token', () => {
    const message = thrownBy(() => read(WIF, { systemToken: undefined })).message;
    expect(message).toContain('The job has no System.AccessToken (SYSTEMVSSCONNECTION)');
    expect(message).toContain('limit job authorization scope');
  });
});
