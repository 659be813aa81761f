import { EmulatorError } from '../errors.js';

/**
 * The points-based rate limits Confluence Cloud enforces on apps since March 2026, as a model a test can drive: an
 * hourly points quota that resets at the top of each UTC hour, a cost per call, the headers every answer carries,
 * and the two refusals (quota exhausted: nothing succeeds until the reset; burst: slow down and retry).
 *
 * Documented: the default quota (65,000 points an hour), the reset on the UTC hour, the header names, `NearLimit`
 * under 20 % left, `r=` in `Beta-RateLimit` after about 80 % use, and the quota reasons. The per-endpoint costs follow
 * the published rule of thumb (1 point per call, +1 per page or space returned, +2 per user or permission, 1 per
 * write); Atlassian's exact table is not public, so they are [Inf] and configurable. The burst reason's value is
 * [Inf] too: Confluence's documentation lists only the quota reasons.
 */

/** Points an app may spend per UTC hour by default. */
export const DEFAULT_QUOTA_LIMIT = 65_000;
/** `RateLimit-Reason` of a spent quota. */
export const QUOTA_EXHAUSTED_REASON = 'confluence-quota-tenant-based';
/** `RateLimit-Reason` of a burst refusal [Inf]. */
export const BURST_LIMIT_REASON = 'confluence-burst-based';
/** `Retry-After` of a burst refusal unless configured [Inf]. */
export const DEFAULT_BURST_RETRY_AFTER_SECONDS = 2;

const ONE_SECOND_MS = 1000;
const ONE_MINUTE_MS = 60 * ONE_SECOND_MS;
const ONE_HOUR_SECONDS = 60 * 60;
/** `X-RateLimit-NearLimit: true` when less than this share of the quota is left. */
const NEAR_LIMIT_SHARE = 0.2;
/** `Beta-RateLimit` names the remaining points (`r=`) once this share of the quota is used. */
const REMAINING_SHOWN_AFTER_SHARE = 0.8;
/** The policy name Confluence's quota headers carry for a per-tenant quota (observed in real logs). */
const POLICY_NAME = '"tenant-app-quota"';

/** What one call to an endpoint costs: `points`, plus `perResult` for each item of a list's `results`. */
export interface EndpointCost {
  points: number;
  perResult?: number;
}

/**
 * Default cost per endpoint, keyed `METHOD /path` with numeric path segments written `:id`. A read not listed costs
 * 1 + 1 per result; a write not listed costs 1.
 */
export const DEFAULT_ENDPOINT_COSTS: Readonly<Record<string, EndpointCost>> = {
  'GET /wiki/rest/api/user/current': { points: 3 },
  'GET /wiki/rest/api/user': { points: 3 },
  'GET /wiki/rest/api/user/bulk': { points: 1, perResult: 2 },
  'GET /wiki/rest/api/content/:id': { points: 2 },
  'POST /wiki/rest/api/content/:id/permission/check': { points: 3 },
  'GET /wiki/rest/api/search': { points: 1, perResult: 1 },
  'GET /wiki/api/v2/pages': { points: 1, perResult: 1 },
  'GET /wiki/api/v2/pages/:id': { points: 2 },
  'GET /wiki/api/v2/pages/:id/children': { points: 1, perResult: 1 },
  'GET /wiki/api/v2/pages/:id/operations': { points: 3 },
  'GET /wiki/api/v2/pages/:id/properties': { points: 1, perResult: 1 },
  'GET /wiki/api/v2/pages/:id/properties/:id': { points: 2 },
  'GET /wiki/api/v2/spaces': { points: 1, perResult: 1 },
  'GET /wiki/api/v2/spaces/:id': { points: 2 },
  'GET /wiki/api/v2/spaces/:id/pages': { points: 1, perResult: 1 },
  'GET /wiki/api/v2/spaces/:id/operations': { points: 3 },
};
const UNLISTED_READ_COST: EndpointCost = { points: 1, perResult: 1 };
const UNLISTED_WRITE_COST: EndpointCost = { points: 1 };

