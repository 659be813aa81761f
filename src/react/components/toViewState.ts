import { isConfluenceError, type ConfluenceError, type ConfluenceErrorKind } from '../../client/index.js';
import { errorRateLimit } from '../internal/rate-limit.js';
import type { ConfluenceViewer } from '../internal/viewer.js';
import type { StateKind, ViewState } from './messages.js';

/** Error kinds that have a view of their own. */
const OWN_VIEW_KINDS: ReadonlySet<string> = new Set([
  'forbidden',
  'not-found',
  'unauthorized',
  'rate-limited',
  'conflict',
  'bad-request',
  'gone',
]);

function viewKind(kind: ConfluenceErrorKind): StateKind {
  if (OWN_VIEW_KINDS.has(kind)) return kind as StateKind;
  // A failed precondition (If-Match) is the same story for the user as a version conflict.
  if (kind === 'precondition-failed') return 'conflict';
  // No host to ask (`AP.request` or `requestConfluence` missing): the app is not inside Confluence.
  if (kind === 'host-unavailable') return 'outside';
  // Nothing answered: a timeout, a network failure.
  if (kind === 'timeout' || kind === 'network') return 'unavailable';
  return 'error';
}

/** CQL search (v1): Confluence refuses it only to single-space guests, whoever the app thinks is looking. */
const SEARCH_PATH = /\/rest\/api\/search/;

/** A refusal of the user (not of the app): a user-permission 403, a 404 that may hide content, a 401 without scope. */
function refusesTheUser(error: ConfluenceError): boolean {
  if (error.kind === 'forbidden') return error.reason === 'user-permission' || error.reason === 'unknown';
  if (error.kind === 'unauthorized') return error.reason === undefined;
  return error.kind === 'not-found';
}

/** The viewer's own state when the refusal is about who they are: a guest outside their space, an anonymous write. */
function viewerKind(error: ConfluenceError, viewer: ConfluenceViewer | undefined): StateKind | undefined {
  if (!refusesTheUser(error)) return undefined;
  if (viewer === 'unlicensed') return 'unlicensed';
  if (viewer === 'anonymous' && error.method !== 'GET') return 'anonymous';
  const refusedSearch = error.kind === 'forbidden' && SEARCH_PATH.test(error.path);
  if (viewer === 'guest' || refusedSearch) return 'guest';
  return undefined;
}

/**
 * Maps any thrown value to the state view that explains it: `ConfluenceError` kinds to their views, anything else to
 * the generic `error` view. With the `viewer` (`useConfluenceContext().data.viewer`), a refusal that comes from who
 * they are gets their state: `anonymous` for a write without an account, `guest` outside a guest's space (a refused
 * CQL search is a guest's even without it), `unlicensed` when the app's licence is inactive.
 *
 * @example
 * const state = toViewState(mutation.error); // { kind: 'conflict', currentVersion: 7, … }
 * toViewState(saveError, 'anonymous'); // { kind: 'anonymous', … } → "Sign in to edit."
 */
export function toViewState(error: unknown, viewer?: ConfluenceViewer): ViewState {
  if (!isConfluenceError(error)) return { kind: 'error', error };
  const ownKind = viewerKind(error, viewer);
  if (ownKind) return { kind: ownKind, reason: error.reason, error };
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
