// What the emulator received during one job, from its recorder: a count per kind of request ("1 OIDC
// request, 1 token request, 1 verification, 3 operation requests") and one line per request.

/** @typedef {import('../../test/emulator/server/recorder.js').RecordedRequest} RecordedRequest */

/** Kinds in the order a run makes them: [singular, plural]. */
const KINDS = /** @type {const} */ ({
  oidc: ['OIDC request', 'OIDC requests'],
  metadata: ['authority metadata request', 'authority metadata requests'],
  discovery: ['instance discovery request', 'instance discovery requests'],
  token: ['token request', 'token requests'],
  'managed-identity': ['managed identity request', 'managed identity requests'],
  verification: ['verification', 'verifications'],
  operation: ['operation request', 'operation requests'],
  git: ['git request', 'git requests'],
  feed: ['feed request', 'feed requests'],
  other: ['other request', 'other requests']
});

/**
 * @param {RecordedRequest} record
 * @returns {keyof typeof KINDS}
 */
function kindOf(record) {
  switch (record.service) {
    case 'github-oidc':
    case 'azure-oidc':
      return 'oidc';
    case 'entra-metadata':
      return 'metadata';
    case 'instance-discovery':
      return 'discovery';
    case 'entra-token':
      return 'token';
    case 'imds':
    case 'app-service':
      return 'managed-identity';
    case 'devops':
      return /\/_apis\/connectionData$/i.test(record.path) ? 'verification' : 'operation';
    case 'git':
      return 'git';
    case 'feeds':
      return 'feed';
    default:
      return 'other';
  }
}

/**
 * Counts per kind, e.g. `{ oidc: 1, token: 1, verification: 1, operation: 3 }`.
 * @param {RecordedRequest[]} records
 * @returns {Partial<Record<keyof typeof KINDS, number>>}
 */
export function countRequests(records) {
  /** @type {Partial<Record<keyof typeof KINDS, number>>} */
  const counts = {};
  for (const record of records) counts[kindOf(record)] = (counts[kindOf(record)] ?? 0) + 1;
  return counts;
}

/**
 * The summary lines: totals and where they went, the counts, then each request (path only: queries hold
 * client-request ids and api-versions, nothing a reader needs here).
 * @param {RecordedRequest[]} records
 * @param {string} emulatorUrl
 * @returns {string[]}
 */
export function describeRequests(records, emulatorUrl) {
  const counts = countRequests(records);
  const total = Object.entries(KINDS)
    .filter(([kind]) => counts[/** @type {keyof typeof KINDS} */ (kind)])
    .map(([kind, [one, many]]) => {
      const n = counts[/** @type {keyof typeof KINDS} */ (kind)] ?? 0;
      return `${n} ${n === 1 ? one : many}`;
    });
  const hosts = [...new Set(records.map((r) => r.host))];
  const loopback = hosts.every((h) => /^(127\.\d+\.\d+\.\d+|localhost|\[::1\])(:\d+)?$/.test(h));
  const where = loopback ? `all to the emulator at ${emulatorUrl} (loopback)` : `hosts: ${hosts.join(', ')}`;
  const width = Math.max(0, ...records.map((r) => kindLabel(r).length));
  return [
    `${records.length} requests, ${where}:`,
    `  ${total.join(', ')}`,
    ...records.map(
      (r) => `    ${kindLabel(r).padEnd(width)}  ${r.method} ${r.path} → ${r.status ?? 'no answer'}`
    ),
    ...(counts.metadata
      ? [
          '  (The authority metadata request is there because the emulator is not a Microsoft authority host;',
          '  against login.microsoftonline.com a federated exchange is the OIDC request and the token request.)'
        ]
      : [])
  ];
}

/** @param {RecordedRequest} record */
function kindLabel(record) {
  return KINDS[kindOf(record)][0];
}
