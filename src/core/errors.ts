import { neutralizeLogText } from './log-text.js';
import type { SecretGuard } from './secrets.js';

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

/** An input with the name the user knows it by, and the word for it: a command-line 'option', else an 'input'. */
export interface InputName {
  name: string;
  /** 'option' for the CLI's options; the action's and the task's inputs leave it out. */
  word?: 'option';
}

/** How a message names inputs: "Input 'client-id'", "Option '--client-id'", "Inputs 'a' and 'b'". */
export function quoteInputs(...inputs: [InputName, ...InputName[]]): string {
  const word = inputs[0].word === 'option' ? 'Option' : 'Input';
  return `${word}${inputs.length > 1 ? 's' : ''} ${inputs.map((input) => `'${input.name}'`).join(' and ')}`;
}

/** Builds the standard bad-input message: names the input, quotes the value, says what is allowed and the fix. */
export function invalidInput(
  /** A plain name is an input's (the action's or the task's). */
  input: InputName | string,
  value: string,
  problem: string,
  fix: string
): InputError {
  const named = typeof input === 'string' ? { name: input } : input;
  const shown = value === '' ? 'is empty' : `is '${value}'`;
  return new InputError(named.name, `${quoteInputs(named)} ${shown}: ${problem} ${fix}`);
}

/** What Entra said about a refused token request: its code, its words and the IDs Microsoft support asks for. */
export interface EntraErrorDetails {
  /** `AADSTS700213`, or undefined when Entra gave no code. */
  code?: string | undefined;
  /** The OAuth error name (`invalid_client`). */
  error?: string | undefined;
  /** Entra's description without the code and without its trailing ID lines. */
  description?: string | undefined;
  /** `trace_id`: where the request is in Entra's own logs. */
  traceId?: string | undefined;
  /** `correlation_id`: the client-request-id Entra filed the request under. */
  correlationId?: string | undefined;
  /** When Entra answered, as it prints it (`2026-12-04 13:55:00Z`). */
  timestamp?: string | undefined;
  /** HTTP status of the token endpoint's answer, when known. */
  status?: number | undefined;
}

/** Microsoft Entra refused to issue a token. Keeps the AADSTS code and the support IDs as fields. */
export class AuthenticationError extends Error {
  override readonly name = 'AuthenticationError';
  readonly code: string | undefined;
  readonly error: string | undefined;
  readonly description: string | undefined;
  readonly traceId: string | undefined;
  readonly correlationId: string | undefined;
  readonly timestamp: string | undefined;
  readonly status: number | undefined;
  constructor(message: string, details: EntraErrorDetails = {}, options?: { cause?: unknown }) {
    super(message, options);
    this.code = details.code;
    this.error = details.error;
    this.description = details.description;
    this.traceId = details.traceId;
    this.correlationId = details.correlationId;
    this.timestamp = details.timestamp;
    this.status = details.status;
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

/** The IDs an Azure DevOps answer carries in its headers, which Microsoft support asks for. */
export interface AzureDevOpsRequestIds {
  /** `ActivityId` (or `X-TFS-Session`): the request in Azure DevOps' own logs. */
  activityId?: string | undefined;
  /** `X-VSS-E2EID`: the request across Azure DevOps' services. */
  e2eId?: string | undefined;
  /** `X-MSEdge-Ref`: Azure Front Door's reference (`Ref A: … Ref B: … Ref C: …`). */
  msEdgeRef?: string | undefined;
}

/** Azure DevOps answered with an error. Keeps the TF code, typeKey and request IDs as fields. */
export class AzureDevOpsError extends Error {
  override readonly name = 'AzureDevOpsError';
  readonly typeKey: string | undefined;
  readonly activityId: string | undefined;
  readonly e2eId: string | undefined;
  readonly msEdgeRef: string | undefined;
  constructor(
    message: string,
    readonly status: number,
    /** `TF400813`, when the body carried one. */
    readonly code?: string,
    details: AzureDevOpsRequestIds & { typeKey?: string | undefined } = {}
  ) {
    super(message);
    this.typeKey = details.typeKey;
    this.activityId = details.activityId;
    this.e2eId = details.e2eId;
    this.msEdgeRef = details.msEdgeRef;
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

/** A response went past the size limit of its endpoint; the rest was not read and the connection was closed. */
export class ResponseTooLargeError extends Error {
  override readonly name = 'ResponseTooLargeError';
  constructor(
    message: string,
    /** The limit, in bytes. */
    readonly limit: number
  ) {
    super(message);
  }
}

/** The proxy refused the request (407, or a CONNECT it would not open): the proxy's doing, not the endpoint's. */
export class ProxyError extends Error {
  override readonly name = 'ProxyError';
  constructor(
    message: string,
    /** The proxy's answer, e.g. 407. */
    readonly status: number,
    /** The proxy as shown: scheme, host and port, never its user name or password. */
    readonly proxy: string
  ) {
    super(message);
  }
}

/** A total time budget (getting and verifying the token, or all the operations) ran out. */
export class BudgetExceededError extends Error {
  override readonly name = 'BudgetExceededError';
  constructor(
    message: string,
    /** The budget, in seconds. */
    readonly seconds: number
  ) {
    super(message);
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

/**
 * Makes text from a server safe inside one of our log lines: no line breaks or other control characters
 * (a CR/LF would start a line of its own) and nothing a runner or agent reads as a command (`##vso[`, `##[`
 * anywhere, `::` at the start).
 */
export function neutralizeServerText(text: string): string {
  // Stryker disable next-line Regex: without the `+`, each control character gives a space and the next replace joins them.
  const spaced = text.replace(/[\p{Cc}\u2028\u2029]+/gu, ' ');
  return spaced
    .replace(/\s{2,}/g, ' ')
    .trim()
    .replace(/##(vso)?\[/gi, (match) => `${match.slice(0, -1)} [`)
    .replace(/^::/, ': :');
}

/**
 * The end of every failure line that has support IDs: ` (Entra trace ID …, correlation ID …; give these to
 * Microsoft support if you need their help.)`. Only IDs that are present are named; none gives ''.
 */
export function formatSupportIds(
  service: string,
  ids: ReadonlyArray<readonly [label: string, value: string | undefined]>
): string {
  const present = ids.filter((id): id is readonly [string, string] => id[1] !== undefined && id[1] !== '');
  if (present.length === 0) return '';
  const list = present.map(([label, value]) => `${label} ${value}`).join(', ');
  return ` (${service} ${list}; give these to Microsoft support if you need their help.)`;
}

/**
 * The one failure line a run reports, scrubbed of secrets and of anything the runner or agent would act on
 * (it quotes server answers); the stack goes to the debug log only.
 */
export function failureMessage(error: unknown, guard: SecretGuard, isDebug: boolean): string {
  const stack = error instanceof Error ? error.stack : undefined;
  if (stack && isDebug) guard.debug(stack);
  return neutralizeLogText(guard.redact(describeError(error)));
}
