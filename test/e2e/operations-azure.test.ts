import { beforeEach, describe, expect, test } from '@jest/globals';
import { azureOptions, expectNoLeaks, failureText, useEmulator } from './fixture.js';
import { runAzureTask, type AzureRun } from './runner.js';

const emu = useEmulator();
beforeEach(() => {
  emu.devops.resetStats();
});

const P = 'release-project';
const resultsOf = (r: AzureRun): Record<string, unknown> =>
  JSON.parse(r.variables.find((v) => v.name === 'results' && v.isOutput)?.value ?? 'null') as Record<
    string,
    unknown
  >;

describe('operations on Azure Pipelines', () => {
  test.each([false, true])(
    'paging, a for-each and a work item; results is an output variable (debug %s)',
    async (debug) => {
      const operations = `
- name: repos
  url: ${P}/_apis/git/repositories
  paginate: true
  select: "value[:5].id"
- name: repoNames
  url: "${P}/_apis/git/repositories/{{ item }}"
  for-each: "{{ results.repos }}"
  select: name
- name: task
  method: POST
  url: "${P}/_apis/wit/workitems/$Task"
  content-type: application/json-patch+json
  body: [{ op: add, path: /fields/System.Title, value: "Release touching {{ length(results.repoNames) }} repositories" }]
  select: fields."System.Title"
`;
      const r = await runAzureTask({ ...azureOptions(emu, { inputs: { operations } }), debug });
      expect(r.resultMessage).toBe('Azure DevOps access token acquired.');
      const results = resultsOf(r);
      expect(results.repoNames).toEqual(['repo-001', 'repo-002', 'repo-003', 'repo-004', 'repo-005']);
      expect(results.task).toBe('Release touching 5 repositories');
      const results_ = r.variables.find((v) => v.name === 'results');
      expect(results_).toMatchObject({ isOutput: true, isSecret: false });
      expect(r.infoLines.join('\n')).toContain('Operations done: 3 operations');
      expect(
        emu.requestsFor('devops').every((x) => x.headers['user-agent']?.includes('(Azure Pipelines;'))
      ).toBe(true);
      expectNoLeaks(r, emu);
    }
  );

  test('operationsFile is read relative to the default working directory', async () => {
    // canary: projects-read
    const file = JSON.stringify([{ name: 'projects', url: '_apis/projects', select: 'value[].name' }]);
    const r = await runAzureTask({
      ...azureOptions(emu, { inputs: { operationsFile: 'ops.json' } }),
      files: { 'ops.json': file }
    });
    expect(r.result).toBe('Succeeded');
    expect(resultsOf(r).projects).toEqual([P]);
    expectNoLeaks(r, emu);
  });

  test('a failing operation fails the task with the Azure DevOps error; a bad document fails before any request', async () => {
    const failing = await runAzureTask(
      azureOptions(emu, { inputs: { operations: `- url: ${P}/_apis/wit/workitems/424242\n` } })
    );
    expect(failing.result).toBe('Failed');
    expect(failureText(failing)).toContain('TF401232');
    expectNoLeaks(failing, emu);
    emu.reset();
    const bad = await runAzureTask(
      azureOptions(emu, { inputs: { operations: `- url: x\n  methd: GET\n`, allowedHosts: 'ok.example' } })
    );
    expect(bad.result).toBe('Failed');
    expect(failureText(bad)).toContain("Input 'operations', operation 1, field 'methd': unknown field");
    expect(emu.requests).toEqual([]);
  });

  test('allowedHosts entries must be host names', async () => {
    const r = await runAzureTask(
      azureOptions(emu, { inputs: { operations: '- url: x\n', allowedHosts: 'https://evil.example/path' } })
    );
    expect(failureText(r)).toContain(
      "Input 'allowedHosts' has the entry 'https://evil.example/path', which is not a host name"
    );
    expect(emu.requests).toEqual([]);
  });

  test('200-item for-each keeps order with at most 4 in flight; Retry-After is honoured', async () => {
    const operations = `
- name: items
  url: _test/items
  query: { count: 200 }
  select: value
- name: ids
  url: "_test/item/{{ item.id }}"
  for-each: "{{ results.items }}"
  select: id
- name: throttled
  url: _test/throttled
  query: { key: azp429, times: 1, retryAfter: 1 }
`;
    const r = await runAzureTask(azureOptions(emu, { inputs: { operations } }));
    expect(r.result).toBe('Succeeded');
    expect(resultsOf(r).ids).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
    expect(emu.devops.maxConcurrency('item')).toBeLessThanOrEqual(4);
    const log = emu.devops.throttleLog('azp429');
    expect((log[1]?.time ?? 0) - (log[0]?.time ?? 0)).toBeGreaterThanOrEqual(950);
    expectNoLeaks(r, emu);
  });

  test('the token never leaves the allowed hosts: a redirect drops it, another host is refused', async () => {
    const redirected = await runAzureTask(
      azureOptions(emu, {
        inputs: { operations: `- name: moved\n  url: _test/redirect\n  query: { to: "${emu.trap.url}/x" }\n` }
      })
    );
    expect(redirected.result).toBe('Succeeded');
    expect(resultsOf(redirected).moved).toEqual({ trap: true, sawAuthorization: false });
    emu.reset();
    const refused = await runAzureTask(
      azureOptions(emu, { inputs: { operations: `- url: ${emu.trap.url}/x\n` } })
    );
    expect(failureText(refused)).toContain('Refused to send the token to 127.0.0.2');
    expect(emu.trap.connections).toHaveLength(0);
    expectNoLeaks(refused, emu);
  });
});
