import { describeError, formatSupportIds, neutralizeServerText, type EntraErrorDetails } from '../errors.js';

/** An error answer the token provider saw during an acquisition (any endpoint, newest last). */
export interface ErrorAnswer {
  status: number;
  body: string;
}

/**
 * The token endpoint's error answer to our own federated exchange, parsed. It is never shown as it is:
 * explainCredentialError turns it into an AuthenticationError with the hint and the support IDs.
 */
export class EntraErrorResponse extends Error {
  override readonly name = 'EntraErrorResponse';
  constructor(
    message: string,
    readonly details: EntraErrorDetails
  ) {
    super(message);
  }
}

/** IDs are hex GUIDs in practice; anything else a server sends is cut to this many characters. */
const MAX_ID_LENGTH = 100;
/** How far down `cause` to look: @azure/identity wraps MSAL's error once, our code at most once more. */
const MAX_CAUSES = 5;

/**
 * Entra's fields from a JSON error body (`error`, `error_description`, `error_codes`, `trace_id`,
 * `correlation_id`, `timestamp`); undefined when the body is not one.
 */
export function parseEntraErrorBody(body: string, status?: number): EntraErrorDetails | undefined {
  let answer: unknown;
  try {
    answer = JSON.parse(body);
  } catch {
    // Not JSON: answer stays undefined, which the next line turns away.
  }
  if (typeof answer !== 'object' || answer === null) return undefined;
  const fields = answer as Record<string, unknown>;
  const description = text(fields.error_description);
  const codes = fields.error_codes;
  if (text(fields.error) === undefined && description === undefined && !Array.isArray(codes))
    return undefined;
  const firstCode: unknown = Array.isArray(codes) ? codes[0] : undefined;
  return {
    ...describedBy(description),
    ...withoutEmpty({
      code: typeof firstCode === 'number' ? `AADSTS${firstCode}` : undefined,
      error: cleanId(fields.error),
      traceId: cleanId(fields.trace_id),
      correlationId: cleanId(fields.correlation_id),
      timestamp: cleanId(fields.timestamp),
      status
    })
  };
}

/**
 * Entra's fields from text: `AADSTS700213: description` (up to `Trace ID:` or a line break), then
 * `Trace ID: …`, `Correlation ID: …`, `Timestamp: …` as Entra writes them into error_description and
 * MSAL into its error messages.
 */
export function parseEntraText(value: string): EntraErrorDetails {
  const coded = /AADSTS(\d+):?\s*([\s\S]*?)(?:\s*Trace ID:|\r|\n|$)/.exec(value);
  return withoutEmpty({
    code: coded?.[1] === undefined ? undefined : `AADSTS${coded[1]}`,
    // Stryker disable next-line StringLiteral: group 2 always takes part in a match, so the fallback is never used.
    description: coded?.[1] === undefined ? undefined : neutralizeServerText(coded[2] ?? ''),
    traceId: /Trace ID:\s*([0-9a-f][0-9a-f-]*)/i.exec(value)?.[1],
    correlationId: /Correlation ID:\s*([0-9a-f][0-9a-f-]*)/i.exec(value)?.[1],
    timestamp: /Timestamp:\s*(\d{4}-\d\d-\d\d[ T]\d\d:\d\d:\d\d(?:\.\d+)?Z)/.exec(value)?.[1]
  });
}

/**
 * Everything Entra said about a failed token request, from whatever was thrown: our exchange's
 * EntraErrorResponse, @azure/identity's AuthenticationError (`errorResponse`, `statusCode`), MSAL's
 * ServerError (`errorCode`, `errorMessage`, `correlationId`, `status`) anywhere down the `cause` chain, the
 * AADSTS text of their messages, and last the error bodies the transport saw (newest first). The first
 * source with an AADSTS code decides the code; the others fill in only fields it lacks, and only when they
 * name no other code. Undefined when nothing was found.
 */
