import { createOidcTokenCache, type OidcTokenInfo } from '../../../../src/core/auth/oidc.js';
import { rejectionOf } from '../../fakes.js';

const START = 1_800_000_000_000;

function info(expiresAt: number | undefined, subject = 'sub'): OidcTokenInfo {
  return { issuer: 'iss', subject, audience: 'aud', expiresAt };
}

/** A fetch that hands out token-1, token-2, … each valid for `lifetimeMs` from the clock's time. */
function createFetch(clock: { now: number }, lifetimeMs: number | undefined) {
  let count = 0;
  const fetch = (): Promise<{ token: string; info: OidcTokenInfo }> => {
    count++;
    const expiresAt = lifetimeMs === undefined ? undefined : clock.now + lifetimeMs;
    return Promise.resolve({ token: `token-${count}`, info: info(expiresAt, `sub-${count}`) });
  };
  return { fetch, calls: () => count };
}

describe('createOidcTokenCache', () => {
  test('fetches once for two get() calls while the token is valid', async () => {
    const clock = { now: START };
    const { fetch, calls } = createFetch(clock, 5 * 60_000);
    const cache = createOidcTokenCache(fetch, () => clock.now);
    expect(await cache.get()).toBe('token-1');
    clock.now += 3 * 60_000;
    expect(await cache.get()).toBe('token-1');
    expect(calls()).toBe(1);
  });

  test('fetches a new token once the old one is within the margin of expiry', async () => {
    const clock = { now: START };
    const { fetch, calls } = createFetch(clock, 5 * 60_000);
    const cache = createOidcTokenCache(fetch, () => clock.now, 60_000);
    expect(await cache.get()).toBe('token-1');
    clock.now += 4 * 60_000 + 1;
    expect(await cache.get()).toBe('token-2');
    expect(calls()).toBe(2);
  });

  test('a token exactly at the margin of expiry is not reused', async () => {
    const clock = { now: START };
    const { fetch, calls } = createFetch(clock, 5 * 60_000);
    const cache = createOidcTokenCache(fetch, () => clock.now, 60_000);
    await cache.get();
    clock.now += 4 * 60_000 - 1;
    expect(await cache.get()).toBe('token-1');
    clock.now += 1;
    expect(await cache.get()).toBe('token-2');
    expect(calls()).toBe(2);
  });

  test('fetches every time when the token does not say when it expires', async () => {
    const clock = { now: START };
    const { fetch, calls } = createFetch(clock, undefined);
    const cache = createOidcTokenCache(fetch, () => clock.now);
    await cache.get();
    expect(await cache.get()).toBe('token-2');
    expect(calls()).toBe(2);
  });

  test('concurrent get() calls share one fetch', async () => {
    let calls = 0;
    let release: (value: { token: string; info: OidcTokenInfo }) => void = () => undefined;
    const fetch = (): Promise<{ token: string; info: OidcTokenInfo }> => {
      calls++;
      return new Promise((resolve) => (release = resolve));
    };
    const cache = createOidcTokenCache(fetch, () => START);
    const both = Promise.all([cache.get(), cache.get()]);
    release({ token: 'shared', info: info(START + 600_000) });
    expect(await both).toEqual(['shared', 'shared']);
    expect(calls).toBe(1);
  });

  test('last() is undefined before the first fetch, then the info of the latest token', async () => {
    const clock = { now: START };
    const { fetch } = createFetch(clock, 30_000);
    const cache = createOidcTokenCache(fetch, () => clock.now);
    expect(cache.last()).toBeUndefined();
    await cache.get();
    expect(cache.last()).toEqual(info(START + 30_000, 'sub-1'));
    await cache.get();
    expect(cache.last()?.subject).toBe('sub-2');
  });

  test('a failed fetch is not cached: the next get() tries again', async () => {
    let calls = 0;
    const fetch = (): Promise<{ token: string; info: OidcTokenInfo }> => {
      calls++;
      return calls === 1
        ? Promise.reject(new Error('endpoint down'))
        : Promise.resolve({ token: 'second', info: info(START + 600_000) });
    };
    const cache = createOidcTokenCache(fetch, () => START);
    expect((await rejectionOf(cache.get())).message).toBe('endpoint down');
    expect(await cache.get()).toBe('second');
    expect(calls).toBe(2);
  });
});
