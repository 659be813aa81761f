import { createSecretKey, type KeyObject } from 'node:crypto';
import type { JWTPayload } from 'jose';
import { FifoMap } from './fifo-map.js';
import { isForgeInstallationId } from './installation-link.js';
import {
  isActive,
  type LifecycleChange,
  type LifecycleResult,
  type Tenant,
  type TenantChange,
  type TenantStore,
} from './types.js';

export interface ResolvedTenant {
  tenant: Tenant;
  /** HS256 verification key (node:crypto), created once per tenant instead of once per request */
  hmacKey: KeyObject;
}

export interface TenantDirectoryOptions {
  /**
   * How long a cached tenant is trusted, ms (default 10 000). Changes made by THIS process invalidate at once, and
   * with a store that notifies (PostgreSQL) so do changes made by other instances, within one notification's
   * latency. The TTL stays the bound for whatever notifications cannot cover: while the listening connection is
   * down (it clears the whole cache when it is back), or for a store without `subscribe`. It is not raised when
   * notifications work, so a broken channel never lets an instance accept an uninstalled tenant or a superseded
   * secret for longer than it would without one (a NEW secret is picked up at once: see `reloadAfterBadSignature`).
   */
  ttlMs?: number;
  /**
   * How long an issuer the store does not know is answered from memory, ms (default 5 000; 0 disables). Tokens
   * with random issuers then cost at most one store query per issuer per period, not one per request. An install
   * through this directory, or one another instance announces, clears the entry at once.
   */
  unknownTtlMs?: number;
  /** follow the store's change notifications when it offers them (default true) */
  listen?: boolean;
  maxEntries?: number;
  /** signature-verified tokens remembered per process (default 10 000; 0 disables) */
  maxVerifiedTokens?: number;
  now?: () => number;
}

interface VerifiedToken {
  resolved: ResolvedTenant;
  payload: JWTPayload;
}

interface Entry {
  value: Promise<ResolvedTenant | undefined>;
  expiresAt: number;
}

/**
 * Every field of the record equal (all of them primitives): the store holds what the cached tenant was made from.
 * Generic over the keys, so a field added to Tenant later is compared too.
 */
function sameRecord(cached: Tenant, stored: Tenant): boolean {
  const cachedFields = cached as unknown as Record<string, unknown>;
  const storedFields = stored as unknown as Record<string, unknown>;
  const keys = Object.keys(storedFields);
  if (Object.keys(cachedFields).length !== keys.length) return false;
  return keys.every((key) => cachedFields[key] === storedFields[key]);
}

/**
 * A TenantStore plus a per-process cache, so verifying a request costs no store read. Lifecycle changes go
 * through here so the cache entry is dropped the moment a secret or state changes.
 */
export class TenantDirectory {
  readonly store: TenantStore;
  private readonly cache = new Map<string, Entry>();
  /** issuers the store did not know, until when (ms): kept apart so that they never evict known tenants */
  private readonly unknown = new Map<string, number>();
  private readonly unknownTtlMs: number;
  private readonly verifiedTokens: FifoMap<string, VerifiedToken>;
  readonly maxVerifiedTokens: number;
  private readonly ttlMs: number;
  private readonly maxEntries: number;
  private readonly now: () => number;

  /** site → clientKey of its active tenant (undefined: none), for Forge Invocation Tokens */
  private readonly bySite = new Map<string, { clientKey: string | undefined; expiresAt: number }>();
  /** Forge installation → clientKey of its linked tenant (undefined: none), tried before the site */
  private readonly byInstallation = new Map<string, { clientKey: string | undefined; expiresAt: number }>();

  private readonly subscription: Promise<(() => Promise<void>) | undefined>;
  private closed = false;

