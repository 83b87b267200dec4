/** One validated operation. String fields may hold `{{ }}` templates, rendered when it runs. */
export interface Operation {
  /** 1-based position in the document. */
  index: number;
  /** Key of its result in `results`; operations without a name keep no result. */
  name: string | undefined;
  method: string;
  url: string;
  /** The api-version given (field, query or URL); undefined when omitted: the route's own, else DEFAULT_API_VERSION. */
  apiVersion: string | undefined;
  query: Record<string, unknown>;
  headers: Record<string, string>;
  body: unknown;
  contentType: string | undefined;
  /** Follow x-ms-continuationtoken and gather every page's `value` items. */
  paginate: boolean;
  /** JMESPath applied to the response JSON. */
  select: string | undefined;
  /** Statuses that count as success; undefined means any 2xx. */
  expect: number[] | undefined;
  /** A template (or a literal list) giving the items to run the operation for. */
  forEach: unknown;
  /** Items in flight at once for for-each. */
  concurrency: number;
  continueOnError: boolean;
  /** Skip the pre-flight check against Microsoft's published REST API (an API newer than the index). */
  unchecked: boolean;
}

export const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD'] as const;

export const FIELDS = [
  'name',
  'method',
  'url',
  'api-version',
  'query',
  'headers',
  'body',
  'content-type',
  'paginate',
  'select',
  'expect',
  'for-each',
  'concurrency',
  'continue-on-error',
  'unchecked'
] as const;

export const DEFAULT_API_VERSION = '7.1';
export const DEFAULT_CONCURRENCY = 4;
export const MAX_CONCURRENCY = 16;

/** A mistake in the operations document, found before any request is sent. */
export class OperationFormatError extends Error {
  override readonly name = 'OperationFormatError';
}

/** "operation 2 ('repos')" or "operation 3": how messages point at an operation. */
export function operationLabel(index: number, name: string | undefined): string {
  return name ? `operation ${index} ('${name}')` : `operation ${index}`;
}

/**
 * A template rendered a value that holds a secret of this run (the access token, a feed credential, a proxy
 * password). Refused before the request is sent; the message names the operation and field, never the value.
 */
export class OperationSecretError extends Error {
  override readonly name = 'OperationSecretError';
  constructor(
    /** How messages point at the operation, e.g. "operation 2 ('repos')". */
    readonly operation: string,
    /** The field whose rendered value held the secret: url, query, headers or body. */
    readonly field: string
  ) {
    super(
      `${operation}, field '${field}': the rendered value contains a secret of this run (the access token or another masked value), so the request was not sent. Templates must not carry secrets: remove the {{ env.… }} or {{ results.… }} reference that brings it in (the step authenticates its requests itself).`
    );
  }
}
