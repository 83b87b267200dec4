import type { Organization } from '../settings.js';
import { isLoopbackHost } from '../validate.js';
import {
  apiHosts,
  apiRoutes,
  editDistance,
  matchRoute,
  routeDistance,
  type ApiRoute,
  type UrlSegment
} from './api-routes.js';
import { operationLabel, OperationFormatError, type Operation } from './model.js';
import { expressionsIn, renderString, rootsOf } from './template.js';

/** What the pre-flight needs from the run. */
export interface PreflightContext {
  organization: Organization | undefined;
  /** Logs a line (routing decisions, operations not checked). */
  info: (message: string) => void;
}

/** Where an operation's URL points, read from its text before any template is rendered. */
type Target =
  | { check: false; reason: string }
  | {
      check: true;
      /** Relative to the organization: may be routed to the host that serves the API. */
      tail: string | undefined;
      /** The Azure DevOps host an absolute URL names; undefined for the organization's own URLs. */
      host: string | undefined;
      segments: UrlSegment[];
      /** Parameters in the URL's query string: name (lower case) to value. */
      query: Map<string, string>;
      /** The path as the user wrote it, for messages. */
      display: string;
    };

const TEMPLATE = /\{\{[\s\S]*?\}\}|\$\([^)]*\)/g;
const WILD = '\u0000';
const SPECS = "Microsoft's published Azure DevOps REST 7.1 specifications";
const UNCHECKED_FIX =
  'or set unchecked: true on the operation when it calls an API newer than those specifications';

/**
 * Checks every operation against Microsoft's published REST API before the run sends anything: method and
 * path, api-version, required query parameters, body and content type. Returns the operations as they will
 * run: a relative URL of an API another host serves goes to that host, an omitted api-version becomes the
 * route's (preview routes need `-preview.N`), and an omitted content type the one the route takes.
 */
export function preflightOperations(operations: Operation[], ctx: PreflightContext): Operation[] {
  return operations.map((operation) => {
    // Already checked when the operations were read: only its lines are logged again, at the run.
    const lines = CHECKED.get(operation);
    if (lines === undefined) return preflightOne(operation, ctx);
    for (const line of lines) ctx.info(line);
    return operation;
  });
}

