import { InputError } from '../../../../src/core/errors.js';
import {
  createHostPolicy,
  HostNotAllowedError,
  parseAllowedHosts
} from '../../../../src/core/devops/host-policy.js';
import { MULTI_LABEL_PUBLIC_SUFFIXES } from '../../../../src/core/devops/public-suffixes.js';
import { ORG } from '../../devops-fakes.js';
import { thrownBy } from '../../fakes.js';

const refusal = (policy: ReturnType<typeof createHostPolicy>, url: string): string => {
  const error = thrownBy(() => policy.check(new URL(url)));
  expect(error).toBeInstanceOf(HostNotAllowedError);
  return error.message;
};
const allows = (policy: ReturnType<typeof createHostPolicy>, url: string): boolean => {
  try {
    policy.check(new URL(url));
    return true;
  } catch (error) {
    if (error instanceof HostNotAllowedError) return false;
    throw error;
  }
};

describe('parseAllowedHosts', () => {
  const input = (value: string) => ({ name: 'allowed-hosts', value });

  // Regression (fixed): '*.com' was accepted and sent the token to any .com host.
  test.each([
    ['*.com', 'com'],
    ['*.io', 'io'],
    ['*.co.uk', 'co.uk'],
    ['*.com.au', 'com.au'],
    ['*.azurewebsites.net', 'azurewebsites.net'],
    ['*.blob.core.windows.net', 'blob.core.windows.net'],
    ['*.github.io', 'github.io']
  ])('the wildcard %j over a public suffix is refused naming it and the fix', (entry, domain) => {
    const error = thrownBy(() => parseAllowedHosts(input(`ok.example, ${entry}`)));
    expect(error).toBeInstanceOf(InputError);
    expect(error.message).toBe(
      `Input 'allowed-hosts' has the wildcard '${entry}', which covers a whole public suffix: anyone can get a host name under '${domain}', and the token would go to it. Give a domain you control, such as *.contoso.${domain}, or list the hosts one by one.`
    );
  });

  test('the public suffix list has every rule', () => {
    // One per country-code group (first and last label), then every hosting domain.
    const expected = [
      ...['co.uk', 'nhs.uk', 'com.au', 'asn.au', 'co.nz', 'kiwi.nz', 'co.jp', 'lg.jp', 'co.kr', 're.kr'],
      ...['co.in', 'gov.in', 'co.za', 'web.za', 'co.il', 'gov.il', 'co.id', 'my.id', 'co.th', 'in.th'],
      ...['com.br', 'com.pe', 'gov.br', 'gov.pe', 'edu.cn', 'org.ua', 'net.sg', 'com.pl', 'info.pl'],
      ...['azurewebsites.net', 'azurestaticapps.net', 'azure-api.net', 'azureedge.net', 'azurefd.net'],
      ...[
        'azurecr.io',
        'azurecontainer.io',
        'azurecontainerapps.io',
        'azure-mobile.net',
        'azurehdinsight.net'
      ],
      ...['azureiotcentral.com', 'cloudapp.net', 'cloudapp.azure.com', 'trafficmanager.net'],
      ...['servicebus.windows.net', 'database.windows.net', 'vault.azure.net'],
      ...['blob', 'web', 'file', 'queue', 'table', 'dfs'].map((s) => `${s}.core.windows.net`),
      ...['github.io', 'githubusercontent.com', 'gitlab.io', 'herokuapp.com', 'netlify.app', 'vercel.app'],
      ...['pages.dev', 'workers.dev', 'web.app', 'firebaseapp.com', 'appspot.com', 'cloudfront.net'],
      ...['amazonaws.com', 's3.amazonaws.com', 'elasticbeanstalk.com', 'onrender.com', 'fly.dev'],
      ...['ngrok.io', 'ngrok.app', 'ngrok-free.app', 'trycloudflare.com', 'blogspot.com']
    ];
    for (const suffix of expected) {
      expect([suffix, MULTI_LABEL_PUBLIC_SUFFIXES.has(suffix)]).toEqual([suffix, true]);
      expect(() => parseAllowedHosts(input(`*.${suffix}`))).toThrow(InputError);
    }
    expect(MULTI_LABEL_PUBLIC_SUFFIXES.size).toBe(210);
    expect([...MULTI_LABEL_PUBLIC_SUFFIXES].every((s) => /^[a-z0-9-]+(\.[a-z0-9-]+)+$/.test(s))).toBe(true);
  });

  test('wildcards over a domain, also one under a public suffix, and plain hosts on one are accepted', () => {
    const entries = [
      '*.contoso.com',
      '*.contoso.co.uk',
      '*.contoso.azurewebsites.net',
      'contoso.azurewebsites.net'
    ];
    expect(parseAllowedHosts(input(entries.join(',')))).toEqual(entries);
  });

  test('splits on commas and new lines, trims, lower-cases and drops blanks', () => {
    expect(parseAllowedHosts(input(' vsrm.Contoso.example, *.Blob.Example\nfeeds.example ,\n\n'))).toEqual([
      'vsrm.contoso.example',
      '*.blob.example',
      'feeds.example'
    ]);
    expect(parseAllowedHosts(input(''))).toEqual([]);
  });

  test.each(['https://x.example', 'x.example:443', 'x.example/path', '*', 'a.*.example', 'user@x.example'])(
    '%j is refused naming the input',
    (entry) => {
      const error = thrownBy(() => parseAllowedHosts(input(`ok.example, ${entry}`)));
      expect(error).toBeInstanceOf(InputError);
      expect((error as InputError).input).toBe('allowed-hosts');
      expect(error.message).toBe(
        `Input 'allowed-hosts' has the entry '${entry}', which is not a host name: give host names only (no scheme, port or path), such as vsrm.contoso.example or *.contoso.example.`
      );
    }
  );
});

