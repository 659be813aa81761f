/** Strangers send any kid in unauthenticated POSTs: what that can make the install-key fetcher do is bounded. */
import { describe, expect, it } from 'vitest';
import { generateKeyPair, exportSPKI } from 'jose';
import { createInstallKeyFetcher } from '../../src/server/index.js';

const pem = await exportSPKI((await generateKeyPair('RS256', { extractable: true })).publicKey);

function keyServer(known: Record<string, string>) {
  const fetched: string[] = [];
  const fetchStub = (async (url: string) => {
    const kid = url.split('/').slice(3).join('/');
    fetched.push(kid);
    const key = known[kid];
    return key ? new Response(key, { status: 200 }) : new Response('no', { status: 404 });
  }) as unknown as typeof fetch;
  return { fetched, fetch: fetchStub };
}

describe('createInstallKeyFetcher', () => {
  it('an unknown kid is refused without a new fetch during its cooldown', async () => {
    let clock = 0;
    const server = keyServer({});
    const keys = createInstallKeyFetcher({ url: 'https://keys.test', fetch: server.fetch, now: () => clock });
    for (let attempt = 0; attempt < 3; attempt++) {
      await expect(keys.getKey('bogus')).rejects.toMatchObject({ code: 'KEY_NOT_FOUND' });
    }
    expect(server.fetched).toEqual(['bogus']);
    clock += 30_001;
    await expect(keys.getKey('bogus')).rejects.toMatchObject({ code: 'KEY_NOT_FOUND' });
    expect(server.fetched).toEqual(['bogus', 'bogus']);
  });

  it('outbound fetches per second are capped; past the cap a look-up answers 503 without fetching', async () => {
    let clock = 0;
    const server = keyServer({});
    const keys = createInstallKeyFetcher({
      url: 'https://keys.test',
      fetch: server.fetch,
      now: () => clock,
      maxFetchesPerSecond: 3,
    });
    const results = await Promise.allSettled(Array.from({ length: 10 }, (_, index) => keys.getKey(`kid-${index}`)));
    expect(server.fetched).toHaveLength(3);
    expect(results.slice(3).every((result) => result.status === 'rejected')).toBe(true);
    await expect(keys.getKey('kid-9')).rejects.toMatchObject({ code: 'KEY_UNAVAILABLE', status: 503 });
    clock += 1000;
    await expect(keys.getKey('kid-9')).rejects.toMatchObject({ code: 'KEY_NOT_FOUND' });
  });

  it('a flood of bogus kids never evicts the known key', async () => {
    const server = keyServer({ real: pem });
    let clock = 0;
    const keys = createInstallKeyFetcher({
      url: 'https://keys.test',
      fetch: server.fetch,
      now: () => clock,
      maxCachedKeys: 2,
      maxFetchesPerSecond: 1000,
    });
    const real = await keys.getKey('real');
    await Promise.allSettled(Array.from({ length: 200 }, (_, index) => keys.getKey(`bogus-${index}`)));
    clock += 1;
    expect(await keys.getKey('real')).toBe(real);
    expect(server.fetched.filter((kid) => kid === 'real')).toHaveLength(1);
  });

  it('a cached key is fetched again after its TTL', async () => {
    let clock = 0;
    const server = keyServer({ real: pem });
    const keys = createInstallKeyFetcher({
      url: 'https://keys.test',
      fetch: server.fetch,
      now: () => clock,
      keyTtlMs: 1000,
    });
    await keys.getKey('real');
    await keys.getKey('real');
    expect(server.fetched).toEqual(['real']);
    clock += 1001;
    await keys.getKey('real');
    expect(server.fetched).toEqual(['real', 'real']);
  });
});
