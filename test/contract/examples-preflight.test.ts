import { describe, expect, test } from '@jest/globals';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { parseOperations } from '../../src/core/operations/parse.js';
import { preflightOperations } from '../../src/core/operations/preflight.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const ORG = { name: 'contoso', url: 'https://dev.azure.com/contoso' };

/** Every `operations` input (GitHub `with:`, Azure Pipelines `inputs:`) in the YAML examples. */
function exampleOperations(): [string, string][] {
  const found: [string, string][] = [];
  const walk = (value: unknown, file: string): void => {
    if (Array.isArray(value)) for (const item of value) walk(item, file);
    else if (value !== null && typeof value === 'object') {
      for (const [key, child] of Object.entries(value)) {
        if (key === 'operations' && typeof child === 'string') found.push([file, child]);
        else walk(child, file);
      }
    }
  };
  for (const folder of ['github', 'azure-pipelines', 'cli']) {
    for (const name of readdirSync(join(ROOT, 'examples', folder)).filter((f) => /\.ya?ml$/.test(f))) {
      const file = `examples/${folder}/${name}`;
      for (const document of readFileSync(join(ROOT, file), 'utf8').split(/^---$/m))
        walk(parse(document) as unknown, file);
    }
  }
  return found;
}

describe('the examples pass the pre-flight check against the REST API index', () => {
  const examples = exampleOperations();
  test('there are examples with operations', () => {
    expect(examples.length).toBeGreaterThanOrEqual(2);
  });
  test.each(examples)('%s', (file, text) => {
    const lines: string[] = [];
    const operations = preflightOperations(parseOperations(text, file, ORG), {
      organization: ORG,
      info: (line) => lines.push(line)
    });
    expect(operations.length).toBeGreaterThan(0);
    expect(lines.filter((line) => line.includes('not checked'))).toEqual([]);
  });
});
