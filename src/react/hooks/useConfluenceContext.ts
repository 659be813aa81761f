import { useCallback } from 'react';
import type { HostKind } from '../host/HostKind.js';
import { useKit } from '../internal/kit-context.js';
import { useHostQuery } from '../internal/useHostQuery.js';
import {
  HOST_CONTEXT_KEY,
  readHostContext,
  useIsGuest,
  withGuest,
  type ConfluenceViewer,
  type HostContextRead,
} from '../internal/viewer.js';

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
function toContextInfo(
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

/**
 * The typed content/space/macro/user context of the current iframe (`AP.context` / Forge `view.getContext()`), as a
 * query: `data` is `{ host, content?, space?, macro?, user?, viewer, raw }` with string ids. `viewer` says who is
 * looking (`'user' | 'guest' | 'anonymous' | 'unlicensed'`), so an app can offer only what works for them.
 *
 * @example
 * const { data: context } = useConfluenceContext();
 * const pageId = context?.content?.id;
 * if (context?.viewer === 'anonymous') return <a href={loginUrl}>Sign in to edit</a>;
 */
export function useConfluenceContext() {
  const kit = useKit();
  const host = kit.host ?? 'fetch';
  const isGuest = useIsGuest();
  const select = useCallback(
    (read: HostContextRead) => toContextInfo(host, read, withGuest(read.viewer, isGuest)),
    [host, isGuest],
  );
  return useHostQuery(HOST_CONTEXT_KEY, () => readHostContext(kit), select);
}
