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
  /** the site's cloudId from the install payload, when it carried one: how a Forge Invocation Token finds this tenant */
  cloudId?: string;
  /**
   * The Forge installation (`ari:cloud:ecosystem::installation/<uuid>`) linked to this tenant: from the install
   * payload's `installationId`, or stored by the first Forge Invocation Token that reached this tenant by its site
   * (see installation-link.ts). How a FIT finds its tenant first.
   */
  forgeInstallationId?: string;
  /** who stored `forgeInstallationId`: a FIT never replaces what an install payload set */
  forgeInstallationSource?: 'install' | 'fit';
  /** the install payload's `oauthClientId`: what acting as a user (the JWT bearer grant) signs as */
  oauthClientId?: string;
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
  /** the install payload's `cloudId`; stored when the change applies, never cleared by a change without one */
  cloudId?: string;
  /**
   * the payload's `installationId` when well-formed (Connect apps on Forge); stored with an applied change. An
   * applied `installed` without one clears the tenant's installation link (a reinstall is a new installation).
   */
  forgeInstallationId?: string;
  /** the install payload's `oauthClientId`; stored when the change applies, never cleared by a change without one */
  oauthClientId?: string;
  /**
   * The verified lifecycle token this change came with. The store records it with the change, in the same
   * transaction, until it expires: the same token never applies twice, on any instance sharing the store.
   */
  token?: LifecycleTokenRecord;
}

/** What is kept of an applied lifecycle token: hashes only, never the token or the body. */
export interface LifecycleTokenRecord {
  /** sha256 hex of the compact token */
  tokenHash: string;
  /** sha256 hex of the request body it came with */
  bodyHash: string;
  /**
   * the token's exp plus the verification's clock leeway, seconds: after it the token cannot verify anyway and the
   * record may go (never earlier: a replay inside the leeway would find no record)
   */
  expiresAt: number;
}

export interface LifecycleResult {
  /** false when a newer event was already applied (the change was stale) or the tenant is unknown */
  applied: boolean;
  tenant: Tenant | undefined;
  /**
   * true when this exact token had already been recorded with this exact body: a retry or a replay, answered as
   * the first delivery was and changing nothing. The same token with another body throws LIFECYCLE_TOKEN_REPLAYED.
   */
  replayed?: boolean;
}

/**
 * Where tenants live. Implementations must apply a change atomically (one statement or transaction, so a
 * failure never leaves a partial write) and throw VerificationError('STORE_UNAVAILABLE') when the store is
 * locked or unreachable.
 */
export interface TenantStore {
  get(clientKey: string): Promise<Tenant | undefined>;
  /**
   * Applies the change atomically with the record of `change.token` (when given): an already recorded token with
   * the same body resolves `{ applied: false, replayed: true }`, with another body throws
   * VerificationError('LIFECYCLE_TOKEN_REPLAYED'); neither changes anything.
   */
  applyLifecycleEvent(change: LifecycleChange): Promise<LifecycleResult>;
  /**
   * Optional: tells caches which tenants changed, so one app instance's uninstall or secret rotation reaches the
   * caches of the others before their TTL runs out. Resolves with an unsubscribe function once the first attempt
   * to start listening has finished (a store that cannot listen yet keeps retrying in the background and says so
   * with a `reset` when it succeeds); it never rejects because the database is unreachable. `close()` stops every
   * subscription.
   */
  subscribe?(onChange: (change: TenantChange) => void): Promise<() => Promise<void>>;
  /**
   * Optional: re-encrypts every stored shared secret that is not under the newest secret key, so the older keys
   * can then be dropped from TENANT_SECRET_KEY. Resolves with how many records were rewritten. Safe to run while
   * serving: a record changed meanwhile (a reinstall) is left as the newer write made it.
   */
  reencryptSecrets?(): Promise<number>;
  /**
   * Optional: the clientKey of the active (installed or enabled) tenant whose install payload named this site
   * (`cloudId`), undefined when there is none. Needed by routes that accept Forge Invocation Tokens.
   */
  findClientKeyByCloudId?(cloudId: string): Promise<string | undefined>;
  /**
   * Optional: the clientKey of the active tenant linked to this Forge installation (`ari:cloud:ecosystem::installation/…`),
   * undefined when there is none. Tried before `findClientKeyByCloudId`.
   */
  findClientKeyByInstallationId?(installationId: string): Promise<string | undefined>;
  /**
   * Optional: stores a FIT's installation on the active tenant of its site, unless an install payload set that
   * tenant's link or another tenant holds this installation. Resolves true when the link was written.
   */
  linkForgeInstallation?(link: { clientKey: string; cloudId: string; installationId: string }): Promise<boolean>;
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
