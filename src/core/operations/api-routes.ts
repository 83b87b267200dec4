import INDEX from './api-index.json' with { type: 'json' };

/** One Azure DevOps REST operation of Microsoft's published 7.1 specs (api-index.json). */
export interface ApiRoute {
  method: string;
  /** The host that serves it: dev.azure.com, vsrm.dev.azure.com, … ('{service}dev.azure.com': any of them). */
  host: string;
  /** The path template as the specs give it, e.g. /{organization}/{project}/_apis/git/repositories. */
  path: string;
  /** The api-version the specs give, e.g. 7.1 or 7.1-preview.2. */
  version: string;
  /** Query parameters the route requires. */
  required: string[];
  body: 'required' | 'optional' | null;
  /** The content types the route accepts; empty when the specs name none. */
  consumes: string[];
  /** Path segments: a literal (lower case), or a parameter with the literal text before it (`$` in `${type}`). */
  segments: Segment[];
  /**
   * The segments without {project}, without {team}, and without both: Azure DevOps takes these segments as
   * optional (`_apis/git/repositories` lists the whole organization's), which OpenAPI cannot say (1 of the
   * index's 711 project routes also appears without {project}).
   */
  shorter: Segment[][];
}

export type Segment = { literal: string } | { prefix: string; name: string };

const OPTIONAL = new Set(['project', 'team']);

type RawRoute = [string, string, string, string, string[], 'required' | 'optional' | null, string[]];

/** Where the route data comes from, for messages and licences. */
export const API_INDEX_SOURCE: string = INDEX.source;

let routes: ApiRoute[] | undefined;

/** Every route of the index, compiled once per run (the index is loaded only with the operations engine). */
export function apiRoutes(): ApiRoute[] {
  routes ??= (INDEX.routes as unknown as RawRoute[]).map(
    ([method, host, path, version, required, body, consumes]) => {
      const segments = path
        .split('/')
        .slice(1)
        .map((segment): Segment => {
          const param = /^([^{]*)\{([^}]+)\}$/.exec(segment);
          return param
            ? { prefix: (param[1] ?? '').toLowerCase(), name: param[2] ?? '' }
            : { literal: segment.toLowerCase() };
        });
      return { method, host, path, version, required, body, consumes, segments, shorter: shorten(segments) };
    }
  );
  return routes;
}

function shorten(segments: Segment[]): Segment[][] {
  const optional = segments.flatMap((s, i) =>
    'name' in s && s.prefix === '' && OPTIONAL.has(s.name) ? [i] : []
  );
  const without = (drop: number[]): Segment[] => segments.filter((_, i) => !drop.includes(i));
  if (optional.length === 0) return [];
  if (optional.length === 1) return [without(optional)];
  return [...optional.map((i) => without([i])), without(optional)];
}

/** The hosts the index names, other than the placeholder '{service}dev.azure.com'. */
export function apiHosts(): Set<string> {
  return new Set(
    apiRoutes()
      .map((r) => r.host)
      .filter((h) => !h.startsWith('{'))
  );
}

/**
 * A path segment of an operation's URL. `wild` when a template (`{{ }}` or `$( )`) makes up any of it: it
 * matches any one segment.
 */
export interface UrlSegment {
  text: string;
  wild: boolean;
}

/**
 * How well `segments` fit the route: undefined when they do not; else 2 for each literal segment matched and
 * 1 for each parameter with a literal prefix (`$Task` fits `${type}` better than `{id}`).
 */
export function matchRoute(route: ApiRoute, segments: UrlSegment[]): number | undefined {
  const exact = matchSegments(route.segments, segments);
  if (exact !== undefined) return exact;
  // Without an optional segment the fit counts for less than the same path in full.
  const scores = route.shorter.map((s) => matchSegments(s, segments)).filter((s) => s !== undefined);
  return scores.length === 0 ? undefined : Math.max(...scores) - 1;
}

function matchSegments(route: Segment[], segments: UrlSegment[]): number | undefined {
  if (route.length !== segments.length) return undefined;
  let score = 0;
  for (const [i, segment] of route.entries()) {
    const given = segments[i] as UrlSegment;
    if (given.wild) continue;
    const text = decodeSegment(given.text).toLowerCase();
    if ('literal' in segment) {
      if (text !== segment.literal) return undefined;
      score += 2;
    } else if (!text.startsWith(segment.prefix) || text.length === segment.prefix.length) return undefined;
    else if (segment.prefix !== '') score += 1;
  }
  return score;
}

/**
 * How far `segments` are from the route: an edit distance over segments, where replacing one segment by
 * another costs their edit distance in characters (nothing against a parameter), and adding or dropping one
 * costs its length.
 */
export function routeDistance(route: ApiRoute, segments: UrlSegment[]): number {
  const given = segments.map((s) => (s.wild ? undefined : decodeSegment(s.text).toLowerCase()));
  return Math.min(...[route.segments, ...route.shorter].map((r) => segmentDistance(r, given)));
}

function segmentDistance(route: Segment[], given: (string | undefined)[]): number {
  const cost = (a: string | undefined, b: Segment): number =>
    a === undefined || !('literal' in b) ? 0 : editDistance(a, b.literal);
  const size = (s: Segment): number => ('literal' in s ? s.literal.length : 1);
  let previous = [0];
  for (const [j, segment] of route.entries()) previous.push((previous[j] as number) + size(segment));
  for (const text of given) {
    const row = [(previous[0] as number) + (text?.length ?? 1)];
    for (const [j, segment] of route.entries()) {
      row.push(
        Math.min(
          (previous[j] as number) + cost(text, segment),
          (previous[j + 1] as number) + (text?.length ?? 1),
          (row[j] as number) + size(segment)
        )
      );
    }
    previous = row;
  }
  return previous[route.length] as number;
}

/** Levenshtein distance between two strings. */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row.push(
        Math.min(
          (previous[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1),
          (previous[j] as number) + 1,
          (row[j - 1] as number) + 1
        )
      );
    }
    previous = row;
  }
  return previous[b.length] as number;
}

function decodeSegment(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