  constructor(store: TenantStore, options: TenantDirectoryOptions = {}) {
    this.store = store;
    this.ttlMs = options.ttlMs ?? 10_000;
    this.unknownTtlMs = options.unknownTtlMs ?? 5_000;
    this.maxEntries = options.maxEntries ?? 10_000;
    this.now = options.now ?? Date.now;
    this.maxVerifiedTokens = options.maxVerifiedTokens ?? 10_000;
    this.verifiedTokens = new FifoMap(this.maxVerifiedTokens);
    // Subscribing here rather than in an async factory keeps `new TenantDirectory(store)` the whole setup, so
    // every existing caller gets cross-instance invalidation; `store.close()` alone still stops the listener.
    this.subscription =
      options.listen !== false && store.subscribe
        ? store.subscribe((change) => this.onStoreChange(change)).catch(() => undefined)
        : Promise.resolve(undefined);
  }

  /**
   * Resolves once the store's first attempt to deliver change notifications has finished (at once for a store
   * without them). Not needed before serving: until then, and whenever the channel is down, the TTL applies.
   */
  async ready(): Promise<void> {
    await this.subscription;
  }

  /** Stops following the store's notifications. The store is not closed: it may be shared. */
  async close(): Promise<void> {
    this.closed = true;
    const unsubscribe = await this.subscription;
    await unsubscribe?.();
    this.cache.clear();
    this.unknown.clear();
    this.verifiedTokens.clear();
    this.bySite.clear();
    this.byInstallation.clear();
  }

  private onStoreChange(change: TenantChange): void {
    if (this.closed) return;
    if (change.type === 'changed') {
      this.invalidate(change.clientKey);
    } else {
      this.cache.clear();
      this.unknown.clear();
      this.bySite.clear();
      this.byInstallation.clear();
    }
  }

  /**
   * Apps reuse one context token for many calls until it expires (AP.context.getToken caches it), so a token
   * whose signature jose already verified against THIS ResolvedTenant is remembered. The entry only counts while
   * the same ResolvedTenant object is current: a reinstall, uninstall or TTL reload creates a new one, so a
   * rotated secret or changed state forces a fresh signature check. Claims (exp, qsh, …) are still checked on
   * every request by the caller.
   */
  async recallVerified(token: string): Promise<VerifiedToken | undefined> {
    const remembered = this.verifiedTokens.get(token);
    if (!remembered) return undefined;
    const current = await this.resolve(remembered.resolved.tenant.clientKey);
    if (current !== remembered.resolved) {
      this.verifiedTokens.delete(token);
      return undefined;
    }
    return remembered;
  }

  /** no-op when `maxVerifiedTokens` is 0 */
  rememberVerified(token: string, resolved: ResolvedTenant, payload: JWTPayload): void {
    if (this.maxVerifiedTokens <= 0) return;
    // Full: the oldest remembered token goes (FifoMap, constant time).
    this.verifiedTokens.set(token, { resolved, payload });
  }

  resolve(clientKey: string): Promise<ResolvedTenant | undefined> {
    const cached = this.cache.get(clientKey);
    if (cached && cached.expiresAt > this.now()) return cached.value;
    const unknownUntil = this.unknown.get(clientKey);
    if (unknownUntil !== undefined) {
      if (unknownUntil > this.now()) return Promise.resolve(undefined);
      this.unknown.delete(clientKey);
    }
    // An expired entry is reloaded from the store; when the record comes back unchanged, its ResolvedTenant is kept.
    const value = this.load(clientKey, cached?.value);
    // A reload (expired entry) replaces its own entry and moves it to the back, so it never evicts another tenant,
    // and the tenants loaded most recently are the last to go when a new one needs the room.
    this.cache.delete(clientKey);
    if (this.cache.size >= this.maxEntries) this.cache.delete(this.cache.keys().next().value as string);
    this.cache.set(clientKey, { value, expiresAt: this.now() + this.ttlMs });
    // Failures (store down) are not remembered: the next request asks the store again. Unknown issuers are, briefly.
    // Only this clientKey's own entries go: an issuer the store does not know changes no site or installation link,
    // so a flood of random issuers costs no walk over the link caches (`invalidate` is for lifecycle changes).
    value.then(
      (resolved) => {
        if (resolved) return;
        this.forgetClientKey(clientKey);
        this.rememberUnknown(clientKey);
      },
      () => this.forgetClientKey(clientKey),
    );
    return value;
  }

