import { describe, expect, test } from '@jest/globals';
import type { DevOpsRequest } from '../../../../src/core/devops/client.js';
import { followRedirect, RedirectRefusedError } from '../../../../src/core/devops/redirect.js';
import { thrownBy } from '../../fakes.js';

const FROM = new URL('https://dev.azure.com/contoso/_apis/x');
const WHAT = 'Operation 1';

function request(method: string, extra: Partial<DevOpsRequest> = {}): DevOpsRequest {
  return { method, url: FROM, headers: { 'x-custom': '1' }, description: WHAT, ...extra };
}

describe('followRedirect within the origin', () => {
  test('303 turns a POST into a GET without its body, keeping its headers', () => {
    const post = request('POST', { body: '{"a":1}' });
    const hop = followRedirect(post, post, 303, '/contoso/_apis/y', FROM, true, WHAT);
    expect(hop.sameOrigin).toBe(true);
    expect(hop.request).toStrictEqual({
      method: 'GET',
      url: new URL('https://dev.azure.com/contoso/_apis/y'),
      headers: { 'x-custom': '1' },
      description: WHAT
    });
  });

  test('303 leaves a HEAD a HEAD', () => {
    const head = request('HEAD');
    expect(followRedirect(head, head, 303, '/contoso/_apis/y', FROM, true, WHAT).request.method).toBe('HEAD');
  });

  test.each([[307], [308]])('%d keeps the method and the body', (status) => {
    const put = request('PUT', { body: 'payload' });
    const hop = followRedirect(put, put, status, 'https://dev.azure.com/contoso/_apis/z', FROM, true, WHAT);
    expect(hop.request.method).toBe('PUT');
    expect(hop.request.body).toBe('payload');
    expect(hop.sameOrigin).toBe(true);
  });

  test('a same-origin hop of a request that left the origin earlier is treated as another origin', () => {
    const get = request('GET');
    const hop = followRedirect(get, get, 302, '/contoso/_apis/y', FROM, false, WHAT);
    expect(hop).toStrictEqual({
      request: { method: 'GET', url: new URL('https://dev.azure.com/contoso/_apis/y'), description: WHAT },
      sameOrigin: false
    });
  });
});

describe('followRedirect to another origin', () => {
  test('a GET follows as a bare GET: no headers, no body', () => {
    const get = request('GET');
    const hop = followRedirect(get, get, 302, 'https://cdn.example/file', FROM, true, WHAT);
    expect(hop).toStrictEqual({
      request: { method: 'GET', url: new URL('https://cdn.example/file'), description: WHAT },
      sameOrigin: false
    });
  });

  test('a HEAD stays a HEAD', () => {
    const head = request('HEAD');
    expect(followRedirect(head, head, 301, 'https://cdn.example/file', FROM, true, WHAT).request.method).toBe(
      'HEAD'
    );
  });

  test('a write is refused, naming the method, the origin and the fix', () => {
    const post = request('POST', { body: 'x' });
    const error = thrownBy(() =>
      followRedirect(post, post, 307, 'https://other.example/in', FROM, true, WHAT)
    );
    expect(error).toBeInstanceOf(RedirectRefusedError);
    expect(error.name).toBe('RedirectRefusedError');
    expect(error.message).toBe(
      'Operation 1: POST https://dev.azure.com/contoso/_apis/x answered HTTP 307 redirecting to another origin (https://other.example); a POST is not sent on to another host, so nothing was sent there. Point the operation at the URL that should receive it (add its host to the allowed hosts if it must get the token).'
    );
  });

  test.each([
    ['https to loopback http', 'https://127.0.0.1:8443/contoso/x', 'http://127.0.0.1:8080/y'],
    ['https to localhost http', 'https://localhost/x', 'http://localhost/y'],
    ['loopback http to another http host', 'http://127.0.0.1:8080/x', 'http://evil.example/y'],
    ['https to plain http', 'https://dev.azure.com/contoso/x', 'http://dev.azure.com/contoso/y'],
    ['loopback http to loopback ftp', 'http://127.0.0.1:8080/x', 'ftp://127.0.0.1/y']
  ])('%s is refused as not https', (_label, from, location) => {
    const get = request('GET', { url: new URL(from) });
    const error = thrownBy(() => followRedirect(get, get, 302, location, new URL(from), true, WHAT));
    expect(error).toBeInstanceOf(RedirectRefusedError);
    expect(error.message).toBe(
      `Operation 1: GET ${new URL(from).origin}${new URL(from).pathname} answered HTTP 302 redirecting to ${new URL(location).protocol}//${new URL(location).host}, which is not https; the redirect was not followed. Point the operation at the final https URL.`
    );
  });

  test('loopback http to loopback http is followed (the local emulator)', () => {
    const from = new URL('http://127.0.0.1:8080/x');
    const get = request('GET', { url: from });
    const hop = followRedirect(get, get, 302, 'http://127.0.0.1:9090/y', from, true, WHAT);
    expect(hop.request.url.href).toBe('http://127.0.0.1:9090/y');
    expect(hop.sameOrigin).toBe(false);
  });
});