describe('createHostPolicy', () => {
  const policy = createHostPolicy(ORG, ['vsrm.contoso.example', '*.blob.example']);

  test.each([
    'https://dev.azure.com/contoso/_apis/projects',
    'https://vssps.dev.azure.com/contoso/_apis/graph',
    'https://contoso.visualstudio.com/_apis',
    'https://CONTOSO.VisualStudio.com/_apis',
    'https://vsrm.contoso.example/x',
    'https://a.b.blob.example/x'
  ])('sends the token to %s', (url) => {
    expect(allows(policy, url)).toBe(true);
  });

  test.each([
    'https://dev.azure.com.evil.example/x',
    'https://evildev.azure.com/x',
    'https://visualstudio.com/x',
    'https://evilvisualstudio.com/x',
    'https://dev.azure.com@evil.example/x',
    'https://blob.example/x',
    'https://contoso.example/x'
  ])('refuses %s', (url) => {
    expect(allows(policy, url)).toBe(false);
  });

  test('the refusal names the host, the allowed list and the fix', () => {
    expect(refusal(policy, 'https://evil.example/_apis')).toBe(
      'Refused to send the token to evil.example: it is not an allowed host (dev.azure.com, *.dev.azure.com, *.visualstudio.com, vsrm.contoso.example, *.blob.example). If you trust it, add it to the allowed hosts input.'
    );
    expect(policy.description).toBe(
      'dev.azure.com, *.dev.azure.com, *.visualstudio.com, vsrm.contoso.example, *.blob.example'
    );
  });

  test('an Azure DevOps Server organization host is allowed; without an organization only the built-ins', () => {
    const server = createHostPolicy({ name: 'tfs', url: 'https://ado.contoso.example/tfs' }, []);
    expect(server.description).toBe(
      'ado.contoso.example, dev.azure.com, *.dev.azure.com, *.visualstudio.com'
    );
    expect(allows(server, 'https://ado.contoso.example/tfs/_apis')).toBe(true);
    const none = createHostPolicy(undefined, []);
    expect(none.description).toBe('dev.azure.com, *.dev.azure.com, *.visualstudio.com');
    expect(allows(none, 'https://ado.contoso.example/x')).toBe(false);
  });

  test('plain http is refused, with the https URL to use instead; other schemes too', () => {
    expect(refusal(policy, 'http://dev.azure.com/contoso/_apis')).toBe(
      'Refused to send the token to dev.azure.com over plain http: the token only travels over https (http is allowed only for a loopback organization URL). Use https://dev.azure.com/contoso/_apis.'
    );
    expect(refusal(policy, 'ftp://dev.azure.com/x')).toBe(
      "Refused to send the token to 'ftp:' URLs: only https is allowed."
    );
  });

  test('http is allowed only to the same loopback host and port as an http organization', () => {
    const local = createHostPolicy({ name: 'org', url: 'http://127.0.0.1:8080/org' }, ['localhost']);
    expect(allows(local, 'http://127.0.0.1:8080/org/_apis/projects')).toBe(true);
    expect(allows(local, 'http://127.0.0.1:9090/org/_apis')).toBe(false);
    expect(allows(local, 'http://localhost:8080/org/_apis')).toBe(false);
    const remote = createHostPolicy({ name: 'org', url: 'https://127.0.0.1:8443/org' }, []);
    expect(refusal(remote, 'http://127.0.0.1:8443/org')).toContain('over plain http');
  });

  test('a wildcard needs a label before its domain', () => {
    const wildcard = createHostPolicy(undefined, ['*.blob.example']);
    expect(allows(wildcard, 'https://x.blob.example/')).toBe(true);
    expect(allows(wildcard, 'https://.blob.example/')).toBe(false);
    expect(allows(wildcard, 'https://xblob.example/')).toBe(false);
  });

  test('http to the host of a non-loopback http organization is still refused', () => {
    const server = createHostPolicy({ name: 'tfs', url: 'http://ado.contoso.example/tfs' }, []);
    expect(refusal(server, 'http://ado.contoso.example/tfs/_apis')).toContain('over plain http');
  });

  test('http is refused to a loopback host when the organization uses https, and without one', () => {
    expect(allows(createHostPolicy(undefined, ['localhost']), 'http://localhost/x')).toBe(false);
    expect(allows(createHostPolicy(undefined, ['localhost']), 'https://localhost/x')).toBe(true);
  });
});
