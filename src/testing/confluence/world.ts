import { EmulatorError } from '../errors.js';
import type {
  ConnectScope,
  EmulatedApp,
  EmulatedContentProperty,
  EmulatedPage,
  EmulatedSpace,
  EmulatedUser,
  EmulatedUserProperty,
  Faults,
  PageRestrictions,
  RateLimitFault,
} from './model.js';
import { createQuota, type QuotaOptions, type WorldQuota } from './quota.js';
import { DEFAULT_V1_REMOVAL_MODE, type V1RemovalMode } from './v1-removals.js';
import { PAGES, SPACES, USERS, seedPages, seedSpaces, seedUsers, type SeedUserName } from './seed.js';

/** A page as given to a seed: everything but the title has a sensible default. */
export type PageSeed = Partial<Omit<EmulatedPage, 'version'>> & {
  title: string;
  version?: Partial<EmulatedPage['version']> | number;
};

export interface WorldSeed {
  /** Replace the default users (admin, editor, viewer, noAccess, guest, anonymous, unlicensed). */
  users?: EmulatedUser[];
  /** Replace the default spaces (ENG, PEOPLE). */
  spaces?: EmulatedSpace[];
  /** Replace the default pages. Pages without `spaceId` go into the first space. */
  pages?: PageSeed[];
  /** Descriptor scopes of the app. Default `['READ', 'WRITE', 'DELETE']`. */
  scopes?: ConnectScope[];
  /** Spaces blocked for the app by an app access rule. Default: the PEOPLE space. */
  blockedSpaceIds?: string[];
  /** App key (sent by hosts as `AP-Client-Key`). Default `com.example.confluence-iframe-kit-demo`. */
  appKey?: string;
  /** Who is acting: an accountId or a seed user name (`'editor'`). Default: the editor. */
  actingUser?: string;
  /** Base URL of the emulated site, used when a request has no origin of its own. */
  siteUrl?: string;
  /** Clock (epoch ms). Inject one to make Retry-After countdowns deterministic. */
  now?: () => number;
  faults?: Partial<Faults>;
  /** Content properties to start with (none by default), each at version 1 unless given. */
  contentProperties?: ContentPropertySeed[];
  /** The app's points quota: limit, costs, and whether it starts spent or burst-limited. See `world.quota`. */
  quota?: QuotaOptions;
  /**
   * How v1 operations Atlassian has removed answer (`V1_REMOVALS`): `'warn'` (default) answers them as before with
   * `Deprecation` / `Warning` headers; `'enforce'` answers 410 Gone from each one's removal date (by `now`).
   */
  v1Removals?: V1RemovalMode;
  /**
   * Network latency: every emulated answer waits this many milliseconds, or a random time in `{ min, max }`, before
   * the request meets anything else (the `emulate --latency` option). Default 0.
   */
  latencyMs?: Latency;
}

/** A fixed latency in milliseconds, or a range a random latency is drawn from for each request. */
export type Latency = number | { min: number; max: number };

export interface ContentPropertySeed {
  pageId: string;
  key: string;
  value: unknown;
  /** Who wrote it: accountId or seed name. Default: the acting user. */
  as?: string;
  version?: number;
}

export interface ContentPropertyWrite {
  /** Who writes it: accountId or seed name. Default: the acting user. */
  as?: string;
  message?: string;
  minorEdit?: boolean;
}

export interface RequestLogEntry {
  id: number;
  method: string;
  /** Site-relative path with query, e.g. `/wiki/api/v2/pages?limit=5`. */
  path: string;
  status: number;
  accountId: string | null;
  at: number;
  /** Points the call spent from `world.quota` (0 for a refusal, a fault, or an `extraHandlers` answer). */
  points?: number;
  /** The emulator has no such operation: it answered 501 (Confluence itself might have it). */
  notEmulated?: true;
}

