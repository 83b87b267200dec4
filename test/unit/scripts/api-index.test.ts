import { describe, expect, test } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { compactIndex, compactRoute } from '../../../scripts/api-index.mjs';

const COMMITTED = fileURLToPath(new URL('../../../src/core/operations/api-index.json', import.meta.url));

describe('scripts/api-index.mjs', () => {
  test('keeps what the pre-flight reads: required query names without the !, api-version left out', () => {
    expect(
      compactRoute({
        method: 'get',
        host: 'dev.azure.com',
        path: '/{organization}/{project}/{team}/_apis/work/boards/boardparents',
        version: '7.1',
        query: ['childBacklogContextCategoryRefName!', 'workitemIds!', 'api-version!', '$top'],
        body: null
      })
    ).toEqual([
      'GET',
      'dev.azure.com',
      '/{organization}/{project}/{team}/_apis/work/boards/boardparents',
      '7.1',
      ['childBacklogContextCategoryRefName', 'workitemIds'],
      null,
      []
    ]);
  });

  test('keeps the source and the MIT attribution; routes sorted by path', () => {
    const operation = { method: 'GET', host: 'h', version: '7.1', body: null } as const;
    const index = compactIndex({
      source: 'MicrosoftDocs/vsts-rest-api-specs@abc (MIT License, Copyright (c) 2018 Microsoft Docs)',
      operations: [
        { ...operation, path: '/b' },
        { ...operation, path: '/a', consumes: ['application/json'] }
      ]
    });
    expect(index.source).toContain('MicrosoftDocs/vsts-rest-api-specs');
    expect(index.license).toContain('MIT License, Copyright (c) 2018 Microsoft Docs');
    expect(index.routes.map((r) => r[2])).toEqual(['/a', '/b']);
  });

  test('the committed index holds the 1,005 operations of Azure DevOps Services REST 7.1', () => {
    const index = JSON.parse(readFileSync(COMMITTED, 'utf8')) as { license: string; routes: unknown[][] };
    expect(index.license).toContain('Copyright (c) 2018 Microsoft Docs');
    expect(index.routes).toHaveLength(1005);
    for (const route of index.routes) expect(route).toHaveLength(7);
  });
});
