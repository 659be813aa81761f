import { useEffect, useRef, useState, type CSSProperties } from 'react';
import { useContext } from 'react';
import { KitContext } from '../context';
import { defaultMessages, type Messages, type StateRenderers, type ViewState } from './messages';

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
const box: CSSProperties = {
  padding: 'var(--ds-space-150, 12px)',
  borderRadius: 'var(--ds-border-radius, 4px)',
  color: 'var(--ds-text, #172B4D)',
  font: 'var(--ds-font-body, 14px/20px sans-serif)',
};
const refusal: CSSProperties = {
  ...box,
  background: 'var(--ds-background-warning, #FFF7D6)',
  borderInlineStart: '4px solid var(--ds-border-warning, #E56910)',
};
const button: CSSProperties = {
  marginInlineStart: 'var(--ds-space-100, 8px)',
  padding: 'var(--ds-space-050, 4px) var(--ds-space-150, 12px)',
  border: 0,
  borderRadius: 'var(--ds-border-radius, 4px)',
  background: 'var(--ds-background-brand-bold, #0C66E4)',
  color: 'var(--ds-text-inverse, #FFFFFF)',
  cursor: 'pointer',
};

/** Counts down whole seconds, then calls `onDone` once. Restarts when `token` (the error) changes. */
function useCountdown(ms: number | undefined, onDone: (() => void) | undefined, token: unknown): number | undefined {
  const [left, setLeft] = useState<number>();
  const done = useRef(onDone);
  done.current = onDone;
  useEffect(() => {
    if (ms == null) return;
    let s = Math.max(1, Math.ceil(ms / 1000));
    setLeft(s);
    const timer = setInterval(() => {
      setLeft(--s);
      if (s <= 0) {
        clearInterval(timer);
        done.current?.();
      }
    }, 1000);
    return () => clearInterval(timer);
  }, [ms, token]);
  return left;
}

/** Renders one request state: progress as role="status", refusals and failures as role="alert". */
export function StateView({ state, onRetry, onReload, messages, render }: StateViewProps) {
  const kit = useContext(KitContext);
  const m = { ...(kit?.messages ?? defaultMessages), ...messages };
  const custom = render?.[state.kind] ?? kit?.render[state.kind];
  const { kind, reason } = state;
  const ref = useRef<HTMLDivElement>(null);
  const progress = kind === 'loading' || kind === 'connecting';
  const countdown = kind === 'rate-limited' ? state.retryAfterMs : undefined;
  const secondsLeft = useCountdown(countdown, onRetry, state.error);

  // Move focus into a refusal so keyboard and screen-reader users land on what they can do next.
  useEffect(() => {
    const el = ref.current;
    if (!progress && el) (el.querySelector<HTMLElement>('button,a[href],input') ?? el).focus();
  }, [kind, progress]);

  const message =
    kind === 'rate-limited'
      ? m['rate-limited'](secondsLeft)
      : kind === 'conflict'
        ? m.conflict(state.currentVersion)
        : ((reason && (m as any)[`forbidden.${reason}`]) || m[kind]);
  const reload = kind === 'conflict' ? (onReload ?? onRetry) : undefined;
  const retry =
    kind === 'forbidden' || kind === 'not-found' || kind === 'outside' || reload || countdown != null
      ? undefined
      : onRetry;
  const action = reload ? [m.reload, reload] : retry ? [m.retry, retry] : undefined;

  return (
    <div
      ref={ref}
      role={progress ? 'status' : 'alert'}
      tabIndex={progress ? undefined : -1}
      data-state={progress ? 'loading' : 'error'}
      data-kind={kind}
      data-reason={reason}
      style={progress ? box : refusal}
    >
      {custom ? (
        custom({ ...state, message, secondsLeft, retry, reload })
      ) : (
        <>
          {message}
          {kind === 'outside' && <p>{m.outsideHint}</p>}
          {action && (
            <button type="button" style={button} onClick={action[1] as () => void}>
              {action[0] as string}
            </button>
          )}
        </>
      )}
    </div>
  );
}
