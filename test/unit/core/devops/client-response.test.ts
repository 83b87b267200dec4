import { describe, expect, test } from '@jest/globals';
import { parseBody, resetDelayMs, truncate } from '../../../../src/core/devops/client.js';
import type { HttpResponse } from '../../../../src/core/http/transport.js';

const answer = (body: string, contentType?: string): HttpResponse => ({
  status: 200,
  headers: contentType === undefined ? {} : { 'content-type': contentType },
  body
});

describe('resetDelayMs', () => {
  test('a reset a minute ahead waits about a minute', () => {
    const reset = Math.floor(Date.now() / 1000) + 60;
    const delay = resetDelayMs({ 'x-ratelimit-reset': String(reset) });
    expect(delay).toBeGreaterThan(58_000);
    expect(delay).toBeLessThanOrEqual(60_000);
  });

  test('a reset already past waits nothing', () => {
    expect(resetDelayMs({ 'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) - 30) })).toBe(0);
  });

  test.each([['0'], ['-5'], ['soon'], ['Infinity'], ['']])('a reset of %p is ignored', (value) => {
    expect(resetDelayMs({ 'x-ratelimit-reset': value })).toBeUndefined();
  });

  test('no header, no delay', () => {
    expect(resetDelayMs({ 'retry-after': '10' })).toBeUndefined();
  });
});

describe('parseBody', () => {
  test('an empty body is null', () => {
    expect(parseBody(answer('', 'application/json'))).toBeNull();
  });

  test('a JSON content type parses any JSON value, not only objects', () => {
    expect(parseBody(answer('42', 'application/json; charset=utf-8'))).toBe(42);
    expect(parseBody(answer('"done"', 'Application/JSON'))).toBe('done');
  });

  test('without a JSON content type, a body that starts with { or [ is still parsed', () => {
    expect(parseBody(answer('  {"count":1}', 'text/plain'))).toEqual({ count: 1 });
    expect(parseBody(answer('[1,2]'))).toEqual([1, 2]);
  });

  test('other text stays text, even when it would parse as JSON or holds brackets later on', () => {
    expect(parseBody(answer('42', 'text/plain'))).toBe('42');
    expect(parseBody(answer('"[quoted]"', 'text/plain'))).toBe('"[quoted]"');
    expect(parseBody(answer('<html>sign in</html>'))).toBe('<html>sign in</html>');
  });

  test('JSON that does not parse is returned as text', () => {
    expect(parseBody(answer('{"cut": ', 'application/json'))).toBe('{"cut": ');
  });
});

describe('truncate', () => {
  test('up to 4000 characters are shown whole', () => {
    const text = 'x'.repeat(4000);
    expect(truncate(text)).toBe(text);
  });

  test('longer text shows its first 4000 characters and its length', () => {
    expect(truncate(`${'a'.repeat(4000)}bc`)).toBe(`${'a'.repeat(4000)}… (4002 characters)`);
  });
});
