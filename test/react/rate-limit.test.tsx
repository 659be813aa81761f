import { act, render, screen } from '@testing-library/react';
import {
  ConfluenceError,
  createConfluenceClient,
  type ConfluenceClient,
  type TransportResponse,
} from '../../src/client/index';
import { ConfluenceProvider, RequestState, useRateLimit, type RateLimitState } from '../../src/react/index';

/**
 * A client answering every request with 200 `{}`, whose rate-limit state the test sets: the real client's getter
 * is shadowed by one the test controls, so the hook is driven exactly as the client drives it (state + listeners).
 */
function clientWithRateLimit() {
  const realClient = createConfluenceClient({
    transport: {
      kind: 'fetch',
      send: async (): Promise<TransportResponse> => ({ status: 200, statusText: 'OK', headers: {}, body: '{}' }),
    },
  });
  const listeners = new Set<(state: RateLimitState) => void>();
  let state: RateLimitState = { paused: false, nearLimit: false };
  const client: ConfluenceClient = Object.create(realClient, {
    rateLimit: { get: () => state },
    onRateLimitChange: {
      value: (listener: (next: RateLimitState) => void) => {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
    },
  });
  const change = (next: RateLimitState) => {
    state = next;
    for (const listener of listeners) listener(next);
  };
  return { client, change, listeners };
}

function quotaError(resetAt: number) {
  const error = new ConfluenceError({
    kind: 'rate-limited',
    status: 429,
    method: 'GET',
    path: '/wiki/api/v2/pages/1',
    message: 'quota',
  });
  return Object.assign(error, { rateLimit: { scope: 'quota' as const, resetAt } });
}

describe('useRateLimit', () => {
  it("reads client.rateLimit and re-renders on the client's changes, and stops listening on unmount", () => {
    const { client, change, listeners } = clientWithRateLimit();
    function Banner() {
      const { nearLimit, paused, remaining } = useRateLimit();
      return <p>{`${nearLimit ? 'near' : 'ok'} ${paused ? 'paused' : 'running'} ${remaining ?? '-'}`}</p>;
    }
    const { unmount } = render(
      <ConfluenceProvider client={client}>
        <Banner />
      </ConfluenceProvider>,
    );
    expect(screen.getByText('ok running -')).toBeTruthy();
    act(() => change({ paused: false, nearLimit: true, remaining: 120 }));
    expect(screen.getByText('near running 120')).toBeTruthy();
    act(() => change({ paused: true, scope: 'quota', resetAt: Date.now() + 60_000, nearLimit: true, remaining: 0 }));
    expect(screen.getByText('near paused 0')).toBeTruthy();
    unmount();
    expect(listeners.size).toBe(0);
  });

  it('says nothing is limited with a client that does not track limits', () => {
    const client = createConfluenceClient({
      transport: { kind: 'fetch', send: async () => ({ status: 200, statusText: 'OK', headers: {}, body: '{}' }) },
    });
    function Banner() {
      const state = useRateLimit();
      return <p>{JSON.stringify(state)}</p>;
    }
    render(
      <ConfluenceProvider client={client}>
        <Banner />
      </ConfluenceProvider>,
    );
    expect(screen.getByText('{"paused":false,"nearLimit":false}')).toBeTruthy();
  });
});

describe('the quota state', () => {
  afterEach(() => vi.useRealTimers());

  it('says the quota is spent and when it resumes (local time), without a countdown or a retry button', () => {
    const resetAt = new Date(2026, 11, 4, 14, 0, 0).getTime();
    render(<RequestState error={quotaError(resetAt)} />);
    const alert = screen.getByRole('alert');
    expect(alert.getAttribute('data-kind')).toBe('quota');
    expect(alert.textContent).toBe('This app has used its Confluence quota for this hour. It resumes at 14:00.');
    expect(screen.queryByRole('button')).toBeNull();
    expect(screen.queryByRole('timer')).toBeNull();
  });

  it('takes its text from messages.quota', () => {
    const resetAt = new Date(2026, 11, 4, 9, 5, 0).getTime();
    render(
      <RequestState
        error={quotaError(resetAt)}
        messages={{ quota: (at) => `Kontingent aufgebraucht bis ${at?.getHours()}:0${at?.getMinutes()}.` }}
      />,
    );
    expect(screen.getByRole('alert').textContent).toBe('Kontingent aufgebraucht bis 9:05.');
  });

  it('retries once the quota resets', () => {
    vi.useFakeTimers();
    const onRetry = vi.fn();
    render(<RequestState error={quotaError(Date.now() + 5 * 60_000)} onRetry={onRetry} />);
    act(() => vi.advanceTimersByTime(5 * 60_000 - 1));
    expect(onRetry).not.toHaveBeenCalled();
    act(() => vi.advanceTimersByTime(1));
    expect(onRetry).toHaveBeenCalledTimes(1);
  });

  it('a burst limit keeps the countdown', () => {
    const error = Object.assign(
      new ConfluenceError({
        kind: 'rate-limited',
        status: 429,
        method: 'GET',
        path: '/wiki/api/v2/pages/1',
        message: 'burst',
        retryAfterMs: 40_000,
      }),
      { rateLimit: { scope: 'burst' as const } },
    );
    render(<RequestState error={error} />);
    expect(screen.getByRole('alert').getAttribute('data-kind')).toBe('rate-limited');
    expect(screen.getByRole('timer').textContent).toBe('Confluence is busy. Retrying in 40 s.');
  });
});
