import { describe, expect, test } from '@jest/globals';
import { OperationFormatError, type Operation } from '../../../../src/core/operations/model.js';
import { parseOperations } from '../../../../src/core/operations/parse.js';
import {
  checkItemUrl,
  checkListedItems,
  preflightOperations
} from '../../../../src/core/operations/preflight.js';
import { API_INDEX_SOURCE, apiRoutes } from '../../../../src/core/operations/api-routes.js';
import type { Organization } from '../../../../src/core/settings.js';

const ORG: Organization = { name: 'contoso', url: 'https://dev.azure.com/contoso' };
const LOOPBACK: Organization = { name: 'contoso', url: 'https://127.0.0.1:8443/contoso' };

function check(yaml: string, organization: Organization = ORG): { operations: Operation[]; lines: string[] } {
  const lines: string[] = [];
  const operations = preflightOperations(parseOperations(yaml, 'ops', organization), {
    organization,
    info: (line) => lines.push(line)
  });
  return { operations, lines };
}

function refusal(yaml: string, organization: Organization = ORG): string {
  try {
    check(yaml, organization);
  } catch (error) {
    expect(error).toBeInstanceOf(OperationFormatError);
    return (error as Error).message;
  }
  throw new Error('the pre-flight accepted it');
}

describe('pre-flight: the index', () => {
  test('holds every operation of the 7.1 specs and names its source and licence', () => {
    expect(apiRoutes()).toHaveLength(1005);
    expect(API_INDEX_SOURCE).toMatch(/^MicrosoftDocs\/vsts-rest-api-specs@[0-9a-f]{40} \(MIT License/);
  });

  test('a for-each URL template is matched with its template as one segment (timing is for npm run bench)', () => {
    const { operations } = check('- url: MyProject/_apis/git/repositories/{{ item }}\n  for-each: [a]');
    expect(operations[0]?.apiVersion).toBe('7.1');
  });
});

describe('pre-flight: for-each items', () => {
  const ITEM_URL = 'MyProject/_apis/git/repositories/{{ item }}';

  test('a written-out list is checked item by item before the run: an item that gives two segments fails', () => {
    const [operation] = check(
      `- name: repos\n  url: "${ITEM_URL}"\n  for-each: [web, "web/extra", api]`
    ).operations;
    expect(() => checkListedItems(operation as Operation, ORG)).toThrow(
      /^operation 1 \('repos'\), item 2, field 'url': rendered for this item, the URL has 7 path segments where its template has 6 \(a template gave more or less than one segment\)\. GET https:\/\/dev\.azure\.com\/contoso\/MyProject\/_apis\/git\/repositories\/web\/extra is not in Microsoft's published Azure DevOps REST 7\.1 specifications\. The nearest GET routes: /
    );
  });

  test('items that give one segment each pass; an item that gives a real longer route passes too', () => {
    const [operation] = check(`- url: "${ITEM_URL}"\n  for-each: [web, api, "web/refs"]`).operations;
    expect(() => checkListedItems(operation as Operation, ORG)).not.toThrow();
  });

  test('a list whose URL uses earlier results is left to the run; so is an unchecked operation', () => {
    const [later] = check(
      `- name: r\n  url: _apis/projects\n- url: "MyProject/_apis/git/repositories/{{ results.r.id }}"\n  for-each: ["a/b"]`
    ).operations.slice(1);
    expect(() => checkListedItems(later as Operation, ORG)).not.toThrow();
    const [unchecked] = check(`- url: "${ITEM_URL}"\n  unchecked: true\n  for-each: ["a/b/c/d"]`).operations;
    expect(() =>
      checkItemUrl(
        unchecked as Operation,
        new URL('https://dev.azure.com/contoso/MyProject/_apis/x/y/z/w'),
        ORG,
        'operation 1, item 1'
      )
    ).not.toThrow();
  });

  test('at the run, an item with as many segments as the template passes; with more or fewer it is matched again as rendered', () => {
    const [operation] = check(
      `- name: x\n  url: _apis/projects\n- url: "${ITEM_URL}"\n  for-each: "{{ results.x }}"`
    ).operations.slice(1);
    const op = operation as Operation;
    expect(() =>
      checkItemUrl(
        op,
        new URL('https://dev.azure.com/contoso/MyProject/_apis/git/repositories/anything'),
        ORG,
        'operation 1, item 1'
      )
    ).not.toThrow();
    expect(() =>
      checkItemUrl(
        op,
        new URL('https://dev.azure.com/contoso/MyProject/_apis/git/repositories/a/b/c/d'),
        ORG,
        'operation 1, item 3'
      )
    ).toThrow(
      /^operation 1, item 3, field 'url': rendered for this item, the URL has 9 path segments where its template has 6 /
    );
    expect(() =>
      checkItemUrl(
        op,
        new URL('https://dev.azure.com/contoso/MyProject/_apis/git/repositories/'),
        ORG,
        'operation 1, item 4'
      )
    ).not.toThrow(); // one segment fewer, matched again as rendered: the repository list, a real route
  });
});

describe('pre-flight: matching method and path', () => {
  test.each([
    ['a project route', 'MyProject/_apis/git/repositories'],
    ['the project segment left out (the organization-wide list)', '_apis/git/repositories'],
    ['a leading slash', '/_apis/projects'],
    ['literal segments in any case', 'MyProject/_APIS/Git/Repositories'],
    ['a {{ }} template as one segment', 'MyProject/_apis/git/repositories/{{ item.id }}/refs'],
    ['a $( ) macro as one segment', 'MyProject/_apis/git/repositories/$(repositoryId)'],
    ['a percent-encoded project name', 'My%20Project/_apis/build/builds'],
    ['a team segment', 'MyProject/MyTeam/_apis/work/teamsettings/iterations'],
    ['a query string', 'MyProject/_apis/git/repositories?includeHidden=true'],
    ['the organization URL written out', 'https://dev.azure.com/contoso/MyProject/_apis/git/repositories'],
    ['{{ organization.url }}', '{{ organization.url }}/_apis/projects'],
    ['$(System.CollectionUri), the organization', '$(System.CollectionUri)_apis/projects'],
    ['a leading $( ) macro as the project', '$(System.TeamProjectId)/_apis/git/repositories']
  ])('accepts %s', (_, url) => {
    const { operations } = check(`- url: "${url}"\n  for-each: [1]`);
    expect(operations[0]?.url).toBe(url);
    expect(operations[0]?.apiVersion).toBe('7.1');
  });

  test('a $type-style segment needs its literal prefix: POST …/workitems/$Task creates a work item', () => {
    const { operations } = check(
      '- url: MyProject/_apis/wit/workitems/$Task\n  method: POST\n  body: [{ op: add, path: /fields/System.Title, value: x }]'
    );
    expect(operations[0]?.contentType).toBe('application/json-patch+json');
  });

  test('a typo fails naming the operation and field, with the three nearest routes for the method', () => {
    expect(refusal('- name: repos\n  url: MyProject/_apis/git/repositorys')).toBe(
      "operation 1 ('repos'), field 'url': GET MyProject/_apis/git/repositorys is not in Microsoft's published Azure DevOps REST 7.1 specifications. The nearest GET routes: {project}/_apis/git/repositories, {project}/_apis/git/repositories/{repositoryId}, {project}/_apis/wit/tags/{tagIdOrName}. Fix the path, or set unchecked: true on the operation when it calls an API newer than those specifications."
    );
  });

  test('a wrong method names the methods the route has', () => {
    expect(
      refusal('- url: "MyProject/_apis/git/repositories/{{ item }}"\n  method: PUT\n  for-each: [a]')
    ).toBe(
      "operation 1, field 'method': PUT MyProject/_apis/git/repositories/{{ item }} is not in Microsoft's published Azure DevOps REST 7.1 specifications: the route {project}/_apis/git/repositories/{repositoryId} has the methods DELETE, GET, PATCH. Use one of them, or set unchecked: true on the operation when it calls an API newer than those specifications."
    );
  });

  test('an absolute URL on an Azure DevOps host is matched against that host, suggestions with the host', () => {
    expect(
      check('- url: https://vssps.dev.azure.com/contoso/_apis/graph/users').operations[0]?.apiVersion
    ).toBe('7.1-preview.1');
    expect(refusal('- url: https://vssps.dev.azure.com/contoso/_apis/graph/usrs')).toContain(
      'The nearest GET routes: https://vssps.dev.azure.com/{organization}/_apis/graph/users, '
    );
  });

  test('legacy {organization}.visualstudio.com URLs are matched as dev.azure.com', () => {
    expect(check('- url: https://contoso.visualstudio.com/_apis/projects').operations[0]?.apiVersion).toBe(
      '7.1'
    );
    expect(refusal('- url: https://contoso.visualstudio.com/_apis/projectz')).toContain('nearest GET routes');
  });

  test('the organization URL written out is routed like a relative URL', () => {
    const { operations, lines } = check(
      '- url: https://dev.azure.com/contoso/MyProject/_apis/release/releases'
    );
    expect(operations[0]?.url).toBe('https://vsrm.dev.azure.com/contoso/MyProject/_apis/release/releases');
    expect(lines).toEqual([
      'operation 1: https://dev.azure.com/contoso/MyProject/_apis/release/releases is served by vsrm.dev.azure.com; sending it there.'
    ]);
  });

  test('an absolute URL on another Azure DevOps host is sent where it is written when any host serves the API', () => {
    const { operations, lines } = check('- url: https://vssps.dev.azure.com/contoso/_apis/projects');
    expect(operations[0]?.url).toBe('https://vssps.dev.azure.com/contoso/_apis/projects');
    expect(lines).toEqual([]);
  });

  test('HEAD is matched as GET', () => {
    expect(check('- url: _apis/projects\n  method: HEAD').operations[0]?.method).toBe('HEAD');
  });
});

describe('pre-flight: what is not checked', () => {
  test.each([
    ['another host', 'https://collector.example/_apis/x', 'collector.example is not an Azure DevOps host'],
    ['a URL that starts with a template', '{{ results.a.url }}/_apis/x', 'the URL starts with a template'],
    ['a path without _apis', '_test/items', 'not an Azure DevOps REST path: it has no _apis segment']
  ])('%s: logged and sent as written', (_, url, reason) => {
    const yaml = url.startsWith('{{') ? `- name: a\n  url: _test/a\n- url: "${url}"` : `- url: "${url}"`;
    const { operations, lines } = check(yaml);
    expect(operations.at(-1)?.url).toBe(url);
    expect(operations.at(-1)?.apiVersion).toBeUndefined();
    expect(lines.at(-1)).toBe(
      `operation ${operations.length}: not checked against Microsoft's published Azure DevOps REST 7.1 specifications (${reason}); sent as written.`
    );
  });

  test('a misspelt _apis segment is still checked', () => {
    expect(refusal('- url: MyProject/_api/git/repositories')).toContain('{project}/_apis/git/repositories');
  });

  test('unchecked: true sends an API newer than the index as written', () => {
    const { operations, lines } = check('- name: fresh\n  url: _apis/brandnew/things\n  unchecked: true');
    expect(operations[0]?.url).toBe('_apis/brandnew/things');
    expect(operations[0]?.apiVersion).toBeUndefined();
    expect(lines).toEqual([
      "operation 1 ('fresh'): unchecked: true, so GET _apis/brandnew/things is sent as written, without checking it against Microsoft's published Azure DevOps REST 7.1 specifications."
    ]);
  });

  test('unchecked must be true or false', () => {
    expect(() => parseOperations('- url: x\n  unchecked: yes please', 'ops', ORG)).toThrow(
      "ops, operation 1, field 'unchecked': 'yes please' must be true or false."
    );
  });
});

describe('pre-flight: routing to the host that serves the API', () => {
  test('a relative URL of a release API goes to vsrm.dev.azure.com for the organization, logged', () => {
    const { operations, lines } = check('- name: rel\n  url: "MyProject/_apis/release/releases?$top=5"');
    expect(operations[0]?.url).toBe(
      'https://vsrm.dev.azure.com/contoso/MyProject/_apis/release/releases?$top=5'
    );
    expect(lines).toEqual([
      "operation 1 ('rel'): MyProject/_apis/release/releases is served by vsrm.dev.azure.com; sending it there."
    ]);
  });

  test('checked once: operations already checked (when read) keep their routed URL and log the same lines at the run', () => {
    const { operations, lines } = check('- name: rel\n  url: "MyProject/_apis/release/releases"');
    const again: string[] = [];
    const rerun = preflightOperations(operations, { organization: ORG, info: (line) => again.push(line) });
    expect(rerun[0]).toBe(operations[0]);
    expect(rerun[0]?.url).toBe('https://vsrm.dev.azure.com/contoso/MyProject/_apis/release/releases');
    expect(again).toEqual(lines);
    expect(again).toHaveLength(1);
  });

  test('templates travel with the routed URL; a legacy organization URL routes to the same host', () => {
    const org = { name: 'contoso', url: 'https://contoso.visualstudio.com' };
    const { operations } = check('- url: "{{ organization.url }}/_apis/packaging/feeds"', org);
    expect(operations[0]?.url).toBe('https://feeds.dev.azure.com/contoso/_apis/packaging/feeds');
  });

  test('a loopback organization (the emulator) keeps the request, and says so', () => {
    const { operations, lines } = check('- name: rel\n  url: MyProject/_apis/release/releases', LOOPBACK);
    expect(operations[0]?.url).toBe('MyProject/_apis/release/releases');
    expect(lines).toEqual([
      "operation 1 ('rel'): MyProject/_apis/release/releases is served by vsrm.dev.azure.com; the organization URL is on loopback (an emulator), so it stays at https://127.0.0.1:8443/contoso."
    ]);
  });

  test('the organization URL on a loopback origin is matched as dev.azure.com/{organization}', () => {
    expect(
      refusal('- url: https://127.0.0.1:8443/contoso/MyProject/_apis/git/repositorys', LOOPBACK)
    ).toContain("field 'url': GET https://127.0.0.1:8443/contoso/MyProject/_apis/git/repositorys is not");
  });
});

describe('pre-flight: api-version, query, body, content type', () => {
  test('an omitted api-version becomes the route’s, preview included; a given one is kept', () => {
    const { operations } = check('- url: _apis/teams\n- url: _apis/teams\n  api-version: "7.1-preview.2"');
    expect(operations.map((o) => o.apiVersion)).toEqual(['7.1-preview.3', '7.1-preview.2']);
  });

  test('a preview route refuses a version without -preview, naming the one to use', () => {
    expect(refusal('- name: teams\n  url: _apis/teams\n  api-version: "7.1"')).toBe(
      `operation 1 ('teams'), field 'api-version': '7.1' cannot call GET _apis/teams: the route is a preview API (7.1-preview.3 in Microsoft's published Azure DevOps REST 7.1 specifications) and Azure DevOps refuses it without -preview. Set api-version: "7.1-preview.3".`
    );
    expect(refusal('- url: "_apis/teams?api-version=7.0"')).toContain("'7.0' cannot call GET _apis/teams");
    expect(refusal('- url: _apis/teams\n  query: { api-version: "7.1" }')).toContain(
      'Set api-version: "7.1-preview.3"'
    );
  });

  test('required query parameters: in query or in the URL', () => {
    const url = 'MyProject/MyTeam/_apis/work/boards/boardparents';
    expect(refusal(`- url: ${url}\n  query: { workitemIds: 1 }`)).toBe(
      `operation 1, field 'query': GET ${url} requires the query parameter 'childBacklogContextCategoryRefName' (Microsoft's published Azure DevOps REST 7.1 specifications). Add it under query:, such as query: { childBacklogContextCategoryRefName: … }.`
    );
    expect(() =>
      check(`- url: "${url}?workitemIds=1"\n  query: { childBacklogContextCategoryRefName: x }`)
    ).not.toThrow();
  });

  test('a route that takes a body refuses an operation without one', () => {
    expect(refusal('- url: MyProject/_apis/git/repositories\n  method: POST')).toBe(
      "operation 1, field 'body': POST MyProject/_apis/git/repositories requires a request body (Microsoft's published Azure DevOps REST 7.1 specifications). Add body: with the JSON the API takes."
    );
  });

  test('content type: the route’s own when not given, refused when the route does not take it', () => {
    const patch = '- url: MyProject/_apis/wit/workitems/5\n  method: PATCH\n  body: []';
    expect(check(patch).operations[0]?.contentType).toBe('application/json-patch+json');
    expect(refusal(`${patch}\n  content-type: application/json`)).toBe(
      "operation 1, field 'content-type': 'application/json' is not a content type PATCH MyProject/_apis/wit/workitems/5 takes: it takes application/json-patch+json (Microsoft's published Azure DevOps REST 7.1 specifications). Set content-type: application/json-patch+json."
    );
    expect(refusal(`${patch}\n  headers: { Content-Type: text/plain }`)).toContain(
      "field 'headers': 'text/plain'"
    );
    expect(
      check(`${patch}\n  content-type: "application/json-patch+json; charset=utf-8"`).operations
    ).toHaveLength(1);
    expect(
      check('- url: _apis/projects\n  method: POST\n  body: {}').operations[0]?.contentType
    ).toBeUndefined();
  });
});
