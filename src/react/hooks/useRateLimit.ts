import { useCallback, useContext, useSyncExternalStore } from 'react';
import { KitContext } from '../internal/kit-context.js';
import type { RateLimitState } from '../../client/index.js';
import { NOT_LIMITED } from '../internal/rate-limit.js';

export type { RateLimitState };

/**
 * The client's rate-limit state (`{ paused, scope?, resetAt?, remaining?, nearLimit }`), re-rendering when it
 * changes: show a banner, or defer background work while `nearLimit` is set. Before the host is ready (and with a
 * client that does not track limits) nothing is limited.
 *
 * @example
 * const { nearLimit, paused } = useRateLimit();
 * useEffect(() => {
 *   if (nearLimit || paused) return;
 *   const timer = setInterval(() => queryClient.invalidateQueries({ queryKey: ['confluence', 'search'] }), 60_000);
 *   return () => clearInterval(timer);
 * }, [nearLimit, paused]);
 */
export function useRateLimit(): RateLimitState {
  const source = useContext(KitContext)?.client;
  const subscribe = useCallback(
    (onChange: () => void) => {
      if (!source) return () => {};
      return source.onRateLimitChange(onChange);
    },
    [source],
  );
  // The client replaces its state object only when something in it changes, so it is a stable snapshot as it is.
  const getSnapshot = useCallback(() => source?.rateLimit ?? NOT_LIMITED, [source]);
  return useSyncExternalStore(subscribe, getSnapshot, getSnapshot);
}
