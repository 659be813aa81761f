export type LifecycleEventType = 'installed' | 'enabled' | 'disabled' | 'uninstalled';

/** A tenant's state is the last lifecycle event applied to it. */
export type TenantState = LifecycleEventType;

export interface Tenant {
  clientKey: string;
  baseUrl: string;
  /** decrypted shared secret (HS256 key of the tenant's iframe and context tokens) */
  sharedSecret: string;
  state: TenantState;
  productType?: string;
  description?: string;
  /** iat of the lifecycle token that produced this state, seconds */
  lastEventIat: number;
  installedAt: string;
  updatedAt: string;
}

export interface LifecycleChange {
  clientKey: string;
  eventType: LifecycleEventType;
  /** iat of the verified lifecycle token: events are applied in this order, whatever order they arrive in */
  iat: number;
  baseUrl: string;
  /** required to create or re-install a tenant; state-only events never change the secret */
  sharedSecret?: string;
  productType?: string;
  description?: string;
}

export interface LifecycleResult {
  /** false when a newer event was already applied (the change was stale) or the tenant is unknown */
  applied: boolean;
  tenant: Tenant | undefined;
}

/**
 * Where tenants live. Implementations must apply a change atomically (one statement or transaction, so a
 * failure never leaves a partial write) and throw VerificationError('STORE_UNAVAILABLE') when the store is
 * locked or unreachable.
 */
export interface TenantStore {
  get(clientKey: string): Promise<Tenant | undefined>;
  applyLifecycleEvent(change: LifecycleChange): Promise<LifecycleResult>;
  /**
   * Optional: tells caches which tenants changed, so one app instance's uninstall or secret rotation reaches the
   * caches of the others before their TTL runs out. Resolves with an unsubscribe function once the first attempt
   * to start listening has finished (a store that cannot listen yet keeps retrying in the background and says so
   * with a `reset` when it succeeds); it never rejects because the database is unreachable. `close()` stops every
   * subscription.
   */
  subscribe?(onChange: (change: TenantChange) => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

/**
 * `changed`: that tenant may have changed (possibly by this very process); drop what is cached for it.
 * `reset`: changes may have been missed (the channel was down, or has only just started): drop everything.
 */
export type TenantChange = { type: 'changed'; clientKey: string } | { type: 'reset' };

/** Stored with each event; at the same iat an uninstalled tenant (rank 3) takes only `installed` (0) or `uninstalled` (3). */
export const EVENT_RANK: Record<LifecycleEventType, number> = { installed: 0, enabled: 1, disabled: 2, uninstalled: 3 };

export function isActive(tenant: Tenant): boolean {
  return tenant.state === 'installed' || tenant.state === 'enabled';
}
