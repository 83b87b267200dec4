import { displayUrl } from '../http/transport.js';
import type { SecretGuard } from '../secrets.js';
import type { Organization } from '../settings.js';
import type { Operation } from './model.js';
import { renderItems, renderRequest, type RenderedRequest } from './request.js';
import { expressionsIn, rootsOf, stringsIn, type TemplateScope } from './template.js';

/** The methods a dry run does not send. GET and HEAD run: later templates need their results. */
export const WRITE_METHODS: readonly string[] = ['POST', 'PUT', 'PATCH', 'DELETE'];
/** Requests of one for-each operation shown in the log; the rest are counted (results hold them all). */
export const MAX_SHOWN_REQUESTS = 20;
/** Characters of a body shown in the log; results hold the whole body. */
export const MAX_SHOWN_BODY = 2000;

/** A request a dry run did not send, as `results` holds it. */
export interface PlannedRequest {
  dryRun: true;
  method: string;
  /** Without its query string, as the log shows URLs. */
  url: string;
  /** The Content-Type it would be sent with; null without a body or content type. */
  contentType: string | null;
  /** The body as rendered: a mapping or list for JSON, text otherwise; null without a body. */
  body: unknown;
  /** Only for a for-each whose items would come from an operation that was not sent: what it would go over. */
  forEach?: string;
}

/** What plan() needs of the run. */
export interface PlanContext {
  guard: SecretGuard;
  organization: Organization | undefined;
}

export interface DryRun {
  /** True when the operation is not sent: a write, or any operation that needs the result of one that was not. */
  skips(operation: Operation): boolean;
  /**
   * Logs the requests the operation would send and returns what stands for its result: a PlannedRequest, or a
   * list of them for for-each. `paths` receives the paths shown (for the summary).
   */
  plan(
    operation: Operation,
    scope: TemplateScope,
    ctx: PlanContext,
    label: string,
    paths: Set<string>
  ): { result: PlannedRequest | PlannedRequest[]; requests: number };
  /** The closing line of the run's log, or undefined when nothing was planned. */
  closing(): string | undefined;
}

/** A placeholder as a URL path holds it: `%3Cresult%20of%20'create'%3E`. Names are letters, digits and underscores. */
const PLACEHOLDER_IN_URL = /%3C((?:item%20of%20the%20)?results?%20of%20'\w+'(?:,%20'\w+')*)%3E/g;
// The same pattern as template.ts: the text between {{ and }}.
const TEMPLATE = /\{\{([\s\S]*?)\}\}/g;

/** "result of 'create'" or "results of 'a', 'b'". */
function describeResults(names: readonly string[]): string {
  return `${names.length === 1 ? 'result' : 'results'} of ${names.map((n) => `'${n}'`).join(', ')}`;
}