export interface QuotaOptions {
  /** Points per UTC hour. Default 65,000. */
  limit?: number;
  /** Override costs: `{ 'GET /wiki/api/v2/pages/:id': 5 }` or `{ …: { points: 1, perResult: 3 } }`. */
  costs?: Record<string, number | EndpointCost>;
  /** Points already spent this hour. */
  used?: number;
  /** Start with the quota spent (every call 429 until the next UTC hour). */
  exhausted?: boolean;
  /** Start burst-limited (every call 429 with the burst reason until switched off). */
  burstLimited?: boolean;
  /** `Retry-After` of burst refusals. Default 2. */
  burstRetryAfterSeconds?: number;
  /**
   * How long a quota window lasts, in seconds. Default 3600: Confluence's hour, reset on the UTC hour. A shorter
   * window (e.g. 60) is a fast clock for demos: the "hour" passes in that many seconds, windows start at multiples of
   * it since the epoch, and `Retry-After`, `X-RateLimit-Reset` and `Beta-RateLimit*` count to its end.
   */
  windowSeconds?: number;
}

/** `world.quota`: the app's points quota on the emulated site. */
export interface WorldQuota {
  /** Points per UTC hour. */
  readonly limit: number;
  /** Points spent this UTC hour. */
  readonly used: number;
  readonly remaining: number;
  /** Less than 20 % left: answers carry `X-RateLimit-NearLimit: true`. */
  readonly nearLimit: boolean;
  /** When the quota resets: the next UTC hour (the end of the window), epoch ms. */
  readonly resetAt: number;
  /** Length of the quota window in seconds: 3600 (the UTC hour) unless a fast clock is configured. */
  readonly windowSeconds: number;
  /** Nothing left this hour: every call answers 429 with `RateLimit-Reason: confluence-quota-tenant-based`. */
  readonly exhausted: boolean;
  /** Every call answers 429 with the burst reason, until `burstLimit(false)`. */
  readonly burstLimited: boolean;
  /** The cost table in force (defaults merged with `configure({ costs })`). */
  readonly costs: Readonly<Record<string, EndpointCost>>;
  /** What a call costs: `costOf('GET', '/wiki/api/v2/pages?limit=5', 5)` (results: items in a list answer). */
  costOf(method: string, path: string, results?: number): number;
  /** Change the limit, costs or starting state; throws `EmulatorError('INVALID_QUOTA')` on a negative or NaN value. */
  configure(options: QuotaOptions): void;
  /** Spend points as other calls would (e.g. to reach "near limit" quickly). */
  spend(points: number): void;
  /** Spend the whole quota for this hour (`true`, the default), or give back what exhausting took (`false`). */
  exhaust(on?: boolean): void;
  /** Answer every call with a burst refusal (`true`, the default) until `burstLimit(false)`. */
  burstLimit(on?: boolean | { retryAfterSeconds?: number }): void;
  /** Nothing spent, no toggles on; the limit and costs stay. */
  reset(): void;
}

/** The parts the emulator's handlers use; not on `world.quota`'s public type. */
export interface QuotaMeter {
  /** The 429 a call meets before any other check, or null. */
  refusal(): Response | null;
  /**
   * Charge a call's answer and add the quota headers to it. `points` is what this call alone spent, whatever other
   * calls spend while it is being metered.
   */
  meter(method: string, path: string, response: Response): Promise<{ response: Response; points: number }>;
}

const meters = new WeakMap<WorldQuota, QuotaMeter>();

/** The handlers' side of a world's quota. */
export function quotaMeter(quota: WorldQuota): QuotaMeter {
  const meter = meters.get(quota);
  if (!meter) throw new EmulatorError('INVALID_QUOTA', 'This quota was not created by createWorld.');
  return meter;
}

/** `METHOD /path` with numeric segments as `:id`, the key of the cost table. */
export function endpointKey(method: string, path: string): string {
  const pathname = path.split('?')[0] ?? '';
  return `${method.toUpperCase()} ${pathname.replace(/\/\d+(?=\/|$)/g, '/:id')}`;
}

