import { OperationFormatError } from '../../../../src/core/operations/model.js';
import { parseOperations } from '../../../../src/core/operations/parse.js';
import { ORG } from '../../devops-fakes.js';
import { thrownBy } from '../../fakes.js';

const SOURCE = "Input 'operations'";
const parse = (text: string, organization = ORG) => parseOperations(text, SOURCE, organization);
const failure = (text: string, organization = ORG): string => {
  const error = thrownBy(() => parse(text, organization));
  expect(error).toBeInstanceOf(OperationFormatError);
  return error.message;
};

describe('parseOperations: defaults and accepted values', () => {
  test('a minimal operation gets GET, no api-version (the pre-flight fills it in), concurrency 4 and no name', () => {
    expect(parse('- url: _apis/projects')).toEqual([
      {
        index: 1,
        name: undefined,
        method: 'GET',
        url: '_apis/projects',
        apiVersion: undefined,
        query: {},
        headers: {},
        body: undefined,
        contentType: undefined,
        paginate: false,
        select: undefined,
        expect: undefined,
        forEach: undefined,
        concurrency: 4,
        continueOnError: false,
        unchecked: false
      }
    ]);
  });

  test('every field is read, the method in any case, numbers in headers as text', () => {
    const [op] = parse(`
- name: repos
  url: "  https://dev.azure.com/contoso/_apis/git/repositories  "
  method: post
  api-version: "7.1-preview.1"
  query: { $top: 10, includeLinks: true }
  headers: { X-Count: 3 }
  body: { name: x }
  content-type: application/json-patch+json
  paginate: true
  select: " value[].id "
  expect: [200, 201]
  for-each: [a, b]
  concurrency: 16
  continue-on-error: true
`);
    expect(op).toMatchObject({
      name: 'repos',
      method: 'POST',
      url: 'https://dev.azure.com/contoso/_apis/git/repositories',
      apiVersion: '7.1-preview.1',
      query: { $top: 10, includeLinks: true },
      headers: { 'X-Count': '3' },
      body: { name: 'x' },
      contentType: 'application/json-patch+json',
      paginate: true,
      select: 'value[].id',
      expect: [200, 201],
      forEach: ['a', 'b'],
      concurrency: 16,
      continueOnError: true
    });
  });

  test('a single expected status becomes a list; an unquoted 7.1 is read as "7.1"', () => {
    const [op] = parse('- url: x\n  expect: 204\n  api-version: 7.1');
    expect(op?.expect).toEqual([204]);
    expect(op?.apiVersion).toBe('7.1');
  });

  test('JSON is accepted, and an empty document is an empty list', () => {
    expect(parse('[{"url": "_apis/projects", "method": "HEAD"}]').map((o) => o.method)).toEqual(['HEAD']);
    expect(parse('')).toEqual([]);
    expect(parse('# nothing yet')).toEqual([]);
  });

  test('indexes count from 1 and later operations may use earlier results and item', () => {
    const ops = parse(`
- name: repos
  url: _apis/git/repositories
  select: value[].name
- url: "_apis/git/repositories/{{ item }}/refs"
  for-each: "{{ results.repos }}"
  query: { filter: "{{ item }}" }
  headers: { X-Org: "{{ organization.name }}" }
  body: ["{{ env.BUILD_ID }}", { deep: "{{ length(results.repos) }}" }]
`);
    expect(ops.map((o) => [o.index, o.name])).toEqual([
      [1, 'repos'],
      [2, undefined]
    ]);
    expect(ops[1]?.forEach).toBe('{{ results.repos }}');
  });
});

