import { FifoMap } from '../tenants/fifo-map.js';
import type { UserToken } from './user-token-grant.js';

/** A token is used until this long before it expires, so a request never reaches Confluence with a dying one. */
export const TOKEN_REFRESH_MARGIN_MS = 60_000;
/** Users × tenants whose tokens are kept; the oldest grant goes first (FifoMap: constant time when full). */
const DEFAULT_MAX_TOKENS = 10_000;

/**
 * User tokens per tenant and user, until shortly before they expire, with concurrent grants for the same user
 * coalesced into one: fifty reads for one user in one tick make one grant. A failed grant is not remembered (the
 * next request asks again).
 */
export class UserTokenCache {
  private readonly tokens: FifoMap<string, UserToken>;
  private readonly pending = new Map<string, Promise<UserToken>>();

  constructor(private readonly options: { now?: () => number; maxTokens?: number; refreshMarginMs?: number } = {}) {
    this.tokens = new FifoMap(options.maxTokens ?? DEFAULT_MAX_TOKENS);
  }

  /** The cached token for `key`, or the one `grant` brings (shared by every caller that asks meanwhile). */
  async get(key: string, grant: () => Promise<UserToken>): Promise<string> {
    const now = (this.options.now ?? Date.now)();
    const cached = this.tokens.get(key);
    if (cached && cached.expiresAt - (this.options.refreshMarginMs ?? TOKEN_REFRESH_MARGIN_MS) > now) {
      return cached.accessToken;
    }
    let granting = this.pending.get(key);
    if (!granting) {
      granting = grant().then(
        (token) => {
          this.pending.delete(key);
          this.tokens.set(key, token);
          return token;
        },
        (error: unknown) => {
          this.pending.delete(key);
          throw error;
        },
      );
      this.pending.set(key, granting);
    }
    return (await granting).accessToken;
  }
}
