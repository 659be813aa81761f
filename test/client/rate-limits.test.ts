import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  createConfluenceClient,
  isConfluenceError,
  type ConfluenceError,
  type RateLimitState,
  type Transport,
  type TransportRequest,
  type TransportResponse,
} from '../../src/client';

// 15:40:00 UTC: the quota resets at 16:00:00 UTC, 20 minutes away.
const NOW = Date.parse('2026-03-26T15:40:00Z');
const NEXT_HOUR = Date.parse('2026-03-26T16:00:00Z');

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
  vi.setSystemTime(NOW);
});
afterEach(() => vi.useRealTimers());

type Answer = Partial<TransportResponse> | Error;

/**
 * A custom Transport: `answer` decides each call's answer (an Error rejects, like a bridge failure); calls are
 * counted and kept. `hold: true` keeps answers back until `release()`.
 */
function scriptedHost(answer: (request: TransportRequest) => Answer, { hold = false, kind = 'connect' } = {}) {
  const calls: TransportRequest[] = [];
  const held: (() => void)[] = [];
  const transport: Transport = {
    kind: kind as Transport['kind'],
    send(request) {
      calls.push(request);
      return new Promise((resolve, reject) => {
        const settle = () => {
          const result = answer(request);
          if (result instanceof Error) reject(result);
          else resolve({ status: 200, statusText: '', headers: {}, body: '{}', ...result });
        };
        if (hold) held.push(settle);
        else settle();
      });
    },
  };
  const release = () => held.splice(0).forEach((settle) => settle());
  return { transport, calls, release };
}

const ok = (headers: Record<string, string> = {}): Answer => ({
  status: 200,
  headers: { 'content-type': 'application/json', ...headers },
  body: '{"ok":true}',
});

const quotaRefusal = (headers: Record<string, string> = {}): Answer => ({
  status: 429,
  headers: { 'ratelimit-reason': 'confluence-quota-tenant-based', ...headers },
  body: '',
});

async function rejectionOf(promise: Promise<unknown>): Promise<ConfluenceError> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  if (!isConfluenceError(error)) throw new Error(`expected a ConfluenceError, got ${String(error)}`);
  return error;
}

