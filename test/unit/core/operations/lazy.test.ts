import { describe, expect, test } from '@jest/globals';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  loadOperationsReader,
  operationsFileInput,
  operationsRequested
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

  test('with operations, the real reader; without, a stand-in that finds none', async () => {
    expect(await loadOperationsReader('', 'ops.yml', dir)).toBe(readOperations);
    const none = await loadOperationsReader('', '', dir);
    expect(none).not.toBe(readOperations);
    expect(none(inputs('', ''))).toBeUndefined();
  });

  test('the stand-in refuses inputs that do have operations instead of dropping them', async () => {
    const none = await loadOperationsReader('', '', dir);
    expect(() => none(inputs('- url: x', ''))).toThrow('the operations engine was not loaded');
  });
});
