import { AzureDevOpsError } from '../../../../src/core/errors.js';
import { OperationFormatError } from '../../../../src/core/operations/model.js';
import { mapConcurrent } from '../../../../src/core/operations/run.js';
import { createRunHarness, ok, type Reply } from '../../devops-fakes.js';
import { rejectionOf } from '../../fakes.js';

const API = 'https://dev.azure.com/contoso';
const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve = (): void => undefined;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describe('mapConcurrent', () => {
  test('keeps item order, never has more than `limit` in flight, and passes the index', async () => {
    let inFlight = 0;
    let most = 0;
    const results = await mapConcurrent([5, 1, 4, 2, 3, 0], 2, async (n, i) => {
      inFlight++;
      most = Math.max(most, inFlight);
      for (let k = 0; k < n; k++) await tick();
      inFlight--;
      return `${i}:${n}`;
    });
    expect(results).toEqual(['0:5', '1:1', '2:4', '3:2', '4:3', '5:0']);
    expect(most).toBe(2);
  });

  test('stops starting items after the first failure and rejects with it', async () => {
    const started: number[] = [];
    const error = await rejectionOf(
      mapConcurrent([0, 1, 2, 3, 4], 2, async (n) => {
        started.push(n);
        await tick();
        if (n === 1) throw new Error('item 1 failed');
        await tick();
        return n;
      })
    );
    expect(error.message).toBe('item 1 failed');
    expect(started).toEqual([0, 1]);
  });

  test('an empty list gives an empty list without calling fn', async () => {
    let calls = 0;
    expect(await mapConcurrent([], 4, () => Promise.resolve(++calls))).toEqual([]);
    expect(calls).toBe(0);
  });
});

describe('runOperations: for-each', () => {
  test('runs per item of an earlier result, in item order even when answers come back reversed', async () => {
    const gates = { api: deferred(), web: deferred() };
    const h = createRunHarness(async (r): Promise<Reply> => {
      const name = /repositories\/(\w+)/.exec(r.url)?.[1] ?? 'list';
      if (name === 'api') await gates.api.promise;
      if (name === 'web') {
        await gates.web.promise;
        gates.api.resolve();
      }
      if (name === 'docs') gates.web.resolve();
      return name === 'list'
        ? ok({ value: [{ name: 'api' }, { name: 'web' }, { name: 'docs' }] })
        : ok({ name, branches: name.length });
    });
    const results = await h.run(`
- name: repos
  url: _apis/git/repositories
  select: value[].name
- name: refs
  url: "_apis/git/repositories/{{ item }}/refs"
  for-each: "{{ results.repos }}"
  concurrency: 3
  select: branches
`);
    expect(results.refs).toEqual([3, 3, 4]);
    expect(h.client.sent.slice(1).map((r) => [r.url, r.description])).toEqual([
      [`${API}/_apis/git/repositories/api/refs?api-version=7.1`, "operation 2 ('refs'), item 1"],
      [`${API}/_apis/git/repositories/web/refs?api-version=7.1`, "operation 2 ('refs'), item 2"],
      [`${API}/_apis/git/repositories/docs/refs?api-version=7.1`, "operation 2 ('refs'), item 3"]
    ]);
    expect(h.platform.lines('info')).toContain(
      "Running operation 2 ('refs'): GET _apis/git/repositories/{{ item }}/refs for 3 items, 3 at a time."
    );
  });

  test('a literal list works; item reaches query, headers and body; the default is 4 at a time', async () => {
    const h = createRunHarness((r) => ok({ got: r.body }));
    const results = await h.run(`
- name: tagged
  url: "_test/things/{{ item.id }}"
  method: PATCH
  for-each: [{ id: 1, tag: a }, { id: 2, tag: b }, { id: 3, tag: c }, { id: 4, tag: d }, { id: 5, tag: e }]
  query: { tag: "{{ item.tag }}" }
  headers: { X-Item: "{{ item.id }}" }
  body: { id: "{{ item.id }}" }
  select: got
`);
    expect(results.tagged).toEqual(['{"id":1}', '{"id":2}', '{"id":3}', '{"id":4}', '{"id":5}']);
    expect(h.client.sent[4]).toMatchObject({
      url: `${API}/_test/things/5?api-version=7.1&tag=e`,
      headers: { 'X-Item': '5', 'content-type': 'application/json' }
    });
    expect(h.platform.lines('info')).toContain(
      "Running operation 1 ('tagged'): PATCH _test/things/{{ item.id }} for 5 items, 4 at a time."
    );
  });

  test('an empty list sends nothing and gives an empty result', async () => {
    const h = createRunHarness(() => ok({ value: [] }));
    const results = await h.run(`
- name: repos
  url: _apis/git/repositories
  select: value
- name: each
  url: "x/{{ item }}"
  for-each: "{{ results.repos }}"
`);
    expect(results.each).toEqual([]);
    expect(h.client.sent).toHaveLength(1);
  });

  test('a failing item fails the operation naming the item; continue-on-error keeps per-item errors', async () => {
    const reply = (r: { url: string }): Reply =>
      r.url.includes('/2?') ? ok({ message: 'VS800075: no access' }, {}, 403) : ok({ ok: 1 });
    const failing = createRunHarness(reply);
    const error = await rejectionOf(
      failing.run('- url: "x/{{ item }}"\n  for-each: [1, 2, 3]\n  concurrency: 1')
    );
    expect(error).toBeInstanceOf(AzureDevOpsError);
    expect(error.message).toMatch(/^operation 1, item 2 failed: GET .*\/x\/2 answered HTTP 403/);
    expect(failing.client.sent).toHaveLength(2);

    const going = createRunHarness(reply);
    const results = await going.run(
      '- name: all\n  url: "x/{{ item }}"\n  for-each: [1, 2, 3]\n  continue-on-error: true\n  select: ok'
    );
    expect(results.all).toEqual([
      1,
      {
        error: {
          status: 403,
          message: 'VS800075: no access',
          typeKey: '',
          code: 'VS800075',
          activityId: '',
          e2eId: '',
          msEdgeRef: ''
        }
      },
      1
    ]);
    expect(going.platform.lines('warning')).toHaveLength(1);
  });

  test('for-each that gives something other than a list fails before sending for it', async () => {
    const h = createRunHarness(() => ok({ count: 2 }));
    const error = await rejectionOf(
      h.run('- name: repos\n  url: r\n- name: each\n  url: "x/{{ item }}"\n  for-each: "{{ results.repos }}"')
    );
    expect(error).toBeInstanceOf(OperationFormatError);
    expect(error.message).toBe(
      "operation 2 ('each'), field 'for-each': '{{ results.repos }}' gave object, not a list. Point it at a list, such as {{ results.repos }} where repos selects value[]."
    );
    expect(h.client.sent).toHaveLength(1);
  });
});
