import { InputError } from '../../../src/core/errors.js';
import { isLoopbackHost, parseOrganization, parseVerify } from '../../../src/core/validate.js';
import { thrownBy } from '../fakes.js';

const parse = (value: string): ReturnType<typeof parseOrganization> =>
  parseOrganization({ name: 'organization', value });
const FIX = 'Use the organization name (contoso) or its URL (https://dev.azure.com/contoso).';

describe('parseOrganization accepts', () => {
  test('nothing, as no organization', () => {
    expect(parse('  ')).toBeUndefined();
  });

  test.each([
    ['contoso', 'contoso', 'https://dev.azure.com/contoso'],
    ['Contoso-Labs2', 'Contoso-Labs2', 'https://dev.azure.com/Contoso-Labs2'],
    ['a', 'a', 'https://dev.azure.com/a'],
    ['ab', 'ab', 'https://dev.azure.com/ab'],
    ['a--b', 'a--b', 'https://dev.azure.com/a--b'],
    ['a'.repeat(50), 'a'.repeat(50), `https://dev.azure.com/${'a'.repeat(50)}`],
    ['https://contoso-2.visualstudio.com', 'contoso-2', 'https://contoso-2.visualstudio.com'],
    ['https://dev.azure.com/contoso', 'contoso', 'https://dev.azure.com/contoso'],
    ['https://dev.azure.com/contoso/', 'contoso', 'https://dev.azure.com/contoso'],
    ['https://contoso.visualstudio.com', 'contoso', 'https://contoso.visualstudio.com'],
    ['https://contoso.visualstudio.com/', 'contoso', 'https://contoso.visualstudio.com'],
    ['https://contoso.visualstudio.com/DefaultCollection', 'contoso', 'https://contoso.visualstudio.com'],
    ['https://contoso.visualstudio.com/defaultcollection/', 'contoso', 'https://contoso.visualstudio.com'],
    ['http://localhost:8080/contoso', 'contoso', 'http://localhost:8080/contoso'],
    ['http://127.0.0.1:49152/contoso/', 'contoso', 'http://127.0.0.1:49152/contoso'],
    ['https://127.0.0.1:8443/contoso', 'contoso', 'https://127.0.0.1:8443/contoso'],
    ['http://[::1]:8080/contoso', 'contoso', 'http://[::1]:8080/contoso']
  ])('%s', (value, name, url) => {
    expect(parse(value)).toEqual({ name, url });
  });
});

