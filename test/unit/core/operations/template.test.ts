import { OperationFormatError } from '../../../../src/core/operations/model.js';
import {
  checkTemplates,
  compileExpression,
  evaluate,
  expressionsIn,
  renderString,
  renderValue,
  stringsIn,
  toText,
  type TemplateScope
} from '../../../../src/core/operations/template.js';
import { thrownBy } from '../../fakes.js';

const scope: TemplateScope = {
  results: {
    repos: [
      { id: 'r1', name: 'api' },
      { id: 'r2', name: 'web' }
    ],
    count: 2,
    flag: false,
    empty: null
  },
  item: { id: 'r2', name: 'web' },
  env: { BUILD_ID: '42' },
  organization: { name: 'contoso', url: 'https://dev.azure.com/contoso' }
};

describe('renderString', () => {
  test.each([
    ['{{ results.repos }}', scope.results.repos],
    ['{{ results.count }}', 2],
    ['  {{ results.flag }}  ', false],
    ['{{ results.empty }}', null],
    ['{{ results.missing }}', null],
    ['{{ item }}', { id: 'r2', name: 'web' }],
    ['{{ organization.url }}', 'https://dev.azure.com/contoso'],
    ['{{results.repos[0].id}}', 'r1']
  ])('%j, exactly one template, keeps the value and its type', (text, expected) => {
    expect(renderString(text, scope)).toEqual(expected);
  });

  test.each([
    ['_apis/git/repositories/{{ item.id }}/refs', '_apis/git/repositories/r2/refs'],
    ['{{ results.count }} repos', '2 repos'],
    ['build {{ env.BUILD_ID }} of {{ organization.name }}', 'build 42 of contoso'],
    ['x{{ results.empty }}y{{ results.missing }}z', 'xyz'],
    ['flag={{ results.flag }}', 'flag=false'],
    ['ids={{ results.repos[].id }}', 'ids=["r1","r2"]'],
    ['{{ results.count }}{{ results.count }}', '22'],
    ['no templates here', 'no templates here']
  ])('%j is spliced as text → %j', (text, expected) => {
    expect(renderString(text, scope)).toBe(expected);
  });

  test('env is whatever the scope gives it: a name it does not hold renders empty', () => {
    expect(renderString('t={{ env.SYSTEM_ACCESSTOKEN }}', scope)).toBe('t=');
  });
});

describe('renderValue', () => {
  test('walks objects and arrays, renders strings and leaves other values alone', () => {
    const body = {
      name: '{{ item.name }}',
      ids: '{{ results.repos[].id }}',
      nested: [{ label: 'repo {{ item.id }}', n: 3, ok: true, none: null }]
    };
    expect(renderValue(body, scope)).toEqual({
      name: 'web',
      ids: ['r1', 'r2'],
      nested: [{ label: 'repo r2', n: 3, ok: true, none: null }]
    });
    expect(body.name).toBe('{{ item.name }}');
  });
});

describe('expressions', () => {
  test('expressionsIn trims each expression and finds them all', () => {
    expect(expressionsIn('a {{ x.y }} b {{z}} {{ }}')).toEqual(['x.y', 'z', '']);
    expect(expressionsIn('{ single } braces')).toEqual([]);
  });

  test('stringsIn lists every string in a nested value', () => {
    expect(stringsIn({ a: 'x', b: [1, 'y', { c: 'z' }], d: null, e: true })).toEqual(['x', 'y', 'z']);
    expect(stringsIn(undefined)).toEqual([]);
  });

  test('evaluate runs JMESPath functions and projections', () => {
    expect(evaluate("join(',', results.repos[].name)", scope)).toBe('api,web');
    expect(evaluate("results.repos[?name == 'web'] | [0].id", scope)).toBe('r2');
    expect(evaluate('length(results.repos)', scope)).toBe(2);
  });

  test('compileExpression names where the bad expression was found', () => {
    const error = thrownBy(() =>
      compileExpression('value[?', "Input 'operations', operation 3, field 'select'")
    );
    expect(error).toBeInstanceOf(OperationFormatError);
    expect(error.message).toMatch(
      /^Input 'operations', operation 3, field 'select': 'value\[\?' is not a valid JMESPath expression \(.+\)\.$/
    );
  });
});

