import { VerificationError } from '../errors.js';
import { FetchAttempts } from './fetch-attempts.js';
import { createFetchRateLimit } from './fetch-rate-limit.js';
import { KeyCache } from './key-cache.js';

export interface KeyFetchPolicy {
  /** how long a fetched key is used before it is fetched again, ms */
  ttlMs: number;
  /**
   * how long past `ttlMs` a key stays usable while a refresh runs in the background or the source cannot be
   * reached, ms (0: an expired key waits for a fetch)
   */
  maxStaleMs: number;
  /** after an answer, a kid the source did not list is refused without a new fetch of its scope for this long, ms */
  unknownKidCooldownMs: number;
  /** after a failed fetch, a look-up with no usable key gets the same 503 without a new fetch for this long, ms */
  failureBackoffMs: number;
  /** outbound fetches started per second at most; past it a look-up answers 503 without fetching */
  maxFetchesPerSecond: number;
  /** keys kept, most recently used first; look-ups in flight and failures never evict one */
  maxCachedKeys: number;
  now: () => number;
}

export interface KeyLookupOptions<Key> extends KeyFetchPolicy {
  /** who answers, for messages: `The Forge key server`, `The install key server` */
  sourceName: string;
  /**
   * What one fetch covers: the kid itself for a key server that serves one key per URL, one constant for a JWKS
   * that is fetched whole. Concurrent look-ups of one scope share a fetch; cooldowns and failures count per scope.
   */
  scopeOf(kid: string): string;
  /**
   * One outbound fetch. Resolves with the keys the source listed (a kid it does not know is simply absent);
   * throws VerificationError('KEY_UNAVAILABLE') when the source could not answer.
   */
  fetchKeys(scope: string): Promise<ReadonlyMap<string, Key>>;
}

export interface KeyLookup<Key> {
  /** the key for an already validated kid; throws KEY_NOT_FOUND (401) or KEY_UNAVAILABLE (503) */
  getKey(kid: string): Promise<Key>;
  /**
   * A token signed with this kid's key has verified: from now on the fetches this kid needs (its key's refresh, or
   * a fetch once its key has gone past the stale grace) use a budget of their own, which made-up kids cannot spend.
   */
  keyVerified(kid: string): void;
}

const MAX_REMEMBERED_SCOPES = 1000;

/** Kids whose keys have verified a token, at most this many (oldest forgotten first: it then shares the budget). */
const MAX_PROVEN_KIDS = 1000;

/**
 * The one key-fetch policy of the server layer, shared by the Connect install-key fetcher and the Forge JWKS key
 * set. What strangers can make it do is bounded, and no request waits for a fetch it does not need:
 * - a known key is served for `ttlMs`, then for up to `maxStaleMs` more while ONE background refresh runs
 *   (stale-while-revalidate), so a slow or hanging source never adds its timeout to a request;
 * - concurrent look-ups of one scope share a single fetch;
 * - a failed fetch is remembered for `failureBackoffMs` (the Retry-After the 503 announces);
 * - once the source has answered, a kid it did not list is refused for `unknownKidCooldownMs`, counted from the
 *   last attempt (failed ones included): 401 KEY_NOT_FOUND, or 503 when that last attempt failed, because during
 *   an outage a rotated key cannot be told from a made-up one;
 * - at most `maxFetchesPerSecond` fetches start per second, counted apart for the kids whose keys have verified a
 *   token (`keyVerified`): a flood of made-up kids spends the shared budget, never the one a cached key's refresh
 *   or a known kid's fetch needs;
 * - only answers write to the key cache, so pending look-ups and failures never evict a known key.
 */
export function createKeyLookup<Key>(options: KeyLookupOptions<Key>): KeyLookup<Key> {
  const now = options.now;
  const cache = new KeyCache<Key>(options.maxCachedKeys);
  const attempts = new FetchAttempts(MAX_REMEMBERED_SCOPES);
  const inflight = new Map<string, Promise<void>>();
  const rateLimit = createFetchRateLimit(options.maxFetchesPerSecond, now);
  /** kids whose key verified a token, and their own budget */
  const proven = new Set<string>();
  const provenRateLimit = createFetchRateLimit(options.maxFetchesPerSecond, now);
  const budgetOf = (kid: string) => (proven.has(kid) ? provenRateLimit : rateLimit);

  const unavailable = (message: string, cause?: unknown) =>
    new VerificationError(
      'KEY_UNAVAILABLE',
      `${options.sourceName} ${message}; retry later.`,
      cause === undefined ? undefined : { cause },
    );

  /** A fresh copy, so callers never share (and mutate) one error object. */
  const remembered = (error: VerificationError) => new VerificationError(error.code, error.message, { cause: error });

  const notFound = () => new VerificationError('KEY_NOT_FOUND', `${options.sourceName} does not know this kid.`);

  function refresh(scope: string): Promise<void> {
    let running = inflight.get(scope);
    if (running) return running;
    running = options.fetchKeys(scope).then(
      (keys) => {
        const at = now();
        cache.replaceScope(scope, keys, at);
        attempts.answered(scope, at);
        inflight.delete(scope);
      },
      (cause: unknown) => {
        const error = cause instanceof VerificationError ? cause : unavailable('did not answer', cause);
        attempts.failed(scope, now(), error);
        inflight.delete(scope);
        throw error;
      },
    );
    inflight.set(scope, running);
    return running;
  }

  /** Someone has a usable key, so nobody waits for this; its failure is remembered, never unhandled. */
  function refreshInBackground(kid: string, scope: string): void {
    if (inflight.has(scope)) return;
    // A failed refresh is retried once per cooldown, not by every request that is served the stale key.
    const failure = attempts.get(scope)?.failure;
    if (failure && now() - failure.at < options.unknownKidCooldownMs) return;
    if (!budgetOf(kid).tryTake()) return;
    refresh(scope).catch(() => {});
  }

  async function fetchKey(kid: string, scope: string): Promise<Key> {
    await refresh(scope);
    const entry = cache.get(kid);
    if (!entry) throw notFound();
    return entry.key;
  }

  return {
    async getKey(kid) {
      const scope = options.scopeOf(kid);
      const entry = cache.get(kid);
      if (entry) {
        const age = now() - entry.fetchedAt;
        if (age < options.ttlMs) return entry.key;
        if (age < options.ttlMs + options.maxStaleMs) {
          refreshInBackground(kid, scope);
          return entry.key;
        }
      }
      const running = inflight.get(scope);
      if (running) {
        await running;
        const fetched = cache.get(kid);
        if (!fetched) throw notFound();
        return fetched.key;
      }
      const last = attempts.get(scope);
      const current = now();
      if (last?.failure && current - last.failure.at < options.failureBackoffMs) throw remembered(last.failure.error);
      const hasUsableAnswer =
        last?.answeredAt !== undefined && current - last.answeredAt < options.ttlMs + options.maxStaleMs;
      if (last && hasUsableAnswer && current - last.lastAttemptAt < options.unknownKidCooldownMs) {
        if (last.failure) throw remembered(last.failure.error);
        throw notFound();
      }
      if (!budgetOf(kid).tryTake()) throw unavailable('is asked for too many keys right now');
      return fetchKey(kid, scope);
    },
    keyVerified(kid) {
      if (proven.has(kid)) return;
      if (proven.size >= MAX_PROVEN_KIDS) proven.delete(proven.values().next().value as string);
      proven.add(kid);
    },
  };
}