function preflightOne(operation: Operation, ctx: PreflightContext): Operation {
  const label = operationLabel(operation.index, operation.name);
  if (operation.unchecked) {
    ctx.info(
      `${label}: unchecked: true, so ${operation.method} ${operation.url} is sent as written, without checking it against ${SPECS}.`
    );
    return operation;
  }
  const target = locate(operation.url, ctx.organization);
  if (!target.check) {
    ctx.info(`${label}: not checked against ${SPECS} (${target.reason}); sent as written.`);
    return operation;
  }
  const fail = (field: string, problem: string): never => {
    throw new OperationFormatError(`${label}, field '${field}': ${problem}`);
  };
  const method = operation.method === 'HEAD' ? 'GET' : operation.method;
  const what = `${operation.method} ${target.display}`;
  const candidates = apiRoutes().filter((r) =>
    target.host === undefined
      ? r.segments[0] !== undefined && !('literal' in r.segments[0])
      : r.host === target.host || (r.host.startsWith('{') && target.host.endsWith('dev.azure.com'))
  );
  let matched = bestMatches(candidates, target.segments);
  // Absolute URLs are sent where they are written: the APIs of one host are often served by another too.
  if (matched.length === 0 && target.host !== undefined) matched = bestMatches(apiRoutes(), target.segments);
  const route = pick(matched.filter((m) => m.route.method === method));
  if (route === undefined) {
    if (matched.length > 0) {
      const methods = [...new Set(matched.map((m) => m.route.method))].sort();
      return fail(
        'method',
        `${what} is not in ${SPECS}: the route ${shown((matched[0] as Scored).route, target)} has the method${methods.length === 1 ? '' : 's'} ${methods.join(', ')}. Use ${methods.length === 1 ? 'it' : 'one of them'}, ${UNCHECKED_FIX}.`
      );
    }
    const near = nearest(candidates, method, target.segments).map((r) => shown(r, target));
    return fail(
      'url',
      `${what} is not in ${SPECS}.${near.length > 0 ? ` The nearest ${method} routes: ${near.join(', ')}.` : ''} Fix the path, ${UNCHECKED_FIX}.`
    );
  }

  const given =
    operation.apiVersion ?? textOf(operation.query['api-version']) ?? target.query.get('api-version');
  if (given !== undefined && !given.includes(WILD) && !/\{\{|\$\(/.test(given)) {
    if (route.version.includes('-preview') && !given.toLowerCase().includes('-preview'))
      fail(
        'api-version',
        `'${given}' cannot call ${what}: the route is a preview API (${route.version} in ${SPECS}) and Azure DevOps refuses it without -preview. Set api-version: "${route.version}".`
      );
  }
  const queryNames = new Set([
    ...Object.keys(operation.query).map((k) => k.toLowerCase()),
    ...target.query.keys()
  ]);
  const missing = route.required.filter((name) => !queryNames.has(name.toLowerCase()));
  if (missing.length > 0)
    fail(
      'query',
      `${what} requires the query parameter${missing.length === 1 ? '' : 's'} ${missing.map((m) => `'${m}'`).join(', ')} (${SPECS}). Add ${missing.length === 1 ? 'it' : 'them'} under query:, such as query: { ${missing.map((m) => `${m}: …`).join(', ')} }.`
    );
  const hasBody = operation.body !== undefined && operation.body !== null;
  if (route.body === 'required' && !hasBody)
    fail('body', `${what} requires a request body (${SPECS}). Add body: with the JSON the API takes.`);

  let contentType = operation.contentType;
  if (hasBody && route.consumes.length > 0) {
    const headerKey = Object.keys(operation.headers).find((k) => k.toLowerCase() === 'content-type');
    const stated =
      operation.contentType ?? (headerKey === undefined ? undefined : operation.headers[headerKey]);
    if (stated === undefined) {
      // The run sends JSON unless told otherwise; a route that takes only another type gets that one.
      if (!route.consumes.includes('application/json')) contentType = route.consumes[0];
    } else if (
      !/\{\{|\$\(/.test(stated) &&
      !route.consumes.includes((stated.split(';')[0] ?? '').trim().toLowerCase())
    )
      fail(
        operation.contentType === undefined ? 'headers' : 'content-type',
        `'${stated}' is not a content type ${what} takes: it takes ${route.consumes.join(', ')} (${SPECS}). Set content-type: ${route.consumes[0] ?? ''}.`
      );
  }

  const lines: string[] = [];
  const url = routeUrl(operation, route, target, (line) => lines.push(line), ctx.organization, label);
  for (const line of lines) ctx.info(line);
  const checked: Operation = {
    ...operation,
    url,
    apiVersion: given === undefined ? route.version : operation.apiVersion,
    contentType
  };
  CHECKED.set(checked, lines);
  return checked;
}

/**
 * Operations whose URL matched a route, with the lines their check logged: the run logs them again instead of
 * checking twice, and their for-each items are checked one by one (checkItemUrl).
 */
const CHECKED = new WeakMap<Operation, string[]>();

/** The URL a text stands for: absolute, or relative to the organization; undefined when it is neither. */
function urlOf(text: string, organization: Organization | undefined): URL | undefined {
  const trimmed = text.trim();
  try {
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed)) return new URL(trimmed);
    return organization === undefined
      ? undefined
      : new URL(trimmed.replace(/^\/+/, ''), `${organization.url}/`);
  } catch {
    return undefined;
  }
}

/** How many path segments a URL has, each template or macro standing for one (relative to the organization). */
function segmentCount(url: string, organization: Organization | undefined): number | undefined {
  return urlOf(url.replace(TEMPLATE, 'x'), organization)
    ?.pathname.split('/')
    .filter((segment) => segment !== '').length;
}

/**
 * A for-each item's URL, checked before its request: the operation's URL matched a route with each template
 * standing for one segment, so an item whose URL has that many segments is on that route. One that has more
 * or fewer (a template that gave 'a/b' or '') is matched again as rendered, and fails like a wrong URL.
 */
export function checkItemUrl(
  operation: Operation,
  rendered: URL,
  organization: Organization | undefined,
  label: string
): void {
  if (!CHECKED.has(operation)) return;
  const actual = rendered.pathname.split('/').filter((segment) => segment !== '').length;
  const expected = segmentCount(operation.url, organization);
  if (expected === actual) return;
  try {
    preflightOperations(
      [{ ...operation, url: `${rendered.origin}${rendered.pathname}`, forEach: undefined }],
      {
        organization,
        info: () => undefined
      }
    );
  } catch (error) {
    if (!(error instanceof OperationFormatError)) throw error;
    const [, field = 'url', problem = error.message] =
      /^operation [^:]*?, field '([\w-]+)': ([\s\S]*)$/.exec(error.message) ?? [];
    throw new OperationFormatError(
      `${label}, field '${field}': rendered for this item, the URL has ${actual} path segments where its template has ${expected ?? '?'} (a template gave more or less than one segment). ${problem}`
    );
  }
}

/**
 * The items of a for-each operation whose list is written out (not a template) are known before the run: each
 * item's URL is checked now, when its URL's templates use nothing but the item and the organization.
 */
export function checkListedItems(operation: Operation, organization: Organization | undefined): void {
  if (!Array.isArray(operation.forEach) || !operation.url.includes('{{')) return;
  const roots = expressionsIn(operation.url).flatMap((e) => rootsOf(e).map((r) => r.root));
  if (roots.some((root) => root !== 'item' && root !== 'organization')) return;
  const label = operationLabel(operation.index, operation.name);
  operation.forEach.forEach((item, i) => {
    const rendered = renderString(operation.url, {
      results: {},
      item,
      env: {},
      organization: organization ? { name: organization.name, url: organization.url } : null
    });
    const url = typeof rendered === 'string' ? urlOf(rendered, organization) : undefined;
    if (url !== undefined) checkItemUrl(operation, url, organization, `${label}, item ${i + 1}`);
  });
}

/** The URL to send: a relative URL of an API another host serves goes to that host for the organization. */
function routeUrl(
  operation: Operation,
  route: ApiRoute,
  target: Extract<Target, { check: true }>,
  info: (line: string) => void,
  org: Organization | undefined,
  label: string
): string {
  if (
    target.tail === undefined ||
    org === undefined ||
    route.host === 'dev.azure.com' ||
    route.host.startsWith('{')
  )
    return operation.url;
  const orgHost = new URL(org.url).hostname.toLowerCase();
  if (isLoopbackHost(orgHost)) {
    info(
      `${label}: ${target.display} is served by ${route.host}; the organization URL is on loopback (an emulator), so it stays at ${org.url}.`
    );
    return operation.url;
  }
  if (orgHost !== 'dev.azure.com' && !orgHost.endsWith('.visualstudio.com')) {
    info(
      `${label}: ${target.display} is served by ${route.host} on Azure DevOps Services; the organization URL ${org.url} is another server, so it stays there.`
    );
    return operation.url;
  }
  info(`${label}: ${target.display} is served by ${route.host}; sending it there.`);
  return `https://${route.host}/${org.name}/${target.tail}`;
}

/** Reads where a URL points from its text: templates stand for one segment each. */
function locate(url: string, org: Organization | undefined): Target {
  const text = url.trim();
  // {{ organization.url }}, or an Azure Pipelines macro for it ($(System.CollectionUri)): the organization. Any
  // other leading macro ($(System.TeamProjectId)) is a project segment; any other leading {{ }} may be a URL.
  const orgTemplate = /^\{\{\s*organization\.url\s*\}\}\/*/.exec(text) ?? /^\$\([^)]*ur[il]\)\/*/i.exec(text);
  let tail: string | undefined;
  if (orgTemplate && org) tail = text.slice(orgTemplate[0].length);
  else if (/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) {
    const base = org?.url.replace(/\/+$/, '').toLowerCase();
    const lower = text.toLowerCase();
    if (base !== undefined && lower.startsWith(base) && /^([/?]|$)/.test(lower.slice(base.length)))
      tail = text.slice(base.length).replace(/^\/+/, '');
  } else if (text.startsWith('{{') || orgTemplate)
    return { check: false, reason: 'the URL starts with a template' };
  else tail = text.replace(/^\/+/, '');

  const masked = (tail ?? text).replace(TEMPLATE, WILD);
  const [beforeQuery = '', queryText = ''] = masked.split(/\?(.*)/s);
  const query = new Map<string, string>();
  for (const pair of queryText.split('&').filter((p) => p !== '')) {
    const [name = '', value = ''] = pair.split(/=(.*)/s);
    query.set(decode(name).toLowerCase(), decode(value));
  }
  let host: string | undefined;
  let path = beforeQuery;
  if (tail === undefined) {
    const parts = /^[a-z][a-z0-9+.-]*:\/\/([^/]*)(.*)$/i.exec(beforeQuery);
    const named = (parts?.[1] ?? '').replace(/^.*@/, '').replace(/:\d+$/, '').toLowerCase();
    path = parts?.[2] ?? '';
    host = adoHost(named);
    if (host === undefined) return { check: false, reason: `${named} is not an Azure DevOps host` };
    const legacy = /^([a-z0-9-]+)\.(?:[a-z0-9-]+\.)?visualstudio\.com$/.exec(named);
    if (legacy && host !== named) path = `/${legacy[1]}${path}`;
  }
  const segments = path
    .split('/')
    .filter((s) => s !== '')
    .map((s) => ({ text: s, wild: s.includes(WILD) }));
  if (!segments.some((s) => !s.wild && editDistance(s.text.toLowerCase(), '_apis') <= 1))
    return { check: false, reason: 'not an Azure DevOps REST path: it has no _apis segment' };
  const display = text.split('?')[0] ?? '';
  if (tail !== undefined) segments.unshift({ text: org?.name ?? 'organization', wild: false });
  return { check: true, tail, host, segments, query, display };
}

/** The index host an absolute URL's host stands for; legacy {org}.visualstudio.com hosts too. */
function adoHost(host: string): string | undefined {
  if (apiHosts().has(host)) return host;
  const legacy = /^[a-z0-9-]+\.(?:([a-z0-9-]+)\.)?visualstudio\.com$/.exec(host);
  if (legacy === null) return undefined;
  const service = legacy[1] === undefined ? 'dev.azure.com' : `${legacy[1]}.dev.azure.com`;
  return apiHosts().has(service) ? service : undefined;
}

interface Scored {
  route: ApiRoute;
  score: number;
}

/** The routes that fit, best first: most literal segments matched, then parameters with a literal prefix. */
function bestMatches(routes: ApiRoute[], segments: UrlSegment[]): Scored[] {
  return routes
    .map((route) => ({ route, score: matchRoute(route, segments) }))
    .filter((m): m is Scored => m.score !== undefined)
    .sort((a, b) => b.score - a.score);
}

/** The best fitting route; of routes that fit as well, dev.azure.com's (the request then stays where it is). */
function pick(matches: Scored[]): ApiRoute | undefined {
  const top = matches.filter((m) => m.score === matches[0]?.score).map((m) => m.route);
  return top.find((r) => r.host === 'dev.azure.com' || r.host.startsWith('{')) ?? top[0];
}

function nearest(routes: ApiRoute[], method: string, segments: UrlSegment[]): ApiRoute[] {
  return routes
    .filter((r) => r.method === method)
    .map((route) => ({ route, distance: routeDistance(route, segments) }))
    .sort((a, b) => a.distance - b.distance)
    .slice(0, 3)
    .map((n) => n.route);
}

/** A route as the user would write it: relative to the organization, or with its host. */
function shown(route: ApiRoute, target: Extract<Target, { check: true }>): string {
  if (target.tail !== undefined) {
    const path = route.path.replace(/^\/\{organization\}\//, '');
    return route.host === 'dev.azure.com' || route.host.startsWith('{') ? path : `${path} (${route.host})`;
  }
  return `https://${route.host.startsWith('{') ? 'dev.azure.com' : route.host}${route.path}`;
}

function textOf(value: unknown): string | undefined {
  return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : undefined;
}

function decode(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return text;
  }
}
