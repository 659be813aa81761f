import { UnreadableTenantRecordError } from './unreadable-record.js';

/** Tenants whose highest secret generation a store object remembers (least recently seen forgotten first). */
export const DEFAULT_GENERATION_WATERMARK_ENTRIES = 100_000;

/**
 * The highest secret generation a store object has read or written per tenant. The generation is bound into each
 * ciphertext, so it cannot be relabelled; a whole record (ciphertext AND generation) copied back from an older
 * write can only be recognised by someone who has seen the newer one. This is that someone, for as long as the
 * process runs and the tenant stays among the `maxEntries` most recently seen: it refuses a record older than
 * what it has seen, instead of handing out a rotated-away secret.
 */
export class SecretGenerationWatermark {
  private readonly highest = new Map<string, number>();
  private readonly maxEntries: number;

  constructor(maxEntries = DEFAULT_GENERATION_WATERMARK_ENTRIES) {
    this.maxEntries = maxEntries;
  }

  get size(): number {
    return this.highest.size;
  }

  /** Whether `generation` is older than one already seen for this tenant (`observe` would refuse it). */
  isBehind(clientKey: string, generation: number): boolean {
    const seen = this.highest.get(clientKey);
    return seen !== undefined && generation < seen;
  }

  /** Throws UnreadableTenantRecordError (a VerificationError('STORE_UNAVAILABLE')) for a generation below the highest seen; otherwise records it. */
  observe(clientKey: string, generation: number): void {
    const seen = this.highest.get(clientKey);
    if (seen !== undefined && generation < seen) {
      throw new UnreadableTenantRecordError(
        `The stored shared secret of this tenant is older (generation ${generation}) than one this process has ` +
          `already seen (generation ${seen}): the record was rolled back, so it is refused.`,
      );
    }
    if (this.maxEntries <= 0) return;
    // Re-inserted so the Map's order is least recently seen first: that is the entry evicted when full.
    this.highest.delete(clientKey);
    this.highest.set(clientKey, Math.max(seen ?? generation, generation));
    if (this.highest.size > this.maxEntries) this.highest.delete(this.highest.keys().next().value as string);
  }

  clear(): void {
    this.highest.clear();
  }
}
