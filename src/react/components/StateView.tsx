import { useContext, useEffect, useLayoutEffect, useMemo, useRef, useState, type CSSProperties } from 'react';
import { developerNote } from '../internal/developer-notes.js';
import { KitContext } from '../internal/kit-context.js';
import { rateLimitWaitEnd } from '../internal/rate-limit-wait.js';
import { defaultMessages, type Messages, type StateKind, type StateRenderers, type ViewState } from './messages.js';

export interface StateViewProps {
  state: ViewState;
  /** Retry the request (the "Try again" action, and what the rate-limit countdown runs at zero). */
  onRetry?: () => void;
  /**
   * Load the latest version after a conflict (the "Reload latest" action): a read, such as `update.reloadLatest`.
   * Without it a conflict shows no action: retrying the write would meet the same conflict.
   */
  onReload?: () => void;
  messages?: Partial<Messages>;
  render?: StateRenderers;
  /**
   * Shown beside content that stays on screen (a failed refetch or "Load more"): a compact alert that does not take
   * focus, so a user reading or typing there is not moved. An inline `loading` shows only a rate-limit wait the
   * client sits out ("Confluence is busy. Retrying in N s."), else nothing.
   */
  inline?: boolean;
}

const ONE_SECOND_MS = 1000;

// Design tokens only, with Atlassian's light-theme values as fallbacks, so the views follow the host theme.
const progressStyle: CSSProperties = { padding: 'var(--ds-space-150,12px)', color: 'var(--ds-text,#172B4D)' };
const refusalStyle: CSSProperties = {
  ...progressStyle,
  background: 'var(--ds-background-warning,#FFF7D6)',
  borderLeft: '4px solid var(--ds-border-warning,#E56910)',
  // The box takes focus only so screen readers land on it; it is not interactive, so no focus ring.
  outline: 'none',
};
const inlineRefusalStyle: CSSProperties = { ...refusalStyle, padding: 'var(--ds-space-100,8px)' };

/** Whole seconds in a wait, at least 1 (a wait of 200 ms still says "1 s"). */
function wholeSeconds(ms: number): number {
  return Math.ceil(ms / ONE_SECOND_MS) || 1;
}

/**
 * Counts down whole seconds, then calls `onDone` once. Restarts when `token` (the error) or `ms` changes. The first
 * frame of every countdown already shows its seconds: a countdown the effect has not started yet (e.g. the same view
 * went from loading to a rate limit) reports its full length rather than what an earlier countdown left behind.
 */
function useCountdown(ms: number | undefined, onDone: (() => void) | undefined, token: unknown): number | undefined {
  const [countdown, setCountdown] = useState<{ token: unknown; ms: number | undefined; secondsLeft?: number }>(() => ({
    token,
    ms,
    secondsLeft: ms === undefined ? undefined : wholeSeconds(ms),
  }));
  const onDoneRef = useRef(onDone);
  useEffect(() => {
    onDoneRef.current = onDone;
  });
  // A layout effect: the ticking starts in the same commit that first shows the seconds, never a frame later.
  useLayoutEffect(() => {
    if (ms === undefined) return;
    // Until the first tick, the render works the full length out itself (see above).
    let secondsLeft = wholeSeconds(ms);
    const timer = setInterval(() => {
      secondsLeft -= 1;
      setCountdown({ token, ms, secondsLeft });
      if (secondsLeft < 1) {
        clearInterval(timer);
        onDoneRef.current?.();
      }
    }, ONE_SECOND_MS);
    return () => clearInterval(timer);
  }, [ms, token]);
  // No wait (e.g. the view went from a rate limit back to loading): no seconds, whatever the last countdown reached.
  if (ms === undefined) return undefined;
  if (countdown.token !== token || countdown.ms !== ms) return wholeSeconds(ms);
  return countdown.secondsLeft;
}

const PROGRESS_KINDS: ReadonlySet<StateKind> = new Set(['loading', 'connecting']);
// Nothing to retry for a refusal: the same request would be refused again.
const NOT_RETRYABLE_KINDS: ReadonlySet<StateKind> = new Set([
  'forbidden',
  'not-found',
  'outside',
  'conflict',
  'bad-request',
  'gone',
  'anonymous',
  'guest',
  'unlicensed',
]);
// setTimeout's largest delay; a quota resets within the hour, far below it.
const MAX_TIMER_MS = 2 ** 31 - 1;

function messageFor(messages: Messages, state: ViewState, secondsLeft: number | undefined, busySeconds?: number) {
  const { kind, reason } = state;
  if (kind === 'rate-limited' || busySeconds) return messages['rate-limited'](busySeconds || secondsLeft);
  if (kind === 'conflict') return messages.conflict(state.currentVersion);
  if (kind === 'quota') return messages.quota(state.resetAt === undefined ? undefined : new Date(state.resetAt));
  const texts = messages as unknown as Record<string, unknown>;
  // Reasons are refusal reasons (a 401 scope failure has reason `app-scope` too): their texts are `forbidden.<reason>`.
  const byReason = reason ? texts[`forbidden.${reason}`] : undefined;
  if (typeof byReason === 'string' && byReason) return byReason;
  const byKind = texts[kind];
  return typeof byKind === 'string' ? byKind : messages.error;
}

