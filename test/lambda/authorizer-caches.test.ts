import { ThrottledJwksCache } from '../../lambda-src/authorizer/jwks-cache';
import { TokenCache } from '../../lambda-src/authorizer/token-cache';

describe('authorizer token cache', () => {
  test('entries expire at their own time, evaluated against the injected clock', () => {
    const clock = { now: 1000 };
    const cache = new TokenCache<{ v: string; expiresAt: number }>(10, () => clock.now);
    cache.set('a', { v: 'A', expiresAt: 2000 });
    expect(cache.get('a')?.v).toBe('A');
    clock.now = 2000;
    expect(cache.get('a')).toBeUndefined();
    cache.set('b', { v: 'B', expiresAt: 1500 });
    expect(cache.get('b')).toBeUndefined();
  });

  test('the least recently used entry is evicted first', () => {
    const cache = new TokenCache<{ v: number; expiresAt: number }>(2, () => 0);
    cache.set('a', { v: 1, expiresAt: 10 });
    cache.set('b', { v: 2, expiresAt: 10 });
    expect(cache.get('a')?.v).toBe(1);
    cache.set('c', { v: 3, expiresAt: 10 });
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')?.v).toBe(1);
    expect(cache.size).toBe(2);
  });

  test('a cache of size 0 stores nothing', () => {
    const cache = new TokenCache<{ v: number; expiresAt: number }>(0, () => 0);
    cache.set('a', { v: 1, expiresAt: 10 });
    expect(cache.get('a')).toBeUndefined();
  });
});

describe('authorizer JWKS cache', () => {
  const jwt = (kid: string) => ({ header: { alg: 'RS256', kid }, payload: {} });

  test('failed fetches count against the refetch interval, and concurrent misses share one fetch', async () => {
    const clock = { now: 0 };
    let calls = 0;
    const cache = new ThrottledJwksCache({
      minRefetchIntervalMs: 10_000,
      fetchTimeoutMs: 100,
      now: () => clock.now,
      fetcher: { fetch: async () => { calls++; throw new Error('connection refused'); } },
    });
    const results = await Promise.allSettled(Array.from({ length: 20 }, () => cache.getJwk('https://idp/jwks', jwt('k1'))));
    expect(results.every((r) => r.status === 'rejected')).toBe(true);
    expect(calls).toBe(1);
    await expect(cache.getJwk('https://idp/jwks', jwt('k2'))).rejects.toThrow(/fetched less than 10000 ms ago/);
    expect(calls).toBe(1);
    clock.now = 10_000;
    await expect(cache.getJwk('https://idp/jwks', jwt('k3'))).rejects.toThrow(/connection refused/);
    expect(calls).toBe(2);
    expect(cache.stats).toEqual({ fetches: 2, fetchErrors: 2 });
  });

  test('a fetched key is served from memory afterwards', async () => {
    let calls = 0;
    const body = new TextEncoder().encode(JSON.stringify({ keys: [{ kty: 'RSA', kid: 'k1', n: 'AQAB', e: 'AQAB', alg: 'RS256', use: 'sig' }] }));
    const cache = new ThrottledJwksCache({
      minRefetchIntervalMs: 10_000,
      fetchTimeoutMs: 100,
      fetcher: { fetch: async () => { calls++; return body.buffer as ArrayBuffer; } },
    });
    expect((await cache.getJwk('https://idp/jwks', jwt('k1'))).kid).toBe('k1');
    expect((await cache.getJwk('https://idp/jwks', jwt('k1'))).kid).toBe('k1');
    expect(calls).toBe(1);
  });
});
