import { azureDevOpsError, parseAzureDevOpsError } from '../../../src/core/azure-devops-errors.js';

const IDENTITY = { objectId: 'oid-1', clientId: 'cid-1', tenantId: 'tid-1' };

describe('parseAzureDevOpsError', () => {
  test('reads message and typeKey', () => {
    expect(
      parseAzureDevOpsError('{"message":"TF400813: no","typeKey":"UnauthorizedRequestException","x":1}')
    ).toEqual({
      message: 'TF400813: no',
      typeKey: 'UnauthorizedRequestException'
    });
  });

  test.each(['<html/>', '', '{"message":42}'])('returns nothing useful for %j', (body) => {
    expect(parseAzureDevOpsError(body)).toEqual({});
  });
});

describe('azureDevOpsError', () => {
  test('keeps a TF code from the message even on a 404', () => {
    const error = azureDevOpsError(
      'Listing repositories',
      'https://dev.azure.com/contoso/_apis/git/repositories',
      { status: 404, headers: {}, body: '{"message":"TF200016: The project does not exist."}' },
      IDENTITY,
      'contoso'
    );
    expect(error.code).toBe('TF200016');
    expect(error.status).toBe(404);
    expect(error.message).toMatch(
      /^Listing repositories failed: https:\/\/dev\.azure\.com\/contoso\/_apis\/git\/repositories answered HTTP 404: TF200016: The project does not exist\.+ Check the organization name \('contoso'\)/
    );
  });

  // Regression (fixed): Azure DevOps messages end with a period and azureDevOpsError appends another ("exist.. Check").
  test('does not double the period after a message that ends with one', () => {
    const error = azureDevOpsError(
      'Calling',
      'https://x.test/a',
      { status: 404, headers: {}, body: '{"message":"TF200016: The project does not exist."}' },
      IDENTITY,
      'contoso'
    );
    expect(error.message).toContain(
      'answered HTTP 404: TF200016: The project does not exist. Check the organization name'
    );
  });

  test('TF400813 gives the membership hint whatever the status', () => {
    const error = azureDevOpsError(
      'Calling',
      'https://dev.azure.com/contoso/_apis/x',
      { status: 400, headers: {}, body: '{"message":"TF400813: not authorized"}' },
      IDENTITY,
      'contoso'
    );
    expect(error.code).toBe('TF400813');
    expect(error.message).toContain(
      "(object ID oid-1, application ID cid-1, tenant tid-1) is not a member of organization 'contoso'"
    );
  });

  test('other statuses get no hint', () => {
    const error = azureDevOpsError(
      'Calling',
      'https://x.test/a',
      { status: 409, headers: {}, body: '' },
      IDENTITY,
      'c'
    );
    expect(error.message).toBe('Calling failed: https://x.test/a answered HTTP 409.');
  });
});
