import type { ForgeBridge, HostKind, HostState } from '../context.js';
import { useEffect, useState } from '../deps.js';

export type HostPreference = HostKind | 'auto';

const FORGE_BRIDGE = '@forge/bridge';

/**
 * Waits for the host, but never longer than `timeoutMs`: polls for Connect's `AP.request` (all.js may
 * load after React; outside Confluence it defines `AP` without `request`) or the Forge bridge. Forge's
 * `@forge/bridge` throws at import outside Forge, so it is imported lazily, only when `window.__bridge`
 * exists and no `forgeBridge` was passed. After the wait: "outside", or "fetch" with a fallback base URL.
 */
export function useHostDetection(
  preference: HostPreference,
  timeoutMs: number,
  fetchFallback: boolean,
  bridge?: ForgeBridge,
): HostState {
  const find = (): HostState | void => {
    const { AP: ap, __bridge } = globalThis as any;
    if (preference == 'fetch') return { status: 'ready', host: 'fetch' };
    if (ap?.request && preference != 'forge') return { status: 'ready', host: 'connect', ap };
    if ((bridge || __bridge) && preference != 'connect')
      return { status: bridge ? 'ready' : 'pending', host: 'forge', bridge };
  };
  const [state, setState] = useState<HostState>(() => find() || { status: 'pending' });
  useEffect(() => {
    if (state.status != 'pending') return;
    const stop = () => {
      clearInterval(poll);
      clearTimeout(bound);
    };
    // The first answer wins: a lazily imported bridge that arrives after the bound (or an unmount) changes nothing.
    const settle = (next: HostState) => {
      stop();
      setState((now) => (now.status == 'pending' ? next : now));
    };
    const check = () => {
      const next = find();
      if (next?.status == 'ready') settle(next);
      else if (next) {
        clearInterval(poll);
        // A computed specifier: a literal one would make every Connect app's bundler fail to resolve the
        // optional peer. Bundled Forge apps pass `forgeBridge`; this path serves unbundled setups.
        import(/* @vite-ignore */ FORGE_BRIDGE).then(
          (m) => settle({ status: 'ready', host: 'forge', bridge: m }),
          // Inside Forge, yet unusable: a bundled app that did not pass `forgeBridge`. Say so instead of "not in Confluence".
          () => settle({ status: 'outside', missing: 'forge-bridge' }),
        );
      }
    };
    const poll = setInterval(check, 50);
    const bound = setTimeout(
      () => settle(fetchFallback ? { status: 'ready', host: 'fetch' } : { status: 'outside' }),
      timeoutMs,
    );
    check();
    return stop;
  }, [preference, timeoutMs, fetchFallback, bridge]);
  return state;
}
