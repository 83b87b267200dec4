import { parse as parseYaml, YAMLParseError } from 'yaml';
import type { Organization } from '../settings.js';
import {
  operationLabel,
  OperationFormatError,
  DEFAULT_CONCURRENCY,
  FIELDS,
  MAX_CONCURRENCY,
  METHODS,
  type Operation
} from './model.js';
import { checkTemplates, compileExpression, expressionsIn, stringsIn, toText } from './template.js';

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
type Raw = Record<string, unknown>;

/**
 * Parses and validates an operations document (YAML or JSON) completely, before any request: every
 * field, every template and every reference to an earlier result. `source` names where it came from.
 */
export function parseOperations(
  text: string,
  source: string,
  organization: Organization | undefined
): Operation[] {
  let document: unknown;
  try {
    // The parser reads CRLF line ends as they are, but not the byte order mark Windows editors put first.
    // Stryker disable next-line ObjectLiteral: both options are the yaml defaults; stated so as not to depend on them
    document = parseYaml(text.replace(/^\uFEFF/, ''), { prettyErrors: true, uniqueKeys: true });
  } catch (error) {
    // Stryker disable next-line ConditionalExpression,LogicalOperator: with prettyErrors every YAMLParseError has a linePos and no other error has one, so either test alone decides the same
    const position = error instanceof YAMLParseError && error.linePos ? error.linePos[0] : undefined;
    const where = position ? ` at line ${position.line}, column ${position.col}` : '';
    const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new OperationFormatError(`${source} is not valid YAML${where}: ${message}`);
  }
  if (document == null) return []; // null or undefined
  if (!Array.isArray(document)) {
    throw new OperationFormatError(
      `${source} must be a YAML list of operations (each item starting with '- '), not a ${typeof document}.`
    );
  }
  const names = new Set<string>();
  const all = new Set<string>();
  for (const item of document) {
    if (!isRecord(item)) continue;
    // Stryker disable next-line ConditionalExpression: a name that is not text is never looked up (results.NAME is text)
    if (typeof item.name === 'string') all.add(item.name);
  }
  return document.map((item, i) => {
    const operation = parseOne(item, i + 1, source, organization, new Set(names), all);
    if (operation.name !== undefined) {
      if (names.has(operation.name))
        throw new OperationFormatError(
          `${source}, ${operationLabel(i + 1, operation.name)}: the name '${operation.name}' is used twice; names must be unique.`
        );
      names.add(operation.name);
    }
    return operation;
  });
}

