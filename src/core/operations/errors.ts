/** A mistake in the operations document, found before any request is sent. */
export class OperationFormatError extends Error {
  override readonly name = 'OperationFormatError';
}

/** "operation 2 ('repos')" or "operation 3": how messages point at an operation. */
export function operationLabel(index: number, name: string | undefined): string {
  return name ? `operation ${index} ('${name}')` : `operation ${index}`;
}
