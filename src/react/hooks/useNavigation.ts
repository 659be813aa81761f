import { useMemo } from '../deps.js';
import { ConfluenceHostError, notSupported, useKit, type KitValue } from '../context.js';

/** Where to send the user: Forge's `router` targets (the host both kinds of app end up on), or a site-relative URL. */
export type NavigationLocation =
  | string
  | { target: 'contentView'; contentId: string; version?: string }
  | { target: 'contentEdit'; contentId: string }
  | { target: 'spaceView'; spaceKey: string }
  | { target: 'contentList'; contentType: 'page' | 'blogpost'; spaceKey: string }
  | { target: 'userProfile'; accountId: string };

/** The same place in Connect's `AP.navigator.go(target, context)` terms (lower-case targets, other key names). */
function connectTarget(to: NavigationLocation): [string, object] {
  if (typeof to == 'string') {
    // Connect's `site` target takes a path below the site; it cannot leave the site.
    if (!/^\/(?!\/)/.test(to))
      throw new ConfluenceHostError('NOT_SUPPORTED', `Connect can only navigate to a site-relative URL, not ${to}.`);
    return ['site', { relativeUrl: to }];
  }
  const { target, ...context } = to as { target: string } & Record<string, string>;
  if (target == 'userProfile') return [target, { userAccountId: context.accountId }];
  return [target.toLowerCase(), context];
}

function navigation({ ap, bridge }: KitValue) {
  const go = ap?.navigator;
  const router = bridge?.router;
  return {
    /** Leaves the app for that place, in this tab. */
    navigate: (to: NavigationLocation): Promise<void> =>
      go
        ? new Promise<void>((resolve) => resolve(go.go(...connectTarget(to))))
        : router
          ? router.navigate(to)
          : notSupported('Navigation'),
    /** Reloads the Confluence page around the app. */
    reload: (): Promise<void> =>
      go ? Promise.resolve(go.reload()) : router ? router.reload() : notSupported('Navigation'),
  };
}

/**
 * Host navigation with one vocabulary: `AP.navigator` on Connect, `router` on Forge. A place the host
 * cannot reach (an absolute URL on Connect, anything on a standalone page) rejects with `NOT_SUPPORTED`.
 */
export function useNavigation(): ReturnType<typeof navigation> {
  const kit = useKit();
  return useMemo(() => navigation(kit), [kit]);
}
