import { describe, expect, test } from '@jest/globals';
import {
  EntraErrorResponse,
  formatEntraSupportIds,
  parseEntraErrorBody,
  parseEntraText,
  readEntraErrorDetails
} from '../../../src/core/entra-error-details.js';

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