describe('parseOperations: mistakes are found before any request', () => {
  test.each([
    ['- url: x\n  methd: GET', "operation 1, field 'methd': unknown field. Known fields: name, method, url,"],
    [
      '- name: a\n  url: x\n  method: FETCH',
      "operation 1 ('a'), field 'method': 'FETCH' is not one of GET, POST, PUT, PATCH, DELETE, HEAD."
    ],
    ['- method: GET', "operation 1, field 'url': is required: a path relative to the organization"],
    ['- url: "  "', "operation 1, field 'url': is required"],
    [
      '- name: 1st\n  url: x',
      "operation 1 ('1st'), field 'name': '1st' is not a valid name: use letters, digits and underscores"
    ],
    ['- name: my-repos\n  url: x', "operation 1 ('my-repos'), field 'name': 'my-repos' is not a valid name"],
    [
      '- url: x\n  api-version: 7.0',
      'operation 1, field \'api-version\': \'7\' is not an api-version such as "7.1" or "7.1-preview.1" (quote it'
    ],
    ['- url: x\n  api-version: latest', "operation 1, field 'api-version': 'latest' is not an api-version"],
    [
      '- url: x\n  headers: { Authorization: Basic abc }',
      "operation 1, field 'headers': Authorization cannot be set: the step sends its own bearer token"
    ],
    [
      '- url: x\n  headers: { authorization: x }',
      "operation 1, field 'headers': Authorization cannot be set"
    ],
    [
      '- url: x\n  headers: { X-Flag: true }',
      "operation 1, field 'headers': header 'X-Flag' must be a string."
    ],
    ['- url: x\n  headers: [a]', "operation 1, field 'headers': must be a mapping of names to values."],
    [
      '- url: x\n  query: { ids: [1, 2] }',
      "operation 1, field 'query': parameter 'ids' must be a string, number or boolean."
    ],
    ['- url: x\n  paginate: yes', "operation 1, field 'paginate': 'yes' must be true or false."],
    [
      '- url: x\n  continue-on-error: 1',
      "operation 1, field 'continue-on-error': '1' must be true or false."
    ],
    [
      '- url: x\n  content-type: 5',
      "operation 1, field 'content-type': must be a string such as application/json-patch+json."
    ],
    ['- url: x\n  select: ""', "operation 1, field 'select': must be a JMESPath expression"],
    [
      '- url: x\n  select: "value[?"',
      "operation 1, field 'select': 'value[?' is not a valid JMESPath expression ("
    ],
    [
      '- url: x\n  expect: [200, 700]',
      "operation 1, field 'expect': '[200,700]' must be an HTTP status or a list of them, such as [200, 201]."
    ],
    ['- url: x\n  expect: []', "operation 1, field 'expect': '[]' must be an HTTP status"],
    [
      '- url: x\n  concurrency: 2',
      "operation 1, field 'concurrency': applies only to an operation with for-each."
    ],
    [
      '- url: x\n  for-each: [1]\n  concurrency: 17',
      "operation 1, field 'concurrency': '17' must be a whole number from 1 to 16."
    ],
    [
      '- url: x\n  for-each: [1]\n  concurrency: 0',
      "operation 1, field 'concurrency': '0' must be a whole number from 1 to 16."
    ],
    ['- url: x\n  for-each: repos', "operation 1, field 'for-each': must be one template giving a list"],
    [
      '- url: x\n  for-each: "{{ a }}{{ b }}"',
      "operation 1, field 'for-each': must be one template giving a list"
    ]
  ])('%j → %s', (text, fragment) => {
    expect(failure(text)).toContain(`${SOURCE}, ${fragment}`);
  });

  test('templates naming a later result, an unknown result or another root are refused', () => {
    expect(failure('- url: "{{ results.later.id }}"\n- name: later\n  url: y')).toBe(
      `${SOURCE}, operation 1, field 'url': '{{ results.later.id }}' uses results.later, which runs later (an operation can only use the results of operations above it).`
    );
    expect(failure('- name: a\n  url: x\n- url: y\n  body: { id: "{{ results.b }}" }')).toBe(
      `${SOURCE}, operation 2, field 'body': '{{ results.b }}' uses results.b, but no operation has that name.`
    );
    expect(failure('- url: x\n  query: { q: "{{ secrets.pat }}" }')).toBe(
      `${SOURCE}, operation 1, field 'query': '{{ secrets.pat }}' refers to 'secrets'; templates can use results, item, env, organization.`
    );
    expect(failure('- name: self\n  url: "{{ results.self.url }}"')).toContain(
      'uses results.self, which runs later'
    );
  });

  test('a result used inside a function, filter, pipe or sort key is still checked', () => {
    expect(failure('- url: "x/{{ length(results.nope) }}"')).toContain('uses results.nope, but no operation');
    expect(failure('- url: "x/{{ results.nope[?id == `1`] }}"')).toContain('uses results.nope');
    expect(failure('- url: "x/{{ results.nope | [0] }}"')).toContain('uses results.nope');
    expect(failure('- url: "x/{{ sort_by(results.nope, &name) }}"')).toContain('uses results.nope');
  });

  // Regression (fixed): template.ts visitRoots only checks results.NAME when the right side of the dot is a plain Field;
  // results.NAME[0].id and results.NAME[*].id (IndexExpression / Projection) skip the check and pass parsing.
  test('a result read by index or projection is checked too', () => {
    expect(failure('- url: "x/{{ results.later[0].id }}"\n- name: later\n  url: y')).toContain(
      "field 'url': '{{ results.later[0].id }}' uses results.later, which runs later"
    );
    expect(failure(`- url: "x/{{ join('-', results.nope[*].id) }}"`)).toContain(
      'uses results.nope, but no operation has that name.'
    );
  });

  test('item outside for-each, and in the for-each expression itself, is refused', () => {
    expect(failure('- url: "x/{{ item.id }}"')).toBe(
      `${SOURCE}, operation 1, field 'url': '{{ item.id }}' uses 'item', which exists only in an operation with for-each.`
    );
    expect(failure('- url: x\n  for-each: "{{ item }}"')).toContain(
      "field 'for-each': '{{ item }}' uses 'item', which exists only"
    );
  });

  test('empty and invalid templates name the field', () => {
    expect(failure('- url: "x/{{ }}"')).toBe(
      `${SOURCE}, operation 1, field 'url': '{{ }}' is empty; put a JMESPath expression inside, such as {{ results.repos[0].id }}.`
    );
    expect(failure('- url: x\n  headers: { X-A: "{{ foo[ }}" }')).toMatch(
      /^Input 'operations', operation 1, field 'headers': 'foo\[' is not a valid JMESPath expression \(.+\)\.$/
    );
  });

  test('duplicate names are refused naming the second operation', () => {
    expect(failure('- name: a\n  url: x\n- name: a\n  url: y')).toBe(
      `${SOURCE}, operation 2 ('a'): the name 'a' is used twice; names must be unique.`
    );
  });

  test('a relative url needs an organization; an absolute or templated one does not', () => {
    const message = thrownBy(() => parseOperations('- url: _apis/projects', SOURCE, undefined)).message;
    expect(message).toBe(
      `${SOURCE}, operation 1, field 'url': '_apis/projects' is relative, but no organization is set to resolve it against. Set the organization input or use an absolute https URL.`
    );
    expect(parseOperations('- url: https://x.example/a', SOURCE, undefined)).toHaveLength(1);
  });

  test('invalid YAML, a mapping instead of a list, and a non-mapping item', () => {
    expect(failure('- url: [unclosed')).toMatch(
      /^Input 'operations' is not valid YAML at line \d+, column \d+: /
    );
    expect(failure('- url: a\n  url: b')).toMatch(
      /^Input 'operations' is not valid YAML at line 2, column 3: /
    );
    expect(failure('url: x')).toBe(
      `${SOURCE} must be a YAML list of operations (each item starting with '- '), not a object.`
    );
    expect(failure('- just text')).toBe(
      `${SOURCE}, operation 1: each operation is a mapping of fields (url, method, ...), not "just text".`
    );
  });
});

