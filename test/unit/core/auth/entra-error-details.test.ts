import { describe, expect, test } from '@jest/globals';
import {
  EntraErrorResponse,
  formatEntraSupportIds,
  parseEntraErrorBody,
  parseEntraText,
  readEntraErrorDetails
} from '../../../../src/core/auth/entra-error-details.js';

const TRACE = '0a1b2c3d-0000-4000-8000-000000000001';
const CORRELATION = '5c6d7e8f-0000-4000-8000-000000000002';
const TIMESTAMP = '2026-12-04 13:55:00Z';
const DESCRIPTION = `AADSTS7000215: Invalid client secret provided.\r\nTrace ID: ${TRACE}\r\nCorrelation ID: ${CORRELATION}\r\nTimestamp: ${TIMESTAMP}`;
/** The token endpoint's error answer, as Entra (and the emulator) send it. */
const BODY = {
  error: 'invalid_client',
  error_description: DESCRIPTION,
  error_codes: [7000215],
  timestamp: TIMESTAMP,
  trace_id: TRACE,
  correlation_id: CORRELATION,
  error_uri: 'https://login.microsoftonline.com/error?code=7000215'
};
const EXPECTED = {
  code: 'AADSTS7000215',
  error: 'invalid_client',
  description: 'Invalid client secret provided.',
  traceId: TRACE,
  correlationId: CORRELATION,
  timestamp: TIMESTAMP
};

// What MSAL makes of BODY (ResponseHandler.validateTokenResponse), and so the message of every error built on it.
const MSAL_MESSAGE = `Error(s): 7000215 - Timestamp: ${TIMESTAMP} - Description: ${DESCRIPTION} - Correlation ID: ${CORRELATION} - Trace ID: ${TRACE}`;

// The shapes below were captured from @azure/identity 4.13.1 with msal-node 5.6.0 answering BODY through a custom
// httpClient (jest cannot load those libraries, so their errors are rebuilt here with the same own properties).
function named<T extends object>(name: string, message: string, fields: T, cause?: unknown): Error & T {
  const error = Object.assign(new Error(message, cause === undefined ? undefined : { cause }), fields);
  error.name = name;
  return error;
}
/** ClientSecretCredential / ClientCertificateCredential: MSAL's ServerError re-thrown by message only. */
const identityRequired = named('AuthenticationRequiredError', `invalid_client: ${MSAL_MESSAGE}`, {
  scopes: ['499b84ac-1321-427f-aa17-267ca6975798/.default']
});
/** MSAL's ServerError. */
const msalServerError = named('ServerError', `invalid_client: ${MSAL_MESSAGE}`, {
  errorCode: 'invalid_client',
  errorMessage: MSAL_MESSAGE,
  subError: '',
  correlationId: CORRELATION,
  errorNo: 7000215,
  status: 400
});
/** ManagedIdentityCredential: CredentialUnavailableError with the ServerError as cause. */
const identityManaged = named(
  'CredentialUnavailableError',
  `ManagedIdentityCredential: Authentication failed. Message invalid_client: ${MSAL_MESSAGE}`,
  {},
  msalServerError
);
/** @azure/identity's own AuthenticationError (identity client, AzurePipelinesCredential). */
const identityAuthentication = named(
  'AuthenticationError',
  `invalid_client Status code: 400\nMore details:\n${DESCRIPTION},`,
  {
    statusCode: 400,
    errorResponse: {
      error: 'invalid_client',
      errorDescription: DESCRIPTION,
      correlationId: CORRELATION,
      errorCodes: [7000215],
      timestamp: TIMESTAMP,
      traceId: TRACE
    }
  }
);

describe('parseEntraErrorBody', () => {
  test('reads every field of the token endpoint error answer, and the status given', () => {
    expect(parseEntraErrorBody(JSON.stringify(BODY), 401)).toEqual({ ...EXPECTED, status: 401 });
  });

  test('takes the code from error_codes and the IDs from the description when the fields are missing', () => {
    const partial: Record<string, unknown> = { ...BODY };
    delete partial.error_codes;
    delete partial.trace_id;
    expect(parseEntraErrorBody(JSON.stringify({ ...partial, error_codes: [700213] }))).toMatchObject({
      code: 'AADSTS700213',
      traceId: TRACE,
      correlationId: CORRELATION
    });
    expect(parseEntraErrorBody(JSON.stringify(partial))).toMatchObject({
      code: 'AADSTS7000215',
      traceId: TRACE
    });
  });

  test.each(['<html/>', '', '[]', '{"message":"TF400813: no"}', 'null'])(
    'is undefined for a body that is not an Entra error: %j',
    (body) => {
      expect(parseEntraErrorBody(body)).toBeUndefined();
    }
  );
});

