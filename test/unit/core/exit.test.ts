import { afterEach, beforeEach, describe, expect, jest, test } from '@jest/globals';
import { exitWhenFlushed } from '../../../src/core/exit.js';

type WriteCallback = (error?: Error | null) => void;
type StreamName = 'stdout' | 'stderr';

/** Lets every pending promise callback run. */
const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

interface Write {
  stream: StreamName;
  chunk: unknown;
  callback: WriteCallback | undefined;
}

describe('exitWhenFlushed', () => {
  let exit: jest.SpiedFunction<typeof process.exit>;
  let writes: Write[];
  const saved = {
    stdout: Object.getOwnPropertyDescriptor(process, 'stdout'),
    stderr: Object.getOwnPropertyDescriptor(process, 'stderr')
  };

  /**
   * Puts a stand-in for process.stdout or process.stderr whose writes are recorded and call back only when the
   * test says so (a pipe that has not drained yet).
   */
  function fakeStream(name: StreamName, state: { destroyed?: boolean; writable?: boolean } = {}): void {
    const stream = {
      destroyed: state.destroyed ?? false,
      writable: state.writable ?? true,
      write(chunk: unknown, callback?: WriteCallback): boolean {
        writes.push({ stream: name, chunk, callback });
        return true;
      }
    };
    Object.defineProperty(process, name, { configurable: true, enumerable: true, get: () => stream });
  }

  beforeEach(() => {
    writes = [];
    exit = jest.spyOn(process, 'exit').mockImplementation((() => undefined) as typeof process.exit);
  });
  afterEach(() => {
    for (const name of ['stdout', 'stderr'] as const) {
      const descriptor = saved[name];
      if (descriptor) Object.defineProperty(process, name, descriptor);
    }
    jest.restoreAllMocks();
  });

  test('exits with the code given, once stdout and stderr have flushed', async () => {
    fakeStream('stdout');
    fakeStream('stderr');
    const done = exitWhenFlushed(3);
    // An empty write to each: its callback runs once everything written before it has left.
    expect(writes.map((w) => [w.stream, w.chunk])).toEqual([
      ['stdout', ''],
      ['stderr', '']
    ]);
    await settle();
    expect(exit).not.toHaveBeenCalled();
    writes[0]?.callback?.();
    await settle();
    // stdout has flushed, stderr has not: still waiting.
    expect(exit).not.toHaveBeenCalled();
    writes[1]?.callback?.();
    await done;
    expect(exit.mock.calls).toEqual([[3]]);
  });

  test('the order of the flushes does not matter', async () => {
    fakeStream('stdout');
    fakeStream('stderr');
    const done = exitWhenFlushed(1);
    writes[1]?.callback?.();
    await settle();
    expect(exit).not.toHaveBeenCalled();
    writes[0]?.callback?.();
    await done;
    expect(exit.mock.calls).toEqual([[1]]);
  });

  test('code 0 is passed on as 0', async () => {
    fakeStream('stdout');
    fakeStream('stderr');
    const done = exitWhenFlushed(0);
    for (const write of writes) write.callback?.();
    await done;
    expect(exit.mock.calls).toEqual([[0]]);
  });

  // process.exit(undefined) resets process.exitCode, so a step that had failed would exit 0.
  test('without a code, process.exit gets no argument at all, so process.exitCode stands', async () => {
    fakeStream('stdout');
    fakeStream('stderr');
    const done = exitWhenFlushed();
    for (const write of writes) write.callback?.();
    await done;
    expect(exit).toHaveBeenCalledTimes(1);
    expect(exit.mock.calls[0]).toHaveLength(0);
  });

  test.each<[string, { destroyed: boolean; writable: boolean }]>([
    ['destroyed', { destroyed: true, writable: true }],
    ['no longer writable', { destroyed: false, writable: false }],
    ['destroyed and not writable', { destroyed: true, writable: false }]
  ])('a stdout that is %s is not waited for (nothing can flush it)', async (_, state) => {
    // A write to it would never call back: if it were waited for, the exit would never come.
    fakeStream('stdout', state);
    fakeStream('stderr');
    const done = exitWhenFlushed(2);
    expect(writes.map((w) => w.stream)).toEqual(['stderr']);
    await settle();
    expect(exit).not.toHaveBeenCalled();
    writes[0]?.callback?.();
    await done;
    expect(exit.mock.calls).toEqual([[2]]);
  });

  test('neither stream writable: exits at once, writing nothing', async () => {
    fakeStream('stdout', { writable: false });
    fakeStream('stderr', { destroyed: true });
    await exitWhenFlushed(4);
    expect(writes).toEqual([]);
    expect(exit.mock.calls).toEqual([[4]]);
  });
});
