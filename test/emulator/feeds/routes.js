// The per-protocol endpoints of an emulated feed, below `…/_packaging/{feed}/`: npm registry, NuGet v3
// (service index, flat container, search, registrations) and PyPI (simple index, downloads).
import { normalizePypiName, packument, versionDocument } from './packages.js';

/** @type {import('../devops/token-credentials.js').Rejection} */
const notFound = (status, message) => ({ status, body: { error: message } });
/** @param {Buffer} data */
const binary = (data, type = 'application/octet-stream') => ({
  status: 200,
  headers: { 'content-type': type },
  body: data
});

/**
 * `{registry}/-/ping`, `{registry}/{name}` (packument; `@scope%2fname` arrives decoded as two segments),
 * `{registry}/{name}/{version}` and `{registry}/{name}/-/{file}.tgz`.
 * @param {import('./feeds.js').Feed} feed
 * @param {string[]} segments  after `npm/registry/`
 * @param {string} registryUrl ends with `/`
 * @returns {import('../server/router.js').EmulatorResponse}
 */
export function serveNpm(feed, segments, registryUrl) {
  if (segments[0] === '-' && segments[1] === 'ping') return { status: 200, body: {} };
  const scoped = segments[0]?.startsWith('@');
  const name = segments.slice(0, scoped ? 2 : 1).join('/');
  const [first, second, ...extra] = segments.slice(scoped ? 2 : 1);
  const versions = feed.npm.get(name);
  if (!name || !versions || extra.length > 0) return notFound(404, `Not found: ${name || '(no package)'}`);
  if (first === undefined) return { status: 200, body: packument(name, versions, registryUrl) };
  if (first === '-' && second) {
    const entry = [...versions.values()].find((candidate) => candidate.fileName === second);
    return entry ? binary(entry.tarball) : notFound(404, `Not found: ${name}/-/${second}`);
  }
  const entry = second === undefined ? versions.get(first) : undefined;
  return entry
    ? { status: 200, body: versionDocument(name, first, entry, registryUrl) }
    : notFound(404, `Not found: ${name}@${first}`);
}

/**
 * `index.json`, `flat2/{id}/index.json`, `flat2/{id}/{version}/{id}.{version}.nupkg|{id}.nuspec`,
 * `query?q=`, `registrations2/{id}/index.json`.
 * @param {import('./feeds.js').Feed} feed
 * @param {string[]} segments  after `nuget/v3/`
 * @param {string} base        `…/_packaging/{feed}/nuget/v3`
 * @param {Record<string, string>} query
 * @returns {import('../server/router.js').EmulatorResponse}
 */
export function serveNuget(feed, segments, base, query) {
  const [area, rawId = '', second, file] = segments;
  if (area === 'index.json' && segments.length === 1) {
    const resource = (/** @type {string} */ id, /** @type {string} */ type) => ({ '@id': id, '@type': type });
    return {
      status: 200,
      body: {
        version: '3.0.0',
        resources: [
          resource(`${base}/flat2/`, 'PackageBaseAddress/3.0.0'),
          resource(`${base}/query`, 'SearchQueryService'),
          resource(`${base}/query`, 'SearchQueryService/3.0.0-beta'),
          resource(`${base}/query`, 'SearchQueryService/3.0.0-rc'),
          resource(`${base}/registrations2/`, 'RegistrationsBaseUrl'),
          resource(`${base}/registrations2/`, 'RegistrationsBaseUrl/3.0.0-beta'),
          resource(`${base}/registrations2/`, 'RegistrationsBaseUrl/3.0.0-rc')
        ]
      }
    };
  }
  if (area === 'query' && segments.length === 1) {
    const q = (query.q ?? '').toLowerCase();
    const data = [...feed.nuget.values()]
      .filter((entry) => entry.id.toLowerCase().includes(q))
      .map((entry) => {
        const versions = [...entry.versions.keys()];
        const latest = versions[versions.length - 1];
        return {
          '@type': 'Package',
          id: entry.id,
          version: latest,
          versions: versions.map((v) => ({ version: v }))
        };
      });
    return { status: 200, body: { totalHits: data.length, data } };
  }
  const entry = feed.nuget.get(rawId.toLowerCase());
  if (!entry || !['flat2', 'registrations2'].includes(area ?? ''))
    return notFound(404, `The package '${rawId}' was not found in feed '${feed.name}'.`);
  const id = entry.id.toLowerCase();
  if (second === 'index.json' && segments.length === 3) {
    const versions = [...entry.versions.keys()];
    if (area === 'flat2') return { status: 200, body: { versions } };
    const leaf = (/** @type {string} */ v) => ({
      '@id': `${base}/registrations2/${id}/${v}.json`,
      catalogEntry: {
        '@id': `${base}/registrations2/${id}/${v}.json`,
        id: entry.id,
        version: v,
        listed: true
      },
      packageContent: `${base}/flat2/${id}/${v}/${id}.${v}.nupkg`
    });
    const page = {
      '@id': `${base}/registrations2/${id}/index.json#page`,
      count: versions.length,
      items: versions.map(leaf)
    };
    return {
      status: 200,
      body: { count: 1, items: [{ ...page, lower: versions[0], upper: versions[versions.length - 1] }] }
    };
  }
  const version = entry.versions.get((second ?? '').toLowerCase());
  if (area === 'flat2' && version && segments.length === 4) {
    if (file === `${id}.${second?.toLowerCase()}.nupkg`) return binary(version.nupkg);
    if (file === `${id}.nuspec`) return binary(Buffer.from(version.nuspec), 'application/xml');
  }
  return notFound(
    404,
    `The package '${rawId}' version '${second ?? ''}' was not found in feed '${feed.name}'.`
  );
}

/**
 * `simple/` (project list), `simple/{project}/` (PEP 503 links with `#sha256=`), and
 * `download/{project}/{version}/{file}`.
 * @param {import('./feeds.js').Feed} feed
 * @param {string[]} segments  after `pypi/`
 * @param {string} base        `…/_packaging/{feed}/pypi`
 * @returns {import('../server/router.js').EmulatorResponse}
 */
export function servePypi(feed, segments, base) {
  const [area, project, version, fileName] = segments;
  const html = (/** @type {string} */ title, /** @type {string[]} */ links) => ({
    status: 200,
    headers: { 'content-type': 'text/html; charset=utf-8' },
    body: `<!DOCTYPE html>\n<html>\n<head><meta name="pypi:repository-version" content="1.0"><title>${title}</title></head>\n<body>\n<h1>${title}</h1>\n${links.join('<br/>\n')}\n</body>\n</html>\n`
  });
  if (area === 'simple' && project === undefined) {
    const names = [...feed.pypi.keys()];
    return html(
      'Simple index',
      names.map((name) => `<a href="${base}/simple/${name}/">${name}</a>`)
    );
  }
  const entry = feed.pypi.get(normalizePypiName(project ?? ''));
  if (area === 'simple' && entry && segments.length === 2) {
    const links = entry.files.map(
      (file) =>
        `<a href="${base}/download/${normalizePypiName(entry.name)}/${file.version}/${file.fileName}#sha256=${file.sha256}">${file.fileName}</a>`
    );
    return html(`Links for ${entry.name}`, links);
  }
  const file =
    area === 'download'
      ? entry?.files.find((f) => f.version === version && f.fileName === fileName)
      : undefined;
  return file
    ? binary(file.data)
    : notFound(404, `The package '${project ?? ''}' was not found in feed '${feed.name}'.`);
}