describe('parseEntraText', () => {
  test('reads code, description and the IDs from an MSAL message, the description stopping at Trace ID', () => {
    expect(parseEntraText(`invalid_client: ${MSAL_MESSAGE}`)).toEqual({
      code: EXPECTED.code,
      description: EXPECTED.description,
      traceId: TRACE,
      correlationId: CORRELATION,
      timestamp: TIMESTAMP
    });
  });

  test('reads plain AADSTS text, stopping at a line break, and MSAL one-line text with short IDs', () => {
    expect(parseEntraText("AADSTS90002: Tenant 'contoso.example' not found.")).toEqual({
      code: 'AADSTS90002',
      description: "Tenant 'contoso.example' not found."
    });
    expect(
      parseEntraText('invalid_request(status code 400).\nMore details:\nAADSTS90002: Tenant gone.\r\nx')
    ).toEqual({ code: 'AADSTS90002', description: 'Tenant gone.' });
    expect(
      parseEntraText(
        'AADSTS700213: No match. Trace ID: 0a1b Correlation ID: 2c3d Timestamp: 2026-05-01 10:00:00Z'
      )
    ).toEqual({
      code: 'AADSTS700213',
      description: 'No match.',
      traceId: '0a1b',
      correlationId: '2c3d',
      timestamp: '2026-05-01 10:00:00Z'
    });
  });

  test('finds nothing without an AADSTS code or IDs', () => {
    expect(parseEntraText('invalid_client: Error(s): 700213')).toEqual({});
  });
});

