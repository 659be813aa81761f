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

/** Backoff is multiplied by a factor in [0.7, 1.3), so clients refused together do not come back together. */
const JITTER_MIN = 0.7;
const JITTER_SPREAD = 0.6;

function isRetryable(error: ConfluenceError, method: HttpMethod, policy: RetryPolicy): boolean {
  // A spent quota refuses everything until its reset (usually minutes away): the client pauses instead.
  if (error.rateLimit?.scope === 'quota') return false;
  // A 429 (or the Forge bridge's limiter) refused the request, nothing ran: safe to send again whatever the method.
  if (error.status === 429 || error.rateLimit?.scope === 'bridge') return true;
  if (!policy.idempotent.includes(method)) return false;
  // 501 Not Implemented: the operation does not exist there (the emulator's "not emulated"); asking again cannot help.
  return (error.status >= 500 && error.status !== 501) || error.kind === 'network';
}

/**
 * Delay before retry number `attempt + 1`, or undefined to give up.
 * 429 and the Forge bridge's limiter are retried for every method (the request was refused, not run); 5xx and
 * network faults only for idempotent ones (but 501); a spent quota, other 4xx, timeouts and host-unavailable never. Without a
 * named wait the delay is an exponential backoff with jitter (at least 700 ms with the default policy). A named wait (Retry-After / X-RateLimit-Reset) is honoured exactly,
 * unless it is longer than maxDelayMs: then the error surfaces at once, carrying retryAfterMs for the UI.
 */
export function retryDelay(
  error: ConfluenceError,
  method: HttpMethod,
  attempt: number,
  policy: RetryPolicy,
): number | undefined {
  if (attempt >= policy.retries || !isRetryable(error, method, policy)) return undefined;

  const namedWait = error.retryAfterMs;
  if (namedWait !== undefined && namedWait !== null) {
    return namedWait <= policy.maxDelayMs ? namedWait : undefined;
  }
  const jitter = JITTER_MIN + JITTER_SPREAD * policy.random();
  const backoff = policy.baseDelayMs * 2 ** attempt * jitter;
  return Math.round(Math.min(policy.maxDelayMs, backoff));
}
