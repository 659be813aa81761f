import { importJWK } from 'jose';
import { VerificationError } from '../errors.js';
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
  new VerificationError('KEY_UNAVAILABLE', `The Forge key server ${message}; retry later.`, cause === undefined ? undefined : { cause });

/**
 * Our own JWKS fetcher rather than jose's createRemoteJWKSet, because the server layer promises three things
 * jose's resolver does not give in a form we can rely on: a failed fetch is never cached and maps to the typed
 * 503 KEY_UNAVAILABLE (jose throws untyped fetch/timeout errors that would otherwise look like bad tokens), an
 * unknown kid is a 401 KEY_NOT_FOUND, and `fetch` is injectable for tests and non-Node runtimes. Keys are imported
 * from the RSA public members only, so a JWKS that also carried `d` could never yield a private key.
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
  let current: Loaded | undefined;
  let inflight: Promise<Loaded> | undefined;

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
      (loaded) => ((current = loaded), (inflight = undefined), loaded),
      (error: unknown) => {
        inflight = undefined;
        throw error;
      },
    );
    return inflight;
  }

  const notFound = () => new VerificationError('KEY_NOT_FOUND', 'No Forge signing key has this kid.');

  return {
    async getKey(rawKid) {
      const kid = assertForgeKid(rawKid);
      const set = current;
      const age = set ? now() - set.fetchedAt : Infinity;
      if (set && age < cacheMaxAgeMs) {
        const key = set.keys.get(kid);
        if (key) return key;
        // Random kids would otherwise turn every request into a JWKS fetch.
        if (age < cooldownMs) throw notFound();
        const fresh = await refresh();
        const rotated = fresh.keys.get(kid);
        if (!rotated) throw notFound();
        return rotated;
      }
      let fresh: Loaded;
      try {
        fresh = await refresh();
      } catch (error) {
        // A key we fetched recently is still Atlassian's key: keep serving it through a short key-server outage.
        const stale = set && age < cacheMaxAgeMs + maxStaleMs ? set.keys.get(kid) : undefined;
        if (stale) return stale;
        throw error;
      }
      const key = fresh.keys.get(kid);
      if (!key) throw notFound();
      return key;
    },
  };
}
