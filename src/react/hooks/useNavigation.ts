import { useMemo } from 'react';
import { ConfluenceHostError } from '../errors.js';
import { notSupported } from '../internal/host-calls.js';
import { useKit, type KitValue } from '../internal/kit-context.js';

/** Where to send the user: Forge's `router` targets (the host both kinds of app end up on), or a site-relative URL. */
export type NavigationLocation =
  | string
  | { target: 'contentView'; contentId: string; version?: string }
  | { target: 'contentEdit'; contentId: string }
  | { target: 'spaceView'; spaceKey: string }
  | { target: 'contentList'; contentType: 'page' | 'blogpost'; spaceKey: string }
  | { target: 'userProfile'; accountId: string };

/** The same place in Connect's `AP.navigator.go(target, context)` terms (lower-case targets, other key names). */
// A path on this site: one leading slash, not two (`//host/…` is another origin).
const SITE_RELATIVE = /^\/(?!\/)/;

function connectTarget(to: NavigationLocation): [string, object] {
  if (typeof to === 'string') {
    // Connect's `site` target takes a path below the site; it cannot leave the site.
    if (!SITE_RELATIVE.test(to))
      throw new ConfluenceHostError('NOT_SUPPORTED', `Connect can only navigate to a site-relative URL, not ${to}.`);
    return ['site', { relativeUrl: to }];
  }
  const { target, ...context } = to as { target: string } & Record<string, string>;
  if (target === 'userProfile') return [target, { userAccountId: context.accountId }];
  return [target.toLowerCase(), context];
}

export interface Navigation {
  /** Leaves the app for that place, in this tab. */
  navigate(to: NavigationLocation): Promise<void>;
  /** Reloads the Confluence page around the app. */
  reload(): Promise<void>;
}

function navigation({ ap, bridge }: KitValue): Navigation {
  const navigator = ap?.navigator;
  const router = bridge?.router;
  if (navigator) {
    return {
      // Inside a promise, so a refused target (connectTarget throws) rejects instead of throwing.
      navigate: (to) => new Promise<void>((resolve) => resolve(navigator.go(...connectTarget(to)))),
      reload: () => Promise.resolve(navigator.reload()),
    };
  }
  if (router) return { navigate: (to) => router.navigate(to), reload: () => router.reload() };
  return { navigate: () => notSupported('Navigation'), reload: () => notSupported('Navigation') };
}

/**
 * Host navigation with one vocabulary: `AP.navigator` on Connect, `router` on Forge. A place the host
 * cannot reach (an absolute URL on Connect, anything on a standalone page) rejects with `NOT_SUPPORTED`.
 *
 * @example
 * const { navigate } = useNavigation();
 * <button onClick={() => navigate({ target: 'contentView', contentId: page.id })}>Open</button>;
 */
export function useNavigation(): Navigation {
  const kit = useKit();
  return useMemo(() => navigation(kit), [kit]);
}
