import { useCallback, useContext, useRef, useSyncExternalStore } from 'react';
import { KitContext } from '../internal/kit-context.js';
import type { RateLimitState } from '../../client/index.js';
import { NOT_LIMITED } from '../internal/rate-limit.js';

export type { RateLimitState };

function sameState(a: RateLimitState, b: RateLimitState): boolean {
  return (
    a.paused === b.paused &&
    a.scope === b.scope &&
    a.resetAt === b.resetAt &&
    a.remaining === b.remaining &&
    a.nearLimit === b.nearLimit
  );
}

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
  const lastRef = useRef<RateLimitState>(NOT_LIMITED);
  const subscribe = useCallback(
    (onChange: () => void) => {
      if (!source) return () => {};
      return source.onRateLimitChange(onChange);
    },
    [source],
  );
  // The client may update its state object in place: a copy per change keeps React's snapshot comparison honest.
  const getSnapshot = useCallback(() => {
    const current = source?.rateLimit ?? NOT_LIMITED;
    if (!sameState(current, lastRef.current)) lastRef.current = { ...current };
    return lastRef.current;
  }, [source]);
  return useSyncExternalStore(subscribe, getSnapshot, getSnapshot);
}
