import { HttpResponse, delay } from 'msw';
import { serviceUnavailable, text } from '../internal/responses.js';
import { BURST_LIMIT_REASON } from './quota.js';
import type { ConfluenceWorld } from './world.js';

/**
 * The world's injected faults (`world.setFaults`, `world.rateLimit`): what happens before Confluence even looks at a
 * request. The first stage of the request pipeline (pipeline.ts).
 */

interface RateLimitHeaders {
  retryAfterSeconds: number;
  resetAtMs: number;
}

/**
 * The `rateLimit` fault: a short burst 429 with the headers of https://developer.atlassian.com/cloud/confluence/rate-limiting/.
 * Its reason is the burst one: a few seconds' Retry-After is a burst limit, and a quota reason would pause the whole
 * client for the hour (a spent quota is `world.quota.exhaust()`). Body [Inf]: unspecified upstream.
 */
function rateLimited({ retryAfterSeconds, resetAtMs }: RateLimitHeaders) {
  // X-RateLimit-Reset uses the documented `yyyy-MM-ddTHH:mmZ` form (JRACLOUD-69262).
  const reset = new Date(Math.ceil(resetAtMs / 60_000) * 60_000).toISOString().slice(0, 16) + 'Z';
  return text(429, 'Rate limit exceeded', {
    'Retry-After': String(retryAfterSeconds),
    'X-RateLimit-Limit': '100',
    'X-RateLimit-Remaining': '0',
    'X-RateLimit-Reset': reset,
    'X-RateLimit-NearLimit': 'true',
    'RateLimit-Reason': BURST_LIMIT_REASON,
  });
}

/** The answer a fault gives instead of Confluence's (slow, host down, throttled), or null. */
export async function applyFaults(world: ConfluenceWorld): Promise<Response | null> {
  const { faults } = world;
  if (faults.slowMs > 0) await delay(faults.slowMs);
  if (faults.hostDown === 'network') return HttpResponse.error();
  if (faults.hostDown === '503') return serviceUnavailable();
  const limit = faults.rateLimit;
  if (!limit) return null;
  const now = world.now();
  if (limit.untilMs !== undefined && now >= limit.untilMs) {
    faults.rateLimit = null;
    return null;
  }
  const retryAfterSeconds =
    limit.untilMs !== undefined ? Math.max(1, Math.ceil((limit.untilMs - now) / 1000)) : limit.retryAfterSeconds;
  if (limit.times !== undefined) {
    limit.times -= 1;
    if (limit.times <= 0) faults.rateLimit = null;
  }
  return rateLimited({ retryAfterSeconds, resetAtMs: now + retryAfterSeconds * 1000 });
}
