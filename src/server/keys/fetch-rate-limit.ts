const ONE_SECOND_MS = 1000;

export interface FetchRateLimit {
  /** true when another outbound fetch may start now (and counts it), false when this second's budget is spent */
  tryTake(): boolean;
}

/**
 * At most `maxPerSecond` outbound key fetches start in any one-second window, whatever strangers send: past the
 * budget a look-up answers 503 without fetching, so the key server is never flooded on our behalf.
 */
export function createFetchRateLimit(maxPerSecond: number, now: () => number): FetchRateLimit {
  let windowStartedAt = -Infinity;
  let fetchesInWindow = 0;
  return {
    tryTake() {
      const current = now();
      if (current - windowStartedAt >= ONE_SECOND_MS) {
        windowStartedAt = current;
        fetchesInWindow = 0;
      }
      if (fetchesInWindow >= maxPerSecond) return false;
      fetchesInWindow += 1;
      return true;
    },
  };
}
