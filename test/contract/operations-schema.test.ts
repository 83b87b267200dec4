import { describe, expect, test } from '@jest/globals';
import type AjvClass from 'ajv';
import { createRequire } from 'node:module';
import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import {
  DEFAULT_API_VERSION,
  DEFAULT_CONCURRENCY,
  FIELDS,
  MAX_CONCURRENCY,
  METHODS,
  OperationFormatError
} from '../../src/core/operations/model.js';
import { parseOperations } from '../../src/core/operations/parse.js';
import { expressionsIn } from '../../src/core/operations/template.js';
import { linkedDocs } from './doc-files.js';
import { ROOT } from './manifests.js';

/**
 * schemas/operations.schema.json (for editors: the yaml-language-server modeline in docs/operations.md) kept in
 * step with the parser: the same fields, limits and enums, and every operations example in the repository is
 * accepted by both, every bad document refused by both.
 */

const SCHEMA_FILE = 'schemas/operations.schema.json';
const ORGANIZATION = { name: 'contoso', url: 'https://dev.azure.com/contoso' };

type Raw = Record<string, unknown>;
interface PropertySchema {
  default?: unknown;
  minimum?: number;
  maximum?: number;
  pattern?: string;
  anyOf?: { enum?: string[]; pattern?: string }[];
  propertyNames?: { not?: { pattern?: string } };
  oneOf?: { type?: string; pattern?: string }[];
}
interface OperationsSchema {
  $id: string;
  definitions: { operation: { properties: Record<string, PropertySchema> } };
}

const schemaText = readFileSync(join(ROOT, SCHEMA_FILE), 'utf8');
const schema = JSON.parse(schemaText) as OperationsSchema;
const properties = schema.definitions.operation.properties;

// ajv is CommonJS whose class is `module.exports.default`; require() gets it as typed. Draft-07 is its default.
const Ajv = (createRequire(import.meta.url)('ajv') as typeof AjvClass).default;
const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true });
ajv.addKeyword('markdownDescription'); // VS Code's (and yaml-language-server's) Markdown hover text
const validate = ajv.compile(schema);