export interface ConfluenceWorld {
  readonly siteUrl: string;
  readonly users: Map<string, EmulatedUser>;
  readonly spaces: Map<string, EmulatedSpace>;
  readonly pages: Map<string, EmulatedPage>;
  /** v2 content properties by property id. */
  readonly contentProperties: Map<string, EmulatedContentProperty>;
  /** User properties, by `userPropertyKey(accountId, key)`. */
  readonly userProperties: Map<string, EmulatedUserProperty>;
  readonly app: EmulatedApp;
  readonly faults: Faults;
  /**
   * The app's points-based rate limit: every emulated call costs points, every answer carries `X-RateLimit-*` and
   * `Beta-RateLimit*` headers, and `exhaust()` / `burstLimit()` turn on Confluence's two 429s.
   */
  readonly quota: WorldQuota;
  /** How removed v1 operations answer: `'warn'` (headers only) or `'enforce'` (410 Gone). */
  readonly v1Removals: V1RemovalMode;
  /**
   * Switches how removed v1 operations answer, from now on. Throws `INVALID_OPTION` for another mode.
   *
   * @example
   * world.setV1Removals('enforce'); // GET /wiki/rest/api/space now answers 410 Gone, as Confluence's gateway does
   */
  setV1Removals(mode: V1RemovalMode): void;
  /** The latency every answer waits (`latencyMs` of the seed). */
  readonly latencyMs: Latency;
  /**
   * Delays every answer from now on: a fixed number of ms, or `{ min, max }` for a random delay in that range.
   * Throws `INVALID_OPTION` for a negative or non-finite value.
   *
   * @example
   * world.setLatency({ min: 100, max: 250 }); // about what a call to Confluence Cloud takes
   */
  setLatency(latency: Latency): void;
  /** The acting user's accountId (requests may override it with `X-Emulator-Account-Id`). */
  readonly actingAccountId: string;
  /** Switch the acting user by accountId or seed name (`'viewer'`). Throws on an unknown user. */
  actAs(user: string): EmulatedUser;
  /** Look a user up by accountId or seed name. */
  user(user: string): EmulatedUser | undefined;
  setScopes(scopes: ConnectScope[]): void;
  /** Block or unblock the app from a space (an app access rule). */
  setAppAccess(spaceId: string, allowed: boolean): void;
  setFaults(faults: Partial<Faults>): void;
  resetFaults(): void;
  /** Start answering 429. Without `times`/`forMs` it lasts until cleared with `setFaults({rateLimit: null})`. */
  rateLimit(options?: { retryAfterSeconds?: number; times?: number; forMs?: number }): void;
  addPage(seed: PageSeed): EmulatedPage;
  restrictPage(pageId: string, restrictions: PageRestrictions): void;
  /** The page's property with this key (case-sensitive, as in Confluence). */
  contentProperty(pageId: string, key: string): EmulatedContentProperty | undefined;
  /**
   * Create the property (version 1) or overwrite it with the next version, as Confluence would
   * after a successful write. Tests use it to be "someone else" writing between a read and a save.
   */
  setContentProperty(
    pageId: string,
    key: string,
    value: unknown,
    write?: ContentPropertyWrite,
  ): EmulatedContentProperty;
  now(): number;
  /** The most recent requests (at most 500), oldest first. */
  readonly requests: readonly RequestLogEntry[];
  /** Called after every answered request; returns an unsubscribe function. */
  onRequest(listener: (entry: RequestLogEntry) => void): () => void;
  /** Used by the handlers; records a request in the log. */
  record(entry: Omit<RequestLogEntry, 'id' | 'at'>): void;
}

/** The key of `world.userProperties` for a user's property. */
export const userPropertyKey = (accountId: string, key: string) => `${accountId}\n${key}`;

export const DEFAULT_APP_KEY = 'com.example.confluence-iframe-kit-demo';
export const DEFAULT_SITE_URL = 'https://emulated.atlassian.net';
const LOG_LIMIT = 500;

function noFaults(): Faults {
  return { rateLimit: null, slowMs: 0, hostDown: false, nextSaveConflicts: false };
}

function checkedRemovalMode(mode: V1RemovalMode): V1RemovalMode {
  if (mode === 'enforce' || mode === 'warn') return mode;
  throw new EmulatorError('INVALID_OPTION', `createWorld: v1Removals must be 'enforce' or 'warn', got ${String(mode)}`);
}

