import { describe, expect, test } from '@jest/globals';
import { OperationSecretError } from '../../../../src/core/operations/model.js';
import { isHiddenVariable } from '../../../../src/core/operations/template-env.js';
import { createRunHarness, ok } from '../../devops-fakes.js';
import { rejectionOf } from '../../fakes.js';

const TOKEN = 'eyJ0eXAiOiJKV1QifQ.access-token-payload.signature-part';

describe('runOperations: templates cannot read credentials from the environment', () => {
  // Regression (fixed): only TOKEN/SECRET/PASSWORD/CREDENTIAL names were hidden, so a PAT, a storage key, a
  // connection string or a feed URL with the token in it (PIP_INDEX_URL) rendered into requests and results.
  test('names of PATs, keys and connection strings, feed variables and values with credentials are hidden', async () => {
    const env = {
      BUILD_BUILDID: '42',
      HOME: '/home/runner',
      PWD: '/home/runner/work',
      AUTHOR_NAME: 'Ada',
      KEYVAULT_NAME: 'contoso-kv',
      SERVICE_URL: 'https://dev.azure.com/contoso',
      ADO_PAT: 'x',
      DB_PWD: 'x',
      PAT: 'x',
      AZURE_STORAGE_KEY: 'x',
      NUGET_APIKEY: 'x',
      SQL_CONNECTION_STRING: 'x',
      SERVICEBUS_CONNECTIONSTRING: 'x',
      BASIC_AUTH: 'x',
      STORAGE_SAS: 'x',
      SECUREFILE_PATH_1: 'x',
      VSS_NUGET_EXTERNAL_FEED_ENDPOINTS: '{"endpointCredentials":[]}',
      PIP_INDEX_URL: 'https://pkgs.example/simple/',
      PIP_EXTRA_INDEX_URL: 'https://pkgs.example/simple/',
      MIRROR: 'https://build:abc@pkgs.dev.azure.com/contoso/_packaging/f/pypi/simple/',
      MIRRORS: 'https://a.example/ https://u@b.example/',
      HTTPS_PROXY: 'build:pw@proxy.internal:3128',
      DB: 'Server=db;Database=app;User Id=sa;Password=x;',
      STORAGE: 'DefaultEndpointsProtocol=https;AccountName=a;AccountKey=x'
    };
    const h = createRunHarness(() => ok({}), env);
    await h.run('- url: x\n  method: POST\n  body: "{{ env }}"');
    expect(JSON.parse(h.client.sent[0]?.body ?? '')).toEqual({
      BUILD_BUILDID: '42',
      HOME: '/home/runner',
      PWD: '/home/runner/work',
      AUTHOR_NAME: 'Ada',
      KEYVAULT_NAME: 'contoso-kv',
      SERVICE_URL: 'https://dev.azure.com/contoso'
    });
  });

  test.each([
    ['GIT_SSH_COMMAND', 'ssh -i key', false],
    ['REPO', 'git@github.com:contoso/app.git', false],
    ['NO_PROXY', 'localhost,127.0.0.1', false],
    ['SITE', 'https://user:pw@example.com', true],
    ['LIST', 'ftp://anonymous@ftp.example', true]
  ])('isHiddenVariable(%j, %j) is %j', (name, value, hidden) => {
    expect(isHiddenVariable(name, value)).toBe(hidden);
  });
});

describe('runOperations: a rendered value that holds a secret of the run is refused', () => {
  // Regression (fixed): on GitHub, exportVariable put the token in process.env before operations ran, so
  // {{ env.ADO_TOKEN }} (any name) sent the token to wherever the template pointed.
  test.each([
    ['url', '- url: "_test/x/{{ env.ADO }}"'],
    ['query', '- url: _test/x\n  query: { q: "{{ env.ADO }}" }'],
    ['headers', '- url: _test/x\n  headers: { X-Token: "Bearer {{ env.ADO }}" }'],
    ['body', '- url: _test/x\n  method: POST\n  body: { note: "token {{ env.ADO }}" }'],
    ['body', '- url: _test/x\n  method: POST\n  body: "{{ env.ADO }}"']
  ])(
    'in the %s: an error names the operation and field, never the value, and nothing is sent',
    async (field, yaml) => {
      const h = createRunHarness(() => ok({}), { ADO: TOKEN });
      h.guard.mask(TOKEN);
      const error = await rejectionOf(
        h.run(`- name: first\n  url: _test/ok\n${yaml.replace('- url', '- name: leak\n  url')}`)
      );
      expect(error).toBeInstanceOf(OperationSecretError);
      expect(error.message).toMatch(
        new RegExp(
          `^operation 2 \\('leak'\\), field '${field}': the rendered value contains a secret of this run`
        )
      );
      expect(error.message).not.toContain(TOKEN);
      expect(h.client.sent.map((r) => r.url)).toEqual([
        'https://dev.azure.com/contoso/_test/ok?api-version=7.1'
      ]);
      expect(h.platform.lines().join('\n')).not.toContain(TOKEN);
    }
  );

  test('a result that echoes the token cannot be carried into a later request either', async () => {
    const h = createRunHarness((_, n) => ok(n === 0 ? { echoed: TOKEN } : {}));
    h.guard.mask(TOKEN);
    const error = await rejectionOf(
      h.run(
        '- name: a\n  url: _test/a\n- url: _test/b\n  method: POST\n  body: { v: "{{ results.a.echoed }}" }'
      )
    );
    expect(error).toEqual(new OperationSecretError('operation 2', 'body'));
    expect(h.client.sent).toHaveLength(1);
  });

  test('values shorter than secrets, and values without one, are sent as rendered', async () => {
    const h = createRunHarness(() => ok({}), { SHORT: 'pw', BUILD: '42' });
    h.guard.maskKnown('pw');
    await h.run('- url: "_apis/{{ env.BUILD }}"\n  method: POST\n  body: { b: "{{ env.SHORT }}" }');
    expect(h.client.sent[0]?.body).toBe('{"b":"pw"}');
  });
});
