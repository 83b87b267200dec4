import { describe, expect, test } from '@jest/globals';
import { createPipelineRequest, type PipelineRequest } from '@azure/core-rest-pipeline';
import { createIdentityHttpClient } from '../../../../src/core/auth/identity-http.js';
import { createFakeTransport, fixedDeadline, json } from '../../fakes.js';

const URL_ = 'https://login.microsoftonline.com/tenant/oauth2/v2.0/token?client-request-id=1';

function setup(deadline = fixedDeadline()) {
  const transport = createFakeTransport([json(200, { ok: true }, { 'x-ms-request-id': 'req-1' })]);
  const endpoints: string[] = [];
  const client = createIdentityHttpClient(
    transport,
    (url) => {
      endpoints.push(url.href);
      return `Entra at ${url.host}`;
    },
    deadline
  );
  return { transport, endpoints, client };
}

function request(extra: Partial<PipelineRequest> = {}): PipelineRequest {
  const r = createPipelineRequest({ url: URL_, method: 'POST' });
  r.headers.set('Content-Type', 'application/x-www-form-urlencoded');
  return Object.assign(r, extra);
}

/** What bodyOf made of the request's body (the request sent, or the error thrown). */
async function sentBody(extra: Partial<PipelineRequest>): Promise<unknown> {
  const { transport, client } = setup();
  await client.sendRequest(request(extra));
  const sent = transport.requests[0];
  return sent && 'body' in sent ? sent.body : 'no body key';
}

describe('createIdentityHttpClient', () => {
  test('sends method, URL, headers, endpoint and deadline through the transport; maps the response back', async () => {
    const deadline = fixedDeadline(1234, 7);
    const { transport, endpoints, client } = setup(deadline);
    const pipelineRequest = request({ body: 'grant_type=client_credentials' });
    const response = await client.sendRequest(pipelineRequest);
    expect(transport.requests).toHaveLength(1);
    expect(transport.requests[0]).toStrictEqual({
      method: 'POST',
      url: URL_,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=client_credentials',
      endpoint: 'Entra at login.microsoftonline.com',
      deadline
    });
    expect(transport.requests[0]?.deadline).toBe(deadline);
    expect(endpoints).toEqual([URL_]);
    expect(response.request).toBe(pipelineRequest);
    expect(response.status).toBe(200);
    expect(response.bodyAsText).toBe('{"ok":true}');
    expect(response.headers.get('x-ms-request-id')).toBe('req-1');
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
  });

  test('the abort signal is passed to the transport', async () => {
    const signals: unknown[] = [];
    const client = createIdentityHttpClient(
      {
        send: (_request, signal) => {
          signals.push(signal);
          return Promise.resolve({ status: 204, headers: {}, body: '' });
        }
      },
      () => 'E'
    );
    const signal = new AbortController().signal;
    await client.sendRequest(request({ abortSignal: signal }));
    expect(signals).toEqual([signal]);
    expect(signals[0]).toBe(signal);
  });

  test('without a deadline the request carries none', async () => {
    const transport = createFakeTransport([{ status: 200 }]);
    await createIdentityHttpClient(transport, () => 'E').sendRequest(request());
    expect(transport.requests[0]).toStrictEqual({
      method: 'POST',
      url: URL_,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      endpoint: 'E'
    });
  });

  test('form data is sent url-encoded, repeated keys in order', async () => {
    expect(await sentBody({ formData: { grant_type: 'client_credentials', scope: ['a b', 'c&d'] } })).toBe(
      'grant_type=client_credentials&scope=a+b&scope=c%26d'
    );
    // Form data wins over a body.
    expect(await sentBody({ formData: {}, body: 'ignored' })).toBe('');
  });

  test('a form field that is not a string is refused, naming the field', async () => {
    const { transport, client } = setup();
    const blob = new Blob(['x']);
    await expect(client.sendRequest(request({ formData: { ok: 'x', file: [blob] } }))).rejects.toThrow(
      new Error("Unsupported form field 'file' in an identity request.")
    );
    await expect(client.sendRequest(request({ formData: { file: blob } }))).rejects.toThrow(
      "Unsupported form field 'file' in an identity request."
    );
    expect(transport.requests).toHaveLength(0);
  });

  test('no body, a null body, a string and bytes (ArrayBuffer or a view) are sent as text', async () => {
    expect(await sentBody({})).toBe('no body key');
    expect(await sentBody({ body: null })).toBe('no body key');
    expect(await sentBody({ body: 'a=é' })).toBe('a=é');
    const bytes = Buffer.from('a=é&b=✓', 'utf8');
    const arrayBuffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length);
    expect(await sentBody({ body: arrayBuffer })).toBe('a=é&b=✓');
    expect(await sentBody({ body: new Uint8Array(arrayBuffer) })).toBe('a=é&b=✓');
  });

  test('any other body type is refused', async () => {
    const { transport, client } = setup();
    const error = await client.sendRequest(request({ body: new Blob(['x']) })).catch((e: unknown) => e);
    expect(error).toStrictEqual(new Error('Unsupported request body type in an identity request.'));
    expect(transport.requests).toHaveLength(0);
  });
});