  private rememberUnknown(clientKey: string): void {
    if (this.unknownTtlMs <= 0) return;
    if (this.unknown.size >= this.maxEntries) this.unknown.delete(this.unknown.keys().next().value as string);
    this.unknown.set(clientKey, this.now() + this.unknownTtlMs);
  }

  async applyLifecycleEvent(change: LifecycleChange): Promise<LifecycleResult> {
    this.invalidate(change.clientKey);
    try {
      return await this.store.applyLifecycleEvent(change);
    } finally {
      this.invalidate(change.clientKey);
    }
  }

  private forgetClientKey(clientKey: string): void {
    this.cache.delete(clientKey);
    this.unknown.delete(clientKey);
  }

  invalidate(clientKey: string): void {
    this.forgetClientKey(clientKey);
    // The tenant may have gained or lost a site, and a site without a tenant may have gained this one.
    for (const [cloudId, entry] of this.bySite) {
      if (entry.clientKey === undefined || entry.clientKey === clientKey) this.bySite.delete(cloudId);
    }
    for (const [installationId, entry] of this.byInstallation) {
      if (entry.clientKey === undefined || entry.clientKey === clientKey) this.byInstallation.delete(installationId);
    }
  }

  /**
   * The active tenant of a site (`cloudId`), for Forge Invocation Tokens: the store is asked which clientKey the
   * site's install stored, then that tenant is resolved like any other (cached, invalidated on changes). Undefined
   * when no active tenant names the site. Throws TypeError when the store cannot look tenants up by site.
   */
  async resolveByCloudId(cloudId: string): Promise<ResolvedTenant | undefined> {
    const store = this.store;
    if (!store.findClientKeyByCloudId) {
      throw new TypeError('This tenant store cannot look tenants up by cloudId (findClientKeyByCloudId).');
    }
    const entry = await this.cachedLookup(this.bySite, cloudId, (site) => store.findClientKeyByCloudId!(site));
    if (entry.clientKey === undefined) return undefined;
    const resolved = await this.resolve(entry.clientKey);
    // The site may have moved on (uninstalled, or reinstalled under another clientKey) since it was cached.
    if (!resolved || resolved.tenant.cloudId !== cloudId) {
      this.bySite.delete(cloudId);
      return undefined;
    }
    return resolved;
  }

  /**
   * The active tenant of a Forge Invocation Token: by its installation (`app.installationId`) first, then by its
   * site (`cloudId`). An installation linked to a tenant of ANOTHER site is refused (`'site-mismatch'`), never
   * served as either tenant. When only the site matched, the FIT's installation is stored on that tenant (the store
   * decides whether it may: never over an install payload's link, never across tenants), so the next lookup is
   * direct. Undefined when neither finds an active tenant.
   */
  async resolveForge(installationId: string, cloudId: string): Promise<ResolvedTenant | 'site-mismatch' | undefined> {
    const store = this.store;
    if (store.findClientKeyByInstallationId && isForgeInstallationId(installationId)) {
      const entry = await this.cachedLookup(this.byInstallation, installationId, (id) =>
        store.findClientKeyByInstallationId!(id),
      );
      if (entry.clientKey !== undefined) {
        const resolved = await this.resolve(entry.clientKey);
        if (resolved && isActive(resolved.tenant)) {
          const tenantSite = resolved.tenant.cloudId;
          if (tenantSite !== undefined && tenantSite !== cloudId) return 'site-mismatch';
          return resolved;
        }
        this.byInstallation.delete(installationId);
      }
    }
    const bySite = await this.resolveByCloudId(cloudId);
    if (!bySite || !store.linkForgeInstallation || !isForgeInstallationId(installationId)) return bySite;
    if (bySite.tenant.forgeInstallationId === installationId) return bySite;
    const clientKey = bySite.tenant.clientKey;
    let linked = false;
    try {
      linked = await store.linkForgeInstallation({ clientKey, cloudId, installationId });
    } catch {
      // The link is an optimisation: the site already proved the tenant, and the next FIT tries again.
    }
    if (linked) this.invalidate(clientKey);
    // Whether or not the store took the link, this installation reached this tenant by its site: remember that
    // for the TTL, so a refused link costs one store write per installation per TTL, not one per request.
    this.remember(this.byInstallation, installationId, { clientKey, expiresAt: this.now() + this.ttlMs });
    return bySite;
  }

