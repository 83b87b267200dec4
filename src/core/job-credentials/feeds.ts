import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { InputError, quoteInputs } from '../errors.js';
import type { RawInput } from '../validate.js';
import { isLoopbackHost } from '../validate.js';
import { writePrivateFile } from './state.js';

export type FeedKind = 'npm' | 'nuget' | 'pypi';

export interface Feed {
  kind: FeedKind;
  /** The URL as given (npm and PyPI URLs end with a slash). */
  url: string;
}

// Stryker disable all: module constants are evaluated once when the module loads, so Stryker runs their mutants
// against the covering tests without reloading the module and none can fail ("static" mutants). The feed tests in
// test/unit/core/job-credentials/job-credentials.test.ts check each pattern both ways: look-alike hosts, extra segments, each kind.
const SHAPES: { kind: FeedKind; pattern: RegExp }[] = [
  { kind: 'npm', pattern: /\/_packaging\/[^/]+\/npm\/registry\/?$/ },
  { kind: 'nuget', pattern: /\/_packaging\/[^/]+\/nuget\/v3\/index\.json$/ },
  { kind: 'pypi', pattern: /\/_packaging\/[^/]+\/pypi\/simple\/?$/ }
];

const FEED_HOST = /^(pkgs\.dev\.azure\.com|[a-z0-9-]+\.pkgs\.visualstudio\.com)$/;
// Stryker restore all

/** Parses the feeds input: Azure Artifacts npm registry, NuGet v3 index and PyPI simple URLs, one per line or comma separated. */
export function parseFeeds(input: RawInput): Feed[] {
  const urls = input.value
    .split(/[\n,]/)
    .map((u) => u.trim())
    .filter((u) => u !== '');
  return urls.map((text) => {
    const fail = (problem: string): never => {
      throw new InputError(
        input.name,
        `${quoteInputs(input)} has the entry '${text}': ${problem} Give Azure Artifacts feed URLs such as https://pkgs.dev.azure.com/contoso/_packaging/release/npm/registry/, .../nuget/v3/index.json or .../pypi/simple/ (copy them from the feed's "Connect to feed" page).`
      );
    };
    let url: URL;
    try {
      url = new URL(text);
    } catch {
      return fail('it is not a URL.');
    }
    const loopback = isLoopbackHost(url.hostname);
    if (url.protocol !== 'https:' && !(loopback && url.protocol === 'http:'))
      fail('feeds are reached over https only.');
    if (!loopback && !FEED_HOST.test(url.hostname))
      fail(
        `the host ${url.hostname} is not Azure Artifacts (pkgs.dev.azure.com or ORG.pkgs.visualstudio.com).`
      );
    if (url.search !== '' || url.username !== '') fail('a feed URL has no query or credentials.');
    const shape = SHAPES.find((s) => s.pattern.test(url.pathname));
    if (shape === undefined)
      return fail('it is not an npm registry, NuGet v3 index or PyPI simple URL of a feed.');
    const normalized = shape.kind === 'nuget' ? url.href : url.href.replace(/\/?$/, '/');
    return { kind: shape.kind, url: normalized };
  });
}

// Stryker disable all: module constants, as above; the feed tests check each variable and the user name.
/** Variables configureFeeds sets whose value holds the token itself (the others hold paths). */
export const TOKEN_VARIABLES: readonly string[] = [
  'VSS_NUGET_EXTERNAL_FEED_ENDPOINTS',
  'PIP_INDEX_URL',
  'PIP_EXTRA_INDEX_URL'
];

/** The user name clients send with the token as password; Azure Artifacts ignores it. */
export const FEED_USER = 'azure-devops';
// Stryker restore all

/**
 * Configures the package clients for the feeds: an npmrc under the credentials directory (the user's own
 * npmrc content is kept) selected with NPM_CONFIG_USERCONFIG; VSS_NUGET_EXTERNAL_FEED_ENDPOINTS for the
 * Azure Artifacts credential provider; PIP_INDEX_URL (first PyPI feed) and PIP_EXTRA_INDEX_URL (the rest).
 * Returns the environment for the later steps and one line per feed for the log.
 */
export function configureFeeds(
  feeds: Feed[],
  token: string,
  dir: string,
  env: NodeJS.ProcessEnv
): { env: Record<string, string>; lines: string[] } {
  const exported: Record<string, string> = {};
  const lines: string[] = [];
  const npm = feeds.filter((f) => f.kind === 'npm');
  if (npm.length > 0) {
    const previous = env.NPM_CONFIG_USERCONFIG ?? join(homedir(), '.npmrc');
    const kept = existsSync(previous) ? `${readFileSync(previous, 'utf8').trimEnd()}\n` : '';
    const auth = npm.map((feed) => `${nerfDart(feed.url)}:_authToken=${token}`).join('\n');
    const path = join(dir, 'npmrc');
    // '\n' on every OS: npm's ini parser splits lines on CR and LF alike, and a kept CRLF file stays valid.
    writePrivateFile(path, `${kept}${auth}\n`);
    exported.NPM_CONFIG_USERCONFIG = path;
    for (const feed of npm)
      lines.push(`npm: ${feed.url} (token in ${path}, selected with NPM_CONFIG_USERCONFIG)`);
  }
  const nuget = feeds.filter((f) => f.kind === 'nuget');
  if (nuget.length > 0) {
    exported.VSS_NUGET_EXTERNAL_FEED_ENDPOINTS = JSON.stringify({
      endpointCredentials: nuget.map((feed) => ({ endpoint: feed.url, username: FEED_USER, password: token }))
    });
    for (const feed of nuget)
      lines.push(
        `NuGet: ${feed.url} (VSS_NUGET_EXTERNAL_FEED_ENDPOINTS, for the Azure Artifacts credential provider)`
      );
  }
  const pypi = feeds.filter((f) => f.kind === 'pypi');
  if (pypi.length > 0) {
    const withToken = pypi.map((feed) => {
      const url = new URL(feed.url);
      url.username = FEED_USER;
      url.password = token;
      return url.href;
    });
    // Stryker disable next-line StringLiteral: there is at least one PyPI feed here, so the fallback is never used.
    exported.PIP_INDEX_URL = withToken[0] ?? '';
    if (withToken.length > 1) exported.PIP_EXTRA_INDEX_URL = withToken.slice(1).join(' ');
    pypi.forEach((feed, i) =>
      lines.push(`pip: ${feed.url} (${i === 0 ? 'PIP_INDEX_URL' : 'PIP_EXTRA_INDEX_URL'})`)
    );
  }
  return { env: exported, lines };
}

/** npm's key for per-registry settings: the registry URL without its scheme ("//host/path/"). */
function nerfDart(registry: string): string {
  const url = new URL(registry);
  return `//${url.host}${url.pathname.endsWith('/') ? url.pathname : `${url.pathname}/`}`;
}
