import { importJWK } from 'jose';
import { VerificationError } from '../errors.js';
import { createKeyLookup } from '../keys/key-lookup.js';
import { DEFAULT_FORGE_JWKS_URL } from './constants.js';

export interface ForgeKeySetOptions {
  /** default: Atlassian's Forge JWKS */
  url?: string;
  fetch?: typeof fetch;
  /** per JWKS fetch, ms (default 5000) */
  timeoutMs?: number;
  /** largest accepted JWKS response, bytes (default 64 KiB) */
  maxBytes?: number;
  /** how long a fetched key set is used before it is fetched again, ms (default 10 min) */
  cacheMaxAgeMs?: number;
  /** an unknown kid refetches the set at most this often, ms (default 30 s) */
  cooldownMs?: number;
  /** how long past cacheMaxAgeMs a known key stays usable while the JWKS cannot be fetched, ms (default 1 h) */
  maxStaleMs?: number;
  /**
   * After a failed fetch, lookups that have no usable key get the same 503 without a new fetch for this long, ms
   * (default 5 s, the Retry-After the 503 announces)
   */
  failureBackoffMs?: number;
  /** JWKS fetches started per second at most (default 5); past it a look-up that needs one answers 503 */
  maxFetchesPerSecond?: number;
  /** keys kept from the set, most recently used first (default 100, the most a set is read for) */
  maxCachedKeys?: number;
  /** clock, ms since epoch (tests) */
  now?: () => number;
}

export interface ForgeKeySet {
  /**
   * Where the set is fetched from, when known. A set on one of Atlassian's URLs (`FORGE_JWKS_URLS`), or one that
   * does not say, verifies only PRODUCTION FITs by default (`environments` of verifyForgeInvocation).
   */
  readonly url?: string;
  /** RS256 public key for a kid; throws KID_INVALID / KEY_NOT_FOUND (401) or KEY_UNAVAILABLE (503) */
  getKey(kid: unknown): Promise<CryptoKey>;
  /**
   * Optional: told when a token signed with this kid's key has verified; the set's refreshes then use a fetch
   * budget that look-ups of made-up kids cannot spend.
   */
  keyVerified?(kid: string): void;
}

const ONE_SECOND_MS = 1000;
const ONE_MINUTE_MS = 60 * ONE_SECOND_MS;
const ONE_HOUR_MS = 60 * ONE_MINUTE_MS;
/** entries read from one JWKS response */
const MAX_KEYS_IN_SET = 100;

const KID = /^[A-Za-z0-9._~:+=/-]+$/;

/**
 * The kid is only ever a Map key here (the JWKS is fetched whole), so traversal cannot redirect a fetch; it is
 * still refused early so that nothing odd reaches error messages or a log line.
 */
export function assertForgeKid(kid: unknown): string {
  if (typeof kid !== 'string' || kid === '') throw new VerificationError('KID_INVALID', 'The token has no kid header.');
  if (kid.length > 256 || !KID.test(kid) || kid.split('/').some((s) => s === '..' || s === '.')) {
    throw new VerificationError('KID_INVALID', 'The token kid is not a valid key id.');
  }
  return kid;
}

const unavailable = (message: string, cause?: unknown) =>
  new VerificationError(
    'KEY_UNAVAILABLE',
    `The Forge key server ${message}; retry later.`,
    cause === undefined ? undefined : { cause },
  );

/** The JWKS is fetched whole: one scope for every kid. */
const WHOLE_SET = 'jwks';

/**
 * Our own JWKS fetcher rather than jose's createRemoteJWKSet, because the server layer promises three things
 * jose's resolver does not give in a form we can rely on: a failed fetch maps to the typed 503 KEY_UNAVAILABLE
 * (jose throws untyped fetch/timeout errors that would otherwise look like bad tokens), an unknown kid is a 401
 * KEY_NOT_FOUND, and `fetch` is injectable for tests and non-Node runtimes. Keys are imported
 * from the RSA public members only, so a JWKS that also carried `d` could never yield a private key.
 *
 * Caching, cooldowns, failure memory and the fetch cap are the server layer's one key-fetch policy
 * (`createKeyLookup`, shared with the Connect install-key fetcher). During key-server trouble no request waits for
 * a fetch it does not need: a known kid (fresh, or stale within maxStaleMs) is served at once while the set is
 * refreshed in the background, and every attempt, failed ones included, starts the unknown-kid cooldown, so
 * neither a hanging key server nor random kids put a fetch (and its timeout) in front of requests. A key that a
 * fresh copy of the set no longer lists is no longer served.
 *
 * @example
 * const keySet = createForgeKeySet({ timeoutMs: 3000 });
 * const verify = createForgeInvocationVerifier({ appId: process.env.FORGE_APP_ID!, keySet });
 */
