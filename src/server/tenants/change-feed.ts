import type { TenantChange } from './types.js';

/** The subscribers of one store. */
export class ChangeFeed {
  private readonly listeners = new Set<(change: TenantChange) => void>();

  get size(): number {
    return this.listeners.size;
  }

  add(listener: (change: TenantChange) => void): () => boolean {
    // Wrapped so the same function subscribed twice gets two independent subscriptions.
    const entry = (change: TenantChange) => listener(change);
    this.listeners.add(entry);
    return () => this.listeners.delete(entry);
  }

  emit(change: TenantChange): void {
    for (const listener of this.listeners) {
      // Called from a socket's data handler: a throwing subscriber must not take the connection (or the process)
      // down, nor keep the other subscribers from hearing about the change.
      try {
        listener(change);
      } catch {
        /* the subscriber's own bug; the next change is still delivered */
      }
    }
  }

  clear(): void {
    this.listeners.clear();
  }
}