/**
 * While loading, the client may be waiting out a rate limit before retrying by itself: the seconds left, so the view
 * says so instead of a bare spinner. Only rate limits: they hold for the whole site, so every pending request waits
 * on them; a 5xx retry of one request says nothing about the others. A view that appears during a wait (a "Load
 * more" that already met its 429) counts down what is left of it.
 */
function useClientRateLimitWait(progress: boolean): number | undefined {
  const client = useContext(KitContext)?.client;
  const [waitEnd, setWaitEnd] = useState(client ? rateLimitWaitEnd(client) : 0);
  useEffect(() => {
    if (!progress || !client) return undefined;
    return client.onRetry(() => setWaitEnd(rateLimitWaitEnd(client)));
  }, [progress, client]);
  // What is left of the wait when it reaches this view, worked out once per wait (a countdown restarts whenever its
  // length changes).
  // eslint-disable-next-line react-hooks/purity -- reading the clock once per wait is the point
  const leftMs = useMemo(() => waitEnd - Date.now(), [waitEnd]);
  return useCountdown(progress && leftMs > 0 ? leftMs : undefined, undefined, waitEnd);
}

/** Calls `onRetry` once at `resetAt` (epoch ms), e.g. when a spent quota resets. */
function useRetryAt(resetAt: number | undefined, onRetry: (() => void) | undefined): void {
  const onRetryRef = useRef(onRetry);
  useEffect(() => {
    onRetryRef.current = onRetry;
  });
  useEffect(() => {
    if (resetAt === undefined) return undefined;
    const delay = Math.min(Math.max(resetAt - Date.now(), 0), MAX_TIMER_MS);
    const timer = setTimeout(() => onRetryRef.current?.(), delay);
    return () => clearTimeout(timer);
  }, [resetAt]);
}

/**
 * Renders one request state: progress as role="status", refusals and failures as role="alert". `<RequestState>` and
 * `<QueryBoundary>` choose the state; use this directly only to show a state of your own.
 *
 * @example
 * <StateView state={{ kind: 'not-found' }} />
 */
export function StateView({ state, onRetry, onReload, messages, render, inline = false }: StateViewProps) {
  const kit = useContext(KitContext);
  const texts: Messages = { ...(kit?.messages ?? defaultMessages), ...messages };
  const { kind, reason } = state;
  const customRender = render?.[kind] ?? kit?.render[kind];
  const boxRef = useRef<HTMLDivElement>(null);
  const progress = PROGRESS_KINDS.has(kind);
  const wait = kind === 'rate-limited' ? state.retryAfterMs : undefined;
  const secondsLeft = useCountdown(wait, onRetry, state.error);
  const busySeconds = useClientRateLimitWait(progress);
  useRetryAt(kind === 'quota' ? state.resetAt : undefined, onRetry);

  // Move focus into a refusal so keyboard and screen-reader users land on what they can do next. Not inline: there the
  // content stays, and the user may be reading or typing in it.
  useEffect(() => {
    const box = boxRef.current;
    if (progress || inline || !box) return;
    // preventScroll: an auto-resized macro iframe must not jump while it grows.
    (box.querySelector('button') ?? box).focus({ preventScroll: true });
  }, [kind, progress, inline]);

  // Progress beside content (a "Load more"): the content's own spinner says it; only a rate-limit wait is news.
  if (inline && progress && !busySeconds) return null;
  const message = messageFor(texts, state, secondsLeft, busySeconds);
  // Only a read reloads: `onRetry` may re-send the very write that conflicted.
  const reload = kind === 'conflict' ? onReload : undefined;
  // A named wait retries by itself, as a spent quota does at its reset; one whose reset is unknown offers "Try again".
  const retry =
    NOT_RETRYABLE_KINDS.has(kind) || wait !== undefined || state.resetAt !== undefined ? undefined : onRetry;
  const action = reload ?? retry;
  // Development builds only, written out here so production bundles drop it: the developer's hint, and the console.
  const hint =
    typeof process !== 'undefined' && process.env.NODE_ENV !== 'production' ? developerNote(texts, state) : undefined;

  let style = progress ? progressStyle : refusalStyle;
  if (inline && !progress) style = inlineRefusalStyle;
  return (
    <div
      ref={boxRef}
      role={progress ? 'status' : 'alert'}
      tabIndex={-1}
      data-state={progress ? 'loading' : 'error'}
      data-kind={kind}
      data-reason={reason}
      data-inline={inline ? 'true' : undefined}
      style={style}
    >
      {customRender ? (
        customRender({ ...state, message, secondsLeft, retry, reload })
      ) : (
        <>
          {/* A countdown is a timer (not live), so the alert is not re-announced every second. */}
          <p role={wait !== undefined ? 'timer' : undefined}>{message}</p>
          {hint && <p>{hint}</p>}
          {action && (
            <button type="button" onClick={action}>
              {reload ? texts.reload : texts.retry}
            </button>
          )}
        </>
      )}
    </div>
  );
}
