import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InputError } from '../../../../src/core/errors.js';
import { OperationFormatError } from '../../../../src/core/operations/model.js';
import { readOperations } from '../../../../src/core/operations/source.js';
import { ORG } from '../../devops-fakes.js';
import { thrownBy } from '../../fakes.js';

let base = '';

beforeAll(() => {
  base = mkdtempSync(join(tmpdir(), 'operations-source-'));
  mkdirSync(join(base, 'ci'));
  writeFileSync(join(base, 'ci', 'ops.yml'), '- name: projects\n  url: _apis/projects\n');
  writeFileSync(join(base, 'ops.json'), '[{"name": "me", "url": "_apis/projects", "method": "get"}]');
  writeFileSync(join(base, 'bad.yml'), '- name: a\n  url: x\n  metod: GET\n');
});

afterAll(() => rmSync(base, { recursive: true, force: true }));

const read = (inline: string, file: string, baseDir = base) =>
  readOperations({
    inline: { name: 'operations', value: inline },
    file: { name: 'operations-file', value: file },
    baseDir,
    organization: ORG,
    allowedHosts: ['ops.contoso.example']
  });

function thrownByRead(fn: () => unknown): Error {
  try {
    fn();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a throw');
}

describe('readOperations', () => {
  test('neither input set means no operations; blank values count as not set', () => {
    expect(read('', '')).toBeUndefined();
    expect(read('  \n ', '   ')).toBeUndefined();
  });

  test('inline operations are parsed and messages name the input', () => {
    expect(read('- url: _apis/projects', '')?.map((o) => o.url)).toEqual(['_apis/projects']);
    const error = thrownBy(() => read('- url: x\n  methd: GET', ''));
    expect(error).toBeInstanceOf(OperationFormatError);
    expect(error.message).toMatch(/^Input 'operations', operation 1, field 'methd': unknown field\./);
  });

  test('a file is read relative to baseDir, or from an absolute path; JSON files work', () => {
    expect(read('', 'ci/ops.yml')?.map((o) => o.name)).toEqual(['projects']);
    expect(read('', ` ${join(base, 'ci', 'ops.yml')} `)?.map((o) => o.name)).toEqual(['projects']);
    expect(read('', 'ops.json')?.map((o) => [o.name, o.method])).toEqual([['me', 'GET']]);
  });

  test('mistakes in a file name the file', () => {
    expect(thrownBy(() => read('', 'bad.yml')).message).toMatch(
      /^The operations file bad\.yml, operation 1 \('a'\), field 'metod': unknown field\./
    );
  });

  test('a directory means not set (Azure Pipelines fills an empty filePath input with it)', () => {
    expect(read('', base)).toBeUndefined();
    expect(read('', 'ci')).toBeUndefined();
    expect(read('', '.')).toBeUndefined();
    expect(read('- url: _apis/projects', base)?.map((o) => o.url)).toEqual(['_apis/projects']);
  });

  test('both inputs set is an error naming both', () => {
    const error = thrownBy(() => read('- url: x', 'ci/ops.yml'));
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).input).toBe('operations-file');
    expect(error.message).toBe(
      "Inputs 'operations' and 'operations-file' are both set. Give the operations in one of them."
    );
  });

  test('an unreadable file names the input, the path and where relative paths start', () => {
    const error = thrownBy(() => read('', 'missing/ops.yml'));
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).input).toBe('operations-file');
    expect(error.message).toBe(
      `Input 'operations-file' is 'missing/ops.yml', but ${join(base, 'missing', 'ops.yml')} cannot be read (ENOENT). Give a path relative to ${base}, and check out the repository before this step.`
    );
  });

  test('a literal absolute URL on a host the token may not go to fails with the document, naming the host', () => {
    const error = thrownByRead(() => read('- url: https://collector.example/upload\n', ''));
    expect(error.message).toContain(
      "Input 'operations', operation 1, field 'url': Refused to send the token to collector.example: it is not an allowed host"
    );
    expect(read('- name: ok\n  url: https://ops.contoso.example/x\n', '')?.[0]?.name).toBe('ok');
    expect(thrownByRead(() => read('- url: "https://exa mple.com/x"\n', '')).message).toContain(
      'is not a valid URL'
    );
    // A relative URL is never checked here, even with a URL in its query.
    expect(read('- name: rel\n  url: "_test/x?to=https://collector.example"\n', '')?.[0]?.name).toBe('rel');
    writeFileSync(join(base, 'leak.yml'), '- url: https://collector.example/upload\n');
    expect(thrownByRead(() => read('', 'leak.yml')).message).toMatch(
      /^The operations file leak\.yml, operation 1, field 'url': Refused to send the token to collector\.example/
    );
  });
});
