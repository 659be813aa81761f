import { isConfluenceError } from '../deps.js';
import type { StateKind, ViewState } from './messages.js';

/** Maps any thrown value to the state view that explains it. */
export function toViewState(error: unknown): ViewState {
  if (!isConfluenceError(error)) return { kind: 'error', error };
  const k = error.kind;
  const kind = /^(forbidden|not-found|unauthorized|rate-limited|conflict)$/.test(k)
    ? (k as StateKind)
    : k == 'precondition-failed'
      ? 'conflict'
      : /timeout|host|network/.test(k)
        ? 'unavailable'
        : 'error';
  return { kind, reason: error.reason, error, retryAfterMs: error.retryAfterMs, currentVersion: error.currentVersion };
}
