import { AzureDevOpsError } from '../../../../src/core/errors.js';
import { createRunHarness, ok, type Reply } from '../../devops-fakes.js';
import { rejectionOf } from '../../fakes.js';

const REPOS = 'https://dev.azure.com/contoso/_apis/git/repositories?api-version=7.1';

/** Pages of `value` items, chosen by the continuationToken asked for; the last page sends no token. */
function pages(...contents: { value: unknown[]; token?: string }[]): (r: { url: string }) => Reply {
  return (r) => {
    const asked = new URL(r.url).searchParams.get('continuationToken');
    const index = asked === null ? 0 : contents.findIndex((p) => p.token === asked) + 1;
    const page = contents[Math.min(index, contents.length - 1)] ?? { value: [] };
    return ok(
      { count: page.value.length, value: page.value },
      page.token ? { 'x-ms-continuationtoken': page.token } : {}
    );
  };
}

describe('runOperations: paginate', () => {
  test('follows x-ms-continuationtoken as continuationToken and gathers every value item', async () => {
    const h = createRunHarness(
      pages({ value: [1, 2], token: 'tok/1+=' }, { value: [3], token: 'tok2' }, { value: [4, 5] })
    );
    const results = await h.run('- name: all\n  url: _apis/git/repositories\n  paginate: true');
    expect(results.all).toEqual([1, 2, 3, 4, 5]);
    expect(h.client.sent.map((r) => r.url)).toEqual([
      REPOS,
      `${REPOS}&continuationToken=tok%2F1%2B%3D`,
      `${REPOS}&continuationToken=tok2`
    ]);
    expect(h.client.sent.map((r) => r.description)).toEqual([
      "operation 1 ('all')",
      "operation 1 ('all')",
      "operation 1 ('all')"
    ]);
    expect(h.platform.lines('info')[0]).toBe(
      "Running operation 1 ('all'): GET _apis/git/repositories (all pages)."
    );
  });

  test('select applies to {count, value} over all pages', async () => {
    const h = createRunHarness(
      pages({ value: [{ id: 'a' }], token: 't' }, { value: [{ id: 'b' }, { id: 'c' }] })
    );
    const results = await h.run(`
- name: ids
  url: _apis/git/repositories
  paginate: true
  select: "value[].id"
- name: total
  url: _apis/git/repositories
  paginate: true
  select: count
`);
    expect(results).toEqual({ ids: ['a', 'b', 'c'], total: 3 });
  });

  test('a single page without a token is one request', async () => {
    const h = createRunHarness(pages({ value: ['only'] }));
    expect(await h.run('- name: p\n  url: _apis/git/repositories\n  paginate: true')).toEqual({
      p: ['only']
    });
    expect(h.client.sent).toHaveLength(1);
  });

  test('a repeated continuation token stops instead of looping', async () => {
    const h = createRunHarness(pages({ value: [1], token: 'same' }));
    const error = await rejectionOf(h.run('- name: p\n  url: _apis/git/repositories\n  paginate: true'));
    expect(error).toBeInstanceOf(AzureDevOpsError);
    expect(error.message).toBe(
      "operation 1 ('p'): Azure DevOps repeated continuation token 'same' (or sent more than 10000 pages); stopping instead of looping."
    );
    expect(h.client.sent).toHaveLength(2);
  });

  test('a response without a value list cannot be paginated', async () => {
    const h = createRunHarness(() => ok({ id: 1 }));
    const error = await rejectionOf(h.run('- url: _apis/projects/p1\n  paginate: true'));
    expect(error).toBeInstanceOf(AzureDevOpsError);
    expect(error.message).toBe(
      "operation 1: paginate needs a response with a 'value' list, but GET https://dev.azure.com/contoso/_apis/projects/p1 answered without one."
    );
  });

  test('an unexpected status on a later page fails the operation, or becomes its result with continue-on-error', async () => {
    const reply = (_: unknown, n: number): Reply =>
      n === 0
        ? ok({ value: [1] }, { 'x-ms-continuationtoken': 'next' })
        : ok({ message: 'TF400898: An internal error occurred.', typeKey: 'X' }, {}, 500);
    const failing = createRunHarness(reply);
    const error = await rejectionOf(failing.run('- url: _apis/git/repositories\n  paginate: true'));
    expect(error.message).toBe(
      `operation 1 failed: GET ${REPOS.split('?')[0]} answered HTTP 500: TF400898: An internal error occurred (X).`
    );
    const going = createRunHarness(reply);
    const results = await going.run(
      '- name: p\n  url: _apis/git/repositories\n  paginate: true\n  continue-on-error: true'
    );
    expect(results.p).toEqual({
      error: {
        status: 500,
        message: 'TF400898: An internal error occurred.',
        typeKey: 'X',
        code: 'TF400898',
        activityId: '',
        e2eId: '',
        msEdgeRef: ''
      }
    });
  });
});
