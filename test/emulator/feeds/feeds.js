// Azure Artifacts feeds (pkgs.dev.azure.com paths): `/{org}[/{project}]/_packaging/{feed}/` with the npm
// registry, the NuGet v3 service index and flat container, and the PyPI simple index. Authenticated like
// Azure DevOps: Bearer token or Basic with the token as the password.
import { requestIdHeaders } from '../devops/errors.js';
import { compilePattern } from '../server/router.js';
import { buildNpmVersion, buildNupkg, buildWheel, normalizePypiName } from './packages.js';
import { serveNpm, serveNuget, servePypi } from './routes.js';

export const DEFAULT_FEED = 'release-feed';

/**
 * @typedef {object} Feed
 * @property {string} name
 * @property {string | undefined} project
 * @property {Map<string, Map<string, import('./packages.js').NpmVersion>>} npm  name → version → entry
 * @property {Map<string, { id: string, versions: Map<string, { version: string, nupkg: Buffer, nuspec: string }> }>} nuget  by lower-case id
 * @property {Map<string, { name: string, files: Array<{ version: string, fileName: string, data: Buffer, sha256: string }> }>} pypi  by normalized name
 */

/** @type {import('../devops/token-credentials.js').Rejection} */
export const feedError = (status, message, headers = {}) => ({ status, headers, body: { error: message } });

/**
 * @param {{ organization: string, httpsUrl: string,
 *   authenticate: ReturnType<typeof import('../devops/token-credentials.js').createTokenGate> }} deps
 */
export function createFeeds({ organization, httpsUrl, authenticate }) {
  /** @type {Map<string, Feed>} by `project/feed`, lower-case (org-scoped: empty project) */
  const feeds = new Map();
  const keyOf = (/** @type {string | undefined} */ project, /** @type {string} */ name) =>
    `${project ?? ''}/${name}`.toLowerCase();

  /**
   * The feed, created on first mention.
   * @param {string | undefined} name
   * @param {string | undefined} project
   */
  function feedFor(name = DEFAULT_FEED, project = undefined) {
    const key = keyOf(project, name);
    let feed = feeds.get(key);
    if (!feed) {
      feed = { name, project, npm: new Map(), nuget: new Map(), pypi: new Map() };
      feeds.set(key, feed);
    }
    return feed;
  }

  /** @param {Feed} feed */
  const baseUrl = (feed) =>
    `${httpsUrl}/${organization}${feed.project ? `/${encodeURIComponent(feed.project)}` : ''}/_packaging/${feed.name}`;

  /** @typedef {{ project?: string }} Scope */
  const api = {
    /** @param {string} [feed] @param {Scope} [scope] `${httpsUrl}/{org}[/{project}]/_packaging/{feed}/npm/registry/` */
    npmRegistryUrl: (feed, scope = {}) => `${baseUrl(feedFor(feed, scope.project))}/npm/registry/`,
    /** @param {string} [feed] @param {Scope} [scope] `…/_packaging/{feed}/nuget/v3/index.json` */
    nugetIndexUrl: (feed, scope = {}) => `${baseUrl(feedFor(feed, scope.project))}/nuget/v3/index.json`,
    /** @param {string} [feed] @param {Scope} [scope] `…/_packaging/{feed}/pypi/simple/` */
    pypiSimpleUrl: (feed, scope = {}) => `${baseUrl(feedFor(feed, scope.project))}/pypi/simple/`,
    /**
     * Publishes an npm package version (a real tarball built in memory).
     * @param {string | undefined} feed
     * @param {{ name: string, version: string, files?: Record<string, string | Buffer>, description?: string,
     *   dependencies?: Record<string, string>, project?: string }} spec
     */
    publishNpm(feed, spec) {
      const target = feedFor(feed, spec.project);
      const entry = buildNpmVersion(spec);
      const versions = target.npm.get(spec.name) ?? new Map();
      versions.set(spec.version, entry);
      target.npm.set(spec.name, versions);
      const tarballUrl = `${baseUrl(target)}/npm/registry/${spec.name}/-/${entry.fileName}`;
      return {
        name: spec.name,
        version: spec.version,
        tarballUrl,
        integrity: entry.integrity,
        shasum: entry.shasum
      };
    },
    /**
     * Publishes a NuGet package version (a .nupkg holding only its .nuspec).
     * @param {string | undefined} feed
     * @param {{ id: string, version: string, project?: string }} spec
     */
    publishNuget(feed, { id, version, project }) {
      const target = feedFor(feed, project);
      const normalized = version.toLowerCase().replace(/\+.*$/, '');
      const entry = target.nuget.get(id.toLowerCase()) ?? { id, versions: new Map() };
      entry.versions.set(normalized, { version, ...buildNupkg(id, version) });
      target.nuget.set(id.toLowerCase(), entry);
      return { id, version: normalized };
    },
    /**
     * Publishes a PyPI release as a pure-Python wheel.
     * @param {string | undefined} feed
     * @param {{ name: string, version: string, project?: string }} spec
     */
    publishPypi(feed, { name, version, project }) {
      const target = feedFor(feed, project);
      const normalized = normalizePypiName(name);
      const entry = target.pypi.get(normalized) ?? { name, files: [] };
      const wheel = buildWheel(name, version);
      entry.files = [
        ...entry.files.filter((file) => file.fileName !== wheel.fileName),
        { version, ...wheel }
      ];
      target.pypi.set(normalized, entry);
      const url = `${baseUrl(target)}/pypi/download/${normalized}/${version}/${wheel.fileName}`;
      return { name, version, fileName: wheel.fileName, sha256: wheel.sha256, url };
    }
  };
  feedFor(DEFAULT_FEED);

  /**
   * @param {string} pattern
   * @returns {import('../server/router.js').Route}
   */
  const route = (pattern) => ({
    service: 'feeds',
    methods: ['GET', 'HEAD', 'PUT', 'POST', 'PATCH', 'DELETE'],
    match: compilePattern(pattern),
    serviceHeaders: requestIdHeaders,
    handle(req, { org = '', project, feed: name = '', rest = '' }) {
      const auth = authenticate(req, org, feedError);
      if ('response' in auth) return auth.response;
      const feed = feeds.get(keyOf(project, name));
      if (!feed) return feedError(404, `VS800055: The feed '${name}' does not exist.`);
      if (req.method !== 'GET' && req.method !== 'HEAD')
        return feedError(
          405,
          'The emulated feeds are read-only; publish with emu.feeds.publishNpm / Nuget / Pypi.'
        );
      // Links point back at the host and scheme the client used, below `…/_packaging/{feed}`.
      const at = req.path.toLowerCase().indexOf('/_packaging/') + '/_packaging/'.length;
      const slash = req.path.indexOf('/', at);
      const base = `${req.scheme}://${req.host}${req.path.slice(0, slash < 0 ? req.path.length : slash)}`;
      const [kind, area, ...segments] = rest.split('/').filter(Boolean);
      if (kind === 'npm' && area === 'registry') return serveNpm(feed, segments, `${base}/npm/registry/`);
      if (kind === 'nuget' && area === 'v3') return serveNuget(feed, segments, `${base}/nuget/v3`, req.query);
      if (kind === 'pypi' && area) return servePypi(feed, [area, ...segments], `${base}/pypi`);
      return feedError(404, `The feed '${name}' has no endpoint '${rest}'.`);
    }
  });

  return {
    api,
    routes: [route('/{org}/_packaging/{feed}/{*rest}'), route('/{org}/{project}/_packaging/{feed}/{*rest}')]
  };
}
