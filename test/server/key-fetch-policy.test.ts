/**
 * The Connect install-key fetcher and the Forge JWKS key set share one key-fetch policy (src/server/keys/). These
 * are the parts of it that each of them gained from the other: stale-while-revalidate for install keys, the
 * outbound fetch cap and a bounded key cache for the Forge set.
 */
import { exportSPKI, generateKeyPair } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { createForgeKeySet } from '../../src/server/forge/key-set.js';
import { createInstallKeyFetcher } from '../../src/server/lifecycle/install-keys.js';
import { createForgeKeyPair, type ForgeKeyPair } from '../../src/testing/tokens/forge.js';

const HOUR = 60 * 60 * 1000;

/** Resolves when every callback queued so far (and one timer turn) has run. */
const turn = () => new Promise((resolve) => setTimeout(resolve, 0));

async function codeOf(lookup: Promise<unknown>): Promise<string> {
  try {
    await lookup;
    return 'served';
  } catch (error) {
    return (error as { code?: string }).code ?? 'thrown';
  }
}

let pem: string;
let forgeKey: ForgeKeyPair;

beforeAll(async () => {
  pem = await exportSPKI((await generateKeyPair('RS256', { extractable: true })).publicKey);
  forgeKey = await createForgeKeyPair('policy-forge-key');
});

function installKeyServer() {
  const state = { down: false, fetched: [] as string[] };
  const fetch = (async (url: string) => {
    state.fetched.push(url.split('/').slice(3).join('/'));
    if (state.down) return new Response('unavailable', { status: 503 });
    return new Response(pem, { status: 200 });
  }) as unknown as typeof globalThis.fetch;
  return { state, fetch };
}

describe('install keys under the shared policy', () => {
  it('after the TTL, a key server outage no longer refuses installs: the known key is served while it refreshes', async () => {
    let clock = 0;
    const server = installKeyServer();
    const keys = createInstallKeyFetcher({ url: 'https://keys.test', fetch: server.fetch, now: () => clock });
    const key = await keys.getKey('real');
    server.state.down = true;
    clock += 24 * HOUR + 1;
    expect(await keys.getKey('real')).toBe(key);
    await turn();
    // One background attempt, then none per request until the cooldown has passed.
    for (let request = 0; request < 10; request++) expect(await keys.getKey('real')).toBe(key);
    expect(server.state.fetched).toEqual(['real', 'real']);
    clock += 30_001;
    expect(await keys.getKey('real')).toBe(key);
    expect(server.state.fetched).toEqual(['real', 'real', 'real']);
  });

  it('past the stale grace a key is no longer served without the key server: 503', async () => {
    let clock = 0;
    const server = installKeyServer();
    const keys = createInstallKeyFetcher({ url: 'https://keys.test', fetch: server.fetch, now: () => clock });
    await keys.getKey('real');
    server.state.down = true;
    clock += 25 * HOUR + 1;
    expect(await codeOf(keys.getKey('real'))).toBe('KEY_UNAVAILABLE');
    server.state.down = false;
    clock += 5000;
    expect(await codeOf(keys.getKey('real'))).toBe('served');
  });

  it('maxStaleMs: 0 keeps the old behaviour, an expired key waits for its fetch', async () => {
    let clock = 0;
    const server = installKeyServer();
    const keys = createInstallKeyFetcher({
      url: 'https://keys.test',
      fetch: server.fetch,
      now: () => clock,
      maxStaleMs: 0,
    });
    await keys.getKey('real');
    server.state.down = true;
    clock += 24 * HOUR + 1;
    expect(await codeOf(keys.getKey('real'))).toBe('KEY_UNAVAILABLE');
  });
});

describe('the Forge key set under the shared policy', () => {
  function jwks() {
    const state = { calls: 0 };
    const fetch = (async () => {
      state.calls++;
      return Response.json({ keys: [forgeKey.publicJwk] });
    }) as unknown as typeof globalThis.fetch;
    return { state, fetch };
  }

  it('outbound JWKS fetches per second are capped, even with the unknown-kid cooldown switched off', async () => {
    let clock = 1_700_000_000_000;
    const server = jwks();
    const keys = createForgeKeySet({
      url: 'https://jwks.test/keys.json',
      fetch: server.fetch,
      now: () => clock,
      cooldownMs: 0,
      maxFetchesPerSecond: 2,
    });
    const codes: string[] = [];
    for (let attempt = 0; attempt < 10; attempt++) codes.push(await codeOf(keys.getKey(`random-${attempt}`)));
    expect(server.state.calls).toBe(2);
    expect(codes.slice(0, 2)).toEqual(['KEY_NOT_FOUND', 'KEY_NOT_FOUND']);
    expect(new Set(codes.slice(2))).toEqual(new Set(['KEY_UNAVAILABLE']));
    // The known key never needs a fetch, so the cap never touches it.
    expect(await codeOf(keys.getKey(forgeKey.kid))).toBe('served');
    clock += 1000;
    expect(await codeOf(keys.getKey('random-next'))).toBe('KEY_NOT_FOUND');
    expect(server.state.calls).toBe(3);
  });

  it('a key the refreshed set no longer lists is no longer served (revocation reaches the cache)', async () => {
    let clock = 1_700_000_000_000;
    let listed = [forgeKey];
    const other = await createForgeKeyPair('policy-forge-key-2');
    const fetch = (async () => Response.json({ keys: listed.map((key) => key.publicJwk) })) as typeof globalThis.fetch;
    const keys = createForgeKeySet({ url: 'https://jwks.test/keys.json', fetch, now: () => clock, maxStaleMs: 0 });
    await keys.getKey(forgeKey.kid);
    listed = [other];
    clock += 11 * 60 * 1000;
    expect(await codeOf(keys.getKey(other.kid))).toBe('served');
    expect(await codeOf(keys.getKey(forgeKey.kid))).toBe('KEY_NOT_FOUND');
  });
});