/** The dry run of one operations run: remembers which results are plans, so templates show placeholders for them. */
export function createDryRun(): DryRun {
  const planned = new Set<string>();
  let operations = 0;
  let requests = 0;

  /** The planned results an expression reads; all of them when it reads `results` whole. */
  const plannedIn = (expression: string): string[] => {
    const names = new Set<string>();
    for (const { root, next } of rootsOf(expression)) {
      if (root !== 'results') continue;
      if (next === undefined) for (const name of planned) names.add(name);
      else if (planned.has(next)) names.add(next);
    }
    return [...names];
  };
  const plannedInText = (text: string): string[] => [
    ...new Set(expressionsIn(text).flatMap((expression) => plannedIn(expression)))
  ];
  const fieldsOf = (operation: Operation): unknown[] => [
    operation.url,
    operation.query,
    operation.headers,
    operation.body,
    operation.forEach
  ];

  return {
    skips: (operation) =>
      WRITE_METHODS.includes(operation.method) ||
      stringsIn(fieldsOf(operation)).some((text) => plannedInText(text).length > 0),

    plan(operation, scope, ctx, label, paths) {
      const needs = [...new Set(stringsIn(fieldsOf(operation)).flatMap(plannedInText))];
      const write = WRITE_METHODS.includes(operation.method);
      // A for-each over a result that was not sent: its items are unknown, so one request shows them as a placeholder.
      const unknownItems = typeof operation.forEach === 'string' ? plannedInText(operation.forEach) : [];
      const itemPlaceholder =
        unknownItems.length > 0 ? `<item of the ${describeResults(unknownItems)}>` : undefined;
      const rewritten = withPlaceholders(operation, (expression) => {
        const names = plannedIn(expression);
        if (names.length > 0) return `<${describeResults(names)}>`;
        if (itemPlaceholder !== undefined && rootsOf(expression).some((r) => r.root === 'item'))
          return itemPlaceholder;
        return undefined;
      });

      const show = (request: RenderedRequest): PlannedRequest => ({
        dryRun: true,
        method: operation.method,
        url: shownUrl(request.url),
        contentType: request.contentType ?? null,
        body: request.body === undefined ? null : request.bodyValue
      });
      const why = write
        ? 'not sent'
        : `not run: it needs the ${describeResults(needs)}, which the dry run did not send`;
      let result: PlannedRequest | PlannedRequest[];
      let shown: PlannedRequest[];
      if (operation.forEach === undefined || unknownItems.length > 0) {
        const one = show(
          renderRequest({ ...rewritten, forEach: undefined }, scope, ctx.guard, ctx.organization, label)
        );
        if (unknownItems.length > 0) one.forEach = `<${describeResults(unknownItems)}>`;
        result = unknownItems.length > 0 ? [one] : one;
        shown = [one];
        ctx.guard.info(
          `Dry run, ${label}: ${why}${unknownItems.length > 0 ? `; for each item of the ${describeResults(unknownItems)}` : ''}:`
        );
        logRequest(ctx.guard, one, '  ');
      } else {
        const items = renderItems(rewritten, scope, label);
        const all = items.map((item, i) =>
          show(
            renderRequest(
              rewritten,
              { ...scope, item },
              ctx.guard,
              ctx.organization,
              `${label}, item ${i + 1}`
            )
          )
        );
        result = all;
        shown = all.slice(0, MAX_SHOWN_REQUESTS);
        ctx.guard.info(
          `Dry run, ${label}: ${why}; ${all.length} item${all.length === 1 ? '' : 's'}${all.length > MAX_SHOWN_REQUESTS ? `, the first ${MAX_SHOWN_REQUESTS} shown` : ''}:`
        );
        shown.forEach((request, i) => {
          ctx.guard.info(`  item ${i + 1}:`);
          logRequest(ctx.guard, request, '    ');
        });
        if (all.length > MAX_SHOWN_REQUESTS)
          ctx.guard.info(
            `  … and ${all.length - MAX_SHOWN_REQUESTS} more${operation.name === undefined ? '' : ` (all ${all.length} are in results.${operation.name})`}.`
          );
      }
      for (const request of shown) paths.add(pathOf(request.url));
      if (operation.name !== undefined) planned.add(operation.name);
      const count = Array.isArray(result) ? result.length : 1;
      operations++;
      requests += count;
      return { result, requests: count };
    },

    closing: () =>
      operations === 0
        ? undefined
        : `Dry run: ${operations} operation${operations === 1 ? '' : 's'} not sent (${requests} request${requests === 1 ? '' : 's'} planned); nothing was written to Azure DevOps by them.`
  };
}

/** The operation with every template that `replace` answers for turned into that literal text. */
function withPlaceholders(
  operation: Operation,
  replace: (expression: string) => string | undefined
): Operation {
  const text = (value: string): string =>
    value.replace(TEMPLATE, (whole, expression: string) => replace(expression.trim()) ?? whole);
  const walk = (value: unknown): unknown => {
    if (typeof value === 'string') return text(value);
    if (Array.isArray(value)) return value.map(walk);
    if (value && typeof value === 'object')
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, walk(v)]));
    return value;
  };
  return {
    ...operation,
    url: text(operation.url),
    query: walk(operation.query) as Record<string, unknown>,
    headers: walk(operation.headers) as Record<string, string>,
    body: walk(operation.body),
    forEach: walk(operation.forEach)
  };
}

/** The URL as the log shows it (no query), with placeholders readable instead of percent-encoded. */
function shownUrl(url: URL): string {
  return displayUrl(url).replace(PLACEHOLDER_IN_URL, (_, inner: string) => `<${inner.replace(/%20/g, ' ')}>`);
}

/** The path of a shown URL: what follows its origin. */
function pathOf(url: string): string {
  const origin = /^[a-z][a-z0-9+.-]*:\/\/[^/]*/i.exec(url)?.[0] ?? '';
  return url.slice(origin.length) || '/';
}

function logRequest(guard: SecretGuard, request: PlannedRequest, indent: string): void {
  guard.info(`${indent}${request.method} ${request.url}`);
  if (request.contentType !== null) guard.info(`${indent}Content-Type: ${request.contentType}`);
  if (request.body !== null) {
    // Redacted before it is cut, so no part of a secret is left whole enough to show.
    const body = guard.redact(typeof request.body === 'string' ? request.body : JSON.stringify(request.body));
    guard.info(
      `${indent}Body: ${body.length > MAX_SHOWN_BODY ? `${body.slice(0, MAX_SHOWN_BODY)}… (${body.length - MAX_SHOWN_BODY} more characters in results)` : body}`
    );
  }
}
