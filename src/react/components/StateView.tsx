import type { CSSProperties } from 'react';
import { useContext, useEffect, useRef, useState } from '../deps.js';
import { KitContext } from '../context.js';
import { defaultMessages, type Messages, type StateRenderers, type ViewState } from './messages.js';

export interface StateViewProps {
  state: ViewState;
  /** Retry the request (the "Try again" action, and what the rate-limit countdown runs at zero). */
  onRetry?: () => void;
  /** Load the latest version after a conflict. */
  onReload?: () => void;
  messages?: Partial<Messages>;
  render?: StateRenderers;
}

// Design tokens only, with Atlassian's light-theme values as fallbacks, so the views follow the host theme.
const box: CSSProperties = { padding: 'var(--ds-space-150,12px)', color: 'var(--ds-text,#172B4D)' };
const refusal: CSSProperties = {
  ...box,
  background: 'var(--ds-background-warning,#FFF7D6)',
  borderLeft: '4px solid var(--ds-border-warning,#E56910)',
  // The box takes focus only so screen readers land on it; it is not interactive, so no focus ring.
  outline: 'none',
};

/** Counts down whole seconds, then calls `onDone` once. Restarts when `token` (the error) changes. */
function useCountdown(ms: number | undefined, onDone: (() => void) | undefined, token: unknown): number | undefined {
  // The first frame already shows the seconds (no flash of a message without them); the effect then ticks.
  const [left, setLeft] = useState(() => (ms == null ? undefined : Math.ceil(ms / 1000) || 1));
  const done = useRef(onDone);
  done.current = onDone;
  useEffect(() => {
    if (ms == null) return;
    let s = Math.ceil(ms / 1000) || 1;
    setLeft(s);
    const timer = setInterval(() => {
      setLeft(--s);
      if (s < 1) (clearInterval(timer), done.current?.());
    }, 1000);
    return () => clearInterval(timer);
  }, [ms, token]);
  // No wait (e.g. the view went from loading to an error): no seconds left, whatever the last countdown reached.
  return ms == null ? undefined : left;
}

/** Renders one request state: progress as role="status", refusals and failures as role="alert". */
export function StateView({ state, onRetry, onReload, messages, render }: StateViewProps) {
  const kit = useContext(KitContext);
  const m: any = { ...(kit?.messages ?? defaultMessages), ...messages };
  const { kind, reason } = state;
  const custom = render?.[kind] ?? kit?.render[kind];
  const ref = useRef<HTMLDivElement>(null);
  const progress = kind == 'loading' || kind == 'connecting';
  const wait = kind == 'rate-limited' ? state.retryAfterMs : undefined;
  const secondsLeft = useCountdown(wait, onRetry, state.error);
  // While loading, the client may be waiting out a rate limit before retrying by itself: say so, with the seconds
  // left, instead of a bare spinner. Only rate limits: they hold for the whole site, so every pending request waits
  // on them; a 5xx retry of one request says nothing about the others.
  const [retryEvent, setRetryEvent] = useState<{ delayMs: number }>();
  const client = kit?.client;
  useEffect(
    () => (progress && client ? client.onRetry((e) => e.error.kind == 'rate-limited' && setRetryEvent(e)) : undefined),
    [progress, client],
  );
  const busyLeft = useCountdown(progress ? retryEvent?.delayMs : undefined, undefined, retryEvent);

  // Move focus into a refusal so keyboard and screen-reader users land on what they can do next.
  useEffect(() => {
    const el = ref.current;
    // preventScroll: an auto-resized macro iframe must not jump while it grows.
    if (!progress && el) (el.querySelector('button') ?? el).focus({ preventScroll: true });
  }, [kind, progress]);

  const message: string =
    kind == 'rate-limited' || busyLeft
      ? m['rate-limited'](busyLeft || secondsLeft)
      : kind == 'conflict'
        ? m[kind](state.currentVersion)
        : (reason && m['forbidden.' + reason]) || m[kind];
  const reload = kind == 'conflict' ? (onReload ?? onRetry) : undefined;
  // Nothing to retry for a refusal; a named wait retries by itself.
  const retry = /forbidden|not-found|outside|conflict/.test(kind) || wait != null ? undefined : onRetry;
  const action = reload ?? retry;

  return (
    <div
      ref={ref}
      role={progress ? 'status' : 'alert'}
      tabIndex={-1}
      data-state={progress ? 'loading' : 'error'}
      data-kind={kind}
      data-reason={reason}
      style={progress ? box : refusal}
    >
      {custom ? (
        custom({ ...state, message, secondsLeft, retry, reload })
      ) : (
        <>
          {/* A countdown is a timer (not live), so the alert is not re-announced every second. */}
          <p role={wait != null ? 'timer' : undefined}>{message}</p>
          {kind == 'outside' && <p>{(reason && m['outsideHint.' + reason]) || m.outsideHint}</p>}
          {action && (
            <button type="button" onClick={action}>
              {reload ? m.reload : m.retry}
            </button>
          )}
        </>
      )}
    </div>
  );
}
