import { describe, expect, test } from '@jest/globals';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { writeHelperState } from '../../../src/core/credentials/state.js';
import { run } from '../../../src/credential/main.js';

function capture(): { stream: Writable; text: () => string } {
  let text = '';
  return {
    stream: new Writable({ write: (chunk: Buffer, _e, done) => ((text += chunk.toString()), done()) }),
    text: () => text
  };
}

async function helper(args: string[]): Promise<{ out: string; err: string; code: number }> {
  const stdin = new PassThrough();
  stdin.end('protocol=https\nhost=dev.azure.com\n\n');
  const out = capture();
  const err = capture();
  const code = await run(args, stdin, out.stream, err.stream);
  return { out: out.text(), err: err.text(), code };
}

describe('git credential helper', () => {
  const state = join(mkdtempSync(join(tmpdir(), 'helper-')), 'state.json');

  test('get answers with the stored token while it is valid', async () => {
    writeHelperState(state, {
      token: 'stored-token-123',
      expiresOnTimestamp: Date.now() + 3_600_000,
      refresh: { kind: 'none' }
    });
    expect(await helper([state, 'get'])).toEqual({
      out: 'username=azure-devops\npassword=stored-token-123\n',
      err: '',
      code: 0
    });
  });

  test('store and erase are ignored', async () => {
    expect((await helper([state, 'store'])).out).toBe('');
    expect((await helper([state, 'erase'])).out).toBe('');
  });

  test('without its state file (removed at job end) it answers nothing, so git fails', async () => {
    expect(await helper([join(tmpdir(), 'no-such-dir', 'state.json'), 'get'])).toEqual({
      out: '',
      err: '',
      code: 0
    });
  });

  test('a token near expiry is still given when the job cannot mint a new one', async () => {
    writeHelperState(state, {
      token: 'old-token-456',
      expiresOnTimestamp: Date.now() + 1000,
      refresh: { kind: 'none' }
    });
    expect((await helper([state, 'get'])).out).toBe('username=azure-devops\npassword=old-token-456\n');
  });
});
