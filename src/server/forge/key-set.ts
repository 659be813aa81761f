import { importJWK } from 'jose';
import { VerificationError, isVerificationError } from '../errors.js';
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
  /** clock, ms since epoch (tests) */
  now?: () => number;
}

export interface ForgeKeySet {
  /** RS256 public key for a kid; throws KID_INVALID / KEY_NOT_FOUND (401) or KEY_UNAVAILABLE (503) */
  getKey(kid: unknown): Promise<CryptoKey>;
}

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

interface Loaded {
  keys: Map<string, CryptoKey>;
  fetchedAt: number;
}

const unavailable = (message: string, cause?: unknown) =>
  new VerificationError(
    'KEY_UNAVAILABLE',
    `The Forge key server ${message}; retry later.`,
    cause === undefined ? undefined : { cause },
  );

/**
 * Our own JWKS fetcher rather than jose's createRemoteJWKSet, because the server layer promises three things
 * jose's resolver does not give in a form we can rely on: a failed fetch maps to the typed 503 KEY_UNAVAILABLE
 * (jose throws untyped fetch/timeout errors that would otherwise look like bad tokens), an unknown kid is a 401
 * KEY_NOT_FOUND, and `fetch` is injectable for tests and non-Node runtimes. Keys are imported
 * from the RSA public members only, so a JWKS that also carried `d` could never yield a private key.
 *
 * During key-server trouble no request waits for a fetch it does not need: a known kid (fresh, or stale within
 * maxStaleMs) is served at once while the set is refreshed in the background (stale-while-revalidate), and every
 * attempt, failed ones included, starts the unknown-kid cooldown, so neither a hanging key server nor random kids
 * put a fetch (and its timeout) in front of requests.
 */
export function createForgeKeySet(options: ForgeKeySetOptions = {}): ForgeKeySet {
  const url = options.url ?? DEFAULT_FORGE_JWKS_URL;
  const doFetch = options.fetch ?? globalThis.fetch;
  const timeoutMs = options.timeoutMs ?? 5000;
  const maxBytes = options.maxBytes ?? 64 * 1024;
  const cacheMaxAgeMs = options.cacheMaxAgeMs ?? 10 * 60_000;
  const cooldownMs = options.cooldownMs ?? 30_000;
  const maxStaleMs = options.maxStaleMs ?? 60 * 60_000;
  const now = options.now ?? Date.now;
  const failureBackoffMs = options.failureBackoffMs ?? 5000;
  let current: Loaded | undefined;
  let inflight: Promise<Loaded> | undefined;
  /** when the last fetch settled, successful or not: the unknown-kid cooldown and background refreshes count from here */
  let lastAttemptAt = -Infinity;
  /** the last fetch's failure, until a fetch succeeds */
  let lastFailure: { at: number; error: unknown } | undefined;

  async function load(): Promise<Loaded> {
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
    for (const jwk of list.slice(0, 100) as Record<string, unknown>[]) {
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
    if (keys.size === 0) throw unavailable('returned no usable RS256 key');
    return { keys, fetchedAt: now() };
  }

  function refresh(): Promise<Loaded> {
    inflight ??= load().then(
      (loaded) => {
        current = loaded;
        lastAttemptAt = now();
        lastFailure = undefined;
        inflight = undefined;
        return loaded;
      },
      (error: unknown) => {
        lastAttemptAt = now();
        lastFailure = { at: lastAttemptAt, error };
        inflight = undefined;
        throw error;
      },
    );
    return inflight;
  }

  /** Someone has a usable key, so nobody waits for this; its failure is remembered (lastFailure), never unhandled. */
  function refreshInBackground(): void {
    if (inflight || now() - lastAttemptAt < cooldownMs) return;
    refresh().catch(() => {});
  }

  /** A fresh copy, so callers never share (and mutate) one error object. */
  const remembered = (failure: { error: unknown }) =>
    isVerificationError(failure.error)
      ? new VerificationError('KEY_UNAVAILABLE', failure.error.message, { cause: failure.error })
      : unavailable('failed moments ago', failure.error);

  const notFound = () => new VerificationError('KEY_NOT_FOUND', 'No Forge signing key has this kid.');

  /** A kid the usable set does not have: a rotation is picked up at most once per cooldown (random kids are free). */
  async function lookUpUnknown(kid: string): Promise<CryptoKey> {
    if (!inflight && now() - lastAttemptAt < cooldownMs) {
      // During an outage we cannot tell a rotated key from a made-up one: 503, not a verdict on the token.
      if (lastFailure) throw remembered(lastFailure);
      throw notFound();
    }
    return fetchKey(kid);
  }

  /** Waits for a fetch of the set; the kid must be in what it returns. */
  async function fetchKey(kid: string): Promise<CryptoKey> {
    const key = (await refresh()).keys.get(kid);
    if (!key) throw notFound();
    return key;
  }

  return {
    async getKey(rawKid) {
      const kid = assertForgeKid(rawKid);
      const set = current;
      const age = set ? now() - set.fetchedAt : Infinity;
      if (set && age < cacheMaxAgeMs + maxStaleMs) {
        const key = set.keys.get(kid);
        if (key) {
          // A key we fetched recently is still Atlassian's key: serve it now, refresh without making anyone wait,
          // so a slow or hanging key server never adds its timeout to a request.
          if (age >= cacheMaxAgeMs) refreshInBackground();
          return key;
        }
        return lookUpUnknown(kid);
      }
      // No usable set: this lookup has to wait for a fetch, unless one failed a moment ago.
      if (!inflight && lastFailure && now() - lastFailure.at < failureBackoffMs) throw remembered(lastFailure);
      return fetchKey(kid);
    },
  };
}
