// Compacts Microsoft's Azure DevOps Services REST 7.1 index (every operation, generated from
// MicrosoftDocs/vsts-rest-api-specs, MIT) into src/core/operations/api-index.json: only what the operations
// pre-flight checks read. Run after the index is regenerated:
//   node scripts/api-index.mjs [path/to/ado-7.1-index.json]
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const input = process.argv[2] ?? '/work/shared/specs/ado-7.1-index.json';
const output = fileURLToPath(new URL('../src/core/operations/api-index.json', import.meta.url));

/**
 * One route as a tuple: method, host, path template, api-version, required query parameters, body
 * ('required' | 'optional' | null), content types the route accepts ([] when the specs name none).
 * @param {{ method: string, host: string, path: string, version: string, query?: string[],
 *   body: 'required' | 'optional' | null, consumes?: string[] }} operation
 */
export function compactRoute(operation) {
  const required = (operation.query ?? [])
    .filter((q) => q.endsWith('!'))
    .map((q) => q.slice(0, -1))
    .filter((q) => q.toLowerCase() !== 'api-version');
  return [
    operation.method.toUpperCase(),
    operation.host,
    operation.path,
    operation.version,
    required,
    operation.body,
    operation.consumes ?? []
  ];
}

/** @param {{ source: string, operations: Parameters<typeof compactRoute>[0][] }} index */
export function compactIndex(index) {
  const routes = index.operations.map(compactRoute);
  routes.sort((a, b) => `${a[2]} ${a[0]} ${a[1]}`.localeCompare(`${b[2]} ${b[0]} ${b[1]}`));
  return {
    source: index.source,
    license:
      'MIT License, Copyright (c) 2018 Microsoft Docs. Derived from the OpenAPI specifications in https://github.com/MicrosoftDocs/vsts-rest-api-specs.',
    fields: ['method', 'host', 'path', 'api-version', 'required query', 'body', 'consumes'],
    routes
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const compact = compactIndex(JSON.parse(readFileSync(input, 'utf8')));
  // One route a line: small, and a regenerated index diffs by route.
  const lines = compact.routes.map((r) => `    ${JSON.stringify(r)}`).join(',\n');
  const head = JSON.stringify({ ...compact, routes: [] }, null, 2).replace(/"routes": \[\]\n\}$/, '');
  writeFileSync(output, `${head}"routes": [\n${lines}\n  ]\n}\n`);
  console.log(`${output}: ${compact.routes.length} routes`);
}
