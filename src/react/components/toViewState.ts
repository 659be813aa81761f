import { isConfluenceError } from '../../client/index';
import type { StateKind, ViewState } from './messages';

const KIND: Record<string, StateKind> = {
  forbidden: 'forbidden',
  'not-found': 'not-found',
  unauthorized: 'unauthorized',
  'rate-limited': 'rate-limited',
  conflict: 'conflict',
  'precondition-failed': 'conflict',
  timeout: 'unavailable',
  'host-unavailable': 'unavailable',
  network: 'unavailable',
};

/** Maps any thrown value to the state view that explains it. */
export function toViewState(error: unknown): ViewState {
  if (!isConfluenceError(error)) return { kind: 'error', error };
  const { kind, reason, retryAfterMs, currentVersion } = error;
  return { kind: KIND[kind] ?? 'error', reason, error, retryAfterMs, currentVersion };
}
