import { describe, expect, test } from '@jest/globals';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  loadOperations,
  operationsFileInput,
  operationsRequested,
  requestedOperations
} from '../../../../src/core/operations/lazy.js';
import { readOperations } from '../../../../src/core/operations/source.js';

const dir = mkdtempSync(join(tmpdir(), 'ops-lazy-'));
writeFileSync(join(dir, 'ops.yml'), '- url: _apis/projects\n');
const inputs = (inline: string, file: string) => ({
  inline: { name: 'operations', value: inline },
  file: { name: 'operations-file', value: file },
  baseDir: dir,
  organization: { name: 'contoso', url: 'https://dev.azure.com/contoso' },
  allowedHosts: []
});

describe('the operations engine loads only for runs that have operations', () => {
  test.each<[string, string, boolean]>([
    ['', '', false],
    ['  \n', '', false],
    ['- url: x', '', true],
    ['', 'ops.yml', true],
    ['', 'missing.yml', true], // readOperations reports the missing file
    ['', '.', false] // Azure Pipelines fills an empty filePath input with the sources directory
  ])('inline %j, file %j: requested %s', (inline, file, expected) => {
    expect(operationsRequested(inline, file, dir)).toBe(expected);
  });

  test('a blank file input is not set; a file is given back trimmed', () => {
    expect(operationsFileInput('  ', dir)).toBe('');
    expect(operationsFileInput(' ops.yml ', dir)).toBe('ops.yml');
  });

  test('settings carry the operations inputs only when the run has operations', () => {
    expect(requestedOperations(inputs('', ''))).toBeUndefined();
    expect(requestedOperations(inputs('', '.'))).toBeUndefined();
    expect(requestedOperations(inputs('- url: x', ''))).toEqual(inputs('- url: x', ''));
  });

  test('loadOperations parses the operations the settings carry, and leaves a run without any without', async () => {
    expect(await loadOperations({ scope: 's', operations: undefined })).toEqual({
      scope: 's',
      operations: undefined
    });
    const loaded = await loadOperations({ scope: 's', operations: inputs('', 'ops.yml') });
    expect(loaded.scope).toBe('s');
    expect(loaded.operations).toEqual(readOperations(inputs('', 'ops.yml')));
    expect(loaded.operations).toHaveLength(1);
  });
});
