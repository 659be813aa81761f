import { createContext } from 'react';
import { useQuery } from '@tanstack/react-query';
import { confluenceQueries } from '../queries/confluence-queries.js';
import { bounded, fromCallback } from './host-calls.js';
import type { KitValue } from './kit-context.js';

/**
 * Who is looking at the app: a licensed Confluence `user`, a single-space `guest`, an `anonymous` viewer of a
 * public space (no accountId), or an `unlicensed` user (the app's licence is inactive for them).
 */
export type ConfluenceViewer = 'user' | 'guest' | 'anonymous' | 'unlicensed';

/** What `<ConfluenceProvider>` knows about the viewer; `known: false` while the host context is being read. */
export interface ViewerState {
  viewer?: ConfluenceViewer;
  known: boolean;
}

// Outside a provider there is no host to ask: nothing to wait for, nothing known.
export const ViewerContext = createContext<ViewerState>({ known: true });

/** The host's context as it answered, with the viewer it implies. Read once, by the provider. */
export interface HostContextRead {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the raw context is whatever the host returned
  raw: any;
  accountId?: string;
  viewer: ConfluenceViewer;
}

/** Shared by the provider (who is looking) and `useConfluenceContext` (the typed context): one host read. */
export const HOST_CONTEXT_KEY = ['confluence', 'context'] as const;

/** Connect puts the app's licence in the iframe URL: `lic=active` or `lic=none` (absent for a free app). */
const CONNECT_INACTIVE_LICENCE = /[?&]lic=none(&|$)/;

/**
 * The host's context and who is looking. An inactive licence (`license: { active: false }`, Forge's
 * `{ isActive: false }`, Connect's `lic=none`) comes first: nothing in the app works for them. A missing accountId is
 * anonymous only when the host was asked for one. Guests are not in any context (see `withGuest`).
 */
export async function readHostContext(kit: KitValue): Promise<HostContextRead> {
  const { host, ap, bridge, timeoutMs } = kit;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the raw context is whatever the host returned
  let raw: any = kit.context;
  let accountId: string | undefined = raw?.user?.accountId;
  let accountIdKnown = raw?.user !== undefined;
  let licenceInactive = false;
  if (host === 'connect' && ap?.context) {
    raw = await bounded(ap.context.getContext(), timeoutMs);
    accountId = raw.user?.accountId ?? undefined;
    // Connect's context carries no user; AP.user does.
    const user = ap.user;
    accountIdKnown = accountId !== undefined || user !== undefined;
    if (accountId === undefined && user) {
      const current = await fromCallback<{ atlassianAccountId?: string }>(
        (resolve) => user.getCurrentUser(resolve),
        timeoutMs,
      );
      accountId = current.atlassianAccountId;
    }
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

/**
 * Whether the current user's body says guest (`isGuest`, or the older `isExternalCollaborator`): no host context
 * does. Read from the cache only, never fetched here (it costs a request): known once the app reads the current user.
 */
export function useIsGuest(): boolean {
  const currentUser = useQuery({ ...confluenceQueries.currentUser(), enabled: false }).data as
    { isGuest?: boolean; isExternalCollaborator?: boolean } | undefined;
  return currentUser?.isGuest === true || currentUser?.isExternalCollaborator === true;
}

/** A `'user'` known to be a guest is a `'guest'`; every other viewer stays as the host said. */
export function withGuest(viewer: ConfluenceViewer, isGuest: boolean): ConfluenceViewer {
  return viewer === 'user' && isGuest ? 'guest' : viewer;
}