function parseOne(
  item: unknown,
  index: number,
  source: string,
  organization: Organization | undefined,
  earlier: Set<string>,
  all: Set<string>
): Operation {
  const name = isRecord(item) && typeof item.name === 'string' ? item.name : undefined;
  const at = `${source}, ${operationLabel(index, name)}`;
  const fail = (field: string, problem: string): never => {
    throw new OperationFormatError(`${at}, field '${field}': ${problem}`);
  };
  if (!isRecord(item))
    throw new OperationFormatError(
      `${at}: each operation is a mapping of fields (url, method, ...), not ${JSON.stringify(item)}.`
    );
  for (const key of Object.keys(item)) {
    if (!(FIELDS as readonly string[]).includes(key))
      fail(key, `unknown field. Known fields: ${FIELDS.join(', ')}.`);
  }
  if ('name' in item && (typeof item.name !== 'string' || !NAME.test(item.name)))
    fail(
      'name',
      `'${String(item.name)}' is not a valid name: use letters, digits and underscores, not starting with a digit (results are read as results.NAME).`
    );

  const method =
    item.method === undefined
      ? 'GET'
      : typeof item.method === 'string'
        ? item.method.toUpperCase()
        : undefined;
  if (!(METHODS as readonly (string | undefined)[]).includes(method))
    fail('method', `'${String(item.method)}' is not one of ${METHODS.join(', ')}.`);
  if (typeof item.url !== 'string' || item.url.trim() === '')
    fail(
      'url',
      'is required: a path relative to the organization (MyProject/_apis/git/repositories) or an absolute https URL.'
    );
  const url = (item.url as string).trim();
  const absolute = /^[a-z][a-z0-9+.-]*:\/\//i.test(url);
  if (!absolute && !url.startsWith('{{') && organization === undefined)
    fail(
      'url',
      `'${url}' is relative, but no organization is set to resolve it against. Set the organization input or use an absolute https URL.`
    );

  // Undefined when omitted: the pre-flight gives the route's own version (preview routes need -preview.N).
  const givenVersion: unknown = item['api-version'];
  const apiVersion = givenVersion === undefined ? undefined : scalarText(givenVersion);
  // String(undefined), for a value that is not a scalar, is 'undefined', which fails too.
  if (givenVersion !== undefined && !/^\d+\.\d+(-preview(\.\d+)?)?$/.test(String(apiVersion)))
    fail(
      'api-version',
      `'${toText(givenVersion)}' is not an api-version such as "7.1" or "7.1-preview.1" (quote it: YAML reads 7.10 as the number 7.1).`
    );
  const query = optionalRecord(item.query, 'query', fail);
  for (const [key, value] of Object.entries(query)) {
    if (value !== null && typeof value === 'object')
      fail('query', `parameter '${key}' must be a string, number or boolean.`);
  }
  const headers = optionalRecord(item.headers, 'headers', fail);
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() === 'authorization')
      fail('headers', 'Authorization cannot be set: the step sends its own bearer token and nothing else.');
    if (typeof value !== 'string' && typeof value !== 'number')
      fail('headers', `header '${key}' must be a string.`);
  }
  const contentType =
    item['content-type'] === undefined
      ? undefined
      : typeof item['content-type'] === 'string'
        ? item['content-type']
        : fail('content-type', 'must be a string such as application/json-patch+json.');
  const paginate = optionalBoolean(item.paginate, 'paginate', fail);
  const continueOnError = optionalBoolean(item['continue-on-error'], 'continue-on-error', fail);
  const unchecked = optionalBoolean(item.unchecked, 'unchecked', fail);
  let select: string | undefined;
  if (item.select !== undefined) {
    if (typeof item.select !== 'string' || item.select.trim() === '')
      fail('select', 'must be a JMESPath expression such as "value[].{id: id, name: name}".');
    select = (item.select as string).trim();
    compileExpression(select, `${at}, field 'select'`);
  }
  const expect = parseExpect(item.expect, fail);
  const forEach = item['for-each'];
  if (
    forEach !== undefined &&
    !Array.isArray(forEach) &&
    (typeof forEach !== 'string' || expressionsIn(forEach).length !== 1)
  ) {
    fail(
      'for-each',
      'must be one template giving a list, such as "{{ results.repos }}", or a literal YAML list.'
    );
  }
  let concurrency = DEFAULT_CONCURRENCY;
  if (item.concurrency !== undefined) {
    if (forEach === undefined) fail('concurrency', 'applies only to an operation with for-each.');
    if (
      !Number.isInteger(item.concurrency) ||
      (item.concurrency as number) < 1 ||
      (item.concurrency as number) > MAX_CONCURRENCY
    )
      fail(
        'concurrency',
        `'${toText(item.concurrency)}' must be a whole number from 1 to ${MAX_CONCURRENCY}.`
      );
    concurrency = item.concurrency as number;
  }

  const rules = { earlier, all, hasItem: forEach !== undefined };
  if (typeof forEach === 'string')
    checkTemplates(forEach, { ...rules, hasItem: false, where: `${at}, field 'for-each'` });
  checkTemplates(url, { ...rules, where: `${at}, field 'url'` });
  for (const [field, value] of [
    ['query', query],
    ['headers', headers],
    ['body', item.body]
  ] as const) {
    for (const text of stringsIn(value)) checkTemplates(text, { ...rules, where: `${at}, field '${field}'` });
  }
  return {
    index,
    name,
    method: method as string,
    url,
    apiVersion,
    query,
    headers: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, String(v)])),
    body: item.body,
    contentType,
    paginate,
    select,
    expect,
    forEach,
    concurrency,
    continueOnError,
    unchecked
  };
}

function parseExpect(value: unknown, fail: (field: string, problem: string) => never): number[] | undefined {
  if (value === undefined) return undefined;
  const list = Array.isArray(value) ? value : [value];
  if (
    list.length === 0 ||
    !list.every((s) => Number.isInteger(s) && (s as number) >= 100 && (s as number) <= 599)
  )
    fail(
      'expect',
      `'${JSON.stringify(value)}' must be an HTTP status or a list of them, such as [200, 201].`
    );
  return list as number[];
}

function optionalRecord(value: unknown, field: string, fail: (field: string, problem: string) => never): Raw {
  if (value === undefined || value === null) return {};
  if (!isRecord(value)) return fail(field, 'must be a mapping of names to values.');
  return value;
}

function optionalBoolean(
  value: unknown,
  field: string,
  fail: (field: string, problem: string) => never
): boolean {
  if (value === undefined) return false;
  if (typeof value !== 'boolean') return fail(field, `'${toText(value)}' must be true or false.`);
  return value;
}

function scalarText(value: unknown): string | undefined {
  return typeof value === 'string' ? value.trim() : typeof value === 'number' ? String(value) : undefined;
}

function isRecord(value: unknown): value is Raw {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
