import { describe, expect, test } from '@jest/globals';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { writeHelperState, type CiPlatform } from '../../../src/core/job-credentials/state.js';
import { run } from '../../../src/git-credential-helper/main.js';

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

describe('a token the helper mints later in the job', () => {
  const state = join(mkdtempSync(join(tmpdir(), 'helper-mint-')), 'state.json');
  const FRESH = 'fresh-token-after-refresh-789';

  /** Runs `get` with a stored token near expiry and a fake mint; returns every write in order, by stream. */
  async function mintRun(
    platform: CiPlatform | undefined,
    env: NodeJS.ProcessEnv = {},
    fresh = FRESH
  ): Promise<string[]> {
    writeHelperState(state, {
      token: 'stored-token-near-expiry',
      expiresOnTimestamp: Date.now() + 1000,
      refresh: { kind: 'managed-identity', selector: undefined, scope: 'scope/.default' },
      ...(platform ? { platform } : {})
    });
    const events: string[] = [];
    const recorder = (name: string): Writable =>
      new Writable({
        write: (chunk: Buffer, _e, done) => (events.push(`${name}: ${chunk.toString()}`), done())
      });
    const stdin = new PassThrough();
    stdin.end('protocol=https\nhost=dev.azure.com\n\n');
    const mint = () => Promise.resolve({ token: fresh, expiresOnTimestamp: Date.now() + 3_600_000 });
    await run([state, 'get'], stdin, recorder('stdout'), recorder('stderr'), { mint, env });
    return events;
  }

  test.each<[CiPlatform, string]>([
    ['github', `::add-mask::${FRESH}\n`],
    ['azure-pipelines', `##vso[task.setsecret]${FRESH}\n`]
  ])('is registered with the %s masking on stderr before git gets it on stdout', async (platform, line) => {
    expect(await mintRun(platform)).toEqual([
      `stderr: ${line}`,
      `stdout: username=azure-devops\npassword=${FRESH}\n`
    ]);
  });

  test('when the state cannot be saved (a file held open on Windows), git still gets the fresh token', async () => {
    writeHelperState(state, {
      token: 'stored-token-near-expiry',
      expiresOnTimestamp: Date.now() + 1000,
      refresh: { kind: 'managed-identity', selector: undefined, scope: 'scope/.default' }
    });
    const stdin = new PassThrough();
    stdin.end('protocol=https\nhost=dev.azure.com\n\n');
    const out = capture();
    const err = capture();
    const mint = () => Promise.resolve({ token: FRESH, expiresOnTimestamp: Date.now() + 3_600_000 });
    const save = (): void => {
      throw Object.assign(new Error('EPERM: operation not permitted, rename'), { code: 'EPERM' });
    };
    expect(await run([state, 'get'], stdin, out.stream, err.stream, { mint, env: {}, save })).toBe(0);
    expect(out.text()).toBe(`username=azure-devops\npassword=${FRESH}\n`);
    expect(err.text()).toBe(
      'azure-devops-entra-token: could not save the new token for git (EPERM); the next git command gets another.\n'
    );
  });

  test.each([
    [{ GITHUB_ACTIONS: 'true' }, '::add-mask::'],
    [{ TF_BUILD: 'True' }, '##vso[task.setsecret]']
  ])(
    'a state file without the platform (older release) takes it from the environment %j',
    async (env, prefix) => {
      expect((await mintRun(undefined, env))[0]).toBe(`stderr: ${prefix}${FRESH}\n`);
    }
  );

  test('outside CI nothing but the credential is written', async () => {
    expect(await mintRun(undefined)).toEqual([`stdout: username=azure-devops\npassword=${FRESH}\n`]);
  });

  test('the mask command escapes what would end or change it', async () => {
    const events = await mintRun('azure-pipelines', {}, 'a%b');
    expect(events[0]).toBe('stderr: ##vso[task.setsecret]a%AZP25b\n');
    expect((await mintRun('github', {}, 'a%b'))[0]).toBe('stderr: ::add-mask::a%25b\n');
  });
});