function checkedNumber(name: string, value: number): number {
  if (!Number.isFinite(value) || value < 0) {
    throw new EmulatorError('INVALID_QUOTA', `world.quota: ${name} must be a finite number ≥ 0, got ${value}.`);
  }
  return value;
}

/**
 * `yyyy-MM-ddTHH:mmZ`, the documented `X-RateLimit-Reset` form; with seconds (`…THH:mm:ssZ`, still ISO 8601) when a
 * fast clock's window ends between two minutes.
 */
function resetHeaderValue(resetAt: number): string {
  const iso = new Date(resetAt).toISOString();
  if (resetAt % ONE_MINUTE_MS === 0) return iso.slice(0, 16) + 'Z';
  return iso.slice(0, 19) + 'Z';
}

export function createQuota(now: () => number, options: QuotaOptions = {}): WorldQuota {
  let limit = DEFAULT_QUOTA_LIMIT;
  let costs: Record<string, EndpointCost> = { ...DEFAULT_ENDPOINT_COSTS };
  let spent = 0;
  let burstLimited = false;
  let burstRetryAfterSeconds = DEFAULT_BURST_RETRY_AFTER_SECONDS;
  let windowSeconds = ONE_HOUR_SECONDS;
  let windowStart = windowStartOf(now());
  /** What `exhaust()` took, so `exhaust(false)` can give it back within the same hour. */
  let exhaustedFrom: number | null = null;

  function windowMs(): number {
    return windowSeconds * ONE_SECOND_MS;
  }

  /** The start of the window `at` falls in: the UTC hour by default (the epoch starts on one). */
  function windowStartOf(at: number): number {
    return Math.floor(at / windowMs()) * windowMs();
  }

  /** A new UTC hour (window) starts with nothing spent. */
  function rollOver(): void {
    const currentWindow = windowStartOf(now());
    if (currentWindow === windowStart) return;
    windowStart = currentWindow;
    spent = 0;
    exhaustedFrom = null;
  }

  function costOf(method: string, path: string, results = 0): number {
    const key = endpointKey(method, path);
    const isRead = key.startsWith('GET ') || key.startsWith('HEAD ');
    const cost = costs[key] ?? (isRead ? UNLISTED_READ_COST : UNLISTED_WRITE_COST);
    return cost.points + (cost.perResult ?? 0) * results;
  }

  function headers(): Record<string, string> {
    const remaining = quota.remaining;
    const resetAt = quota.resetAt;
    const secondsToReset = Math.max(0, Math.ceil((resetAt - now()) / 1000));
    let current = `${POLICY_NAME};t=${secondsToReset}`;
    if (quota.used >= limit * REMAINING_SHOWN_AFTER_SHARE)
      current = `${POLICY_NAME};r=${remaining};t=${secondsToReset}`;
    const result: Record<string, string> = {
      'X-RateLimit-Limit': String(limit),
      'X-RateLimit-Remaining': String(remaining),
      'X-RateLimit-Reset': resetHeaderValue(resetAt),
      'Beta-RateLimit-Policy': `${POLICY_NAME};q=${limit};w=${windowSeconds}`,
      'Beta-RateLimit': current,
    };
    if (quota.nearLimit) result['X-RateLimit-NearLimit'] = 'true';
    return result;
  }

  function tooManyRequests(reason: string, retryAfterSeconds: number): Response {
    return new Response('Rate limit exceeded', {
      status: 429,
      statusText: 'Too Many Requests',
      headers: {
        'Content-Type': 'text/plain;charset=UTF-8',
        ...headers(),
        'Retry-After': String(retryAfterSeconds),
        'RateLimit-Reason': reason,
      },
    });
  }

  const quota: WorldQuota = {
    get limit() {
      return limit;
    },
    get used() {
      rollOver();
      return Math.min(spent, limit);
    },
    get remaining() {
      return limit - quota.used;
    },
    get nearLimit() {
      return quota.remaining < limit * NEAR_LIMIT_SHARE;
    },
    get resetAt() {
      rollOver();
      return windowStart + windowMs();
    },
    get windowSeconds() {
      return windowSeconds;
    },
    get exhausted() {
      return quota.remaining <= 0;
    },
    get burstLimited() {
      return burstLimited;
    },
    get costs() {
      return costs;
    },
    costOf,
    configure(next) {
      if (next.limit !== undefined) limit = checkedNumber('limit', next.limit);
      for (const [key, cost] of Object.entries(next.costs ?? {})) {
        const points = typeof cost === 'number' ? cost : cost.points;
        const perResult = typeof cost === 'number' ? 0 : (cost.perResult ?? 0);
        costs = {
          ...costs,
          [key]: { points: checkedNumber(`costs['${key}']`, points), perResult: checkedNumber('perResult', perResult) },
        };
      }
      if (next.windowSeconds !== undefined) {
        const seconds = checkedNumber('windowSeconds', next.windowSeconds);
        if (seconds < 1) {
          throw new EmulatorError('INVALID_QUOTA', `world.quota: windowSeconds must be at least 1, got ${seconds}.`);
        }
        windowSeconds = seconds;
        // The new window length takes effect now: the window the clock is in starts fresh.
        windowStart = windowStartOf(now());
        spent = 0;
        exhaustedFrom = null;
      }
      if (next.burstRetryAfterSeconds !== undefined) {
        burstRetryAfterSeconds = checkedNumber('burstRetryAfterSeconds', next.burstRetryAfterSeconds);
      }
      if (next.used !== undefined) {
        rollOver();
        spent = checkedNumber('used', next.used);
      }
      if (next.exhausted !== undefined) quota.exhaust(next.exhausted);
      if (next.burstLimited !== undefined) quota.burstLimit(next.burstLimited);
    },
    spend(points) {
      rollOver();
      spent += checkedNumber('points', points);
    },
    exhaust(on = true) {
      rollOver();
      if (on) {
        if (exhaustedFrom === null) exhaustedFrom = spent;
        spent = Math.max(spent, limit);
        return;
      }
      if (exhaustedFrom !== null) spent = exhaustedFrom;
      exhaustedFrom = null;
    },
    burstLimit(on = true) {
      if (typeof on === 'object') {
        burstLimited = true;
        if (on.retryAfterSeconds !== undefined) {
          burstRetryAfterSeconds = checkedNumber('retryAfterSeconds', on.retryAfterSeconds);
        }
        return;
      }
      burstLimited = on;
    },
    reset() {
      spent = 0;
      exhaustedFrom = null;
      burstLimited = false;
      windowStart = windowStartOf(now());
    },
  };

  meters.set(quota, {
    refusal() {
      if (quota.exhausted) {
        // Retry-After counts to the next UTC hour (the end of the window), when the quota resets.
        const secondsToReset = Math.max(1, Math.ceil((quota.resetAt - now()) / 1000));
        return tooManyRequests(QUOTA_EXHAUSTED_REASON, secondsToReset);
      }
      if (burstLimited) return tooManyRequests(BURST_LIMIT_REASON, burstRetryAfterSeconds);
      return null;
    },
    async meter(method, path, response) {
      // A call that never got an answer, a throttled one, or a server failure spends nothing [Inf].
      if (response.type === 'error' || response.status === 429 || response.status >= 500)
        return { response, points: 0 };
      const results = await resultCount(response);
      const usedBefore = quota.used;
      quota.spend(costOf(method, path, results));
      // What the quota took (less than the cost when the last points ran out; never negative if the window turned),
      // read with no await in between.
      const points = Math.max(0, quota.used - usedBefore);
      const metered = new Response(response.body, {
        status: response.status,
        statusText: response.statusText,
        headers: response.headers,
      });
      for (const [name, value] of Object.entries(headers())) metered.headers.set(name, value);
      return { response: metered, points };
    },
  });

  quota.configure(options);
  return quota;
}

/** How many items a list answer holds (`results.length`), 0 for anything else. */
async function resultCount(response: Response): Promise<number> {
  if (!(response.headers.get('content-type') ?? '').includes('json')) return 0;
  try {
    const body = (await response.clone().json()) as { results?: unknown };
    return Array.isArray(body.results) ? body.results.length : 0;
  } catch {
    return 0;
  }
}
