import type { ConnectAP } from '../host/ConnectAP.js';
import type { ForgeBridge } from '../host/ForgeBridge.js';
import type { HostKind } from '../host/HostKind.js';
import { findEarlyStart } from '../early/early-start.js';
import { bounded, fromCallback } from './host-calls.js';

// React-free on purpose: the early start (`confluence-iframe-kit/early`) reads the host context before React loads.

/**
 * Who is looking at the app: a licensed Confluence `user`, a single-space `guest`, an `anonymous` viewer of a
 * public space (no accountId), or an `unlicensed` user (the app's licence is inactive for them).
 */
export type ConfluenceViewer = 'user' | 'guest' | 'anonymous' | 'unlicensed';

/** The host's context as it answered, with the viewer it implies. Read once per page load. */
export interface HostContextRead {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the raw context is whatever the host returned
  raw: any;
  accountId?: string;
  viewer: ConfluenceViewer;
}

/** Shared by the provider (who is looking), `useConfluenceContext` (the typed context) and the early start. */
export const HOST_CONTEXT_KEY = ['confluence', 'context'] as const;

/** What reading the context needs: the host found, and the bound of each host call. */
export interface HostContextSource {
  host?: HostKind;
  ap?: ConnectAP;
  bridge?: ForgeBridge;
  timeoutMs: number;
  /** The standalone (fetch) context the provider was given. */
  context?: object;
}

/** Connect puts the app's licence in the iframe URL: `lic=active` or `lic=none` (absent for a free app). */
const CONNECT_INACTIVE_LICENCE = /[?&]lic=none(&|$)/;

/**
 * The host's context and who is looking. An inactive licence (`license: { active: false }`, Forge's
 * `{ isActive: false }`, Connect's `lic=none`) comes first: nothing in the app works for them. A missing accountId is
 * anonymous only when the host was asked for one. Guests are not in any context (the React layer's `withGuest`).
 * When the early start (confluence-iframe-kit/early) already asked this host, its read is the answer.
 */
export async function readHostContext({
  host,
  ap,
  bridge,
  timeoutMs,
  context,
}: HostContextSource): Promise<HostContextRead> {
  const early = findEarlyStart();
  if (early && early.host === host) return early.context;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the raw context is whatever the host returned
  let raw: any = context;
  let accountId: string | undefined = raw?.user?.accountId;
  let accountIdKnown = raw?.user !== undefined;
  let licenceInactive = false;
  if (host === 'connect' && ap?.context) {
    // Connect's context carries no user; AP.user does. Both are asked at once: asking AP.user only after the
    // context arrived would put a second host round trip before the app's first data read.
    const user = ap.user;
    const [connectContext, current] = await Promise.all([
      bounded(ap.context.getContext(), timeoutMs),
      user && fromCallback<{ atlassianAccountId?: string }>((resolve) => user.getCurrentUser(resolve), timeoutMs),
    ]);
    raw = connectContext;
    accountId = raw.user?.accountId ?? current?.atlassianAccountId;
    accountIdKnown = accountId !== undefined || user !== undefined;
    licenceInactive = CONNECT_INACTIVE_LICENCE.test(globalThis.location?.search ?? '');
  } else if (host === 'forge' && bridge?.view) {
    raw = await bounded(bridge.view.getContext(), timeoutMs);
    accountId = raw.accountId;
    accountIdKnown = true;
  }
  const license = raw?.license;
  if (license?.active === false || license?.isActive === false) licenceInactive = true;
  let viewer: ConfluenceViewer = 'user';
  if (licenceInactive) viewer = 'unlicensed';
  else if (accountIdKnown && !accountId) viewer = 'anonymous';
  return { raw, accountId, viewer };
}

export interface ConfluenceContextInfo {
  host: HostKind;
  content?: { id: string; type?: string; version?: number };
  space?: { id?: string; key?: string };
  macro?: { id?: string; outputType?: string; hash?: string };
  user?: { accountId?: string };
  /**
   * Who is looking: `'user'`, `'guest'` (single-space guest), `'anonymous'` (a public space's viewer, no
   * accountId) or `'unlicensed'` (the app's licence is inactive for them). Guests are recognised once the current
   * user is read (`confluenceQueries.currentUser()`, `isGuest`): the host contexts do not say.
   */
  viewer: ConfluenceViewer;
  /** What the host returned, untouched. */
  raw?: unknown;
}

interface HostEntity {
  id?: string | number | null;
  version?: string | number | null;
  [field: string]: unknown;
}

/** Hosts hand out numeric ids and string versions in some places; the toolkit uses string ids, numeric versions. */
function normaliseIds<T>(entity: HostEntity | undefined): T {
  if (entity?.id === undefined || entity.id === null) return entity as T;
  const normalised: HostEntity = { ...entity, id: String(entity.id) };
  if (entity.version !== undefined && entity.version !== null) normalised.version = Number(entity.version);
  return normalised as T;
}

interface HostContext {
  content?: HostEntity;
  space?: HostEntity;
  macro?: ConfluenceContextInfo['macro'];
}

/** Types the host's context (string ids, numeric versions); the standalone (fetch) context is used as given. */
export function toContextInfo(
  host: HostKind,
  { raw, accountId }: HostContextRead,
  viewer: ConfluenceViewer,
): ConfluenceContextInfo {
  if (host !== 'connect' && host !== 'forge') return { host, ...raw, viewer };
  const confluence: HostContext =
    host === 'connect' ? (raw.confluence ?? {}) : { macro: raw.localId && { id: raw.localId }, ...raw.extension };
  return {
    host,
    content: normaliseIds(confluence.content),
    space: normaliseIds(confluence.space),
    macro: confluence.macro,
    user: { accountId },
    viewer,
    raw,
  };
}
