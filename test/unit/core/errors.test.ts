import { describe, expect, test } from '@jest/globals';
import {
  quoteInputs,
  AuthenticationError,
  AzureDevOpsError,
  BudgetExceededError,
  describeError,
  EndpointTimeoutError,
  formatSupportIds,
  InputError,
  invalidInput,
  ManagedIdentityError,
  neutralizeServerText,
  OidcTokenError,
  ProxyError,
  ResponseTooLargeError
} from '../../../src/core/errors.js';

describe('the error classes', () => {
  test('InputError names its class and keeps the input', () => {
    const error = new InputError('client-id', 'bad client id');
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('InputError');
    expect(error.input).toBe('client-id');
    expect(error.message).toBe('bad client id');
  });

  test('AuthenticationError keeps every Entra detail and the cause', () => {
    const cause = new Error('root');
    const error = new AuthenticationError(
      'refused',
      {
        code: 'AADSTS700213',
        error: 'invalid_client',
        description: 'No matching federated identity record found.',
        traceId: 'trace-1',
        correlationId: 'corr-2',
        timestamp: '2026-12-04 13:55:00Z',
        status: 400
      },
      { cause }
    );
    expect(error.name).toBe('AuthenticationError');
    expect(error.message).toBe('refused');
    expect(error.cause).toBe(cause);
    expect({ ...error }).toEqual({
      name: 'AuthenticationError',
      code: 'AADSTS700213',
      error: 'invalid_client',
      description: 'No matching federated identity record found.',
      traceId: 'trace-1',
      correlationId: 'corr-2',
      timestamp: '2026-12-04 13:55:00Z',
      status: 400
    });
  });

  test('AuthenticationError without details has no detail fields set', () => {
    const error = new AuthenticationError('refused');
    expect(error.code).toBeUndefined();
    expect(error.error).toBeUndefined();
    expect(error.description).toBeUndefined();
    expect(error.traceId).toBeUndefined();
    expect(error.correlationId).toBeUndefined();
    expect(error.timestamp).toBeUndefined();
    expect(error.status).toBeUndefined();
    expect(error.cause).toBeUndefined();
  });

  test('OidcTokenError and ManagedIdentityError name their class', () => {
    expect(new OidcTokenError('no oidc').name).toBe('OidcTokenError');
    expect(new OidcTokenError('no oidc').message).toBe('no oidc');
    expect(new ManagedIdentityError('no mi').name).toBe('ManagedIdentityError');
    expect(new ManagedIdentityError('no mi').message).toBe('no mi');
  });

  test('AzureDevOpsError keeps the status, the TF code, the typeKey and the request IDs', () => {
    const error = new AzureDevOpsError('denied', 401, 'TF400813', {
      typeKey: 'UnauthorizedRequestException',
      activityId: 'act-1',
      e2eId: 'e2e-2',
      msEdgeRef: 'Ref A: x'
    });
    expect(error.name).toBe('AzureDevOpsError');
    expect(error.message).toBe('denied');
    expect({ ...error }).toEqual({
      name: 'AzureDevOpsError',
      status: 401,
      code: 'TF400813',
      typeKey: 'UnauthorizedRequestException',
      activityId: 'act-1',
      e2eId: 'e2e-2',
      msEdgeRef: 'Ref A: x'
    });
    const bare = new AzureDevOpsError('gone', 404);
    expect(bare.code).toBeUndefined();
    expect(bare.typeKey).toBeUndefined();
    expect(bare.activityId).toBeUndefined();
  });

  test('EndpointTimeoutError names the endpoint, its URL and the wait, and says what to check', () => {
    const error = new EndpointTimeoutError('token endpoint', 'https://login.example/t', 30);
    expect(error.name).toBe('EndpointTimeoutError');
    expect([error.endpoint, error.url, error.seconds]).toEqual([
      'token endpoint',
      'https://login.example/t',
      30
    ]);
    expect(error.message).toBe(
      'The token endpoint (https://login.example/t) did not answer within 30 seconds. Check that the host is reachable from this machine (firewall, proxy settings, DNS) and try again.'
    );
  });

  test('ResponseTooLargeError, ProxyError and BudgetExceededError name their class and keep their fields', () => {
    const tooLarge = new ResponseTooLargeError('too big', 1024);
    expect([tooLarge.name, tooLarge.message, tooLarge.limit]).toEqual([
      'ResponseTooLargeError',
      'too big',
      1024
    ]);
    const proxy = new ProxyError('proxy said no', 407, 'http://proxy:3128');
    expect([proxy.name, proxy.message, proxy.status, proxy.proxy]).toEqual([
      'ProxyError',
      'proxy said no',
      407,
      'http://proxy:3128'
    ]);
    const budget = new BudgetExceededError('out of time', 90);
    expect([budget.name, budget.message, budget.seconds]).toEqual(['BudgetExceededError', 'out of time', 90]);
  });
});

