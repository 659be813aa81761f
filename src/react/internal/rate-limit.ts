import type { ConfluenceClient } from '../../client/index.js';

/**
 * The client's rate-limit state. Declared here in the client's shape (`client.rateLimit`,
 * `client.onRateLimitChange`) and read structurally, so the React layer works with clients that have it and
 * with clients that do not (then nothing is ever limited).
 */
export interface RateLimitState {
  /** Whether the client refuses every request until `resetAt` (a spent quota). */
  paused: boolean;
  scope?: 'quota' | 'burst' | 'bridge';
  /** Epoch ms when the limit lifts. */
  resetAt?: number;
  /** Points (or requests) left in the current window, when the host said. */
  remaining?: number;
  /** The host warned that the app is close to its limit: a moment to defer background work. */
  nearLimit: boolean;
}

/** The rate-limit details a refused request's error carries (`error.rateLimit`). */
export interface ErrorRateLimit {
  scope?: 'quota' | 'burst' | 'bridge';
  resetAt?: number;
}

interface RateLimitSource {
  rateLimit?: RateLimitState;
  onRateLimitChange?: (listener: (state: RateLimitState) => void) => () => void;
}

export const NOT_LIMITED: RateLimitState = { paused: false, nearLimit: false };

export function rateLimitSource(client: ConfluenceClient | undefined): RateLimitSource | undefined {
  return client as (ConfluenceClient & RateLimitSource) | undefined;
}

/** `error.rateLimit` when the error has one. */
export function errorRateLimit(error: unknown): ErrorRateLimit | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const details = (error as { rateLimit?: unknown }).rateLimit;
  if (typeof details !== 'object' || details === null) return undefined;
  return details as ErrorRateLimit;
}
