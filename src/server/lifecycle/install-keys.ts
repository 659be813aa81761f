import { importSPKI } from 'jose';
import { VerificationError } from '../errors.js';
import { assertKeyId } from './kid.js';

export const DEFAULT_INSTALL_KEYS_URL = 'https://connect-install-keys.atlassian.com';

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
  maxCachedKeys?: number;
}

/**
 * Fetches Atlassian's install public keys by kid, with a timeout and a status check. Keys never change for a kid,
 * so successes are cached for the life of the process (Atlassian staff: "you can cache them by kid"); failures are
 * never cached, and concurrent lookups of one kid share a single fetch.
 */
export function createInstallKeyFetcher(options: InstallKeyFetcherOptions = {}): InstallKeyProvider {
  const base = (options.url ?? DEFAULT_INSTALL_KEYS_URL).replace(/\/+$/, '');
  const timeoutMs = options.timeoutMs ?? 5000;
  const maxBytes = options.maxBytes ?? 16 * 1024;
  const maxCachedKeys = options.maxCachedKeys ?? 100;
  const doFetch = options.fetch ?? globalThis.fetch;
  const cache = new Map<string, Promise<CryptoKey>>();

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

  return {
    getKey(kid: string): Promise<CryptoKey> {
      assertKeyId(kid);
      const cached = cache.get(kid);
      if (cached) return cached;
      const pending = load(kid);
      if (cache.size >= maxCachedKeys) cache.delete(cache.keys().next().value as string);
      cache.set(kid, pending);
      pending.catch(() => {
        if (cache.get(kid) === pending) cache.delete(kid);
      });
      return pending;
    },
  };
}