describe('a spent points quota pauses the whole client', () => {
  it('after a quota 429, no request reaches the transport until the reset; each rejects at once with the countdown', async () => {
    const host = scriptedHost((request) => (request.path.endsWith('/refused') ? quotaRefusal() : ok()));
    const client = createConfluenceClient({ transport: host.transport });

    const first = await rejectionOf(client.request({ path: '/wiki/api/v2/pages/refused' }));
    expect(first).toMatchObject({
      kind: 'rate-limited',
      status: 429,
      retryAfterMs: NEXT_HOUR - NOW, // no Retry-After, no X-RateLimit-Reset: the next UTC hour
      rateLimit: { scope: 'quota', resetAt: NEXT_HOUR, reason: 'confluence-quota-tenant-based' },
    });
    expect(host.calls).toHaveLength(1); // a spent quota is not retried
    expect(client.rateLimit).toMatchObject({ paused: true, scope: 'quota', resetAt: NEXT_HOUR });

    await vi.advanceTimersByTimeAsync(5 * 60_000);
    const during = await Promise.all(
      [
        client.request({ path: '/wiki/api/v2/pages/1' }),
        client.request({ method: 'POST', path: '/wiki/api/v2/pages', body: { title: 'x' } }),
        client.getPage('7'),
      ].map(rejectionOf),
    );
    for (const error of during) {
      expect(error).toMatchObject({
        kind: 'rate-limited',
        retryAfterMs: NEXT_HOUR - NOW - 5 * 60_000,
        rateLimit: { scope: 'quota', resetAt: NEXT_HOUR },
      });
    }
    expect(host.calls).toHaveLength(1);
    expect(client.stats.transportCalls).toBe(1);

    await vi.advanceTimersByTimeAsync(NEXT_HOUR - Date.now());
    expect(client.rateLimit.paused).toBe(false);
    expect((await client.request({ path: '/wiki/api/v2/pages/1' })).data).toEqual({ ok: true });
    expect(host.calls).toHaveLength(2);
  });

  it('the reset comes from Retry-After, else X-RateLimit-Reset; a 503 with a quota reason pauses too', async () => {
    const retryAfter = scriptedHost(() => quotaRefusal({ 'retry-after': '90' }));
    const a = createConfluenceClient({ transport: retryAfter.transport });
    expect((await rejectionOf(a.request({ path: '/wiki/x' }))).rateLimit).toEqual({
      scope: 'quota',
      resetAt: NOW + 90_000,
      reason: 'confluence-quota-tenant-based',
    });

    const reset = scriptedHost(() => ({
      status: 503,
      headers: { 'ratelimit-reason': 'confluence-quota-global-based', 'x-ratelimit-reset': '2026-03-26T15:50:00Z' },
      body: '',
    }));
    const b = createConfluenceClient({ transport: reset.transport });
    const error = await rejectionOf(b.request({ path: '/wiki/x' }));
    expect(error).toMatchObject({ kind: 'rate-limited', retryAfterMs: 10 * 60_000 });
    expect(error.rateLimit).toMatchObject({ scope: 'quota', resetAt: Date.parse('2026-03-26T15:50:00Z') });
    await rejectionOf(b.request({ path: '/wiki/y' }));
    expect(reset.calls).toHaveLength(1);
  });

  it.each(['conf-global-based', 'tenant-app-quota', 'CONFLUENCE-QUOTA-GLOBAL-BASED'])(
    'a RateLimit-Reason outside the documented ones that names the quota (%s) pauses too',
    async (reason) => {
      const host = scriptedHost(() => ({ status: 429, headers: { 'ratelimit-reason': reason }, body: '' }));
      const client = createConfluenceClient({ transport: host.transport });
      const error = await rejectionOf(client.request({ path: '/wiki/x' }));
      expect(error.rateLimit).toEqual({ scope: 'quota', resetAt: NEXT_HOUR, reason });
      expect(client.rateLimit).toMatchObject({ paused: true, resetAt: NEXT_HOUR });
      await rejectionOf(client.request({ path: '/wiki/y' }));
      expect(host.calls).toHaveLength(1);
    },
  );

  it('a burst reason stays a burst: it neither names the quota nor its pool', async () => {
    let refusals = 1;
    const host = scriptedHost(() =>
      refusals-- > 0
        ? { status: 429, headers: { 'ratelimit-reason': 'confluence-burst-based', 'retry-after': '1' }, body: '' }
        : ok(),
    );
    const client = createConfluenceClient({ transport: host.transport });
    const response = client.request({ path: '/wiki/x' });
    await vi.advanceTimersByTimeAsync(1000);
    expect((await response).data).toEqual({ ok: true });
    expect(client.rateLimit.paused).toBe(false);
  });

  it('a retry waiting out a burst limit does not reach the host once the quota is spent', async () => {
    let quotaSpent = false;
    const host = scriptedHost((request) => {
      if (request.path.endsWith('/burst')) return { status: 429, headers: { 'retry-after': '2' }, body: '' };
      return quotaSpent ? quotaRefusal() : ok();
    });
    const client = createConfluenceClient({ transport: host.transport });
    const burst = rejectionOf(client.request({ path: '/wiki/burst' }));
    await vi.advanceTimersByTimeAsync(0);
    quotaSpent = true;
    await rejectionOf(client.request({ path: '/wiki/other' }));
    await vi.advanceTimersByTimeAsync(2000);
    expect((await burst).rateLimit?.scope).toBe('quota');
    expect(host.calls.map((call) => call.path)).toEqual(['/wiki/burst', '/wiki/other']);
  });

  it('client.onRateLimitChange tells of the pause and of its end; unsubscribe stops it', async () => {
    const host = scriptedHost(() => quotaRefusal({ 'retry-after': '60' }));
    const client = createConfluenceClient({ transport: host.transport });
    const seen: RateLimitState[] = [];
    const unsubscribe = client.onRateLimitChange((state) => seen.push(state));
    await rejectionOf(client.request({ path: '/wiki/x' }));
    expect(seen.at(-1)).toMatchObject({ paused: true, resetAt: NOW + 60_000 });
    await vi.advanceTimersByTimeAsync(60_000);
    expect(seen.at(-1)).toMatchObject({ paused: false, nearLimit: false });
    expect(seen.at(-1)?.scope).toBeUndefined();
    const count = seen.length;
    unsubscribe();
    await rejectionOf(client.request({ path: '/wiki/x' }));
    expect(seen).toHaveLength(count);
  });
});

