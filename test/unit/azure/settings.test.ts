import { InputError } from '../../../src/core/errors.js';
import { thrownBy } from '../fakes.js';
import { CLIENT_ID, CONNECTION_ID, read, WIF } from './azure-fixture.js';

const MI_CLIENT_ID = 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee';
const RESOURCE_ID =
  '/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/agent';
const MI = { connectionType: 'managedIdentity' };

describe('readAzureSettings', () => {
  test('task.json defaults: verify against $(System.CollectionUri), AZURE_DEVOPS_TOKEN, 50 s', () => {
    const { settings } = read(WIF);
    expect(settings).toMatchObject({
      scope: '499b84ac-1321-427f-aa17-267ca6975798/.default',
      organization: { name: 'contoso', url: 'https://dev.azure.com/contoso' },
      verify: true,
      timeoutSeconds: 50,
      operationsTimeout: { seconds: 600, input: 'operationsTimeout' },
      dryRun: false,
      variableName: 'AZURE_DEVOPS_TOKEN'
    });
  });

  test('defaults live in task.json only: an explicitly empty connectionType is an error', () => {
    expect(() => read(WIF, { inputs: { connectionType: '' } })).toThrow(
      "Input 'connectionType' is empty: it must be one of azureRM, azureDevOps, managedIdentity."
    );
  });

  test('an unknown connectionType lists the allowed ones', () => {
    const error = thrownBy(() => read(WIF, { inputs: { connectionType: 'github' } }));
    expect((error as InputError).input).toBe('connectionType');
    expect(error.message).toMatch(
      /^Input 'connectionType' is 'github': it must be one of azureRM, azureDevOps, managedIdentity\. /
    );
  });

  test('azureDevOps reads the azureDevOpsServiceConnection input', () => {
    const { settings } = read(WIF, {
      inputs: {
        connectionType: 'azureDevOps',
        azureSubscription: '',
        azureDevOpsServiceConnection: CONNECTION_ID
      }
    });
    expect(settings.credential).toMatchObject({
      kind: 'federated',
      clientId: CLIENT_ID,
      oidc: { serviceConnectionId: CONNECTION_ID, serviceConnectionInput: 'azureDevOpsServiceConnection' }
    });
  });

  test('azureDevOps without its connection input names that input', () => {
    const message = thrownBy(() => read(WIF, { inputs: { connectionType: 'azureDevOps' } })).message;
    expect(message).toBe(
      "Input 'azureDevOpsServiceConnection' is required: name the service connection to authenticate with."
    );
  });

  test.each([
    [{}, undefined],
    [{ managedIdentityClientId: MI_CLIENT_ID }, { kind: 'clientId', value: MI_CLIENT_ID }],
    [{ managedIdentityObjectId: MI_CLIENT_ID.toUpperCase() }, { kind: 'objectId', value: MI_CLIENT_ID }],
    [{ managedIdentityResourceId: RESOURCE_ID }, { kind: 'resourceId', value: RESOURCE_ID }]
  ])('managedIdentity with %j needs no service connection', (inputs, selector) => {
    const { settings } = read(undefined, { inputs: { ...MI, azureSubscription: '', ...inputs } });
    expect(settings.credential).toEqual({ kind: 'managed-identity', selector });
  });

  test('managedIdentity with two selectors names both', () => {
    const inputs = { ...MI, managedIdentityClientId: MI_CLIENT_ID, managedIdentityResourceId: RESOURCE_ID };
    expect(thrownBy(() => read(undefined, { inputs })).message).toContain(
      "Inputs 'managedIdentityClientId' and 'managedIdentityResourceId' are both set"
    );
  });

  test('an azureRM managed identity connection uses the selector', () => {
    const { settings } = read(
      { scheme: 'ManagedServiceIdentity' },
      { inputs: { managedIdentityClientId: MI_CLIENT_ID } }
    );
    expect(settings.credential).toEqual({
      kind: 'managed-identity',
      selector: { kind: 'clientId', value: MI_CLIENT_ID }
    });
  });

  test('a selector with a connection that is not managed identity is an error', () => {
    const error = thrownBy(() => read(WIF, { inputs: { managedIdentityObjectId: MI_CLIENT_ID } }));
    expect(error).toBeInstanceOf(InputError);
    expect(error.message).toBe(
      "A user-assigned managed identity is selected, but the connection does not use managed identity. Clear 'managedIdentityClientId', 'managedIdentityObjectId', 'managedIdentityResourceId', or set 'connectionType' to managedIdentity."
    );
  });

  test('verify true with an empty organization is an error', () => {
    const error = thrownBy(() => read(WIF, { inputs: { organization: '' } }));
    expect((error as InputError).input).toBe('organization');
    expect(error.message).toBe(
      "Input 'organization' is empty but 'verify' is true. Set the organization (its default is $(System.CollectionUri)) or set 'verify' to false."
    );
  });

  test('verify false allows an empty organization', () => {
    const { settings } = read(WIF, { inputs: { organization: '', verify: 'False' } });
    expect(settings).toMatchObject({ organization: undefined, verify: false });
  });

  test('verify must be true or false', () => {
    expect(thrownBy(() => read(WIF, { inputs: { verify: 'auto' } })).message).toBe(
      "Input 'verify' is 'auto': it must be true or false. Use true to check the token against the organization."
    );
  });

  test('dryRun is read as true or false, like the other switches', () => {
    expect(read(WIF, { inputs: { dryRun: 'True' } }).settings.dryRun).toBe(true);
    const error = thrownBy(() => read(WIF, { inputs: { dryRun: '1' } }));
    expect(error).toBeInstanceOf(InputError);
    expect(error.message).toBe(
      "Input 'dryRun' is '1': it must be true or false. Set 'dryRun' to true or false."
    );
  });

  test('a legacy collection URI is accepted as the organization', () => {
    const { settings } = read(WIF, { inputs: { organization: 'https://contoso.visualstudio.com/' } });
    expect(settings.organization).toEqual({ name: 'contoso', url: 'https://contoso.visualstudio.com' });
  });

  test('variableName is kept', () => {
    expect(read(WIF, { inputs: { variableName: 'ADO_TOKEN' } }).settings.variableName).toBe('ADO_TOKEN');
  });

  test.each([
    ['SYSTEM_ACCESSTOKEN', 'SYSTEM_'],
    ['Build_Token', 'BUILD_'],
    ['endpoint_x', 'ENDPOINT_'],
    ['SECRET_X', 'SECRET_']
  ])('variableName %s with a reserved prefix is rejected', (value, prefix) => {
    expect(thrownBy(() => read(WIF, { inputs: { variableName: value } })).message).toBe(
      `Input 'variableName' is '${value}': that name is reserved (names starting with ${prefix} belong to the platform). Use a name such as AZURE_DEVOPS_TOKEN.`
    );
  });

  test('a malformed variableName is rejected', () => {
    expect(thrownBy(() => read(WIF, { inputs: { variableName: 'System.AccessToken' } })).message).toContain(
      "Input 'variableName' is 'System.AccessToken': a variable name has letters, digits and underscores"
    );
  });

  test('operationsTimeout is read as whole seconds and refused otherwise', () => {
    expect(read(WIF, { inputs: { operationsTimeout: '45' } }).settings.operationsTimeout).toEqual({
      seconds: 45,
      input: 'operationsTimeout'
    });
    expect(thrownBy(() => read(WIF, { inputs: { operationsTimeout: 'ten' } })).message).toContain(
      "Input 'operationsTimeout' is 'ten': it must be a whole number of seconds, 1 or more"
    );
  });

  test('the timeout comes from AZURE_DEVOPS_ENTRA_TOKEN_TIMEOUT', () => {
    expect(read(WIF, {}, { AZURE_DEVOPS_ENTRA_TOKEN_TIMEOUT: '90' }).settings.timeoutSeconds).toBe(90);
  });
});