describe('checkTemplates', () => {
  const rules = {
    earlier: new Set(['repos']),
    all: new Set(['repos', 'later']),
    hasItem: true,
    where: 'W'
  };

  test('accepts earlier results, item in for-each, env, organization, the whole scope and literals', () => {
    const text =
      '{{ results.repos[?name == `"web"`] }} {{ item.name }} {{ env.HOME }} {{ organization.name }} {{ @ }}';
    expect(checkTemplates(text, rules)).toBeUndefined();
    expect(checkTemplates('{{ `"literal"` }} {{ sort_by(results.repos, &name) }}', rules)).toBeUndefined();
    // The same text without for-each is refused only because of item.
    expect(thrownBy(() => checkTemplates(text, { ...rules, hasItem: false })).message).toContain(
      "uses 'item', which exists only in an operation with for-each."
    );
  });

  test('refuses later and unknown results, item without for-each and unknown roots', () => {
    const message = (text: string, hasItem = true): string =>
      thrownBy(() => checkTemplates(text, { ...rules, hasItem })).message;
    expect(message('{{ results.later.id }}')).toBe(
      "W: '{{ results.later.id }}' uses results.later, which runs later (an operation can only use the results of operations above it)."
    );
    expect(message('{{ results.other }}')).toBe(
      "W: '{{ results.other }}' uses results.other, but no operation has that name."
    );
    expect(message('{{ item.id }}', false)).toBe(
      "W: '{{ item.id }}' uses 'item', which exists only in an operation with for-each."
    );
    expect(message('{{ [repos, item] }}')).toBe(
      "W: '{{ [repos, item] }}' refers to 'repos'; templates can use results, item, env, organization."
    );
  });
});

describe('toText', () => {
  test.each([
    [null, ''],
    [undefined, ''],
    ['text', 'text'],
    [2, '2'],
    [Number.NaN, 'NaN'],
    [Number.POSITIVE_INFINITY, 'Infinity'],
    [BigInt(12), '12'],
    [false, 'false'],
    [true, 'true'],
    [[1, 'a'], '[1,"a"]'],
    [{ a: null }, '{"a":null}']
  ])('%p → %j', (value, expected) => {
    expect(toText(value)).toBe(expected);
  });
});

describe('checkTemplates: what is and is not a root reference', () => {
  const rules = { earlier: new Set(['repos']), all: new Set(['repos', 'later']), hasItem: false, where: 'W' };
  const accepts = (text: string): void => expect(checkTemplates(text, rules)).toBeUndefined();
  const message = (text: string): string => thrownBy(() => checkTemplates(text, rules)).message;

  test('results itself, and names inside literals, on the right of pipes and projections are not references', () => {
    accepts('{{ results }}');
    accepts('{{ keys(results) }}');
    accepts('{{ `{"type": "Field", "name": "secrets"}` }}');
    accepts('{{ results.repos | name }}');
    accepts('{{ results.repos[*].name }}');
    accepts('{{ keys(results)[*].name }}');
    accepts('{{ results.repos[?name == `"web"`].id }}');
    accepts('{{ results.[repos] }}');
  });

  test('a result compared or negated is still checked', () => {
    expect(message('{{ results.nope == `1` }}')).toBe(
      "W: '{{ results.nope == `1` }}' uses results.nope, but no operation has that name."
    );
    expect(message('{{ !contains(results.later, `1`) }}')).toBe(
      "W: '{{ !contains(results.later, `1`) }}' uses results.later, which runs later (an operation can only use the results of operations above it)."
    );
    expect(message('{{ !secrets }}')).toBe(
      "W: '{{ !secrets }}' refers to 'secrets'; templates can use results, item, env, organization."
    );
  });
});
