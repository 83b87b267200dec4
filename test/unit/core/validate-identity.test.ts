import { InputError } from '../../../src/core/errors.js';
import { parseManagedIdentitySelector, parseVariableName } from '../../../src/core/validate.js';
import { thrownBy } from '../fakes.js';

const PREFIXES = ['GITHUB_', 'RUNNER_'];
const name = (value: string): string => parseVariableName({ name: 'export-variable', value }, PREFIXES);

describe('parseVariableName', () => {
  test.each(['AZURE_DEVOPS_TOKEN', '_token', 'Token2', ' ADO_TOKEN '])('accepts %j', (value) => {
    expect(name(value)).toBe(value.trim());
  });

  test.each(['2TOKEN', 'MY-TOKEN', 'my token', 'a.b', ''])('rejects the malformed name %j', (value) => {
    const error = thrownBy(() => name(value));
    expect(error).toBeInstanceOf(InputError);
    expect(error.message).toContain(value === '' ? "Input 'export-variable' is empty" : `is '${value}'`);
    expect(error.message).toContain(
      'a variable name has letters, digits and underscores and does not start with a digit.'
    );
    expect(error.message).toContain('Use a name such as AZURE_DEVOPS_TOKEN.');
  });

  test.each(['PATH', 'path', 'NODE_OPTIONS', 'HOME', 'TMPDIR'])('rejects the reserved name %s', (value) => {
    expect(thrownBy(() => name(value)).message).toBe(
      `Input 'export-variable' is '${value}': that name is reserved. Use a name such as AZURE_DEVOPS_TOKEN.`
    );
  });

  test.each([
    ['GITHUB_TOKEN', 'GITHUB_'],
    ['runner_temp', 'RUNNER_']
  ])('rejects %s, naming the reserved prefix', (value, prefix) => {
    expect(thrownBy(() => name(value)).message).toBe(
      `Input 'export-variable' is '${value}': that name is reserved (names starting with ${prefix} belong to the platform). Use a name such as AZURE_DEVOPS_TOKEN.`
    );
  });
});

const GUID = '11111111-2222-4333-8444-555555555555';
const RESOURCE_ID =
  '/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/agent-id';

function selector(
  clientId = '',
  objectId = '',
  resourceId = ''
): ReturnType<typeof parseManagedIdentitySelector> {
  return parseManagedIdentitySelector({
    clientId: { name: 'client-id', value: clientId },
    objectId: { name: 'managed-identity-object-id', value: objectId },
    resourceId: { name: 'managed-identity-resource-id', value: resourceId }
  });
}

describe('parseManagedIdentitySelector', () => {
  test('none given selects the system-assigned identity', () => {
    expect(selector(' ', '', '')).toBeUndefined();
  });

  test('a client ID', () => {
    expect(selector(GUID.toUpperCase())).toEqual({ kind: 'clientId', value: GUID });
  });

  test('an object ID', () => {
    expect(selector('', ` ${GUID} `)).toEqual({ kind: 'objectId', value: GUID });
  });

  test('a resource ID, trimmed and otherwise kept as given, in any case', () => {
    expect(selector('', '', ` ${RESOURCE_ID} `)).toEqual({ kind: 'resourceId', value: RESOURCE_ID });
    expect(selector('', '', RESOURCE_ID.toLowerCase())).toEqual({
      kind: 'resourceId',
      value: RESOURCE_ID.toLowerCase()
    });
  });

  test('three given names all three inputs', () => {
    expect(thrownBy(() => selector(GUID, GUID, RESOURCE_ID)).message).toMatch(
      /^Inputs 'client-id' and 'managed-identity-object-id' and 'managed-identity-resource-id' are both set/
    );
  });

  test('two given is an error naming both inputs', () => {
    const error = thrownBy(() => selector(GUID, '', RESOURCE_ID));
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).input).toBe('client-id');
    expect(error.message).toBe(
      "Inputs 'client-id' and 'managed-identity-resource-id' are both set, but a user-assigned managed identity is selected by one of them only. Keep exactly one, or none to use the system-assigned identity."
    );
  });

  test('a bad object ID names the input and quotes the value', () => {
    expect(thrownBy(() => selector('', 'agent-identity')).message).toBe(
      "Input 'managed-identity-object-id' is 'agent-identity': it must be the object (principal) ID of the user-assigned managed identity, a GUID such as 00000000-0000-0000-0000-000000000000. Copy it from the identity's Overview page in the Azure portal."
    );
  });

  test('a bad client ID names the input', () => {
    expect(thrownBy(() => selector('nope')).message).toContain(
      "Input 'client-id' is 'nope': it must be the client ID of the user-assigned managed identity"
    );
  });

  test.each([
    '/subscriptions/x/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm',
    'agent-id',
    `${RESOURCE_ID}/extra`,
    `x${RESOURCE_ID}`,
    RESOURCE_ID.replace('/resourceGroups/rg/', '/resourceGroups//'),
    RESOURCE_ID.replace('/subscriptions/00000000-0000-0000-0000-000000000001/', '/subscriptions/a/b/')
  ])('rejects the resource ID %s', (value) => {
    const error = thrownBy(() => selector('', '', value));
    expect(error.message).toContain(`Input 'managed-identity-resource-id' is '${value}'`);
    expect(error.message).toContain('/providers/Microsoft.ManagedIdentity/userAssignedIdentities/<name>.');
    expect(error.message).toContain("Copy it from the identity's Properties page in the Azure portal.");
  });
});