  private async cachedLookup(
    cache: Map<string, { clientKey: string | undefined; expiresAt: number }>,
    key: string,
    load: (key: string) => Promise<string | undefined>,
  ): Promise<{ clientKey: string | undefined; expiresAt: number }> {
    const cached = cache.get(key);
    if (cached && cached.expiresAt > this.now()) return cached;
    const clientKey = await load(key);
    // An unknown key is remembered for unknownTtlMs only, like an unknown issuer.
    const ttl = clientKey === undefined ? this.unknownTtlMs : this.ttlMs;
    const entry = { clientKey, expiresAt: this.now() + ttl };
    if (ttl > 0) this.remember(cache, key, entry);
    return entry;
  }

  private remember(
    cache: Map<string, { clientKey: string | undefined; expiresAt: number }>,
    key: string,
    entry: { clientKey: string | undefined; expiresAt: number },
  ): void {
    cache.delete(key);
    if (cache.size >= this.maxEntries) cache.delete(cache.keys().next().value as string);
    cache.set(key, entry);
  }

  private readonly lastForcedReload = new Map<string, number>();

  /**
   * A signature that fails against the cached secret may be signed with a newer one: another instance sharing the
   * store took a reinstall. Reload from the store, at most once a second per tenant so forged tokens cannot turn
   * into a store read each; undefined when throttled or nothing changed.
   */
  async reloadAfterBadSignature(stale: ResolvedTenant): Promise<ResolvedTenant | undefined> {
    const key = stale.tenant.clientKey;
    const now = this.now();
    if ((this.lastForcedReload.get(key) ?? -Infinity) > now - 1000) return undefined;
    if (this.lastForcedReload.size >= this.maxEntries) this.lastForcedReload.clear();
    this.lastForcedReload.set(key, now);
    this.invalidate(key);
    const fresh = await this.resolve(key);
    return fresh && fresh.tenant.sharedSecret !== stale.tenant.sharedSecret ? fresh : undefined;
  }

  /** for tests and for callers that need every token signature-checked */
  forgetVerifiedTokens(): void {
    this.verifiedTokens.clear();
  }

  /**
   * Reads the tenant from the store. `expired` is the entry whose TTL ran out: when the store gives back exactly the
   * record it holds (same secret, state, baseUrl, event and link fields), that ResolvedTenant object is kept, so the
   * tokens remembered against it stay remembered and no new HMAC key is made. The store is still read once per TTL,
   * so the TTL bound holds; any difference (a reinstall, a state change) makes a new object as before, and with it a
   * fresh signature check of every token. With many tenants this is most of the work of a TTL reload.
   */
  private async load(
    clientKey: string,
    expired?: Promise<ResolvedTenant | undefined>,
  ): Promise<ResolvedTenant | undefined> {
    const tenant = await this.store.get(clientKey);
    if (!tenant) return undefined;
    const previous = await expired?.catch(() => undefined);
    if (previous && sameRecord(previous.tenant, tenant)) return previous;
    return { tenant, hmacKey: createSecretKey(Buffer.from(tenant.sharedSecret, 'utf8')) };
  }
}
