import { InputError } from '../../../src/core/errors.js';
import {
  DEFAULT_TIMEOUT_SECONDS,
  parseAuthorityHost,
  parseBoolean,
  parseCloud,
  parseGuid,
  parseOperationsTimeout,
  parseScope,
  parseTenant,
  parseTimeout,
  TIMEOUT_VARIABLE
} from '../../../src/core/validate.js';
import { thrownBy } from '../fakes.js';

const GUID = '0f0e0d0c-0b0a-4908-8706-050403020100';

describe('parseGuid', () => {
  test('accepts a GUID, trims it and lower-cases it', () => {
    expect(parseGuid({ name: 'client-id', value: ` ${GUID.toUpperCase()} ` }, 'client ID', 'somewhere')).toBe(
      GUID
    );
  });

  test('rejects a non-GUID naming the input, quoting the value, and saying where to copy it from', () => {
    const error = thrownBy(() =>
      parseGuid({ name: 'client-id', value: 'my-app' }, 'client ID', 'the Overview page')
    );
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).input).toBe('client-id');
    expect(error.message).toBe(
      "Input 'client-id' is 'my-app': it must be the client ID, a GUID such as 00000000-0000-0000-0000-000000000000. Copy it from the Overview page."
    );
  });

  test('says the input is empty rather than quoting nothing', () => {
    expect(thrownBy(() => parseGuid({ name: 'client-id', value: '  ' }, 'client ID', 'x')).message).toMatch(
      /^Input 'client-id' is empty: /
    );
  });
});

describe('parseTenant', () => {
  test.each([
    [GUID.toUpperCase(), GUID],
    ['Contoso.onmicrosoft.com', 'contoso.onmicrosoft.com'],
    ['contoso.com', 'contoso.com'],
    ['x.io', 'x.io'],
    [' sub-1.contoso.onmicrosoft.com ', 'sub-1.contoso.onmicrosoft.com'],
    [`${'a'.repeat(63)}.com`, `${'a'.repeat(63)}.com`],
    [
      `${'a'.repeat(60)}.${'b'.repeat(60)}.${'c'.repeat(60)}.${'d'.repeat(60)}.${'e'.repeat(9)}`,
      `${'a'.repeat(60)}.${'b'.repeat(60)}.${'c'.repeat(60)}.${'d'.repeat(60)}.${'e'.repeat(9)}`
    ]
  ])('accepts %s', (value, expected) => {
    expect(parseTenant({ name: 'tenant-id', value })).toBe(expected);
  });

  test.each(['common', 'organizations', 'Consumers'])('rejects the multi-tenant alias %s', (value) => {
    const error = thrownBy(() => parseTenant({ name: 'tenant-id', value }));
    expect(error.message).toContain(`Input 'tenant-id' is '${value}'`);
    expect(error.message).toContain('not a multi-tenant alias');
    expect(error.message).toContain(
      "Use the Directory (tenant) ID from the app registration's Overview page."
    );
  });

  test.each([
    'not a tenant',
    'contoso',
    '1234',
    'https://login.microsoftonline.com/x',
    'contoso.c',
    'contoso.c0m',
    '-contoso.com',
    'contoso-.com',
    `${'a'.repeat(64)}.com`,
    `${'a'.repeat(60)}.${'b'.repeat(60)}.${'c'.repeat(60)}.${'d'.repeat(60)}.${'e'.repeat(10)}`,
    `x${GUID}`,
    `${GUID}x`
  ])('rejects %s', (value) => {
    const error = thrownBy(() => parseTenant({ name: 'tenant-id', value }));
    expect(error.message).toContain(`Input 'tenant-id' is '${value}'`);
    expect(error.message).toContain(
      'a tenant ID (a GUID) or a verified domain such as contoso.onmicrosoft.com'
    );
  });
});

describe('parseCloud', () => {
  test.each([
    ['AzureCloud', 'AzureCloud'],
    ['azureusgovernment', 'AzureUSGovernment'],
    [' AZURECHINACLOUD ', 'AzureChinaCloud']
  ])('accepts %s case-insensitively', (value, expected) => {
    expect(parseCloud({ name: 'cloud', value })).toBe(expected);
  });

  test('rejects an unknown cloud listing the allowed ones', () => {
    expect(thrownBy(() => parseCloud({ name: 'cloud', value: 'AzureGermanCloud' })).message).toBe(
      "Input 'cloud' is 'AzureGermanCloud': it must be one of AzureCloud, AzureUSGovernment, AzureChinaCloud. Use AzureCloud unless your tenant lives in a national cloud."
    );
  });
});

