import { useEffect, useState } from 'react';
import type { ForgeBridge } from '../host/ForgeBridge.js';
import type { ConnectAP } from '../host/ConnectAP.js';
import type { HostPreference } from '../host/HostKind.js';
import type { HostState } from './kit-context.js';

const FORGE_BRIDGE = '@forge/bridge';
const POLL_INTERVAL_MS = 50;

interface HostGlobals {
  AP?: Partial<ConnectAP>;
  __bridge?: unknown;
}

/**
 * The host found right now, if any. Connect: `AP.request` (all.js defines `AP` outside Confluence too, but without
 * `request`). Forge: the injected bridge (ready), or Forge's `__bridge` global (pending: `@forge/bridge` must still
 * be imported).
 */
function findHost(preference: HostPreference, bridge: ForgeBridge | undefined): HostState | undefined {
  const { AP: ap, __bridge: forgeGlobal } = globalThis as HostGlobals;
  if (preference === 'fetch') return { status: 'ready', host: 'fetch' };
  if (ap?.request && preference !== 'forge') return { status: 'ready', host: 'connect', ap: ap as ConnectAP };
  if ((bridge || forgeGlobal) && preference !== 'connect') {
    return { status: bridge ? 'ready' : 'pending', host: 'forge', bridge };
  }
  return undefined;
}

/**
 * Waits for the host, but never longer than `timeoutMs`: polls for Connect's `AP.request` (all.js may
 * load after React) or the Forge bridge. Forge's `@forge/bridge` throws at import outside Forge, so it is imported
 * lazily, only when `window.__bridge` exists and no `forgeBridge` was passed. After the wait: "outside", or "fetch"
 * when there is a fallback base URL.
 */
export function useHostDetection(
  preference: HostPreference,
  timeoutMs: number,
  fetchFallback: boolean,
  bridge?: ForgeBridge,
): HostState {
  const [state, setState] = useState<HostState>(() => findHost(preference, bridge) ?? { status: 'pending' });
  useEffect(() => {
    if (state.status !== 'pending') return;
    let poll: ReturnType<typeof setInterval> | undefined = undefined;
    let bound: ReturnType<typeof setTimeout> | undefined = undefined;
    const stop = () => {
      clearInterval(poll);
      clearTimeout(bound);
    };
    // The first answer wins: a lazily imported bridge that arrives after the bound (or an unmount) changes nothing.
    const settle = (next: HostState) => {
      stop();
      setState((current) => (current.status === 'pending' ? next : current));
    };
    const check = () => {
      const found = findHost(preference, bridge);
      if (!found) return;
      if (found.status === 'ready') {
        settle(found);
        return;
      }
      clearInterval(poll);
      // A computed specifier: a literal one would make every Connect app's bundler fail to resolve the
      // optional peer. Bundled Forge apps pass `forgeBridge`; this path serves unbundled setups.
      import(/* @vite-ignore */ FORGE_BRIDGE).then(
        (imported: ForgeBridge) => settle({ status: 'ready', host: 'forge', bridge: imported }),
        // Inside Forge, yet unusable: a bundled app that did not pass `forgeBridge`. Say so instead of "not in Confluence".
        () => settle({ status: 'outside', missing: 'forge-bridge' }),
      );
    };
    poll = setInterval(check, POLL_INTERVAL_MS);
    bound = setTimeout(() => {
      settle(fetchFallback ? { status: 'ready', host: 'fetch' } : { status: 'outside' });
    }, timeoutMs);
    check();
    return stop;
    // `state` is left out on purpose: the effect runs while pending and stops itself once settled.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [preference, timeoutMs, fetchFallback, bridge]);
  return state;
}
