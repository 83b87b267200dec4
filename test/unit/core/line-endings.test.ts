import { afterAll, describe, expect, test } from '@jest/globals';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readTokenFile } from '../../../src/core/auth/oidc.js';
import { parseAllowedHosts } from '../../../src/core/devops/host-policy.js';
import { parseFeeds } from '../../../src/core/job-credentials/feeds.js';
import { parseOperations } from '../../../src/core/operations/parse.js';
import { readOperations } from '../../../src/core/operations/source.js';
import { ORG } from '../devops-fakes.js';

// Files and inputs written on Windows: CRLF line ends, and often a UTF-8 byte order mark at the start.
const BOM = '\uFEFF';
const dir = mkdtempSync(join(tmpdir(), 'line-endings-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const OPERATIONS = [
  '- name: projects',
  '  url: _apis/projects',
  '- name: wiql',
  '  method: POST',
  '  url: Fabrikam/_apis/wit/wiql',
  '  body: |',
  '    Select [System.Id]',
  '    From WorkItems'
];

const read = (inline: string, file: string) =>
  readOperations({
    inline: { name: 'operations', value: inline },
    file: { name: 'operations-file', value: file },
    baseDir: dir,
    organization: ORG,
    allowedHosts: []
  });

describe('operations written on Windows', () => {
  const expected = (operations: ReturnType<typeof read>) => {
    expect(operations?.map((o) => [o.name, o.method, o.url])).toEqual([
      ['projects', 'GET', expect.stringMatching(/_apis\/projects$/)],
      ['wiql', 'POST', expect.stringMatching(/_apis\/wit\/wiql$/)]
    ]);
    // A multi-line value has no CR left: YAML turns each line break into \n.
    expect(JSON.stringify(operations?.[1]?.body)).not.toContain('\\r');
  };

  test('inline CRLF text (the action or task input), with and without a BOM', () => {
    expected(read(OPERATIONS.join('\r\n'), ''));
    expected(read(`${BOM}${OPERATIONS.join('\r\n')}\r\n`, ''));
    expect(parseOperations(`${BOM}${OPERATIONS.join('\r\n')}`, 'x', ORG)).toHaveLength(2);
  });

  test('an operations file (also the CLI --operations-file) with CRLF and a BOM', () => {
    writeFileSync(join(dir, 'ops.yml'), `${BOM}${OPERATIONS.join('\r\n')}\r\n`);
    expected(read('', 'ops.yml'));
    writeFileSync(join(dir, 'ops.json'), `${BOM}[{"name": "me",\r\n "url": "_apis/projects"}]\r\n`);
    expect(read('', 'ops.json')?.map((o) => o.name)).toEqual(['me']);
  });
});

describe('multi-line inputs with CRLF', () => {
  test('feeds: no trailing CR in a URL', () => {
    const npm = 'https://pkgs.dev.azure.com/contoso/_packaging/release/npm/registry/';
    const pypi = 'https://pkgs.dev.azure.com/contoso/_packaging/release/pypi/simple/';
    expect(parseFeeds({ name: 'feeds', value: `${npm}\r\n${pypi}\r\n` }).map((f) => f.url)).toEqual([
      npm,
      pypi
    ]);
  });

  test('allowed hosts: no trailing CR in a host name', () => {
    expect(
      parseAllowedHosts({ name: 'allowed-hosts', value: 'vsrm.contoso.example\r\n*.contoso.example\r\n' })
    ).toEqual(['vsrm.contoso.example', '*.contoso.example']);
  });
});

describe('a federated token file written on Windows', () => {
  test.each([
    ['CRLF at the end', 'eyJ.header.sig\r\n'],
    ['a BOM and CRLF', `${BOM}eyJ.header.sig\r\n`],
    ['a BOM only', `${BOM}eyJ.header.sig`]
  ])('%s: the token is read without them (Entra would refuse them)', (_label, content) => {
    const file = join(dir, 'token');
    writeFileSync(file, content);
    expect(readTokenFile({ path: file, input: '--federated-token-file' })).toBe('eyJ.header.sig');
  });
});