describe('parseAuthorityHost', () => {
  const parse = (value: string): string => parseAuthorityHost({ name: 'authority-host', value });

  test('accepts an https origin and strips a trailing slash', () => {
    expect(parse('https://login.microsoftonline.us')).toBe('https://login.microsoftonline.us');
    expect(parse('https://login.microsoftonline.us/')).toBe('https://login.microsoftonline.us');
    expect(parse('https://127.0.0.1:8443//')).toBe('https://127.0.0.1:8443');
  });

  test('rejects http and suggests the https form', () => {
    const error = thrownBy(() => parse('http://login.example.test:8080'));
    expect(error.message).toContain("Input 'authority-host' is 'http://login.example.test:8080'");
    expect(error.message).toContain('must use https');
    expect(error.message).toContain('Use https://login.example.test:8080.');
  });

  test('rejects a query string and suggests the bare origin', () => {
    const error = thrownBy(() => parse('https://login.example.test/?x=1'));
    expect(error.message).toContain('no query, fragment or credentials');
    expect(error.message).toContain('Use https://login.example.test.');
  });

  test('keeps the path of a custom authority, without its trailing slashes', () => {
    expect(parse(' https://login.example.test/adfs/ ')).toBe('https://login.example.test/adfs');
  });

  test.each([
    'https://login.example.test/?x=1',
    'https://login.example.test/#x',
    'https://user@login.example.test',
    'https://:p4ssw0rd@login.example.test'
  ])('rejects the query, fragment or credentials in %s', (value) => {
    expect(thrownBy(() => parse(value)).message).toBe(
      `Input 'authority-host' is '${value}': it must be a plain https origin with no query, fragment or credentials. Use https://login.example.test.`
    );
  });

  test('rejects something that is not a URL', () => {
    const error = thrownBy(() => parse('login.microsoftonline.com'));
    expect(error.message).toContain(
      "Input 'authority-host' is 'login.microsoftonline.com': it is not a URL."
    );
    expect(error.message).toContain('https://login.microsoftonline.com');
  });
});

describe('parseScope', () => {
  test('accepts one scope', () => {
    expect(parseScope({ name: 'scope', value: ' 499b84ac-1321-427f-aa17-267ca6975798/.default ' })).toBe(
      '499b84ac-1321-427f-aa17-267ca6975798/.default'
    );
  });

  test.each(['', 'a/.default b/.default'])('rejects %j', (value) => {
    const error = thrownBy(() => parseScope({ name: 'scope', value }));
    expect(error.message).toMatch(
      /^Input 'scope' (is empty|is 'a\/\.default b\/\.default'): it must be a single scope/
    );
    expect(error.message).toContain(
      "Leave it empty for Azure DevOps, or give one resource's /.default scope."
    );
  });
});

describe('parseTimeout', () => {
  test('defaults to 50 seconds when unset or blank', () => {
    expect(DEFAULT_TIMEOUT_SECONDS).toBe(50);
    expect(parseTimeout({})).toBe(50);
    expect(parseTimeout({ [TIMEOUT_VARIABLE]: '  ' })).toBe(50);
  });

  test.each([
    ['1', 1],
    ['120', 120],
    ['600', 600],
    ['2.5', 2.5]
  ])('accepts %s', (raw, expected) => {
    expect(parseTimeout({ [TIMEOUT_VARIABLE]: raw })).toBe(expected);
  });

  test.each(['0', '0.5', '601', '-5', 'abc', '30s', 'Infinity'])('rejects %s naming the variable', (raw) => {
    const error = thrownBy(() => parseTimeout({ [TIMEOUT_VARIABLE]: raw }));
    expect(error.message).toBe(
      `Input 'AZURE_DEVOPS_ENTRA_TOKEN_TIMEOUT' is '${raw}': it must be a number of seconds between 1 and 600. Unset it to use the default of 50 seconds.`
    );
  });
});

describe('parseOperationsTimeout', () => {
  test.each([
    ['1', 1],
    ['600', 600],
    ['86400', 86400]
  ])('accepts %s', (value, expected) => {
    expect(parseOperationsTimeout({ name: 'operations-timeout', value })).toBe(expected);
  });

  test.each(['', '0', '-1', '1.5', '10s', 'abc', '1e3', '99999999999999999999'])(
    'rejects %p naming the input, the value and the fix',
    (value) => {
      const error = thrownBy(() => parseOperationsTimeout({ name: 'operationsTimeout', value }));
      expect(error).toBeInstanceOf(InputError);
      expect(error.message).toBe(
        `Input 'operationsTimeout' ${value === '' ? 'is empty' : `is '${value}'`}: it must be a whole number of seconds, 1 or more (the total time all operations may take). Give seconds, such as 600 (the default), or more if the operations need longer.`
      );
    }
  );
});

describe('parseBoolean', () => {
  test.each([
    ['true', true],
    [' TRUE ', true],
    ['false', false],
    ['False', false]
  ])('%j → %s', (value, expected) => {
    expect(parseBoolean({ name: 'summary', value })).toBe(expected);
  });

  test.each(['yes', '1', ''])('rejects %j naming the input', (value) => {
    const error = thrownBy(() => parseBoolean({ name: 'summary', value }));
    expect(error).toBeInstanceOf(InputError);
    expect(error.message).toMatch(
      /^Input 'summary' (is empty|is '(yes|1)'): it must be true or false\. Set 'summary' to true or false\.$/
    );
  });
});
