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
