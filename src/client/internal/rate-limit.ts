import type { ConfluenceError } from '../errors/confluence-error.js';
import type { RateLimitInfo, RateLimitState } from '../types.js';
import { requestError, type RequestLine } from './classify.js';

type RateLimitListener = (state: RateLimitState) => void;

/** Under this share of the quota left, Confluence sets X-RateLimit-NearLimit; the same rule applies to the numbers. */
const NEAR_LIMIT_SHARE = 0.2;
/** `r=` in `Beta-RateLimit` (e.g. `"global";r=1200;t=1800`): remaining points, sent only after about 80 % use. */
const BETA_REMAINING = /(?:^|[;,\s])r=(\d+)/;

const NOT_LIMITED: RateLimitState = { paused: false, nearLimit: false };

function numberOrUndefined(value: string | undefined): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const number = Number(value);
  return Number.isFinite(number) ? number : undefined;
}

function sameState(a: RateLimitState, b: RateLimitState): boolean {
  return (
    a.paused === b.paused &&
    a.scope === b.scope &&
    a.resetAt === b.resetAt &&
    a.remaining === b.remaining &&
    a.limit === b.limit &&
    a.nearLimit === b.nearLimit
  );
}

/**
 * A client's rate-limit state: read from every answer's headers and every refusal, observable, and the pause a
 * spent points quota imposes (until its reset no request may reach the host).
 */
export function createRateLimitTracker(now: () => number) {
  let state = NOT_LIMITED;
  const listeners = new Set<RateLimitListener>();
  let resumeTimer: ReturnType<typeof setTimeout> | undefined;

  function update(next: RateLimitState) {
    if (sameState(state, next)) return;
    state = next;
    for (const listener of [...listeners]) listener(state);
  }

  /** The quota reset: a fresh hour, nothing known about it yet. */
  function resume() {
    clearTimeout(resumeTimer);
    resumeTimer = undefined;
    update(NOT_LIMITED);
  }

  function current(): RateLimitState {
    // Timers can be late (a background tab); the clock decides.
    if (state.paused && state.resetAt !== undefined && now() >= state.resetAt) resume();
    return state;
  }

  function pause(resetAt: number) {
    clearTimeout(resumeTimer);
    resumeTimer = setTimeout(resume, Math.max(0, resetAt - now()));
    // In Node (tests, server rendering) an hour-long timer must not keep the process alive.
    (resumeTimer as { unref?: () => void }).unref?.();
    update({ ...state, paused: true, scope: 'quota', resetAt, remaining: 0 });
  }

  /** Remaining points and the near-limit warning, from any answer that carries them (Connect hosts may drop them). */
  function observeAnswer(status: number, headers: Record<string, string>) {
    const next = { ...current() };
    const limit = numberOrUndefined(headers['x-ratelimit-limit']);
    const betaRemaining = numberOrUndefined(BETA_REMAINING.exec(headers['beta-ratelimit'] ?? '')?.[1]);
    const remaining = numberOrUndefined(headers['x-ratelimit-remaining']) ?? betaRemaining;
    const nearLimitHeader = headers['x-ratelimit-nearlimit'];
    if (limit !== undefined) next.limit = limit;
    if (remaining !== undefined) next.remaining = remaining;
    const saysAnything = limit !== undefined || remaining !== undefined || nearLimitHeader !== undefined;
    if (saysAnything) {
      const lowShare = next.limit ? (next.remaining ?? next.limit) / next.limit < NEAR_LIMIT_SHARE : false;
      next.nearLimit = nearLimitHeader?.trim().toLowerCase() === 'true' || betaRemaining !== undefined || lowShare;
    }
    // A success ends a burst or bridge wait; only the reset ends a quota pause.
    if (status >= 200 && status < 300 && !next.paused) {
      next.scope = undefined;
      next.resetAt = undefined;
    }
    update(next);
  }

  /** A refusal's limit: a spent quota pauses the client; a burst or bridge limit only shows in the state. */
  function observeRefusal(rateLimit: RateLimitInfo) {
    if (rateLimit.scope === 'quota' && rateLimit.resetAt !== undefined) {
      pause(rateLimit.resetAt);
      return;
    }
    const latest = current();
    if (latest.paused) return;
    update({ ...latest, scope: rateLimit.scope, resetAt: rateLimit.resetAt });
  }

  /** While the quota pause lasts: the error every request rejects with instead of reaching the host. */
  function pauseError(request: RequestLine): ConfluenceError | undefined {
    const latest = current();
    if (!latest.paused || latest.resetAt === undefined) return undefined;
    const waitMs = Math.max(0, latest.resetAt - now());
    const resumesAt = new Date(latest.resetAt).toISOString();
    return requestError(
      'rate-limited',
      request,
      `not sent: points quota spent until ${resumesAt}; retry in ${Math.ceil(waitMs / 1000)} s`,
      { status: 429, retryAfterMs: waitMs, rateLimit: { scope: 'quota', resetAt: latest.resetAt } },
    );
  }

  function subscribe(listener: RateLimitListener): () => void {
    listeners.add(listener);
    return () => {
      listeners.delete(listener);
    };
  }

  return { current, observeAnswer, observeRefusal, pauseError, subscribe };
}
