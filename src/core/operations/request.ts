import type { SecretGuard } from '../secrets.js';
import type { Organization } from '../settings.js';
import { DEFAULT_API_VERSION, OperationFormatError, OperationSecretError, type Operation } from './model.js';
import { renderString, renderValue, toText, type TemplateScope } from './template.js';

/** One operation's request with its templates rendered, ready to send (or, in a dry run, to show). */
export interface RenderedRequest {
  /** The full URL: api-version and the query are set on it. */
  url: URL;
  headers: Record<string, string>;
  /** The content type sent with the body (also in headers), or undefined. */
  contentType: string | undefined;
  /** The body as sent: JSON for a mapping or list, the text itself for a string. */
  body: string | undefined;
  /** The body as the template rendered it, before it became text. */
  bodyValue: unknown;
}

/**
 * Renders the operation's URL, query, headers and body. Every rendered field is checked before anything is
 * sent: a template must never carry a secret the run holds (the token, a feed URL with it) to a request,
 * whatever host it goes to.
 */
export function renderRequest(
  operation: Operation,
  scope: TemplateScope,
  guard: SecretGuard,
  organization: Organization | undefined,
  label: string
): RenderedRequest {
  const refuseSecret = <T>(field: string, value: T): T => {
    if (guard.contains(typeof value === 'string' ? value : (JSON.stringify(value) ?? '')))
      throw new OperationSecretError(label, field);
    return value;
  };
  const url = resolveUrl(refuseSecret('url', renderString(operation.url, scope)), organization, label);
  if (!url.searchParams.has('api-version'))
    url.searchParams.set('api-version', operation.apiVersion ?? DEFAULT_API_VERSION);
  const query = refuseSecret('query', renderValue(operation.query, scope) as Record<string, unknown>);
  for (const [key, value] of Object.entries(query)) {
    if (value !== null && value !== undefined) url.searchParams.set(key, toText(value));
  }
  const headers = Object.fromEntries(
    Object.entries(
      refuseSecret('headers', renderValue(operation.headers, scope) as Record<string, unknown>)
    ).map(([k, v]) => [k, toText(v)])
  );
  // The content-type field wins, then a Content-Type header (any case), then JSON when there is a body.
  const headerKey = Object.keys(headers).find((k) => k.toLowerCase() === 'content-type');
  const given = operation.contentType ?? (headerKey === undefined ? undefined : headers[headerKey]);
  if (headerKey !== undefined) delete headers[headerKey];
  let body: string | undefined;
  let bodyValue: unknown;
  if (operation.body !== undefined && operation.body !== null) {
    bodyValue = renderValue(operation.body, scope);
    body = refuseSecret('body', typeof bodyValue === 'string' ? bodyValue : JSON.stringify(bodyValue));
    headers['content-type'] = given ?? 'application/json';
  } else if (given) headers['content-type'] = given;
  return { url, headers, contentType: headers['content-type'], body, bodyValue };
}

/** The items of a for-each operation: its template rendered, or its literal list. */
export function renderItems(operation: Operation, scope: TemplateScope, label: string): unknown[] {
  const items =
    typeof operation.forEach === 'string' ? renderString(operation.forEach, scope) : operation.forEach;
  if (!Array.isArray(items)) {
    throw new OperationFormatError(
      `${label}, field 'for-each': '${toText(operation.forEach)}' gave ${items === null ? 'null' : typeof items}, not a list. Point it at a list, such as {{ results.repos }} where repos selects value[].`
    );
  }
  return items;
}

function resolveUrl(rendered: unknown, organization: Organization | undefined, label: string): URL {
  if (typeof rendered !== 'string' || rendered.trim() === '')
    throw new OperationFormatError(
      `${label}, field 'url': the template gave ${JSON.stringify(rendered)}, not a URL.`
    );
  const text = rendered.trim();
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) return new URL(text);
  if (!organization)
    throw new OperationFormatError(
      `${label}, field 'url': '${text}' is relative, but no organization is set.`
    );
  // Relative to the organization URL, with or without a leading slash.
  return new URL(text.replace(/^\/+/, ''), `${organization.url}/`);
}
