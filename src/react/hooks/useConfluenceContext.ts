import { useCallback } from 'react';
import { useKit } from '../internal/kit-context.js';
import { useHostQuery } from '../internal/useHostQuery.js';
import { HOST_CONTEXT_KEY, readHostContext, toContextInfo, type HostContextRead } from '../internal/host-context.js';
import { useIsGuest, withGuest } from '../internal/viewer.js';

export type { ConfluenceContextInfo } from '../internal/host-context.js';

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