describe('a burst limit stays per request', () => {
  it('burst 429s do not pause other requests', async () => {
    const host = scriptedHost((request) =>
      request.path.endsWith('/busy')
        ? { status: 429, headers: { 'retry-after': '5', 'ratelimit-reason': 'confluence-burst-based' }, body: '' }
        : ok(),
    );
    const client = createConfluenceClient({ transport: host.transport, retry: false });
    const error = await rejectionOf(client.request({ path: '/wiki/busy' }));
    expect(error).toMatchObject({
      kind: 'rate-limited',
      retryAfterMs: 5000,
      rateLimit: { scope: 'burst', resetAt: NOW + 5000 },
    });
    expect(client.rateLimit).toMatchObject({ paused: false, scope: 'burst' });
    expect((await client.request({ path: '/wiki/free' })).data).toEqual({ ok: true });
    expect(host.calls.map((call) => call.path)).toEqual(['/wiki/busy', '/wiki/free']);
    expect(client.rateLimit.scope).toBeUndefined(); // a success ends the burst wait
  });

  it('a 429 without Retry-After is not retried at once: it waits a backoff with jitter', async () => {
    let refusals = 1;
    const host = scriptedHost(() => (refusals-- > 0 ? { status: 429, headers: {}, body: '' } : ok()));
    const client = createConfluenceClient({ transport: host.transport, retry: { random: () => 0 } });
    const response = client.request({ path: '/wiki/x' });
    await vi.advanceTimersByTimeAsync(0);
    expect(host.calls).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(699); // the shortest backoff: 1 s × jitter 0.7
    expect(host.calls).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(host.calls).toHaveLength(2);
    expect((await response).data).toEqual({ ok: true });
  });

  it('Beta-Retry-After counts when Retry-After is missing', async () => {
    let refusals = 1;
    const host = scriptedHost(() =>
      refusals-- > 0 ? { status: 429, headers: { 'beta-retry-after': '4' }, body: '' } : ok(),
    );
    const client = createConfluenceClient({ transport: host.transport });
    const response = client.request({ path: '/wiki/x' });
    await vi.advanceTimersByTimeAsync(3999);
    expect(host.calls).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    await response;
    expect(host.calls).toHaveLength(2);
  });
});

describe('client.rateLimit', () => {
  it('reflects X-RateLimit-Remaining, X-RateLimit-Limit and X-RateLimit-NearLimit', async () => {
    const headers: Record<string, string>[] = [
      { 'x-ratelimit-limit': '65000', 'x-ratelimit-remaining': '40000' },
      { 'x-ratelimit-limit': '65000', 'x-ratelimit-remaining': '9000', 'x-ratelimit-nearlimit': 'true' },
      {}, // a Connect host that dropped the headers: nothing learnt, nothing forgotten
    ];
    const host = scriptedHost(() => ok(headers.shift()));
    const client = createConfluenceClient({ transport: host.transport });
    expect(client.rateLimit).toEqual({ paused: false, nearLimit: false });

    await client.request({ path: '/wiki/a' });
    expect(client.rateLimit).toMatchObject({ remaining: 40000, limit: 65000, nearLimit: false });
    await client.request({ path: '/wiki/b' });
    expect(client.rateLimit).toMatchObject({ remaining: 9000, nearLimit: true, paused: false });
    const before = client.rateLimit;
    await client.request({ path: '/wiki/c' });
    expect(client.rateLimit).toBe(before); // unchanged state keeps its identity (useSyncExternalStore)
  });

  it('Beta-RateLimit: its r= (sent after about 80 % use) is the remaining count and means near the limit', async () => {
    const host = scriptedHost(() => ok({ 'beta-ratelimit': '"global";r=1200;t=1200' }));
    const client = createConfluenceClient({ transport: host.transport });
    await client.request({ path: '/wiki/a' });
    expect(client.rateLimit).toMatchObject({ remaining: 1200, nearLimit: true });
  });
});

