interface CachedKey<Key> {
  key: Key;
  /** when the fetch that returned it settled, ms */
  fetchedAt: number;
  /** the fetch it came from (see KeyLookupOptions.scopeOf) */
  scope: string;
}

/**
 * Keys that a fetch returned, most recently used last, at most `maxKeys`. Only successful fetches write here:
 * pending look-ups and failures live elsewhere, so a flood of bogus kids can never evict a key real tokens use.
 */
export class KeyCache<Key> {
  private readonly entries = new Map<string, CachedKey<Key>>();

  constructor(private readonly maxKeys: number) {}

  /** The entry for a kid, marked as just used. */
  get(kid: string): CachedKey<Key> | undefined {
    const entry = this.entries.get(kid);
    if (!entry) return undefined;
    this.entries.delete(kid);
    this.entries.set(kid, entry);
    return entry;
  }

  /**
   * What one fetch of `scope` returned replaces what the previous fetch of that scope returned: a key the source
   * no longer lists (a revoked key leaving a JWKS) stops being served once the source has answered without it.
   */
  replaceScope(scope: string, keys: ReadonlyMap<string, Key>, fetchedAt: number): void {
    for (const [kid, entry] of this.entries) {
      if (entry.scope === scope && !keys.has(kid)) this.entries.delete(kid);
    }
    for (const [kid, key] of keys) {
      this.entries.delete(kid);
      while (this.entries.size >= this.maxKeys) this.entries.delete(this.entries.keys().next().value as string);
      this.entries.set(kid, { key, fetchedAt, scope });
    }
  }
}
