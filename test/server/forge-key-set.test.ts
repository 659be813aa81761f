import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { isVerificationError } from '../../src/server/errors.js';
import { createForgeKeySet, type ForgeKeySetOptions } from '../../src/server/forge/key-set.js';
import { createForgeKeyPair, type ForgeKeyPair } from '../../src/testing/tokens/forge.js';

/**
 * The Forge key set during key-server trouble, on a controlled clock and a controlled fetch: a "hanging" JWKS
 * fetch settles only when the test says the timeout has passed, so "the request did not wait for it" is a fact
 * about event-loop order, not a wall-clock threshold.
 */

const URL_ = 'https://forge-jwks.test/.well-known/jwks.json';
const MINUTE = 60_000;

interface ControlledJwks {
  mode: 'ok' | 'down' | 'hang';
  keys: ForgeKeyPair[];
  /** fetches started */
  calls: number;
  /** hanging fetches not settled yet */
  readonly pending: number;
  /** what the key set's AbortSignal.timeout would do: every hanging fetch rejects with a TimeoutError */
  timeOutHanging(): void;
  fetch: typeof fetch;
}

function controlledJwks(keys: ForgeKeyPair[]): ControlledJwks {
  const hanging = new Set<() => void>();
  const jwks: ControlledJwks = {
    mode: 'ok',
    keys,
    calls: 0,
    get pending() {
      return hanging.size;
    },
    timeOutHanging() {
      for (const fail of [...hanging]) fail();
    },
    fetch: (async (_input: RequestInfo | URL, init?: RequestInit) => {
      jwks.calls++;
      if (jwks.mode === 'down') return new Response('upstream unavailable', { status: 503 });
      if (jwks.mode === 'hang') {
        return new Promise<Response>((_, reject) => {
          const fail = () => {
            if (!hanging.delete(fail)) return;
            reject(new DOMException('The operation timed out.', 'TimeoutError'));
          };
          hanging.add(fail);
          init?.signal?.addEventListener('abort', fail, { once: true });
        });
      }
      return Response.json({ keys: jwks.keys.map((k) => k.publicJwk) });
    }) as typeof fetch,
  };
  return jwks;
}

/** Lets every queued promise callback and one timer turn run: what is still pending after this is waiting on I/O. */
const turn = () => new Promise((resolve) => setTimeout(resolve, 0));

/** Long enough for a fetch that has its answer to be parsed and imported (Web Crypto settles on the thread pool). */
async function idle(): Promise<void> {
  for (let i = 0; i < 20; i++) await turn();
}

/** 'served' if the lookup settled without waiting for anything outside the process, else 'waiting'. */
async function settlesAtOnce(lookup: Promise<CryptoKey>): Promise<'served' | 'waiting'> {
  lookup.catch(() => {});
  return Promise.race([lookup.then(() => 'served' as const), turn().then(() => 'waiting' as const)]);
}

async function codeOf(lookup: Promise<unknown>): Promise<string> {
  try {
    await lookup;
    return 'served';
  } catch (error) {
    if (isVerificationError(error)) return error.code;
    throw error;
  }
}

let forgeKey: ForgeKeyPair;
let jwks: ControlledJwks;
let clock: number;

const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => void unhandled.push(reason);
beforeAll(() => void process.on('unhandledRejection', onUnhandled));
afterAll(() => void process.off('unhandledRejection', onUnhandled));
afterEach(async () => {
  // A refresh still hanging fails now (its timeout), after the test: it must be handled by the key set itself.
  jwks?.timeOutHanging();
  await idle();
  expect(unhandled.splice(0)).toEqual([]);
});

beforeAll(async () => {
  forgeKey = await createForgeKeyPair('forge-key-set-1');
});

function keySet(options: ForgeKeySetOptions = {}) {
  clock = 1_700_000_000_000;
  jwks = controlledJwks([forgeKey]);
  // A timeout no test reaches: a hanging fetch ends only through timeOutHanging().
  return createForgeKeySet({
    url: URL_,
    fetch: jwks.fetch,
    timeoutMs: 10 * MINUTE,
    now: () => clock,
    cacheMaxAgeMs: 10 * MINUTE,
    ...options,
  });
}

