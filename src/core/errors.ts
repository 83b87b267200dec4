/**
 * Typed failures. Each message is complete on its own: what went wrong, which input or endpoint,
 * the offending value when it is not secret, and how to fix it.
 */
export class InputError extends Error {
  override readonly name = 'InputError';
  constructor(
    /** The input as the user spells it on their platform (`client-id`, `azureSubscription`). */
    readonly input: string,
    message: string
  ) {
    super(message);
  }
}

/** Builds the standard bad-input message: names the input, quotes the value, says what is allowed and the fix. */
export function invalidInput(input: string, value: string, problem: string, fix: string): InputError {
  const shown = value === '' ? 'is empty' : `is '${value}'`;
  return new InputError(input, `Input '${input}' ${shown}: ${problem} ${fix}`);
}

/** Microsoft Entra refused to issue a token. Keeps the AADSTS code. */
export class AuthenticationError extends Error {
  override readonly name = 'AuthenticationError';
  constructor(
    message: string,
    /** `AADSTS700213`, or undefined when Entra gave no code. */
    readonly code?: string
  ) {
    super(message);
  }
}

/** The CI platform's OIDC endpoint did not give us a token. */
export class OidcTokenError extends Error {
  override readonly name = 'OidcTokenError';
}

/** The managed identity endpoint did not give us a token. */
export class ManagedIdentityError extends Error {
  override readonly name = 'ManagedIdentityError';
}

/** Azure DevOps answered with an error. Keeps the TF code and typeKey. */
export class AzureDevOpsError extends Error {
  override readonly name = 'AzureDevOpsError';
  constructor(
    message: string,
    readonly status: number,
    /** `TF400813`, when the body carried one. */
    readonly code?: string
  ) {
    super(message);
  }
}

/** An endpoint did not answer in time. Names the endpoint so users know what to look at. */
export class EndpointTimeoutError extends Error {
  override readonly name = 'EndpointTimeoutError';
  constructor(
    readonly endpoint: string,
    readonly url: string,
    readonly seconds: number
  ) {
    super(
      `The ${endpoint} (${url}) did not answer within ${seconds} seconds. ` +
        'Check that the host is reachable from this machine (firewall, proxy settings, DNS) and try again.'
    );
  }
}

/** Turns any thrown value into one line of text, with the stack only when asked for. */
export function describeError(error: unknown, withStack = false): string {
  if (error instanceof Error) {
    const text = error.message || error.name;
    return withStack && error.stack ? `${text}\n${error.stack}` : text;
  }
  if (typeof error === 'string') return error;
  try {
    return `Unexpected failure: ${JSON.stringify(error)}`;
  } catch {
    return 'Unexpected failure of an unknown kind.';
  }
}
