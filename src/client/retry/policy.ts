import type { ConfluenceError } from '../errors/confluence-error.js';
import type { HttpMethod, RetryPolicy } from '../types.js';

export const defaultRetryPolicy: RetryPolicy = {
  retries: 4,
  baseDelayMs: 1000,
  maxDelayMs: 30_000,
  idempotent: ['GET', 'HEAD', 'PUT', 'DELETE'],
  random: Math.random,
  now: () => Date.now(), // late-bound so fake clocks apply
};

/**
 * Delay before retry number `attempt + 1`, or undefined to give up.
 * 429 is retried for every method (the request was refused, not run); 5xx and network faults only for idempotent ones;
 * other 4xx, timeouts and host-unavailable never. A named wait (Retry-After / X-RateLimit-Reset) is honoured exactly,
 * unless it is longer than maxDelayMs: then the error surfaces at once, carrying retryAfterMs for the UI.
 */
export function retryDelay(
  e: ConfluenceError,
  method: HttpMethod,
  attempt: number,
  p: RetryPolicy,
): number | undefined {
  const s = e.status;
  if (attempt >= p.retries || !(s == 429 || (p.idempotent.includes(method) && (s > 499 || e.kind == 'network'))))
    return;
  const w = e.retryAfterMs;
  if (w != null) return w <= p.maxDelayMs ? w : undefined;
  return Math.round(Math.min(p.maxDelayMs, p.baseDelayMs * 2 ** attempt * (0.7 + 0.6 * p.random())));
}