export function createForgeKeySet(options: ForgeKeySetOptions = {}): ForgeKeySet {
  const url = options.url ?? DEFAULT_FORGE_JWKS_URL;
  const doFetch = options.fetch ?? globalThis.fetch;
  const timeoutMs = options.timeoutMs ?? 5000;
  const maxBytes = options.maxBytes ?? 64 * 1024;

  async function load(): Promise<ReadonlyMap<string, CryptoKey>> {
    let text: string;
    try {
      const response = await doFetch(url, {
        signal: AbortSignal.timeout(timeoutMs),
        redirect: 'error',
        headers: { accept: 'application/json' },
      });
      if (response.status !== 200) {
        await response.body?.cancel().catch(() => {});
        throw unavailable(`answered ${response.status}`);
      }
      if (Number(response.headers.get('content-length') ?? '0') > maxBytes) {
        await response.body?.cancel().catch(() => {});
        throw unavailable('sent an oversized key set');
      }
      text = await response.text();
    } catch (cause) {
      if (cause instanceof VerificationError) throw cause;
      throw unavailable('did not answer in time', cause);
    }
    if (text.length > maxBytes) throw unavailable('sent an oversized key set');
    let jwks: unknown;
    try {
      jwks = JSON.parse(text);
    } catch (cause) {
      throw unavailable('did not return JSON', cause);
    }
    const list = (jwks as { keys?: unknown })?.keys;
    if (!Array.isArray(list)) throw unavailable('did not return a JSON Web Key Set');
    const keys = new Map<string, CryptoKey>();
    for (const jwk of list.slice(0, MAX_KEYS_IN_SET) as Record<string, unknown>[]) {
      if (!jwk || typeof jwk !== 'object' || jwk.kty !== 'RSA' || typeof jwk.kid !== 'string') continue;
      if (jwk.alg !== undefined && jwk.alg !== 'RS256') continue;
      if (jwk.use !== undefined && jwk.use !== 'sig') continue;
      if (typeof jwk.n !== 'string' || typeof jwk.e !== 'string' || keys.has(jwk.kid)) continue;
      try {
        keys.set(jwk.kid, (await importJWK({ kty: 'RSA', n: jwk.n, e: jwk.e }, 'RS256')) as CryptoKey);
      } catch {
        // One unusable entry must not take the whole set down.
      }
    }
    // An empty or unusable set is an outage, not an answer: it must not revoke the keys we have.
    if (keys.size === 0) throw unavailable('returned no usable RS256 key');
    return keys;
  }

  const lookup = createKeyLookup<CryptoKey>({
    sourceName: 'The Forge key server',
    scopeOf: () => WHOLE_SET,
    fetchKeys: load,
    ttlMs: options.cacheMaxAgeMs ?? 10 * ONE_MINUTE_MS,
    maxStaleMs: options.maxStaleMs ?? ONE_HOUR_MS,
    unknownKidCooldownMs: options.cooldownMs ?? 30 * ONE_SECOND_MS,
    failureBackoffMs: options.failureBackoffMs ?? 5 * ONE_SECOND_MS,
    maxFetchesPerSecond: options.maxFetchesPerSecond ?? 5,
    maxCachedKeys: options.maxCachedKeys ?? MAX_KEYS_IN_SET,
    now: options.now ?? Date.now,
  });

  return {
    url,
    getKey: (rawKid) => lookup.getKey(assertForgeKid(rawKid)),
    keyVerified: (kid) => lookup.keyVerified(kid),
  };
}
