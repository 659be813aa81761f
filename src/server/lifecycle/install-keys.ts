import { importSPKI } from 'jose';
import { VerificationError } from '../errors.js';
import { createKeyLookup } from '../keys/key-lookup.js';
import { assertKeyId } from './kid.js';

export const DEFAULT_INSTALL_KEYS_URL = 'https://connect-install-keys.atlassian.com';

const ONE_SECOND_MS = 1000;
const ONE_HOUR_MS = 60 * 60 * ONE_SECOND_MS;

export interface InstallKeyProvider {
  /** RS256 public key for a kid; throws KEY_NOT_FOUND (401) or KEY_UNAVAILABLE (503) */
  getKey(kid: string): Promise<CryptoKey>;
  /**
   * Optional: told when a lifecycle token signed with this kid's key has verified. `createInstallKeyFetcher` then
   * fetches that kid on a budget of its own, so strangers' made-up kids cannot starve its refresh.
   */
  keyVerified?(kid: string): void;
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
  /**
   * how long past keyTtlMs a key stays usable while it is refreshed in the background or the key server cannot be
   * reached, ms (default 1 h; 0: an expired key waits for a fetch)
   */
  maxStaleMs?: number;
  /** a kid the key server does not know is refused without a new fetch for this long, ms (default 30 s) */
  unknownKidCooldownMs?: number;
  /** after a failed fetch (timeout, 5xx, bad PEM) the same kid gets the same 503 for this long, ms (default 5 s) */
  failureBackoffMs?: number;
  /**
   * outbound fetches started per second at most (default 5); past it a look-up answers 503 without fetching. Kids
   * that have verified a lifecycle token get the same number again, of their own: made-up kids cannot spend it.
   */
  maxFetchesPerSecond?: number;
  /** clock, ms since epoch (tests) */
  now?: () => number;
}

/** What the key server answers for a kid it does not know. */
const NOT_FOUND_STATUSES = new Set([400, 403, 404, 410]);

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

/**
 * Fetches Atlassian's install public keys by kid, with a timeout and a status check. Strangers can send any kid
 * in an unauthenticated POST, so what they can make this do is bounded by the server layer's one key-fetch
 * policy (`createKeyLookup`, shared with the Forge key set): a kid the server does not know is refused for
 * `unknownKidCooldownMs` and any other failure for `failureBackoffMs` (both without a new fetch), fetches per
 * second are capped, and concurrent look-ups of one kid share a single fetch. Fetched keys are cached with a TTL
 * (Atlassian staff: "you can cache them by kid") and served stale for `maxStaleMs` while a background refresh
 * runs; pending look-ups and failures live apart from them, so a flood of bogus kids can never evict the key real
 * installs are signed with.
 *
 * @example
 * const installKeys = createInstallKeyFetcher({ timeoutMs: 3000 });
 * const app = createConnectApp({ appKey, baseUrl, tenants, installKeys });
 */
export function createInstallKeyFetcher(options: InstallKeyFetcherOptions = {}): InstallKeyProvider {
  const base = (options.url ?? DEFAULT_INSTALL_KEYS_URL).replace(/\/+$/, '');
  const timeoutMs = options.timeoutMs ?? 5000;
  const maxBytes = options.maxBytes ?? 16 * 1024;
  const doFetch = options.fetch ?? globalThis.fetch;

  /** One kid's key; a kid the server does not know is an empty answer (KEY_NOT_FOUND), not a failure. */
  async function fetchKey(kid: string): Promise<ReadonlyMap<string, CryptoKey>> {
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
    if (NOT_FOUND_STATUSES.has(response.status)) return new Map();
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
      return new Map([[kid, await importSPKI(pem.trim(), 'RS256')]]);
    } catch (cause) {
      throw new VerificationError('KEY_UNAVAILABLE', 'The install key server returned an unusable public key.', {
        cause,
      });
    }
  }

  const lookup = createKeyLookup<CryptoKey>({
    sourceName: 'The install key server',
    // One URL per kid: each kid is its own fetch, cooldown and failure.
    scopeOf: (kid) => kid,
    fetchKeys: fetchKey,
    ttlMs: options.keyTtlMs ?? 24 * ONE_HOUR_MS,
    maxStaleMs: options.maxStaleMs ?? ONE_HOUR_MS,
    unknownKidCooldownMs: options.unknownKidCooldownMs ?? 30 * ONE_SECOND_MS,
    failureBackoffMs: options.failureBackoffMs ?? 5 * ONE_SECOND_MS,
    maxFetchesPerSecond: options.maxFetchesPerSecond ?? 5,
    maxCachedKeys: options.maxCachedKeys ?? 100,
    now: options.now ?? Date.now,
  });

  return {
    getKey(kid: string): Promise<CryptoKey> {
      // Validated BEFORE the kid goes into the key-server URL.
      assertKeyId(kid);
      return lookup.getKey(kid);
    },
    keyVerified: (kid: string) => lookup.keyVerified(kid),
  };
}