describe('parseOrganization rejects', () => {
  test.each(['-contoso', 'contoso-', 'con_toso', 'contoso.com', 'a'.repeat(51)])(
    'the bad name %s',
    (value) => {
      const error = thrownBy(() => parse(value));
      expect(error).toBeInstanceOf(InputError);
      expect(error.message).toBe(
        `Input 'organization' is '${value}': an organization name has 1 to 50 letters, digits or hyphens and does not start or end with a hyphen. ${FIX}`
      );
    }
  );

  test('http to a non-loopback host, suggesting https', () => {
    expect(thrownBy(() => parse('http://dev.azure.com/contoso')).message).toBe(
      "Input 'organization' is 'http://dev.azure.com/contoso': the token must only travel over https. Use https://dev.azure.com/contoso."
    );
  });

  test.each(['https://dev.azure.com/contoso/project', 'https://dev.azure.com/', 'http://localhost:8080/a/b'])(
    'extra or missing path segments in %s',
    (value) => {
      const error = thrownBy(() => parse(value));
      expect(error.message).toContain(`Input 'organization' is '${value}'`);
      expect(error.message).toContain('/<organization>, with nothing after the organization name.');
      expect(error.message).toContain(FIX);
    }
  );

  test('extra path segments on a visualstudio.com URL', () => {
    const error = thrownBy(() => parse('https://contoso.visualstudio.com/DefaultCollection/project'));
    expect(error.message).toContain('it is not an Azure DevOps Services organization URL');
  });

  test.each([
    'https://github.com/contoso',
    'https://contoso.example.com',
    'https://dev.azure.com.evil.test/contoso'
  ])('the other host %s', (value) => {
    expect(thrownBy(() => parse(value)).message).toBe(
      `Input 'organization' is '${value}': it is not an Azure DevOps Services organization URL (https://dev.azure.com/<organization> or https://<organization>.visualstudio.com). ${FIX}`
    );
  });

  test('a single path segment other than DefaultCollection on a visualstudio.com URL', () => {
    expect(thrownBy(() => parse('https://contoso.visualstudio.com/project')).message).toBe(
      `Input 'organization' is 'https://contoso.visualstudio.com/project': it is not an Azure DevOps Services organization URL (https://dev.azure.com/<organization> or https://<organization>.visualstudio.com). ${FIX}`
    );
  });

  test.each([
    'https://dev.azure.com/con_toso',
    'https://dev.azure.com/-contoso',
    'http://localhost:8080/a.b'
  ])('a bad organization name in the URL %s', (value) => {
    expect(thrownBy(() => parse(value)).message).toContain('with nothing after the organization name.');
  });

  // A suffix, a prefix or a sub-subdomain around <organization>.visualstudio.com is another host:
  // the token must never be sent there.
  test.each([
    'https://contoso.visualstudio.com.evil.example',
    'https://contoso.visualstudio.com.evil.example/',
    'https://evil.contoso.visualstudio.com',
    'https://-contoso.visualstudio.com',
    'https://visualstudio.com',
    'https://contosovisualstudio.com',
    'https://contoso.visualstudioXcom'
  ])('the look-alike host %s', (value) => {
    expect(thrownBy(() => parse(value)).message).toBe(
      `Input 'organization' is '${value}': it is not an Azure DevOps Services organization URL (https://dev.azure.com/<organization> or https://<organization>.visualstudio.com). ${FIX}`
    );
  });

  test('http to a visualstudio.com host, suggesting https', () => {
    expect(thrownBy(() => parse('http://contoso.visualstudio.com/')).message).toBe(
      "Input 'organization' is 'http://contoso.visualstudio.com/': the token must only travel over https. Use https://contoso.visualstudio.com/."
    );
  });

  test.each([
    'https://dev.azure.com/contoso?x=1',
    'https://dev.azure.com/contoso#top',
    'https://user@dev.azure.com/contoso',
    'https://:p4ssw0rd@dev.azure.com/contoso',
    'https://contoso.visualstudio.com/?x=1',
    'http://localhost:8080/contoso#x'
  ])('a query, fragment or credentials in %s', (value) => {
    expect(thrownBy(() => parse(value)).message).toBe(
      `Input 'organization' is '${value}': an organization URL has no query, fragment or credentials. ${FIX}`
    );
  });

  test.each(['ftp://dev.azure.com/contoso', 'wss://127.0.0.1/contoso'])('the non-http scheme %s', (value) => {
    expect(thrownBy(() => parse(value)).message).toBe(
      `Input 'organization' is '${value}': only https URLs are allowed. ${FIX}`
    );
  });

  test('something that is neither a name nor a URL', () => {
    expect(thrownBy(() => parse('dev.azure.com/contoso')).message).toBe(
      `Input 'organization' is 'dev.azure.com/contoso': it is neither an organization name nor a URL. ${FIX}`
    );
  });
});

describe('isLoopbackHost', () => {
  test.each([
    ['localhost', true],
    ['127.0.0.1', true],
    ['127.1.2.3', true],
    ['[::1]', true],
    ['127.10.200.3', true],
    ['a127.1.2.3', false],
    ['127.1.2', false],
    ['127.1.2.x', false],
    ['128.0.0.1', false],
    ['dev.azure.com', false],
    ['127.0.0.1.evil.test', false]
  ])('%s → %s', (host, expected) => {
    expect(isLoopbackHost(host)).toBe(expected);
  });
});

describe('parseVerify', () => {
  const verify = (value: string, organizationSet: boolean): boolean =>
    parseVerify({ name: 'verify', value }, organizationSet);

  test.each([
    ['auto', true, true],
    ['auto', false, false],
    ['', true, true],
    ['', false, false],
    ['TRUE', true, true],
    ['false', true, false],
    ['false', false, false]
  ])('%j with organization %s → %s', (value, organizationSet, expected) => {
    expect(verify(value, organizationSet)).toBe(expected);
  });

  test('true without an organization says there is nothing to verify against', () => {
    const error = thrownBy(() => verify('true', false));
    expect(error).toBeInstanceOf(InputError);
    expect(error.message).toBe(
      "Input 'verify' is 'true' but no organization is set, so there is nothing to verify against. Set the organization input, or set 'verify' to auto or false."
    );
  });

  test('rejects other values', () => {
    expect(thrownBy(() => verify('yes', true)).message).toBe(
      "Input 'verify' is 'yes': it must be auto, true or false. Use auto (verify when an organization is set), true or false."
    );
  });
});