describe('invalidInput', () => {
  test('quotes a value', () => {
    const error = invalidInput('tenant-id', 'x y', 'it is not a GUID.', 'Copy it from the portal.');
    expect(error).toBeInstanceOf(InputError);
    expect(error.input).toBe('tenant-id');
    expect(error.message).toBe("Input 'tenant-id' is 'x y': it is not a GUID. Copy it from the portal.");
  });

  test('says an empty value is empty', () => {
    expect(invalidInput('tenant-id', '', 'it is required.', 'Set it.').message).toBe(
      "Input 'tenant-id' is empty: it is required. Set it."
    );
  });

  test('a command-line option is called an option, and the error keeps its name', () => {
    const error = invalidInput({ name: '--tenant-id', word: 'option' }, 'x', 'it is not a GUID.', 'Fix it.');
    expect(error.input).toBe('--tenant-id');
    expect(error.message).toBe("Option '--tenant-id' is 'x': it is not a GUID. Fix it.");
  });
});

describe('quoteInputs', () => {
  test('names one or more inputs with their word', () => {
    expect(quoteInputs({ name: 'operations' })).toBe("Input 'operations'");
    expect(quoteInputs({ name: 'a' }, { name: 'b' })).toBe("Inputs 'a' and 'b'");
    expect(quoteInputs({ name: '--a', word: 'option' }, { name: '--b', word: 'option' })).toBe(
      "Options '--a' and '--b'"
    );
  });
});

describe('describeError', () => {
  test('an Error gives its message, without the stack unless asked', () => {
    const error = new Error('boom');
    error.stack = 'Error: boom\n    at f (a.js:1:1)';
    expect(describeError(error)).toBe('boom');
    expect(describeError(error, false)).toBe('boom');
    expect(describeError(error, true)).toBe('boom\nError: boom\n    at f (a.js:1:1)');
  });

  test('an Error without a message gives its name; one without a stack gives no stack', () => {
    const error = new TypeError('');
    delete error.stack;
    expect(describeError(error)).toBe('TypeError');
    expect(describeError(error, true)).toBe('TypeError');
    const empty = new RangeError('');
    empty.stack = '';
    expect(describeError(empty, true)).toBe('RangeError');
  });

  test('a string is given as is', () => {
    expect(describeError('plain words')).toBe('plain words');
    expect(describeError('')).toBe('');
  });

  test('any other value is shown as JSON', () => {
    expect(describeError({ code: 42 })).toBe('Unexpected failure: {"code":42}');
    expect(describeError(null)).toBe('Unexpected failure: null');
    expect(describeError(7)).toBe('Unexpected failure: 7');
    expect(describeError(undefined)).toBe('Unexpected failure: undefined');
  });

  test('a value JSON cannot show gives a fixed line', () => {
    const circular: Record<string, unknown> = {};
    circular['self'] = circular;
    expect(describeError(circular)).toBe('Unexpected failure of an unknown kind.');
    expect(describeError(10n)).toBe('Unexpected failure of an unknown kind.');
  });
});

describe('neutralizeServerText', () => {
  test.each([
    ['plain text', 'plain text'],
    ['a\nb', 'a b'],
    ['a\r\n\r\nb', 'a b'],
    ['bell\u0007nul\u0000del\u007fend', 'bell nul del end'],
    ['line\u2028sep\u2029para', 'line sep para'],
    ['a   b\t\tc', 'a b c'],
    ['a  b', 'a b'],
    ['one space kept\u00a0as is', 'one space kept\u00a0as is'],
    ['  \n padded \r\n ', 'padded'],
    ['set ##vso[task.setvariable variable=A]b', 'set ##vso [task.setvariable variable=A]b'],
    ['set ##VSO[task.complete]', 'set ##VSO [task.complete]'],
    ['v1 ##[add-mask]x', 'v1 ## [add-mask]x'],
    ['## [spaced] and ##vso', '## [spaced] and ##vso'],
    ['::add-mask::x', ': :add-mask::x'],
    ['\n::error::x', ': :error::x'],
    ['a::b', 'a::b'],
    [':single', ':single'],
    ['', '']
  ])('%j', (input, expected) => {
    expect(neutralizeServerText(input)).toBe(expected);
  });
});

describe('formatSupportIds', () => {
  test('names the IDs that are present, in order', () => {
    expect(
      formatSupportIds('Entra', [
        ['trace ID', 'abc'],
        ['correlation ID', undefined],
        ['timestamp', ''],
        ['request ID', 'def']
      ])
    ).toBe(' (Entra trace ID abc, request ID def; give these to Microsoft support if you need their help.)');
  });

  test('one ID', () => {
    expect(formatSupportIds('Azure DevOps', [['activity ID', 'a1']])).toBe(
      ' (Azure DevOps activity ID a1; give these to Microsoft support if you need their help.)'
    );
  });

  test('no ID present gives nothing', () => {
    expect(formatSupportIds('Entra', [])).toBe('');
    expect(
      formatSupportIds('Entra', [
        ['trace ID', undefined],
        ['correlation ID', '']
      ])
    ).toBe('');
  });
});