describe("the Forge bridge's own limiter", () => {
  it('BridgeAPIError "rate limited at 500/25s" → rate-limited, scope bridge, with a wait; never network', async () => {
    class BridgeAPIError extends Error {}
    let refusals = 1;
    const host = scriptedHost(
      () => (refusals-- > 0 ? new BridgeAPIError('Remote invocation calls are rate limited at 500/25s') : ok()),
      { kind: 'forge' },
    );
    const client = createConfluenceClient({ transport: host.transport, retry: false });
    const error = await rejectionOf(client.request({ method: 'POST', path: '/wiki/x', body: {} }));
    expect(error).toMatchObject({
      kind: 'rate-limited',
      retryAfterMs: 25_000,
      rateLimit: { scope: 'bridge', resetAt: NOW + 25_000 },
    });
    expect(client.rateLimit).toMatchObject({ scope: 'bridge', paused: false });

    // With retries on, the client waits the window out (nothing ran, so even a POST is sent again).
    refusals = 1;
    const retrying = createConfluenceClient({ transport: host.transport });
    const response = retrying.request({ method: 'POST', path: '/wiki/x', body: {} });
    await vi.advanceTimersByTimeAsync(24_999);
    expect(host.calls).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1);
    expect((await response).data).toEqual({ ok: true });
  });

  it('the default message ("Too many invocations.") is recognised too; other bridge errors stay network', async () => {
    const host = scriptedHost((request) =>
      request.path.endsWith('/limited') ? new Error('Too many invocations.') : new Error('bridge is gone'),
    );
    const client = createConfluenceClient({ transport: host.transport, retry: false });
    expect((await rejectionOf(client.request({ path: '/wiki/limited' }))).rateLimit?.scope).toBe('bridge');
    expect((await rejectionOf(client.request({ path: '/wiki/other' }))).kind).toBe('network');
  });
});

describe('React StrictMode: an identical request joins an aborted call that is still out', () => {
  it('mount, abort, mount again: one host call, and the second caller gets its answer', async () => {
    const host = scriptedHost(() => ok(), { hold: true });
    const client = createConfluenceClient({ transport: host.transport });
    const firstMount = new AbortController();
    const first = client.request({ path: '/wiki/api/v2/pages/1', signal: firstMount.signal }).catch((e) => e);
    firstMount.abort(); // StrictMode's simulated unmount: AP.request cannot cancel, the call is still out
    const second = client.request({ path: '/wiki/api/v2/pages/1' });
    expect((await first).name).toBe('AbortError');
    host.release();
    expect((await second).data).toEqual({ ok: true });
    expect(client.stats.transportCalls).toBe(1);
    expect(host.calls).toHaveLength(1);
  });

  it('works for an identical write too (same method, path and body), but not for a different body', async () => {
    const host = scriptedHost(() => ok(), { hold: true });
    const client = createConfluenceClient({ transport: host.transport });
    const mount = new AbortController();
    const aborted = client
      .request({ method: 'POST', path: '/wiki/api/v2/pages', body: { title: 'a' }, signal: mount.signal })
      .catch((e) => e);
    mount.abort();
    const same = client.request({ method: 'POST', path: '/wiki/api/v2/pages', body: { title: 'a' } });
    const other = client.request({ method: 'POST', path: '/wiki/api/v2/pages', body: { title: 'b' } });
    await vi.advanceTimersByTimeAsync(0);
    host.release();
    await Promise.all([aborted, same, other]);
    expect(host.calls.map((call) => call.body)).toEqual(['{"title":"a"}', '{"title":"b"}']);
  });

  it('once the aborted call has answered, an identical request is sent again', async () => {
    const host = scriptedHost(() => ok(), { hold: true });
    const client = createConfluenceClient({ transport: host.transport });
    const mount = new AbortController();
    const aborted = client.request({ path: '/wiki/p', signal: mount.signal }).catch((e) => e);
    mount.abort();
    await aborted;
    host.release();
    await vi.advanceTimersByTimeAsync(0);
    const later = client.request({ path: '/wiki/p' });
    await vi.advanceTimersByTimeAsync(0);
    host.release();
    await later;
    expect(host.calls).toHaveLength(2);
  });

  it('fetch really cancels, so its aborted calls are never joined', async () => {
    const host = scriptedHost(() => ok(), { hold: true, kind: 'fetch' });
    const client = createConfluenceClient({ transport: host.transport });
    const mount = new AbortController();
    const aborted = client.request({ path: '/wiki/p', signal: mount.signal }).catch((e) => e);
    mount.abort();
    const again = client.request({ path: '/wiki/p' });
    await aborted;
    host.release();
    await again;
    expect(host.calls).toHaveLength(2);
  });
});
