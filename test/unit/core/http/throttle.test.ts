import { createThrottle } from '../../../../src/core/http/throttle.js';
import { createRecordingLogger } from '../../fakes.js';

/** A clock moved by hand; a sleep ends when the clock passes its end. */
function setup() {
  let time = 50_000;
  const delays: number[] = [];
  let pending: { until: number; release: () => void }[] = [];
  const logger = createRecordingLogger();
  const sleep = (ms: number): Promise<void> => {
    delays.push(ms);
    return new Promise((resolve) => pending.push({ until: time + ms, release: resolve }));
  };
  const throttle = createThrottle(logger, sleep, () => time);
  const flush = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
  const advance = async (ms: number): Promise<void> => {
    time += ms;
    const due = pending.filter((p) => p.until <= time);
    pending = pending.filter((p) => p.until > time);
    for (const p of due) p.release();
    await flush();
  };
  return { throttle, delays, logger, advance, flush };
}

describe('createThrottle', () => {
  test('without a pause, wait resolves at once and nothing is counted', async () => {
    const { throttle, delays } = setup();
    await throttle.wait();
    expect(delays).toEqual([]);
    expect(throttle.waitedMs).toBe(0);
  });

  test('a pause holds waiters for exactly its length and says why', async () => {
    const { throttle, delays, logger, advance } = setup();
    throttle.pause(2500, 'GET https://dev.azure.com/x answered 429 (Retry-After 2.5)');
    let done = false;
    const waiting = throttle.wait().then(() => (done = true));
    await advance(0);
    expect([delays, done]).toEqual([[2500], false]);
    await advance(2500);
    await waiting;
    expect(done).toBe(true);
    expect(throttle.waitedMs).toBe(2500);
    expect(logger.lines).toEqual([
      'info: GET https://dev.azure.com/x answered 429 (Retry-After 2.5): holding requests for 2.5 s.'
    ]);
  });

  test('a shorter pause does not shorten one in force, and is not logged', async () => {
    const { throttle, delays, logger, advance } = setup();
    throttle.pause(5000, 'long');
    await advance(1000);
    throttle.pause(1000, 'short');
    const waiting = throttle.wait();
    await advance(0);
    expect(delays).toEqual([4000]);
    await advance(4000);
    await waiting;
    expect(throttle.waitedMs).toBe(4000);
    expect(logger.lines).toEqual(['info: long: holding requests for 5.0 s.']);
  });

  test('a pause ending exactly when the one in force ends changes nothing and is not logged again', async () => {
    const { throttle, logger, advance } = setup();
    throttle.pause(3000, 'first');
    await advance(1000);
    throttle.pause(2000, 'same end');
    expect(logger.lines).toEqual(['info: first: holding requests for 3.0 s.']);
  });

  test('a longer pause extends the one in force; waiters sleep again for the rest', async () => {
    const { throttle, delays, advance } = setup();
    throttle.pause(1000, 'first');
    const waiting = throttle.wait();
    await advance(0);
    await advance(600);
    throttle.pause(2000, 'second');
    await advance(400);
    expect(delays).toEqual([1000, 1600]);
    await advance(1600);
    await waiting;
    // 1000 ms of the first pause, then 1600 ms more: the overlap is counted once.
    expect(throttle.waitedMs).toBe(2600);
  });

  test('concurrent waiters are held together and the time is counted once', async () => {
    const { throttle, delays, advance } = setup();
    throttle.pause(3000, 'rate limit');
    const waiters = [throttle.wait(), throttle.wait(), throttle.wait()];
    await advance(0);
    expect(delays).toEqual([3000, 3000, 3000]);
    await advance(3000);
    await Promise.all(waiters);
    expect(throttle.waitedMs).toBe(3000);
  });

  test('separate pauses that requests wait through add up', async () => {
    const { throttle, advance } = setup();
    throttle.pause(1000, 'a');
    const first = throttle.wait();
    await advance(1000);
    await first;
    await advance(5000);
    throttle.pause(2000, 'b');
    const second = throttle.wait();
    await advance(2000);
    await second;
    expect(throttle.waitedMs).toBe(3000);
  });
});
