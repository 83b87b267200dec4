import type { HttpResponse } from './http.js';

// Reading Azure DevOps answers: the body as data, the rate-limit reset, the debug excerpt.

/** Milliseconds until X-RateLimit-Reset (epoch seconds), when the header is there. */
export function resetDelayMs(headers: Record<string, string>): number | undefined {
  const reset = Number(headers['x-ratelimit-reset']);
  return Number.isFinite(reset) && reset > 0 ? Math.max(0, reset * 1000 - Date.now()) : undefined;
}

/** Parsed JSON body; the text for non-JSON bodies; null when empty. */
export function parseBody(response: HttpResponse): unknown {
  if (response.body === '') return null;
  // String(undefined) is 'undefined': no content type reads as not JSON.
  if (/json/i.test(String(response.headers['content-type'])) || /^[[{]/.test(response.body.trimStart())) {
    try {
      return JSON.parse(response.body) as unknown;
    } catch {
      // Not JSON after all: the text (an empty block, so no mutant can empty it).
    }
  }
  return response.body;
}

/** The body as the debug log shows it: the first 4000 characters. */
export function truncate(text: string): string {
  return text.length > 4000 ? `${text.slice(0, 4000)}… (${text.length} characters)` : text;
}