function schemaErrors(document: unknown): string[] {
  validate(document);
  return (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ''}`);
}

function isRecord(value: unknown): value is Raw {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * A regular expression matching exactly the words whose `fold` (toUpperCase, toLowerCase) is `word`, as the
 * parser compares: every code point that folds to letters of the word, ligatures such as 'ﬆ' included.
 */
function foldPattern(word: string, fold: (c: string) => string): string {
  const folds = new Map<string, string[]>();
  for (let cp = 0; cp <= 0x10ffff; cp++) {
    if (cp >= 0xd800 && cp <= 0xdfff) continue;
    const c = String.fromCodePoint(cp);
    const folded = fold(c);
    if (/^[A-Za-z]+$/.test(folded) && word.includes(folded))
      folds.set(folded, [...(folds.get(folded) ?? []), c]);
  }
  const from = (i: number): string => {
    if (i === word.length) return '';
    const parts = [...folds]
      .filter(([folded]) => word.startsWith(folded, i))
      .sort(([a], [b]) => a.length - b.length)
      .map(
        ([folded, chars]) => (chars.length === 1 ? chars[0] : `[${chars.join('')}]`) + from(i + folded.length)
      );
    return parts.length === 1 ? (parts[0] ?? '') : `(?:${parts.join('|')})`;
  };
  return from(0);
}

/** Platform expressions (`${{ }}`, `$[ ]`, `$(x)`) are replaced before the step sees its input. */
function withoutPlatformExpressions(text: string): string {
  return text.replace(/\$\{\{[\s\S]*?\}\}|\$\[[\s\S]*?\]|\$\([^)]*\)/g, 'x');
}

/** Every string under an `operations` key (a step's input) or an operations*.yml key (a ConfigMap's file). */
function inlineOperations(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(inlineOperations);
  if (!isRecord(value)) return [];
  return Object.entries(value).flatMap(([key, inner]) =>
    typeof inner === 'string' && /^operations(?:[\w.-]*\.ya?ml)?$/i.test(key)
      ? [inner]
      : inlineOperations(inner)
  );
}

/** An operations document itself: a list of mappings that each have a url. */
function isOperationsList(value: unknown): boolean {
  return Array.isArray(value) && value.length > 0 && value.every((o) => isRecord(o) && 'url' in o);
}

const MODELINE = '# yaml-language-server: $schema=';

function exampleFiles(): string[] {
  return readdirSync(join(ROOT, 'examples'), { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && /\.ya?ml$/.test(entry.name))
    .map((entry) => relative(ROOT, join(entry.parentPath, entry.name)))
    .sort();
}

/** Every operations document in examples/ and the Markdown docs, as [where, text]. */
function repositoryExamples(): [string, string][] {
  const found: [string, string][] = [];
  for (const file of exampleFiles()) {
    const text = readFileSync(join(ROOT, file), 'utf8');
    if (text.startsWith(MODELINE)) found.push([file, text]);
    else
      parseAllDocuments(text).forEach((doc, d) =>
        inlineOperations(doc.toJS()).forEach((inline, i) =>
          found.push([`${file}, document ${d + 1}, operations ${i + 1}`, withoutPlatformExpressions(inline)])
        )
      );
  }
  for (const file of linkedDocs()) {
    const blocks = [...readFileSync(join(ROOT, file), 'utf8').matchAll(/```yaml\n([\s\S]*?)```/g)];
    blocks.forEach(([, block = ''], b) => {
      const doc: unknown = parse(block);
      if (isOperationsList(doc)) found.push([`${file}, YAML block ${b + 1}`, block]);
      inlineOperations(doc).forEach((inline, i) =>
        found.push([`${file}, YAML block ${b + 1}, operations ${i + 1}`, withoutPlatformExpressions(inline)])
      );
    });
  }
  return found;
}

/**
 * docs/operations.md's first block is the field reference, every field once: its for-each reads results.repos of
 * the operation itself, which the parser rightly refuses ("runs later"); the schema cannot see references.
 */
const FIELD_REFERENCE = 'docs/operations.md, YAML block 1';

const parseText = (text: string): unknown => parseOperations(text, 'the document', ORGANIZATION);

describe('schemas/operations.schema.json', () => {
  test('is draft-07 (what yaml-language-server validates) and published at the v1 tag', () => {
    expect(schemaText).toContain('"$schema": "http://json-schema.org/draft-07/schema#"');
    expect(schema.$id).toBe(
      'https://raw.githubusercontent.com/azure-devops-entra-token/azure-devops-entra-token/v1/schemas/operations.schema.json'
    );
    const docs = readFileSync(join(ROOT, 'docs/operations.md'), 'utf8');
    expect(docs).toContain(`${MODELINE}${schema.$id}`);
    const modelines = exampleFiles().flatMap((file) =>
      [...readFileSync(join(ROOT, file), 'utf8').matchAll(/# yaml-language-server: \$schema=(\S+)/g)].map(
        ([, url]) => [file, url]
      )
    );
    expect(modelines.length).toBeGreaterThan(0);
    for (const [file, url] of modelines) expect([file, url]).toEqual([file, schema.$id]);
  });

  test('describes exactly the fields the parser knows, each with a description', () => {
    expect(Object.keys(properties).sort()).toEqual([...FIELDS].sort());
    for (const [field, property] of Object.entries(properties))
      expect([
        field,
        typeof (property as Raw).description,
        typeof (property as Raw).markdownDescription
      ]).toEqual([field, 'string', 'string']);
  });

  test('has the parser’s methods, limits and defaults', () => {
    const method = properties.method;
    expect(method?.anyOf?.[0]?.enum).toEqual([...METHODS]);
    expect(method?.anyOf?.[1]?.pattern).toBe(
      `^(?:${METHODS.map((m) => foldPattern(m, (c) => c.toUpperCase())).join('|')})$`
    );
    expect(method?.default).toBe('GET');
    expect(properties.headers?.propertyNames?.not?.pattern).toBe(
      `^${foldPattern('authorization', (c) => c.toLowerCase())}$`
    );
    expect([properties.concurrency?.minimum, properties.concurrency?.maximum]).toEqual([1, MAX_CONCURRENCY]);
    expect(properties.concurrency?.default).toBe(DEFAULT_CONCURRENCY);
    // No default in the schema: the pre-flight takes the route's own version (DEFAULT_API_VERSION when unchecked).
    expect(properties['api-version']?.default).toBeUndefined();
    expect((properties['api-version'] as Raw | undefined)?.description).toContain(
      `"${DEFAULT_API_VERSION}" for an unchecked operation`
    );
  });

  test('a for-each string must hold exactly one template, as the parser counts them', () => {
    const pattern = properties['for-each']?.oneOf?.find((s) => s.type === 'string')?.pattern ?? '';
    const oneTemplate = new RegExp(pattern, 'u');
    const samples = [
      '{{ results.repos }}',
      ' {{ a }} ',
      'x{{a}}y',
      '{{ a }}{{ b }}',
      '{{ a }} and {{ b }}',
      '{{ a }} {{ b',
      '{{{ a }}',
      '{{{}}',
      '{{}}}}',
      '{{ a }}}} {{',
      'no template',
      '{{ unclosed',
      '}} {{ a }}',
      '{{ a\n}}',
      ''
    ];
    for (const text of samples)
      expect([text, oneTemplate.test(text)]).toEqual([text, expressionsIn(text).length === 1]);
  });

  const examples = repositoryExamples();

  test('the examples cover the docs and the examples', () => {
    const where = examples.map(([w]) => w);
    expect(where).toContain(FIELD_REFERENCE);
    expect(where.filter((w) => w.startsWith('docs/operations.md')).length).toBeGreaterThanOrEqual(6);
    expect(where.filter((w) => w.startsWith('examples/')).length).toBeGreaterThanOrEqual(4);
  });

  test.each(examples)('%s is valid against the schema and the parser', (where, text) => {
    const document: unknown = parse(text);
    expect(schemaErrors(document)).toEqual([]);
    if (where === FIELD_REFERENCE)
      expect(() => parseText(text)).toThrow('uses results.repos, which runs later');
    else expect(() => parseText(text)).not.toThrow();
  });

  test.each([
    ['an empty document', ''],
    ['lower- and mixed-case methods', '- { url: a, method: post }\n- { url: b, method: Delete }'],
    ['a method that only upper-cases to POST', '- { url: a, method: "po\u017ft" }'],
    [
      'api-version as a number and padded',
      '- { url: a, api-version: 7.1 }\n- { url: b, api-version: " 7.1 " }'
    ],
    ['one expected status', '- { url: a, expect: 204 }'],
    ['query and headers as null', '- { url: a, query: null, headers: ~ }'],
    ['query values of every scalar type', '- { url: a, query: { a: x, b: 1, c: true, d: null } }'],
    ['a header value that is a number', '- { url: a, headers: { X-Count: 3 } }'],
    ['a literal for-each list', '- { url: a, for-each: [1, 2], concurrency: 16 }'],
    ['a for-each template with text around it', '- { url: a, for-each: "items: {{ env.LIST }}" }']
  ])('accepted by both: %s', (_label, text) => {
    expect(schemaErrors(parse(text))).toEqual([]);
    expect(() => parseText(text)).not.toThrow();
  });

  test.each([
    ['an unknown field', '- { url: a, retries: 3 }'],
    ['a misspelt field', '- { url: a, continue_on_error: true }'],
    ['a top-level mapping with operations:', 'operations:\n  - url: a'],
    ['an item that is not a mapping', '- a'],
    ['a missing url', '- { method: GET }'],
    ['a blank url', '- { url: "  " }'],
    ['method FOO', '- { url: a, method: FOO }'],
    ['a method that is not text', '- { url: a, method: 1 }'],
    ['a name starting with a digit', '- { url: a, name: 1st }'],
    ['a name with a hyphen', '- { url: a, name: my-repos }'],
    ['api-version 7 (a whole number)', '- { url: a, api-version: 7 }'],
    ['api-version text', '- { url: a, api-version: latest }'],
    ['query as a list', '- { url: a, query: [a] }'],
    ['a query value that is a mapping', '- { url: a, query: { a: { b: c } } }'],
    ['an Authorization header', '- { url: a, headers: { authorization: Basic x } }'],
    ['a header value that is a boolean', '- { url: a, headers: { X-A: true } }'],
    ['content-type as a number', '- { url: a, content-type: 1 }'],
    ['paginate as text', '- { url: a, paginate: "yes" }'],
    ['continue-on-error as null', '- { url: a, continue-on-error: null }'],
    ['a blank select', '- { url: a, select: "" }'],
    ['expect 99', '- { url: a, expect: 99 }'],
    ['expect 600 in a list', '- { url: a, expect: [200, 600] }'],
    ['expect an empty list', '- { url: a, expect: [] }'],
    ['expect as text', '- { url: a, expect: "200" }'],
    ['for-each text without a template', '- { url: a, for-each: repos }'],
    ['for-each with two templates', '- { url: a, for-each: "{{ env.A }}{{ env.B }}" }'],
    ['concurrency 0', '- { url: a, for-each: [1], concurrency: 0 }'],
    ['concurrency above the limit', `- { url: a, for-each: [1], concurrency: ${MAX_CONCURRENCY + 1} }`],
    ['concurrency 1.5', '- { url: a, for-each: [1], concurrency: 1.5 }'],
    ['concurrency without for-each', '- { url: a, concurrency: 2 }'],
    ['unchecked as text', '- { url: a, unchecked: "yes" }']
  ])('refused by both: %s', (_label, text) => {
    expect(schemaErrors(parse(text))).not.toEqual([]);
    expect(() => parseText(text)).toThrow(OperationFormatError);
  });
});
