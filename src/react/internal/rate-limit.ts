import type { ConfluenceClient } from '../../client/index.js';
import type { RateLimitState } from '../hooks/useRateLimit.js';

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