export function readEntraErrorDetails(
  error: unknown,
  // Stryker disable next-line ArrayDeclaration: an entry without a body is not JSON, so it adds nothing.
  answers: readonly ErrorAnswer[] = []
): EntraErrorDetails | undefined {
  const found: EntraErrorDetails[] = [];
  for (const item of causeChain(error)) {
    if (item instanceof EntraErrorResponse) found.push(item.details);
    const library = libraryDetails(item);
    if (library !== undefined) found.push(library);
    found.push(parseEntraText(describeError(item)));
  }
  for (const answer of [...answers].reverse()) {
    const parsed = parseEntraErrorBody(answer.body, answer.status);
    if (parsed !== undefined) found.push(parsed);
  }
  // The first source with a code (else the first source) decides the code; nothing found merges to {}.
  const merged: EntraErrorDetails = { ...(found.find((details) => details.code !== undefined) ?? found[0]) };
  for (const details of found) {
    if (details.code !== undefined && details.code !== merged.code) continue;
    for (const [key, value] of Object.entries(details) as Array<[keyof EntraErrorDetails, unknown]>) {
      if (merged[key] === undefined && value !== undefined) Object.assign(merged, { [key]: value });
    }
  }
  return Object.keys(merged).length === 0 ? undefined : merged;
}

/** ` (Entra trace ID …, correlation ID …, timestamp …; give these to Microsoft support …)`, or '' without IDs. */
export function formatEntraSupportIds(details: EntraErrorDetails | undefined): string {
  return formatSupportIds('Entra', [
    ['trace ID', details?.traceId],
    ['correlation ID', details?.correlationId],
    ['timestamp', details?.timestamp]
  ]);
}

/** The structured fields of @azure/identity's AuthenticationError and of MSAL's AuthError / ServerError. */
function libraryDetails(item: unknown): EntraErrorDetails | undefined {
  if (typeof item !== 'object' || item === null) return undefined;
  const fields = item as Record<string, unknown>;
  const response = fields.errorResponse;
  if (typeof response === 'object' && response !== null) {
    // @azure/identity: errorResponse {error, errorDescription, errorCodes, timestamp, traceId, correlationId}.
    const r = response as Record<string, unknown>;
    const codes = r.errorCodes;
    const firstCode: unknown = Array.isArray(codes) ? codes[0] : undefined;
    return {
      ...describedBy(text(r.errorDescription)),
      ...withoutEmpty({
        code: typeof firstCode === 'number' ? `AADSTS${firstCode}` : undefined,
        error: cleanId(r.error),
        traceId: cleanId(r.traceId),
        correlationId: cleanId(r.correlationId),
        timestamp: cleanId(r.timestamp),
        status: typeof fields.statusCode === 'number' ? fields.statusCode : undefined
      })
    };
  }
  if (typeof fields.errorCode === 'string' && typeof fields.errorMessage === 'string') {
    // MSAL: errorMessage is "Error(s): n - Timestamp: … - Description: AADSTSn: … - Correlation ID: … - Trace ID: …".
    return {
      ...describedBy(fields.errorMessage),
      ...withoutEmpty({
        error: cleanId(fields.errorCode),
        correlationId: cleanId(fields.correlationId),
        traceId: cleanId(fields.traceId),
        timestamp: cleanId(fields.timestamp),
        status: typeof fields.status === 'number' ? fields.status : undefined
      })
    };
  }
  return undefined;
}

/** What a description says: its AADSTS text and IDs, or the whole (neutralised) text when it has no code. */
function describedBy(description: string | undefined): EntraErrorDetails {
  if (description === undefined) return {};
  const parsed = parseEntraText(description);
  if (parsed.code !== undefined) return parsed;
  const whole = neutralizeServerText(description);
  return whole === '' ? parsed : { ...parsed, description: whole };
}

function* causeChain(error: unknown): Generator<unknown> {
  let current = error;
  for (let depth = 0; depth < MAX_CAUSES && current !== undefined && current !== null; depth++) {
    yield current;
    current = typeof current === 'object' ? (current as { cause?: unknown }).cause : undefined;
  }
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}

/** A server-sent identifier made safe for one log line, or undefined when it is empty. */
function cleanId(value: unknown): string | undefined {
  const raw = text(value);
  if (raw === undefined) return undefined;
  return neutralizeServerText(raw).slice(0, MAX_ID_LENGTH) || undefined;
}

/** Drops undefined and empty fields, so spreading one result over another never erases a value. */
function withoutEmpty(details: EntraErrorDetails): EntraErrorDetails {
  return Object.fromEntries(
    Object.entries(details).filter(([, value]) => value !== undefined && value !== '')
  );
}
