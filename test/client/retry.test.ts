import { http, HttpResponse } from 'msw';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createConfluenceClient, createFetchTransport, type RetryEvent } from '../../src/client';
import { retryAfter } from '../../src/client/internal/classify';
import { defaultRetryPolicy, retryDelay } from '../../src/client/internal/retry-policy';
import { SITE, json, setupMsw } from './helpers';

const server = setupMsw();
const NOW = Date.parse('2026-03-26T15:59:00Z');

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
  vi.setSystemTime(NOW);
});
afterEach(() => vi.useRealTimers());

/** Serves the given answers in order and counts hits. */
function script(path: string, answers: (() => Response)[]) {
  let hits = 0;
  server.use(http.all(SITE + path, () => answers[Math.min(hits++, answers.length - 1)]!()));
  return () => hits;
}

function makeClient(random = () => 0.5) {
  const events: RetryEvent[] = [];
  const client = createConfluenceClient({
    transport: createFetchTransport({ baseUrl: SITE }),
    retry: { random },
    onRetry: (e) => events.push(e),
  });
  return { client, events };
}

describe('retry schedule', () => {
  it('429 with Retry-After seconds: waits exactly that long, then succeeds', async () => {
    const hits = script('/wiki/api/v2/pages/1', [
      () => new HttpResponse(null, { status: 429, headers: { 'retry-after': '3' } }),
      () => json(200, { id: '1' }),
    ]);
    const { client, events } = makeClient();
    const p = client.request({ path: '/wiki/api/v2/pages/1' });
    await vi.advanceTimersByTimeAsync(0);
    expect(hits()).toBe(1);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      attempt: 1,
      delayMs: 3000,
      request: { method: 'GET', path: '/wiki/api/v2/pages/1' },
    });
    expect(events[0]!.error.kind).toBe('rate-limited');
    await vi.advanceTimersByTimeAsync(2999);
    expect(hits()).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    expect((await p).data).toEqual({ id: '1' });
    expect(hits()).toBe(2);
    expect(client.stats.transportCalls).toBe(2);
  });

  it('Retry-After as an HTTP date is honoured', async () => {
    script('/wiki/x', [
      () => new HttpResponse(null, { status: 429, headers: { 'retry-after': new Date(NOW + 5000).toUTCString() } }),
      () => json(200, {}),
    ]);
    const { client, events } = makeClient();
    const p = client.request({ path: '/wiki/x' });
    await vi.advanceTimersByTimeAsync(5000);
    await p;
    expect(events.map((e) => e.delayMs)).toEqual([5000]);
  });

  it('without Retry-After, falls back to X-RateLimit-Reset (ISO 8601)', async () => {
    // Reset at 16:00Z, one minute after NOW: longer than the 30 s cap → surfaces at once with retryAfterMs for the UI.
    script('/wiki/x', [
      () => new HttpResponse(null, { status: 429, headers: { 'x-ratelimit-reset': '2026-03-26T16:00Z' } }),
    ]);
    const { client, events } = makeClient();
    const e = await client.request({ path: '/wiki/x' }).catch((x) => x);
    expect(e).toMatchObject({ kind: 'rate-limited', retryAfterMs: 60_000 });
    expect(events).toHaveLength(0);

    // Reset 20 s away: waited exactly.
    vi.setSystemTime(Date.parse('2026-03-26T15:59:40Z'));
    const hits = script('/wiki/y', [
      () => new HttpResponse(null, { status: 429, headers: { 'x-ratelimit-reset': '2026-03-26T16:00Z' } }),
      () => json(200, {}),
    ]);
    const p = client.request({ path: '/wiki/y' });
    await vi.advanceTimersByTimeAsync(20_000);
    await p;
    expect(hits()).toBe(2);
    expect(events.map((e) => e.delayMs)).toEqual([20_000]);
  });

  it('no hint: exponential backoff 1,2,4,8 s × jitter, at most 4 retries, then the last error', async () => {
    const hits = script('/wiki/x', [() => new HttpResponse(null, { status: 429 })]);
    const { client, events } = makeClient(() => 0.5); // jitter factor 0.7 + 0.6 × 0.5 = 1.0
    const p = client.request({ path: '/wiki/x' }).catch((x) => x);
    await vi.advanceTimersByTimeAsync(60_000);
    const e = await p;
    expect(e.kind).toBe('rate-limited');
    expect(events.map((x) => x.delayMs)).toEqual([1000, 2000, 4000, 8000]);
    expect(events.map((x) => x.attempt)).toEqual([1, 2, 3, 4]);
    expect(hits()).toBe(5);
  });

  it('jitter stays within ×0.7–1.3 and the delay is capped at 30 s', () => {
    const e = { status: 429, kind: 'rate-limited' } as never;
    const p = (r: number) => ({ ...defaultRetryPolicy, retries: 10, random: () => r });
    expect(retryDelay(e, 'GET', 0, p(0))).toBe(700);
    expect(retryDelay(e, 'GET', 0, p(0.9999999))).toBe(1300);
    expect(retryDelay(e, 'GET', 3, p(0))).toBe(5600);
    expect(retryDelay(e, 'GET', 6, p(0.5))).toBe(30_000); // 64 s → cap
    expect(retryDelay(e, 'GET', 4, p(0.5))).toBe(16_000); // a 5th retry when the policy allows 10
    expect(retryDelay(e, 'GET', 4, { ...defaultRetryPolicy, random: () => 0.5 })).toBeUndefined(); // default: 4 retries max
  });

  it('503 without hint is retried for GET (idempotent), not for POST', async () => {
    const hits = script('/wiki/x', [() => new HttpResponse(null, { status: 503 }), () => json(200, { ok: true })]);
    const { client, events } = makeClient();
    const p = client.request({ path: '/wiki/x' });
    await vi.advanceTimersByTimeAsync(1000);
    expect((await p).data).toEqual({ ok: true });
    expect(events).toHaveLength(1);

    const postHits = script('/wiki/y', [() => new HttpResponse(null, { status: 503 }), () => json(200, {})]);
    const e = await client.request({ method: 'POST', path: '/wiki/y', body: {} }).catch((x) => x);
    expect(e.kind).toBe('server');
    expect(postHits()).toBe(1);
    expect(hits()).toBe(2);
  });

  it('500 and network failures: retried for GET/PUT/DELETE, never for POST', async () => {
    const getHits = script('/wiki/a', [() => HttpResponse.error(), () => json(500, {}), () => json(200, {})]);
    const { client, events } = makeClient();
    const p = client.request({ path: '/wiki/a' });
    await vi.advanceTimersByTimeAsync(3000);
    await p;
    expect(getHits()).toBe(3);
    expect(events.map((e) => e.error.kind)).toEqual(['network', 'server']);

    const postHits = script('/wiki/b', [() => HttpResponse.error()]);
    expect((await client.request({ method: 'POST', path: '/wiki/b', body: {} }).catch((x) => x)).kind).toBe('network');
    expect(postHits()).toBe(1);
  });

  it('501 Not Implemented (the emulator\'s "not emulated") is answered at once, never retried', async () => {
    const hits = script('/wiki/rest/api/not-there', [() => json(501, { notEmulated: true }), () => json(200, {})]);
    const { client, events } = makeClient();
    const error = await client.request({ path: '/wiki/rest/api/not-there' }).catch((failure) => failure);
    expect(error.status).toBe(501);
    expect(hits()).toBe(1);
    expect(events).toEqual([]);
  });

  it('429 is retried even for POST (the request was refused, not run)', async () => {
    const hits = script('/wiki/p', [
      () => new HttpResponse(null, { status: 429, headers: { 'retry-after': '1' } }),
      () => json(201, { id: '9' }),
    ]);
    const { client } = makeClient();
    const p = client.request({ method: 'POST', path: '/wiki/p', body: { title: 't' } });
    await vi.advanceTimersByTimeAsync(1000);
    expect((await p).status).toBe(201);
    expect(hits()).toBe(2);
  });

  it.each([400, 401, 403, 404, 409, 410, 412])('never retries %i', async (status) => {
    const hits = script('/wiki/z', [() => json(status, {})]);
    const { client, events } = makeClient();
    await expect(client.request({ path: '/wiki/z' })).rejects.toMatchObject({ status });
    expect(hits()).toBe(1);
    expect(events).toHaveLength(0);
  });

  it('a Retry-After beyond the one-hour cap (2^63 s has been seen) is the quota with its reset unknown', async () => {
    const hits = script('/wiki/z', [
      () => new HttpResponse(null, { status: 429, headers: { 'retry-after': '9223372036854775807' } }),
    ]);
    const { client, events } = makeClient();
    const e = await client.request({ path: '/wiki/z' }).catch((x) => x);
    expect(e.kind).toBe('rate-limited');
    expect(e.rateLimit).toEqual({ scope: 'quota', reason: undefined });
    // No countdown of 292 billion years, nor the cap passed off as a real wait.
    expect(e.retryAfterMs).toBeUndefined();
    expect(e.message).not.toContain('retry in');
    expect(hits()).toBe(1);
    expect(events).toHaveLength(0);
    // Nobody knows when it ends, so the client does not pause: the next request may find the quota back.
    expect(client.rateLimit.paused).toBe(false);
  });

  it('per-request onRetry, client.onRetry listeners (with unsubscribe) and retry:false', async () => {
    script('/wiki/r', [
      () => new HttpResponse(null, { status: 429, headers: { 'retry-after': '1' } }),
      () => json(200, {}),
    ]);
    const { client } = makeClient();
    const perRequest: number[] = [],
      global: number[] = [];
    const off = client.onRetry((e) => global.push(e.delayMs));
    const p = client.request({ path: '/wiki/r', onRetry: (e) => perRequest.push(e.delayMs) });
    await vi.advanceTimersByTimeAsync(1000);
    await p;
    expect(perRequest).toEqual([1000]);
    expect(global).toEqual([1000]);
    off();
    const hits = script('/wiki/s', [() => new HttpResponse(null, { status: 429, headers: { 'retry-after': '1' } })]);
    await expect(client.request({ path: '/wiki/s', retry: false })).rejects.toMatchObject({ kind: 'rate-limited' });
    expect(hits()).toBe(1);
    expect(global).toEqual([1000]);
  });

  it('aborting during the backoff wait rejects with the abort reason and stops retrying', async () => {
    const hits = script('/wiki/q', [() => new HttpResponse(null, { status: 429, headers: { 'retry-after': '10' } })]);
    const { client } = makeClient();
    const c = new AbortController();
    const p = client.request({ path: '/wiki/q', signal: c.signal }).catch((x) => x);
    await vi.advanceTimersByTimeAsync(100);
    c.abort();
    expect((await p).name).toBe('AbortError');
    await vi.advanceTimersByTimeAsync(20_000);
    expect(hits()).toBe(1);
  });
});

describe('retryAfter()', () => {
  it('parses seconds, HTTP dates and X-RateLimit-Reset; ignores garbage', () => {
    expect(retryAfter({ 'retry-after': '2' }, NOW)).toBe(2000);
    expect(retryAfter({ 'retry-after': new Date(NOW + 4000).toUTCString() }, NOW)).toBe(4000);
    expect(retryAfter({ 'retry-after': new Date(NOW - 4000).toUTCString() }, NOW)).toBe(0);
    expect(retryAfter({ 'x-ratelimit-reset': '2026-03-26T16:00Z' }, NOW)).toBe(60_000);
    expect(retryAfter({ 'retry-after': 'soon' }, NOW)).toBeUndefined();
    expect(retryAfter({}, NOW)).toBeUndefined();
  });
});