describe('readEntraErrorDetails: whatever the credential threw', () => {
  test('our federated exchange: the EntraErrorResponse it throws', () => {
    const details = parseEntraErrorBody(JSON.stringify(BODY), 401) ?? {};
    expect(readEntraErrorDetails(new EntraErrorResponse('invalid_client: …', details))).toEqual({
      ...EXPECTED,
      status: 401
    });
  });

  test("@azure/identity's AuthenticationError: errorResponse and statusCode", () => {
    expect(readEntraErrorDetails(identityAuthentication)).toEqual({ ...EXPECTED, status: 400 });
  });

  test("MSAL's ServerError under ManagedIdentityCredential's CredentialUnavailableError: found down the cause chain", () => {
    expect(readEntraErrorDetails(identityManaged)).toEqual({ ...EXPECTED, status: 400 });
  });

  test('ClientSecretCredential: only the message survives; the status comes from the recorded error answer', () => {
    expect(readEntraErrorDetails(identityRequired)).toEqual({
      code: EXPECTED.code,
      description: EXPECTED.description,
      traceId: TRACE,
      correlationId: CORRELATION,
      timestamp: TIMESTAMP
    });
    expect(readEntraErrorDetails(identityRequired, [{ status: 401, body: JSON.stringify(BODY) }])).toEqual({
      ...EXPECTED,
      status: 401
    });
  });

  test('an error without Entra text falls back to the newest Entra error answer', () => {
    const older = { ...BODY, error_codes: [90002], error_description: 'AADSTS90002: Tenant not found.' };
    const answers = [
      { status: 400, body: JSON.stringify(older) },
      { status: 500, body: '{"message":"oops"}' },
      { status: 401, body: JSON.stringify(BODY) }
    ];
    expect(readEntraErrorDetails(new Error('endpoints_resolution_error'), answers)).toEqual({
      ...EXPECTED,
      status: 401
    });
  });

  test('an answer with another code does not lend its IDs to the error', () => {
    const other = JSON.stringify({ ...BODY, error_codes: [90002], trace_id: 'ffff', correlation_id: 'eeee' });
    expect(
      readEntraErrorDetails(new Error('AADSTS700016: App not found.'), [{ status: 400, body: other }])
    ).toEqual({ code: 'AADSTS700016', description: 'App not found.' });
  });

  test('undefined when nothing was found', () => {
    expect(readEntraErrorDetails(new Error('socket closed'))).toBeUndefined();
    expect(readEntraErrorDetails('socket closed', [{ status: 502, body: '<html/>' }])).toBeUndefined();
  });

  test('text from the server cannot break the line or smuggle a command', () => {
    const hostile = {
      error: 'invalid_client',
      error_description: 'AADSTS50012: Bad ##vso[task.setvariable variable=x]y and ::error::z',
      error_codes: [50012],
      trace_id: `${TRACE}\r\n::add-mask::x`,
      correlation_id: '##vso[task.complete result=Succeeded;]',
      timestamp: `${TIMESTAMP}\n##[error]`
    };
    const details = parseEntraErrorBody(JSON.stringify(hostile));
    for (const value of Object.values(details ?? {})) {
      expect(String(value)).not.toMatch(/[\r\n]|##vso\[|##\[|^::/);
    }
    expect(details).toMatchObject({
      description: 'Bad ##vso [task.setvariable variable=x]y and ::error::z',
      traceId: `${TRACE} ::add-mask::x`,
      correlationId: '##vso [task.complete result=Succeeded;]'
    });
  });
});

describe('formatEntraSupportIds', () => {
  test('names the IDs that are present, in one wording', () => {
    expect(formatEntraSupportIds(EXPECTED)).toBe(
      ` (Entra trace ID ${TRACE}, correlation ID ${CORRELATION}, timestamp ${TIMESTAMP}; give these to Microsoft support if you need their help.)`
    );
    expect(formatEntraSupportIds({ correlationId: CORRELATION })).toBe(
      ` (Entra correlation ID ${CORRELATION}; give these to Microsoft support if you need their help.)`
    );
  });

  test('is empty without IDs', () => {
    expect(formatEntraSupportIds(undefined)).toBe('');
    expect(formatEntraSupportIds({ code: 'AADSTS1', description: 'x' })).toBe('');
  });
});

describe('parseEntraErrorBody: which bodies count and what is kept', () => {
  test('a body with only an error, only a description or only error codes is an Entra error', () => {
    expect(parseEntraErrorBody('{"error":"invalid_request"}')).toEqual({ error: 'invalid_request' });
    expect(parseEntraErrorBody('{"error_description":"The request is malformed."}')).toEqual({
      description: 'The request is malformed.'
    });
    expect(parseEntraErrorBody('{"error":"invalid_request","error_description":"Malformed."}')).toEqual({
      error: 'invalid_request',
      description: 'Malformed.'
    });
    expect(parseEntraErrorBody('{"error_codes":[90002]}', 400)).toEqual({ code: 'AADSTS90002', status: 400 });
  });

  test('blank fields do not count, and a description of control characters only adds nothing', () => {
    expect(parseEntraErrorBody('{"error":"   ","error_description":"\\t "}')).toBeUndefined();
    expect(parseEntraErrorBody('{"error":"invalid_request","error_description":"\\u0000\\u0001"}')).toEqual({
      error: 'invalid_request'
    });
  });

  test('a description without a code is kept whole, on one line', () => {
    expect(parseEntraErrorBody('{"error":"x","error_description":"Bad\\r\\nrequest.  Try again."}')).toEqual({
      error: 'x',
      description: 'Bad request. Try again.'
    });
  });

  test('IDs are cut to 100 characters', () => {
    const long = 'a'.repeat(150);
    expect(
      parseEntraErrorBody(JSON.stringify({ error: long, trace_id: long, correlation_id: long }))
    ).toEqual({
      error: 'a'.repeat(100),
      traceId: 'a'.repeat(100),
      correlationId: 'a'.repeat(100)
    });
  });

  test.each(['"invalid_client"', '7000215', 'true'])(
    'is undefined for a JSON value that is not an object: %s',
    (body) => {
      expect(parseEntraErrorBody(body)).toBeUndefined();
    }
  );
});

describe('parseEntraText: the separators Entra and MSAL use', () => {
  test('no space after the colons, the description running into Trace ID, and a fractional timestamp', () => {
    expect(
      parseEntraText(
        'AADSTS50012:Bad client assertion.Trace ID:0a1b Correlation ID:2c3d Timestamp:2026-05-01T10:00:00.1234567Z'
      )
    ).toEqual({
      code: 'AADSTS50012',
      description: 'Bad client assertion.',
      traceId: '0a1b',
      correlationId: '2c3d',
      timestamp: '2026-05-01T10:00:00.1234567Z'
    });
  });

  test('a code without a colon, and a code without a description', () => {
    expect(parseEntraText('AADSTS50012 Bad client assertion.')).toEqual({
      code: 'AADSTS50012',
      description: 'Bad client assertion.'
    });
    expect(parseEntraText('AADSTS50012:')).toEqual({ code: 'AADSTS50012' });
  });
});

describe('readEntraErrorDetails: how the sources are merged', () => {
  test('the source with the code wins over an earlier one without it; sources without a code fill the gaps', () => {
    const inner = new Error('AADSTS700016: App not found. Trace ID: bbbb');
    const outer = new Error('request failed. Trace ID: aaaa Correlation ID: cccc', { cause: inner });
    expect(readEntraErrorDetails(outer)).toEqual({
      code: 'AADSTS700016',
      description: 'App not found.',
      traceId: 'bbbb',
      correlationId: 'cccc'
    });
  });

  test('an error answer without a code lends its fields to the error', () => {
    const body = JSON.stringify({ error: 'invalid_client', trace_id: 'ffff' });
    expect(readEntraErrorDetails(new Error('AADSTS700016: App not found.'), [{ status: 400, body }])).toEqual(
      {
        code: 'AADSTS700016',
        description: 'App not found.',
        error: 'invalid_client',
        traceId: 'ffff',
        status: 400
      }
    );
  });

  test('a later source with the same code does not overwrite what the first one said', () => {
    const body = JSON.stringify({
      ...BODY,
      trace_id: 'ffff',
      error_description: 'AADSTS7000215: Other words.'
    });
    expect(readEntraErrorDetails(identityAuthentication, [{ status: 401, body }])).toEqual({
      ...EXPECTED,
      status: 400
    });
  });

  test('details with nothing in them count as nothing found', () => {
    const empty = new EntraErrorResponse('', { traceId: undefined, status: undefined });
    expect(readEntraErrorDetails(new Error('request failed', { cause: empty }))).toBeUndefined();
  });

  test('the cause chain is read five deep, not further', () => {
    const chain = (depth: number): Error => {
      let error = new Error('AADSTS90002: Tenant not found.');
      for (let i = 1; i < depth; i++) error = new Error(`wrapper ${i}`, { cause: error });
      return error;
    };
    expect(readEntraErrorDetails(chain(5))).toEqual({
      code: 'AADSTS90002',
      description: 'Tenant not found.'
    });
    expect(readEntraErrorDetails(chain(6))).toBeUndefined();
  });

  test('a null cause ends the chain', () => {
    expect(readEntraErrorDetails(new Error('AADSTS90002: Tenant not found.', { cause: null }))).toEqual({
      code: 'AADSTS90002',
      description: 'Tenant not found.'
    });
  });

  test('only objects are read for fields and causes: a thrown function is not', () => {
    const thrown = Object.assign(() => undefined, {
      errorCode: 'invalid_client',
      errorMessage: 'AADSTS7000215: Invalid client secret provided.',
      cause: new Error('AADSTS90002: Tenant not found.')
    });
    expect(readEntraErrorDetails(thrown)).toBeUndefined();
  });
});

describe("readEntraErrorDetails: the libraries' error fields", () => {
  test('@azure/identity: the code from errorCodes when the description has none, and statusCode only when it is a number', () => {
    const error = named('AuthenticationError', 'invalid_client', {
      statusCode: '400',
      errorResponse: {
        error: 'invalid_client',
        errorDescription: 'Application not found.',
        errorCodes: [700016]
      }
    });
    expect(readEntraErrorDetails(error)).toEqual({
      code: 'AADSTS700016',
      error: 'invalid_client',
      description: 'Application not found.'
    });
  });

  test('@azure/identity: no code without a numeric error code', () => {
    const error = named('AuthenticationError', 'invalid_client', {
      statusCode: 400,
      errorResponse: {
        error: 'invalid_client',
        errorDescription: 'Application not found.',
        errorCodes: ['x']
      }
    });
    expect(readEntraErrorDetails(error)).toEqual({
      error: 'invalid_client',
      description: 'Application not found.',
      status: 400
    });
  });

  test('a null errorResponse is passed over for the MSAL fields', () => {
    const error = named('ServerError', 'failed', {
      errorResponse: null,
      errorCode: 'invalid_client',
      errorMessage: 'Something failed.',
      status: '400'
    });
    expect(readEntraErrorDetails(error)).toEqual({
      error: 'invalid_client',
      description: 'Something failed.'
    });
  });

  test('MSAL: both errorCode and errorMessage are needed', () => {
    expect(
      readEntraErrorDetails(named('ServerError', 'failed', { errorCode: 'invalid_client' }))
    ).toBeUndefined();
    expect(
      readEntraErrorDetails(named('ServerError', 'failed', { errorMessage: 'Something failed.' }))
    ).toBeUndefined();
  });
});

test('EntraErrorResponse is named for what it is', () => {
  expect(new EntraErrorResponse('invalid_client', {}).name).toBe('EntraErrorResponse');
});
