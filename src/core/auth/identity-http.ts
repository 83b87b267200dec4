import {
  createHttpHeaders,
  type HttpClient,
  type PipelineRequest,
  type PipelineResponse
} from '@azure/core-rest-pipeline';
import type { Deadline, HttpTransport } from '../http/transport.js';

/**
 * Lets @azure/identity (and the MSAL code inside it) send its requests through our transport, so
 * every request of a run shares one proxy configuration, one time budget and one log format.
 */
export function createIdentityHttpClient(
  transport: HttpTransport,
  endpointFor: (url: URL) => string,
  deadline?: Deadline
): HttpClient {
  return {
    async sendRequest(request: PipelineRequest): Promise<PipelineResponse> {
      const response = await transport.send(
        {
          method: request.method,
          url: request.url,
          headers: request.headers.toJSON(),
          ...bodyOf(request),
          endpoint: endpointFor(new URL(request.url)),
          ...(deadline ? { deadline } : {})
        },
        request.abortSignal
      );
      return {
        request,
        status: response.status,
        headers: createHttpHeaders(response.headers),
        bodyAsText: response.body
      };
    }
  };
}

function bodyOf(request: PipelineRequest): { body?: string } {
  if (request.formData !== undefined) {
    const form = new URLSearchParams();
    for (const [key, value] of Object.entries(request.formData)) {
      for (const item of Array.isArray(value) ? value : [value]) {
        if (typeof item !== 'string')
          throw new Error(`Unsupported form field '${key}' in an identity request.`);
        form.append(key, item);
      }
    }
    return { body: form.toString() };
  }
  const body = request.body;
  if (body === undefined || body === null) return {};
  if (typeof body === 'string') return { body };
  if (body instanceof ArrayBuffer || ArrayBuffer.isView(body))
    return { body: Buffer.from(body as ArrayBuffer).toString('utf8') };
  throw new Error('Unsupported request body type in an identity request.');
}
