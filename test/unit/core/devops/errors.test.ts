import {
  azureDevOpsError,
  formatRequestIds,
  parseAzureDevOpsError,
  readRequestIds
} from '../../../../src/core/devops/errors.js';

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

  test.each(['<html/>', '', '{"message":42}', '{"typeKey":7}', '{"message":null,"typeKey":["a"]}'])(
    'returns nothing useful for %j',
    (body) => {
      expect(parseAzureDevOpsError(body)).toStrictEqual({});
    }
  );

  test('keeps each string field on its own, without the other as undefined', () => {
    expect(parseAzureDevOpsError('{"message":"m","typeKey":7}')).toStrictEqual({ message: 'm' });
    expect(parseAzureDevOpsError('{"message":7,"typeKey":"T"}')).toStrictEqual({ typeKey: 'T' });
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

  test('a typeKey that is not a string is left out of the message and the error', () => {
    const error = azureDevOpsError(
      'Calling',
      'https://x.test/a',
      { status: 409, headers: {}, body: '{"message":"Conflict.","typeKey":7}' },
      IDENTITY,
      'c'
    );
    expect(error.message).toBe('Calling failed: https://x.test/a answered HTTP 409: Conflict.');
    expect(error.typeKey).toBeUndefined();
  });

  test('only a final period (and the spaces after it) is dropped, not a dotted word at the end', () => {
    const error = (message: string) =>
      azureDevOpsError(
        'Calling',
        'https://x.test/a',
        { status: 409, headers: {}, body: JSON.stringify({ message }) },
        IDENTITY,
        'c'
      ).message;
    expect(error('Cannot find file build.yml')).toBe(
      'Calling failed: https://x.test/a answered HTTP 409: Cannot find file build.yml.'
    );
    expect(error('Version 7.1')).toBe('Calling failed: https://x.test/a answered HTTP 409: Version 7.1.');
    expect(error('Done. ')).toBe('Calling failed: https://x.test/a answered HTTP 409: Done.');
  });

  test('a 401 without a TF code still gets the membership hint', () => {
    const error = azureDevOpsError(
      'Calling',
      'https://x.test/a',
      { status: 401, headers: {}, body: '' },
      IDENTITY,
      'contoso'
    );
    expect(error.code).toBeUndefined();
    expect(error.message).toBe(
      "Calling failed: https://x.test/a answered HTTP 401. The identity (object ID oid-1, application ID cid-1, tenant tid-1) is not a member of organization 'contoso'. Add it in Organization settings → Users → Add users (search by its name or object ID) with an access level (Basic for Repos), or check that the organization is connected to the same Entra tenant (Organization settings → Microsoft Entra)."
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

const ACTIVITY = '2a3b4c5d-0000-4000-8000-000000000011';
const E2E = '6e7f8091-0000-4000-8000-000000000012';
const EDGE = 'Ref A: 0123456789ABCDEF0123456789ABCDEF Ref B: AMS231032607033 Ref C: 2026-12-04T13:55:00Z';
const SUPPORT = `(Azure DevOps activity ID ${ACTIVITY}, E2E ID ${E2E}, edge ref '${EDGE}'; give these to Microsoft support if you need their help.)`;

describe('request IDs', () => {
  test('are read from ActivityId, X-VSS-E2EID and X-MSEdge-Ref; X-TFS-Session stands in for a missing ActivityId', () => {
    expect(readRequestIds({ activityid: ACTIVITY, 'x-vss-e2eid': E2E, 'x-msedge-ref': EDGE })).toEqual({
      activityId: ACTIVITY,
      e2eId: E2E,
      msEdgeRef: EDGE
    });
    expect(readRequestIds({ 'x-tfs-session': ACTIVITY })).toStrictEqual({ activityId: ACTIVITY });
    expect(readRequestIds({ 'content-type': 'application/json' })).toStrictEqual({});
  });

  // Absent IDs are absent keys, not undefined ones: spreading the IDs over others never erases them.
  test.each([
    [{ activityid: ACTIVITY }, { activityId: ACTIVITY }],
    [{ 'x-vss-e2eid': E2E }, { e2eId: E2E }],
    [{ 'x-msedge-ref': EDGE }, { msEdgeRef: EDGE }],
    [{ activityid: ' ', 'x-vss-e2eid': '\r\n', 'x-msedge-ref': '' }, {}]
  ])('%j gives exactly %j', (headers, ids) => {
    expect(readRequestIds(headers)).toStrictEqual(ids);
  });

  test('an ID is cut at 200 characters', () => {
    const long = 'a'.repeat(199) + 'bc';
    expect(readRequestIds({ activityid: long, 'x-vss-e2eid': 'e'.repeat(200) })).toStrictEqual({
      activityId: 'a'.repeat(199) + 'b',
      e2eId: 'e'.repeat(200)
    });
  });

  test('only the IDs present are printed, and nothing without any', () => {
    expect(formatRequestIds({ e2eId: E2E })).toBe(
      ` (Azure DevOps E2E ID ${E2E}; give these to Microsoft support if you need their help.)`
    );
    expect(formatRequestIds({})).toBe('');
  });

  test('end the message of a 401 after the hint, and are kept as fields with the code, status and typeKey', () => {
    const error = azureDevOpsError(
      "Verifying the token against organization 'contoso'",
      'https://dev.azure.com/contoso/_apis/connectionData',
      {
        status: 401,
        headers: {
          activityid: ACTIVITY,
          'x-tfs-session': ACTIVITY,
          'x-vss-e2eid': E2E,
          'x-msedge-ref': EDGE
        },
        body: JSON.stringify({
          message: "TF400813: The user 'oid-1' is not authorized to access this resource.",
          typeKey: 'UnauthorizedRequestException'
        })
      },
      IDENTITY,
      'contoso'
    );
    expect(error.message).toMatch(
      /is not a member of organization 'contoso'\..* \(Organization settings → Microsoft Entra\)\. \(Azure DevOps activity ID /
    );
    expect(error.message.endsWith(` ${SUPPORT}`)).toBe(true);
    expect(error).toMatchObject({
      name: 'AzureDevOpsError',
      status: 401,
      code: 'TF400813',
      typeKey: 'UnauthorizedRequestException',
      activityId: ACTIVITY,
      e2eId: E2E,
      msEdgeRef: EDGE
    });
  });

  test('server text cannot break the line or smuggle a command, in the message or the IDs', () => {
    const error = azureDevOpsError(
      'Calling',
      'https://x.test/a',
      {
        status: 500,
        headers: {
          activityid: `${ACTIVITY}\r\n##vso[task.complete result=Succeeded;]`,
          'x-vss-e2eid': '::error::x'
        },
        body: JSON.stringify({ message: 'Boom.\r\n::add-mask::x\n##[error]y', typeKey: 'X\nY' })
      },
      IDENTITY,
      'c'
    );
    expect(error.message).not.toMatch(/[\r\n]|##vso\[|##\[/);
    expect(error.message).toBe(
      `Calling failed: https://x.test/a answered HTTP 500: Boom. ::add-mask::x ## [error]y (X Y). (Azure DevOps activity ID ${ACTIVITY} ##vso [task.complete result=Succeeded;], E2E ID : :error::x; give these to Microsoft support if you need their help.)`
    );
  });
});