function checkedLatency(latency: Latency): Latency {
  const valid = (ms: unknown) => typeof ms === 'number' && Number.isFinite(ms) && ms >= 0;
  if (
    typeof latency === 'number'
      ? valid(latency)
      : valid(latency?.min) && valid(latency?.max) && latency.min <= latency.max
  ) {
    return typeof latency === 'number' ? latency : { min: latency.min, max: latency.max };
  }
  throw new EmulatorError(
    'INVALID_OPTION',
    `createWorld: latencyMs must be a number ≥ 0 or { min ≤ max }, got ${JSON.stringify(latency)}`,
  );
}

/**
 * An in-memory Confluence site for tests and the dev emulator: users with their product access and space roles,
 * spaces, a page tree with versions and restrictions, content properties, the app's scopes and app access rules,
 * injectable faults, and a request log. Every fake host (`createFakeAP`, `createFakeForgeBridge`,
 * `renderWithConfluence`) and `createConfluenceHandlers` answer from one world; change it at any time and the next
 * request sees the change.
 *
 * @example
 * const world = createWorld({ actingUser: 'viewer', scopes: ['READ'] });
 * world.restrictPage(PAGES.home, { read: [USERS.admin.accountId] });
 * const { status } = await answerConfluenceRequest(world, { path: `/wiki/api/v2/pages/${PAGES.home}` });
 * status; // 404: v2 hides what the viewer may not see
 * world.actAs('admin');
 * world.requests.at(-1)?.status; // 404, logged for the viewer
 */
