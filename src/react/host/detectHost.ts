import { useEffect, useState } from 'react';
import type { ConnectAP, ForgeBridge, HostKind, HostState } from '../context';

export type HostPreference = HostKind | 'auto';

const FORGE_BRIDGE = '@forge/bridge';

const found = (preference: HostPreference, bridge?: ForgeBridge): HostState | undefined => {
  const w = globalThis as { AP?: ConnectAP; __bridge?: unknown };
  const ap = typeof w.AP?.request === 'function' ? w.AP : undefined;
  const forge = bridge || w.__bridge;
  if (preference === 'fetch') return { status: 'ready', host: 'fetch' };
  // all.js defines `AP` even outside Confluence, but `AP.request` only once the host has answered.
  if (ap && preference !== 'forge') return { status: 'ready', host: 'connect', ap };
  if (forge && preference !== 'connect') return { status: bridge ? 'ready' : 'pending', host: 'forge', bridge };
};

/**
 * Waits for the host, but never longer than `timeoutMs`: polls for Connect's `AP.request` (all.js may
 * load after React) or the Forge bridge. Forge's `@forge/bridge` throws at import outside Forge, so
 * it is imported lazily and only when `window.__bridge` exists. Without a host the state becomes
 * "outside", or "fetch" when a fallback base URL is configured.
 */
export function useHostDetection(preference: HostPreference, timeoutMs: number, fetchFallback: boolean, bridge?: ForgeBridge): HostState {
  const [state, setState] = useState<HostState>(() => found(preference, bridge) ?? { status: 'pending' });
  useEffect(() => {
    if (state.status !== 'pending') return;
    let settled = false;
    let importing = false;
    const stop = () => {
      settled = true;
      clearInterval(poll);
      clearTimeout(bound);
    };
    const settle = (next: HostState) => {
      if (!settled) setState(next);
      stop();
    };
    const check = () => {
      const next = found(preference, bridge);
      if (next?.status === 'ready') settle(next);
      else if (next && !importing) {
        importing = true;
        clearInterval(poll);
        // A computed specifier: a literal one would make every Connect app's bundler fail to resolve the
        // optional peer. Bundled Forge apps should pass `forgeBridge` (this path serves unbundled setups).
        import(/* @vite-ignore */ FORGE_BRIDGE).then(
          (m: ForgeBridge) => settle({ status: 'ready', host: 'forge', bridge: m }),
          () => settle({ status: 'outside' }),
        );
      }
    };
    const poll = setInterval(check, 50);
    const bound = setTimeout(() => settle(fetchFallback ? { status: 'ready', host: 'fetch' } : { status: 'outside' }), timeoutMs);
    check();
    return stop;
  }, [preference, timeoutMs, fetchFallback, bridge]);
  return state;
}
