import { describe, expect, it } from 'vitest';
import { MemoryRefreshStore, type RotatedTokens } from './store';

const tokens = (n: number): RotatedTokens => ({
  accessToken: `at${n}`,
  refreshToken: `rt${n}`,
  expiresAt: 0,
});

describe('MemoryRefreshStore', () => {
  it('lets one caller at a time spend a token', async () => {
    const store = new MemoryRefreshStore();
    const lease = await store.acquire('k', 1_000);
    expect(lease).toEqual(expect.any(String));
    expect(await store.acquire('k', 1_000)).toBeNull();
    await store.release('k', lease!);
    expect(await store.acquire('k', 1_000)).toEqual(expect.any(String));
  });

  it('wakes waiters with the result, and keeps it only for keepMs', async () => {
    const store = new MemoryRefreshStore();
    const lease = (await store.acquire('k', 1_000))!;
    const waiting = store.wait('k', 5_000).then(() => store.result('k'));
    await store.resolve('k', lease, tokens(1), 50);
    expect(await waiting).toEqual(tokens(1));
    await new Promise((r) => setTimeout(r, 80));
    expect(await store.result('k')).toBeUndefined();
  });

  it('keeps nothing for a failure, and wakes waiters so they can try themselves', async () => {
    const store = new MemoryRefreshStore();
    const lease = (await store.acquire('k', 1_000))!;
    const waiting = store.wait('k', 5_000);
    await store.release('k', lease);
    await waiting;
    expect(await store.result('k')).toBeUndefined();
    expect(store.size).toBe(0);
  });

  it('ignores a lease it did not hand out', async () => {
    const store = new MemoryRefreshStore();
    await store.acquire('k', 1_000);
    await store.resolve('k', 'not-the-lease', tokens(1), 1_000);
    await store.release('k', 'not-the-lease');
    expect(await store.result('k')).toBeUndefined();
    expect(await store.acquire('k', 1_000)).toBeNull();
  });

  it('frees the lock of a holder that died after ttlMs, and a wait never outlasts it', async () => {
    const store = new MemoryRefreshStore();
    await store.acquire('k', 40);
    const started = Date.now();
    await store.wait('k', 5_000);
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(await store.acquire('k', 40)).toEqual(expect.any(String));
  });

  it('stays bounded under a flood of distinct tokens, dropping the oldest results first', async () => {
    const store = new MemoryRefreshStore({ maxEntries: 3 });
    for (let i = 0; i < 10; i++) {
      const lease = (await store.acquire(`k${i}`, 1_000))!;
      await store.resolve(`k${i}`, lease, tokens(i), 60_000);
    }
    expect(store.size).toBeLessThanOrEqual(3);
    expect(await store.result('k9')).toEqual(tokens(9));
    expect(await store.result('k0')).toBeUndefined();
  });

  it('denies a signed-out session until its expiry, and only that session', async () => {
    const store = new MemoryRefreshStore();
    await store.deny('s1', Date.now() + 60);
    expect(await store.isDenied('s1')).toBe(true);
    expect(await store.isDenied('s2')).toBe(false);
    await new Promise((r) => setTimeout(r, 90));
    expect(await store.isDenied('s1')).toBe(false);
    // A record already past its expiry is not kept at all.
    await store.deny('s3', Date.now() - 1);
    expect(await store.isDenied('s3')).toBe(false);
  });

  it('keeps the newest deny records under a flood of sign-outs', async () => {
    const store = new MemoryRefreshStore({ maxEntries: 2 });
    for (let i = 0; i < 50; i++) await store.deny(`s${i}`, Date.now() + 60_000);
    expect(await store.isDenied('s49')).toBe(true);
    expect(await store.isDenied('s0')).toBe(false);
  });
});
