import type { RateLimitInfo, RateLimitState } from '../../client/index.js';

/** The rate-limit details a refused request's error carries (`error.rateLimit`). */
export type ErrorRateLimit = RateLimitInfo;

/** Before the host is ready there is no client, so nothing is limited. */
export const NOT_LIMITED: RateLimitState = { paused: false, nearLimit: false };

/** `error.rateLimit` when the error has one. */
export function errorRateLimit(error: unknown): ErrorRateLimit | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const details = (error as { rateLimit?: unknown }).rateLimit;
  if (typeof details !== 'object' || details === null) return undefined;
  return details as ErrorRateLimit;
}