export function createWorld(seed: WorldSeed = {}): ConfluenceWorld {
  const now = seed.now ?? (() => Date.now());
  const users = new Map((seed.users ?? seedUsers()).map((user) => [user.accountId, { ...user }]));
  const spaces = new Map(
    (seed.spaces ?? seedSpaces()).map((space) => [space.id, { ...space, roles: { ...space.roles } }]),
  );
  const pages = new Map<string, EmulatedPage>();
  const firstSpaceId = spaces.keys().next().value ?? SPACES.engineering.id;
  const firstUserId = users.keys().next().value ?? USERS.admin.accountId;

  const app: EmulatedApp = {
    key: seed.appKey ?? DEFAULT_APP_KEY,
    scopes: [...(seed.scopes ?? ['READ', 'WRITE', 'DELETE'])],
    blockedSpaceIds: [...(seed.blockedSpaceIds ?? (seed.spaces ? [] : [SPACES.people.id]))],
  };
  const faults: Faults = { ...noFaults(), ...seed.faults };
  const log: RequestLogEntry[] = [];
  const listeners = new Set<(entry: RequestLogEntry) => void>();
  let nextLogId = 1;
  let nextPageId = 900_001;
  let nextPropertyId = 4_000_001;
  const contentProperties = new Map<string, EmulatedContentProperty>();

  const resolveUser = (ref: string): EmulatedUser | undefined =>
    users.get(ref) ?? (ref in USERS ? users.get(USERS[ref as SeedUserName].accountId) : undefined);

  function toPage(pageSeed: PageSeed): EmulatedPage {
    const createdAt = pageSeed.createdAt ?? new Date(now()).toISOString();
    const authorId = pageSeed.authorId ?? firstUserId;
    const version = typeof pageSeed.version === 'number' ? { number: pageSeed.version } : (pageSeed.version ?? {});
    return {
      id: pageSeed.id ?? String(nextPageId++),
      spaceId: pageSeed.spaceId ?? firstSpaceId,
      parentId: pageSeed.parentId ?? null,
      title: pageSeed.title,
      status: pageSeed.status ?? 'current',
      body: pageSeed.body ?? `<pageSeed>${pageSeed.title}</pageSeed>`,
      authorId,
      createdAt,
      position: pageSeed.position ?? pages.size,
      restrictions: { ...pageSeed.restrictions },
      labels: (pageSeed.labels ?? []).map((label) => label.toLowerCase()),
      version: { number: 1, message: '', minorEdit: false, authorId, createdAt, ...version },
    };
  }

  for (const pageSeed of seed.pages ?? seedPages()) {
    const page = toPage(pageSeed);
    pages.set(page.id, page);
  }

  let v1Removals = checkedRemovalMode(seed.v1Removals ?? DEFAULT_V1_REMOVAL_MODE);
  let latency = checkedLatency(seed.latencyMs ?? 0);

  const initialUser = resolveUser(seed.actingUser ?? 'editor') ?? users.get(firstUserId);
  if (!initialUser) throw new EmulatorError('EMPTY_SEED', 'createWorld: the seed has no users');
  let acting: EmulatedUser = initialUser;

  const world: ConfluenceWorld = {
    siteUrl: (seed.siteUrl ?? DEFAULT_SITE_URL).replace(/\/+$/, ''),
    users,
    spaces,
    pages,
    contentProperties,
    userProperties: new Map(),
    app,
    faults,
    quota: createQuota(now, seed.quota),
    get v1Removals() {
      return v1Removals;
    },
    setV1Removals(mode) {
      v1Removals = checkedRemovalMode(mode);
    },
    get latencyMs() {
      return latency;
    },
    setLatency(next) {
      latency = checkedLatency(next);
    },
    get actingAccountId() {
      return acting.accountId;
    },
    actAs(ref) {
      const user = resolveUser(ref);
      if (!user) throw new EmulatorError('UNKNOWN_USER', `createWorld: unknown user "${ref}"`);
      acting = user;
      return user;
    },
    user: resolveUser,
    setScopes(scopes) {
      app.scopes = [...scopes];
    },
    setAppAccess(spaceId, allowed) {
      app.blockedSpaceIds = app.blockedSpaceIds.filter((id) => id !== spaceId);
      if (!allowed) app.blockedSpaceIds.push(spaceId);
    },
    setFaults(partial) {
      Object.assign(faults, partial);
    },
    resetFaults() {
      Object.assign(faults, noFaults());
    },
    rateLimit({ retryAfterSeconds = 3, times, forMs } = {}) {
      const fault: RateLimitFault = { retryAfterSeconds };
      if (times !== undefined) fault.times = times;
      if (forMs !== undefined) fault.untilMs = now() + forMs;
      faults.rateLimit = fault;
    },
    addPage(pageSeed) {
      const page = toPage(pageSeed);
      pages.set(page.id, page);
      return page;
    },
    restrictPage(pageId, restrictions) {
      const page = pages.get(pageId);
      if (!page) throw new EmulatorError('UNKNOWN_PAGE', `createWorld: unknown page "${pageId}"`);
      page.restrictions = { ...restrictions };
    },
    contentProperty(pageId, key) {
      for (const property of contentProperties.values()) {
        if (property.pageId === pageId && property.key === key) return property;
      }
      return undefined;
    },
    setContentProperty(pageId, key, value, write = {}) {
      if (!pages.has(pageId)) throw new EmulatorError('UNKNOWN_PAGE', `createWorld: unknown page "${pageId}"`);
      const author = write.as === undefined ? acting : resolveUser(write.as);
      if (!author) throw new EmulatorError('UNKNOWN_USER', `createWorld: unknown user "${write.as}"`);
      const existing = world.contentProperty(pageId, key);
      const version = {
        number: (existing?.version.number ?? 0) + 1,
        message: write.message ?? '',
        minorEdit: write.minorEdit ?? false,
        authorId: author.accountId,
        createdAt: new Date(now()).toISOString(),
      };
      if (existing) return Object.assign(existing, { value, version });
      const created: EmulatedContentProperty = { id: String(nextPropertyId++), pageId, key, value, version };
      contentProperties.set(created.id, created);
      return created;
    },
    now,
    get requests() {
      return log;
    },
    onRequest(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    record(entry) {
      const full: RequestLogEntry = { ...entry, id: nextLogId++, at: now() };
      log.push(full);
      if (log.length > LOG_LIMIT) log.shift();
      for (const listener of listeners) listener(full);
    },
  };
  for (const propertySeed of seed.contentProperties ?? []) {
    const { pageId, key, value, as, version } = propertySeed;
    const property = world.setContentProperty(pageId, key, value, { as });
    if (version !== undefined) property.version.number = version;
  }
  return world;
}

export { PAGES, SPACES, USERS };