describe('parseOperations: each check, both sides and its limits', () => {
  const at = `${SOURCE}, operation 1`;

  test('a YAML error message keeps only its first line; an error without a position names none', () => {
    expect(failure('- url: a\n  url: b')).toBe(
      `${SOURCE} is not valid YAML at line 2, column 3: Map keys must be unique at line 2, column 3:`
    );
    const bomb = [
      'a: &a [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]',
      'b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]',
      'c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]',
      'd: [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]'
    ].join('\n');
    expect(failure(bomb)).toBe(
      `${SOURCE} is not valid YAML: Excessive alias count indicates a resource exhaustion attack`
    );
  });

  test('an empty item is refused as not a mapping, before and among other operations', () => {
    expect(failure('- ~')).toBe(
      `${SOURCE}, operation 1: each operation is a mapping of fields (url, method, ...), not null.`
    );
    expect(failure('- name: a\n  url: x\n- ~')).toBe(
      `${SOURCE}, operation 2: each operation is a mapping of fields (url, method, ...), not null.`
    );
  });

  test.each([
    ['- name: 5\n  url: x', `${at}, field 'name': '5' is not a valid name`],
    ['- name: true\n  url: x', `${at}, field 'name': 'true' is not a valid name`]
  ])('a name that is not text (%j) is refused without a label', (text, start) => {
    expect(failure(text)).toBe(
      `${start}: use letters, digits and underscores, not starting with a digit (results are read as results.NAME).`
    );
  });

  test('a method that is not text is refused', () => {
    expect(failure('- url: x\n  method: 5')).toBe(
      `${at}, field 'method': '5' is not one of GET, POST, PUT, PATCH, DELETE, HEAD.`
    );
  });

  test('a url is absolute only when it starts with a scheme; one starting with a template needs no organization', () => {
    expect(thrownBy(() => parseOperations('- url: a/b?to=https://x', SOURCE, undefined)).message).toBe(
      `${at}, field 'url': 'a/b?to=https://x' is relative, but no organization is set to resolve it against. Set the organization input or use an absolute https URL.`
    );
    const [op] = parseOperations('- url: "{{ env.BASE }}/_apis/projects"', SOURCE, undefined);
    expect(op?.url).toBe('{{ env.BASE }}/_apis/projects');
  });

  test.each(['10.0', '7.10', '7.1-preview', '7.1-preview.10', ' 7.1 '])('api-version %j is accepted', (v) => {
    expect(parse(`- url: x\n  api-version: "${v}"`)[0]?.apiVersion).toBe(v.trim());
  });

  test.each([
    ['"7.1x"', '7.1x'],
    ['"v7.1"', 'v7.1'],
    ['"7.1-preview."', '7.1-preview.'],
    ['[7.1]', '[7.1]'],
    ['true', 'true']
  ])('api-version %s is refused', (value, shown) => {
    expect(failure(`- url: x\n  api-version: ${value}`)).toBe(
      `${at}, field 'api-version': '${shown}' is not an api-version such as "7.1" or "7.1-preview.1" (quote it: YAML reads 7.10 as the number 7.1).`
    );
  });

  test('query and headers must be mappings; left empty they are none', () => {
    expect(failure('- url: x\n  query: [a]')).toBe(
      `${at}, field 'query': must be a mapping of names to values.`
    );
    expect(failure('- url: x\n  headers: text')).toBe(
      `${at}, field 'headers': must be a mapping of names to values.`
    );
    expect(parse('- url: x\n  query:\n  headers:')[0]).toMatchObject({ query: {}, headers: {} });
  });

  test.each([['5'], ['"   "'], ['[a]']])('select %s is refused', (value) => {
    expect(failure(`- url: x\n  select: ${value}`)).toBe(
      `${at}, field 'select': must be a JMESPath expression such as "value[].{id: id, name: name}".`
    );
  });

  test.each([['5'], ['{ a: 1 }'], ['"x"'], ['"{{ a }}{{ b }}"']])('for-each %s is refused', (value) => {
    expect(failure(`- url: x\n  for-each: ${value}`)).toBe(
      `${at}, field 'for-each': must be one template giving a list, such as "{{ results.repos }}", or a literal YAML list.`
    );
  });

  test('expect takes whole HTTP statuses from 100 to 599', () => {
    expect(parse('- url: x\n  expect: [100, 599]')[0]?.expect).toEqual([100, 599]);
    for (const value of ['99', '600', '50', '200.5', '"200"'])
      expect(failure(`- url: x\n  expect: ${value}`)).toBe(
        `${at}, field 'expect': '${value}' must be an HTTP status or a list of them, such as [200, 201].`
      );
  });

  test('concurrency takes whole numbers from 1 to 16', () => {
    expect(parse('- url: x\n  for-each: [1]\n  concurrency: 1')[0]?.concurrency).toBe(1);
    expect(parse('- url: x\n  for-each: [1]\n  concurrency: 16')[0]?.concurrency).toBe(16);
    expect(failure('- url: x\n  for-each: [1]\n  concurrency: 1.5')).toBe(
      `${at}, field 'concurrency': '1.5' must be a whole number from 1 to 16.`
    );
  });

  test('a result named "" is not an unnamed operation', () => {
    expect(failure('- url: x\n- url: \'y/{{ results."" }}\'')).toBe(
      `${SOURCE}, operation 2, field 'url': '{{ results."" }}' uses results., but no operation has that name.`
    );
  });
});
