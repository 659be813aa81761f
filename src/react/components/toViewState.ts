import { isConfluenceError, type ConfluenceErrorKind } from '../../client/index.js';
import { errorRateLimit } from '../internal/rate-limit.js';
import type { StateKind, ViewState } from './messages.js';

/** Error kinds that have a view of their own. */
const OWN_VIEW_KINDS: ReadonlySet<string> = new Set([
  'forbidden',
  'not-found',
  'unauthorized',
  'rate-limited',
  'conflict',
]);

function viewKind(kind: ConfluenceErrorKind): StateKind {
  if (OWN_VIEW_KINDS.has(kind)) return kind as StateKind;
  // A failed precondition (If-Match) is the same story for the user as a version conflict.
  if (kind === 'precondition-failed') return 'conflict';
  // Nothing answered: a timeout, a missing host, a network failure.
  if (kind.includes('timeout') || kind.includes('host') || kind.includes('network')) return 'unavailable';
  return 'error';
}

/**
 * Maps any thrown value to the state view that explains it: `ConfluenceError` kinds to their views, anything else to
 * the generic `error` view.
 *
 * @example
 * const state = toViewState(mutation.error); // { kind: 'conflict', currentVersion: 7, … }
 */
export function toViewState(error: unknown): ViewState {
  if (!isConfluenceError(error)) return { kind: 'error', error };
  const rateLimit = errorRateLimit(error);
  // A spent quota refuses every request until the reset: a state of its own, not a countdown that retries.
  if (error.kind === 'rate-limited' && rateLimit?.scope === 'quota') {
    return { kind: 'quota', error, resetAt: rateLimit.resetAt };
  }
  return {
    kind: viewKind(error.kind),
    reason: error.reason,
    error,
    retryAfterMs: error.retryAfterMs,
    currentVersion: error.currentVersion,
  };
}
