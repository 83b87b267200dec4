import { afterEach, beforeEach, describe, expect, jest, test } from '@jest/globals';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as workflow from '../../../src/github/workflow.js';

describe('the runner protocol (src/github/workflow.ts)', () => {
  let dir: string;
  let written: string[];
  const saved = { ...process.env };
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'workflow-'));
    for (const file of ['output', 'env', 'state']) writeFileSync(join(dir, file), '');
    process.env.GITHUB_OUTPUT = join(dir, 'output');
    process.env.GITHUB_ENV = join(dir, 'env');
    process.env.GITHUB_STATE = join(dir, 'state');
    written = [];
    jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    });
  });
  afterEach(() => {
    jest.restoreAllMocks();
    rmSync(dir, { recursive: true, force: true });
    process.env = { ...saved };
    process.exitCode = undefined;
  });

  test('inputs are INPUT_<NAME>, upper-cased with hyphens kept, spaces as underscores, trimmed', () => {
    process.env['INPUT_CLIENT-ID'] = '  abc \n';
    process.env.INPUT_SOME_NAME = 'x';
    expect(workflow.getInput('client-id')).toBe('abc');
    expect(workflow.getInput('some name')).toBe('x');
    expect(workflow.getInput('missing')).toBe('');
  });

  test('commands escape %, CR and LF so a message cannot start another command', () => {
    workflow.error('50% failed\r\n::add-mask::nope');
    workflow.setSecret('s3cr3t-value');
    workflow.debug('a\nb');
    workflow.info('plain line');
    expect(written).toEqual([
      '::error::50%25 failed%0D%0A::add-mask::nope\n',
      '::add-mask::s3cr3t-value\n',
      '::debug::a%0Ab\n',
      'plain line\n'
    ]);
  });

  test('outputs, variables and state are heredocs with a random delimiter; multi-line values survive', () => {
    workflow.setOutput('results', '{"a":1}\nsecond line');
    workflow.exportVariable('ADO_TOKEN', 'value');
    workflow.saveState('credentialsDir', '/tmp/x');
    const output = readFileSync(join(dir, 'output'), 'utf8');
    expect(output).toMatch(/^results<<(ghadelimiter_[0-9a-f-]{36})\n\{"a":1\}\nsecond line\n\1\n$/);
    expect(readFileSync(join(dir, 'env'), 'utf8')).toMatch(/^ADO_TOKEN<<ghadelimiter_[0-9a-f-]{36}\nvalue\n/);
    expect(process.env.ADO_TOKEN).toBe('value');
    expect(readFileSync(join(dir, 'state'), 'utf8')).toContain('credentialsDir<<');
  });

  test('a missing command file is a clear error, not a silent loss of the output', () => {
    delete process.env.GITHUB_OUTPUT;
    expect(() => workflow.setOutput('token', 'x')).toThrow('GITHUB_OUTPUT is not set to an existing file');
  });

  test('setFailed sets exit code 1 and prints the error; isDebug and getState read the runner variables', () => {
    workflow.setFailed('boom');
    expect(process.exitCode).toBe(1);
    expect(written).toEqual(['::error::boom\n']);
    process.env.RUNNER_DEBUG = '1';
    process.env.STATE_credentialsDir = '/tmp/y';
    expect(workflow.isDebug()).toBe(true);
    expect(workflow.getState('credentialsDir')).toBe('/tmp/y');
  });
});
