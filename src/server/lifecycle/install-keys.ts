import { importSPKI } from 'jose';
import { VerificationError } from '../errors.js';
import { assertKeyId } from './kid.js';

export const DEFAULT_INSTALL_KEYS_URL = 'https://connect-install-keys.atlassian.com';

const ONE_SECOND_MS = 1000;
const ONE_HOUR_MS = 60 * 60 * ONE_SECOND_MS;

export interface InstallKeyProvider {
  /** RS256 public key for a kid; throws KEY_NOT_FOUND (401) or KEY_UNAVAILABLE (503) */
  getKey(kid: string): Promise<CryptoKey>;
}

export interface InstallKeyFetcherOptions {
  /** base URL of the key server; the key is fetched from `${url}/${kid}` */
  url?: string;
  /** per fetch, ms (default 5000) */
  timeoutMs?: number;
  fetch?: typeof fetch;
  /** largest accepted response, bytes (default 16 KiB) */
  maxBytes?: number;
  /** fetched keys kept, most recently used first (default 100); look-ups still in flight never evict one */
  maxCachedKeys?: number;
  /** how long a fetched key is used before it is fetched again, ms (default 24 h) */
  keyTtlMs?: number;
  /** a kid the key server does not know is refused without a new fetch for this long, ms (default 30 s) */
  unknownKidCooldownMs?: number;
  /** after a failed fetch (timeout, 5xx, bad PEM) the same kid gets the same 503 for this long, ms (default 5 s) */
  failureBackoffMs?: number;
  /** outbound fetches started per second at most (default 5); past it a look-up answers 503 without fetching */
  maxFetchesPerSecond?: number;
  /** clock, ms since epoch (tests) */
  now?: () => number;
}

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * The install-keys URL decides which keys prove an install, so it must be https; plain http only for a loopback
 * host (tests and local mirrors). Throws at configuration time with a message saying which URL.
 */
export function assertSecureKeyUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error(`The install-keys URL ${JSON.stringify(url)} is not a URL.`);
  }
  if (parsed.protocol === 'https:') return url;
  if (parsed.protocol === 'http:' && LOOPBACK_HOSTS.has(parsed.hostname)) return url;
  throw new Error(
    `The install-keys URL must be https (plain http only for a loopback host): ${parsed.protocol}//${parsed.host}`,
  );
}

interface CachedKey {
  key: CryptoKey;
  expiresAt: number;
}

interface RememberedFailure {
  error: VerificationError;
  until: number;
}

/**
 * Fetches Atlassian's install public keys by kid, with a timeout and a status check. Strangers can send any kid
 * in an unauthenticated POST, so what they can make this do is bounded: a kid the server does not know is
 * remembered for `unknownKidCooldownMs` and any other failure for `failureBackoffMs` (both without a new fetch),
 * fetches per second are capped, and concurrent look-ups of one kid share a single fetch. Fetched keys are cached
 * with a TTL (Atlassian staff: "you can cache them by kid"); pending look-ups and failures live apart from them,
 * so a flood of bogus kids can never evict the key real installs are signed with.
 */
export function createInstallKeyFetcher(options: InstallKeyFetcherOptions = {}): InstallKeyProvider {
  const base = (options.url ?? DEFAULT_INSTALL_KEYS_URL).replace(/\/+$/, '');
  const timeoutMs = options.timeoutMs ?? 5000;
  const maxBytes = options.maxBytes ?? 16 * 1024;
  const maxCachedKeys = options.maxCachedKeys ?? 100;
  const keyTtlMs = options.keyTtlMs ?? 24 * ONE_HOUR_MS;
  const unknownKidCooldownMs = options.unknownKidCooldownMs ?? 30 * ONE_SECOND_MS;
  const failureBackoffMs = options.failureBackoffMs ?? 5 * ONE_SECOND_MS;
  const maxFetchesPerSecond = options.maxFetchesPerSecond ?? 5;
  const maxRememberedFailures = 1000;
  const now = options.now ?? Date.now;
  const doFetch = options.fetch ?? globalThis.fetch;

  const keys = new Map<string, CachedKey>();
  const pending = new Map<string, Promise<CryptoKey>>();
  const failures = new Map<string, RememberedFailure>();
  let windowStartedAt = -Infinity;
  let fetchesInWindow = 0;

  async function load(kid: string): Promise<CryptoKey> {
    let response: Response;
    let pem: string;
    try {
      response = await doFetch(`${base}/${kid}`, { signal: AbortSignal.timeout(timeoutMs), redirect: 'error' });
      pem = await response.text();
    } catch (cause) {
      throw new VerificationError('KEY_UNAVAILABLE', 'The install key server did not answer in time; retry later.', {
        cause,
      });
    }
    if (response.status === 404 || response.status === 403 || response.status === 400 || response.status === 410) {
      throw new VerificationError('KEY_NOT_FOUND', 'The install key server does not know this kid.');
    }
    if (response.status !== 200) {
      throw new VerificationError(
        'KEY_UNAVAILABLE',
        `The install key server answered ${response.status}; retry later.`,
      );
    }
    if (pem.length > maxBytes || !pem.includes('-----BEGIN PUBLIC KEY-----')) {
      throw new VerificationError('KEY_UNAVAILABLE', 'The install key server did not return a PEM public key.');
    }
    try {
      return await importSPKI(pem.trim(), 'RS256');
    } catch (cause) {
      throw new VerificationError('KEY_UNAVAILABLE', 'The install key server returned an unusable public key.', {
        cause,
      });
    }
  }

  function takeFetchSlot(): boolean {
    const current = now();
    if (current - windowStartedAt >= ONE_SECOND_MS) {
      windowStartedAt = current;
      fetchesInWindow = 0;
    }
    if (fetchesInWindow >= maxFetchesPerSecond) return false;
    fetchesInWindow += 1;
    return true;
  }

  function rememberFailure(kid: string, error: unknown): void {
    if (!(error instanceof VerificationError)) return;
    const backoff = error.code === 'KEY_NOT_FOUND' ? unknownKidCooldownMs : failureBackoffMs;
    if (backoff <= 0) return;
    if (failures.size >= maxRememberedFailures) failures.delete(failures.keys().next().value as string);
    failures.set(kid, { error, until: now() + backoff });
  }

  function cacheKey(kid: string, key: CryptoKey): void {
    keys.delete(kid);
    while (keys.size >= maxCachedKeys) keys.delete(keys.keys().next().value as string);
    keys.set(kid, { key, expiresAt: now() + keyTtlMs });
  }

  return {
    getKey(kid: string): Promise<CryptoKey> {
      assertKeyId(kid);
      const cached = keys.get(kid);
      if (cached && cached.expiresAt > now()) {
        // Most recently used last, so the cap evicts the key nobody has used for longest.
        keys.delete(kid);
        keys.set(kid, cached);
        return Promise.resolve(cached.key);
      }
      const inFlight = pending.get(kid);
      if (inFlight) return inFlight;
      const failure = failures.get(kid);
      if (failure && failure.until > now()) return Promise.reject(failure.error);
      if (!takeFetchSlot()) {
        return Promise.reject(
          new VerificationError('KEY_UNAVAILABLE', 'Too many install key look-ups right now; retry later.'),
        );
      }
      const lookup = load(kid).then(
        (key) => {
          failures.delete(kid);
          cacheKey(kid, key);
          return key;
        },
        (error: unknown) => {
          rememberFailure(kid, error);
          throw error;
        },
      );
      pending.set(kid, lookup);
      const settle = () => pending.delete(kid);
      lookup.then(settle, settle);
      return lookup;
    },
  };
}
