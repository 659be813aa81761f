/**
 * The data model of the emulated Confluence site. Plain data, so a world can be
 * built from JSON, cloned and compared; behaviour lives in permissions.ts and the handlers.
 */

import type { ConnectScope } from '../internal/scopes.js';

export type { ConnectScope };

/** A user's role in one space. `undefined` (absent) means the user cannot see the space at all. */
export type SpaceRole = 'view' | 'edit' | 'admin';

export interface EmulatedUser {
  /**
   * The user's id. For an anonymous viewer it is only the world's key for them (`'anonymous'`, the identifier
   * Confluence's permission check uses): it never appears in an answer, a token or a host context.
   */
  accountId: string;
  displayName: string;
  email: string;
  /** false reproduces "Current user not permitted to use Confluence" (no product access / licence). */
  confluenceAccess: boolean;
  /** Confluence administrator: may run permission checks for other users. */
  siteAdmin: boolean;
  /** The "Create Space(s)" global permission (`POST /rest/api/space`). Default: `siteAdmin`. */
  canCreateSpace?: boolean;
  timeZone: string;
  /**
   * A single-space guest (`isExternalCollaborator` / `isGuest` in v1 user bodies): give them a role in one space
   * only. CQL search answers them 403; v2 content outside their space is the usual 404.
   */
  guest?: boolean;
  /**
   * An anonymous viewer of public spaces (a space grants them a role under their `accountId` key): no accountId in
   * `user/current`, context tokens without `sub`, and every write refused, whatever a space grants.
   */
  anonymous?: boolean;
  /**
   * `false`: the app's licence is inactive for this user (a paid app they have no licence for). Confluence itself
   * does not refuse their REST calls; the hosts tell the app through `license: { active: false }` in the context.
   * Default `true`.
   */
  appLicensed?: boolean;
}

export interface EmulatedSpace {
  id: string; // numeric, as in v2
  key: string;
  name: string;
  type: 'global' | 'personal';
  status: 'current' | 'archived';
  homepageId: string | null;
  authorId: string;
  createdAt: string;
  description: string;
  /** accountId → role. Users not listed cannot view the space. */
  roles: Record<string, SpaceRole>;
}

export interface PageRestrictions {
  /** When set, only these accountIds may view the page (inherited by descendants, as in Confluence). */
  read?: string[];
  /** When set, only these accountIds may edit the page (not inherited). */
  update?: string[];
}

export interface PageVersion {
  number: number;
  message: string;
  minorEdit: boolean;
  authorId: string;
  createdAt: string;
}

export interface EmulatedPage {
  id: string;
  spaceId: string;
  parentId: string | null;
  title: string;
  status: 'current' | 'draft' | 'archived';
  /** Storage-format XHTML. */
  body: string;
  authorId: string;
  createdAt: string;
  position: number;
  version: PageVersion;
  restrictions: PageRestrictions;
  /**
   * Labels (global prefix only), lower-case as Confluence stores them. Optional so pages built
   * before labels existed stay valid; only CQL search (`label = x`) reads them.
   */
  labels?: string[];
}

export interface EmulatedApp {
  key: string;
  /** Scopes as declared in the descriptor; implied scopes are added when checking (see scopes.ts). */
  scopes: ConnectScope[];
  /** Space ids an app access rule blocks this app from ("it can't read or write to any of the objects in the space"). */
  blockedSpaceIds: string[];
}

export interface RateLimitFault {
  /** Value of Retry-After, in seconds. */
  retryAfterSeconds: number;
  /** Throttle only this many more requests, then recover by itself. */
  times?: number;
  /** Throttle until this epoch-ms instant, then recover by itself (Retry-After counts down to it). */
  untilMs?: number;
}

export interface Faults {
  /** Every request answers 429 with Retry-After and X-RateLimit-* headers while set. */
  rateLimit: RateLimitFault | null;
  /** Delay every answer by this many milliseconds (past a client timeout, to emulate a slow host). */
  slowMs: number;
  /** '503': a bare Service Unavailable (no Retry-After, see serviceUnavailable); 'network': the request never reaches Confluence. */
  hostDown: false | '503' | 'network';
  /** The next page update (v1 or v2) loses a race: someone else saves first, and the update gets 409. */
  nextSaveConflicts: boolean;
}

/**
 * A v2 content property on a page: the key/value store macros keep their state in. It has its
 * own version, independent of the page's, and survives a Connect → Forge migration.
 */
export interface EmulatedContentProperty {
  /** Numeric, as in v2; unique across the site (not per page). */
  id: string;
  pageId: string;
  key: string;
  /** Any JSON value. */
  value: unknown;
  version: PageVersion;
}

/**
 * A user property (`/rest/api/user/{accountId}/property/{key}`): a JSON value an app keeps for one user, with its own
 * version.
 */
export interface EmulatedUserProperty {
  /** Numeric, unique across the site. */
  id: string;
  accountId: string;
  key: string;
  /** Any JSON value. */
  value: unknown;
  version: { number: number; when: string };
  createdDate: string;
}
