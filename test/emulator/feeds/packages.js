// Package files the emulated Azure Artifacts feeds serve: npm tarballs, .nupkg / .nuspec, and wheels,
// each a real, valid archive (so npm and pip accept them), built in memory.
import { createHash } from 'node:crypto';
import { createTarGz, createZip } from './archives.js';

/**
 * @typedef {object} NpmVersion
 * @property {Record<string, unknown>} manifest  package.json
 * @property {Buffer} tarball
 * @property {string} integrity  `sha512-<base64>`
 * @property {string} shasum     hex SHA-1
 * @property {string} fileName   `<unscoped name>-<version>.tgz`
 * @property {string} time       ISO publish time
 */

/**
 * Builds an npm tarball (`package/package.json` plus `files`, default an index.js).
 * @param {{ name: string, version: string, files?: Record<string, string | Buffer>,
 *   description?: string, dependencies?: Record<string, string> }} spec
 * @returns {NpmVersion}
 */
export function buildNpmVersion({ name, version, files, description, dependencies }) {
  if (!/^(@[a-z0-9][\w.-]*\/)?[a-z0-9][\w.-]*$/.test(name))
    throw new Error(`Invalid npm package name '${name}'.`);
  const contents = { ...(files ?? { 'index.js': `module.exports = ${JSON.stringify(name)};\n` }) };
  const manifest = contents['package.json']
    ? JSON.parse(String(contents['package.json']))
    : {
        name,
        version,
        description: description ?? `${name}, published to the emulator`,
        main: 'index.js',
        license: 'MIT',
        ...(dependencies ? { dependencies } : {})
      };
  contents['package.json'] = `${JSON.stringify(manifest, null, 2)}\n`;
  const tarball = createTarGz(
    Object.fromEntries(Object.entries(contents).map(([path, content]) => [`package/${path}`, content]))
  );
  return {
    manifest,
    tarball,
    integrity: `sha512-${createHash('sha512').update(tarball).digest('base64')}`,
    shasum: createHash('sha1').update(tarball).digest('hex'),
    fileName: `${name.replace(/^@[^/]+\//, '')}-${version}.tgz`,
    time: new Date().toISOString()
  };
}

/**
 * The packument (`GET {registry}/{name}`): every version, with `dist` pointing at `registryUrl`.
 * @param {string} name
 * @param {Map<string, NpmVersion>} versions  in publish order
 * @param {string} registryUrl  ends with `/`
 */
export function packument(name, versions, registryUrl) {
  const entries = [...versions.entries()];
  const latest = entries[entries.length - 1]?.[0] ?? '';
  return {
    _id: name,
    name,
    description: entries[entries.length - 1]?.[1].manifest.description,
    'dist-tags': { latest },
    versions: Object.fromEntries(
      entries.map(([version, entry]) => [version, versionDocument(name, version, entry, registryUrl)])
    ),
    time: {
      created: entries[0]?.[1].time,
      modified: entries[entries.length - 1]?.[1].time,
      ...Object.fromEntries(entries.map(([version, entry]) => [version, entry.time]))
    }
  };
}

/**
 * @param {string} name
 * @param {string} version
 * @param {NpmVersion} entry
 * @param {string} registryUrl
 */
export function versionDocument(name, version, entry, registryUrl) {
  return {
    ...entry.manifest,
    name,
    version,
    _id: `${name}@${version}`,
    dist: {
      tarball: `${registryUrl}${name}/-/${entry.fileName}`,
      integrity: entry.integrity,
      shasum: entry.shasum
    }
  };
}

/**
 * A minimal .nupkg: a zip holding `<id>.nuspec`.
 * @param {string} id
 * @param {string} version
 */
export function buildNupkg(id, version) {
  const nuspec = [
    '<?xml version="1.0" encoding="utf-8"?>',
    '<package xmlns="http://schemas.microsoft.com/packaging/2013/05/nuspec.xsd">',
    `  <metadata><id>${id}</id><version>${version}</version><authors>Emulator</authors>`,
    `  <description>${id}, published to the emulator</description></metadata>`,
    '</package>',
    ''
  ].join('\n');
  return { nuspec, nupkg: createZip({ [`${id}.nuspec`]: nuspec }) };
}

/** PEP 503 name normalization: lower-case, runs of `-`, `_`, `.` become `-`. */
export const normalizePypiName = (/** @type {string} */ name) => name.toLowerCase().replace(/[-_.]+/g, '-');

/**
 * A pure-Python wheel `<dist>-<version>-py3-none-any.whl` with a module, METADATA, WHEEL and RECORD.
 * @param {string} name
 * @param {string} version
 */
export function buildWheel(name, version) {
  const dist = name.toLowerCase().replace(/[-_.]+/g, '_');
  const info = `${dist}-${version}.dist-info`;
  /** @type {Record<string, string>} */
  const files = {
    [`${dist}/__init__.py`]: `__version__ = ${JSON.stringify(version)}\n`,
    [`${info}/METADATA`]: `Metadata-Version: 2.1\nName: ${name}\nVersion: ${version}\nSummary: ${name}, published to the emulator\n`,
    [`${info}/WHEEL`]:
      'Wheel-Version: 1.0\nGenerator: ado-emulator\nRoot-Is-Purelib: true\nTag: py3-none-any\n'
  };
  const record = Object.entries(files).map(([path, content]) => {
    const digest = createHash('sha256').update(content).digest('base64url');
    return `${path},sha256=${digest},${Buffer.byteLength(content)}`;
  });
  files[`${info}/RECORD`] = `${[...record, `${info}/RECORD,,`].join('\n')}\n`;
  const data = createZip(files);
  return {
    fileName: `${dist}-${version}-py3-none-any.whl`,
    data,
    sha256: createHash('sha256').update(data).digest('hex')
  };
}