describe('the Forge key set when the key server hangs after the cache max age', () => {
  it('answers a known kid at once from the stale set while one background refresh is in flight', async () => {
    const keys = keySet();
    const key = await keys.getKey(forgeKey.kid);
    expect(jwks.calls).toBe(1);

    jwks.mode = 'hang';
    clock += 11 * MINUTE;
    const lookup = keys.getKey(forgeKey.kid);
    expect(await settlesAtOnce(lookup)).toBe('served');
    expect(await lookup).toBe(key);
    expect({ calls: jwks.calls, pending: jwks.pending }).toEqual({ calls: 2, pending: 1 });

    // Everyone else is served too, without another fetch behind the one in flight.
    const more = Array.from({ length: 10 }, () => keys.getKey(forgeKey.kid));
    for (const other of more) expect(await settlesAtOnce(other)).toBe('served');
    expect({ calls: jwks.calls, pending: jwks.pending }).toEqual({ calls: 2, pending: 1 });
  });

  it('a refresh that timed out is remembered: no new fetch at once, the stale key is kept, a later attempt refreshes', async () => {
    const keys = keySet();
    await keys.getKey(forgeKey.kid);
    jwks.mode = 'hang';
    clock += 11 * MINUTE;
    expect(await settlesAtOnce(keys.getKey(forgeKey.kid))).toBe('served');
    jwks.timeOutHanging();
    await idle();

    // Just after the failure: still served, immediately, and no second fetch.
    const lookups = Array.from({ length: 5 }, () => keys.getKey(forgeKey.kid));
    for (const lookup of lookups) expect(await settlesAtOnce(lookup)).toBe('served');
    expect(jwks.calls).toBe(2);

    // The key server is back, and the short negative-cache window is over: one background refresh.
    jwks.mode = 'ok';
    const rotated = await createForgeKeyPair('forge-key-set-2');
    jwks.keys = [forgeKey, rotated];
    clock += 31_000;
    expect(await settlesAtOnce(keys.getKey(forgeKey.kid))).toBe('served');
    expect(jwks.calls).toBe(3);
    await idle();
    // The refreshed set is in use: the new key is known without a fetch, and the set is fresh again.
    expect(await settlesAtOnce(keys.getKey(rotated.kid))).toBe('served');
    clock += 5 * MINUTE;
    await keys.getKey(forgeKey.kid);
    expect(jwks.calls).toBe(3);
  });
});

describe('the Forge key set while the key server is down', () => {
  it('random unknown kids within the cooldown cause no extra fetches (counted from the last attempt, failed too)', async () => {
    const keys = keySet({ cooldownMs: 30_000 });
    await keys.getKey(forgeKey.kid);
    jwks.mode = 'down';
    clock += 31_000; // past the cooldown since the last successful fetch, well within the max age
    expect(await codeOf(keys.getKey('random-0'))).toBe('KEY_UNAVAILABLE');
    expect(jwks.calls).toBe(2);
    for (let i = 1; i <= 20; i++) {
      clock += 1000;
      // An outage, so whether the kid exists cannot be known: 503, not 401.
      expect(await codeOf(keys.getKey(`random-${i}`))).toBe('KEY_UNAVAILABLE');
    }
    expect(jwks.calls).toBe(2);
    expect(await codeOf(keys.getKey(forgeKey.kid))).toBe('served');
    clock += 10_000; // 30 s after the failed attempt
    expect(await codeOf(keys.getKey('random-next'))).toBe('KEY_UNAVAILABLE');
    expect(jwks.calls).toBe(3);
  });

  it('a failed background refresh does not evict the stale key; beyond the stale grace it is a 503', async () => {
    const keys = keySet({ maxStaleMs: 60 * MINUTE });
    await keys.getKey(forgeKey.kid);
    jwks.mode = 'down';
    clock += 11 * MINUTE;
    expect(await settlesAtOnce(keys.getKey(forgeKey.kid))).toBe('served');
    await idle(); // the background refresh has failed by now
    expect(jwks.calls).toBe(2);
    expect(await codeOf(keys.getKey(forgeKey.kid))).toBe('served');
    expect(await codeOf(keys.getKey('unknown-kid'))).toBe('KEY_UNAVAILABLE');
    expect(jwks.calls).toBe(2);

    clock += 61 * MINUTE; // 72 min after the last success: past max age + stale grace
    expect(await codeOf(keys.getKey(forgeKey.kid))).toBe('KEY_UNAVAILABLE');
    expect(jwks.calls).toBe(3);
  });

  it('with no key set at all, a failure is remembered briefly: an immediate retry is a 503 without a fetch', async () => {
    const keys = keySet();
    jwks.mode = 'down';
    expect(await codeOf(keys.getKey(forgeKey.kid))).toBe('KEY_UNAVAILABLE');
    expect(await codeOf(keys.getKey(forgeKey.kid))).toBe('KEY_UNAVAILABLE');
    expect(jwks.calls).toBe(1);
    jwks.mode = 'ok';
    clock += 5_000; // the Retry-After the 503 announced
    expect(await codeOf(keys.getKey(forgeKey.kid))).toBe('served');
    expect(jwks.calls).toBe(2);
  });
});
