import { PAGES, createWorld } from '../../src/testing/index';
import { call } from './helpers';

describe('fault toggles', () => {
  test('rateLimit: 429 with Retry-After and X-RateLimit-* headers, on every endpoint, until cleared', async () => {
    const now = Date.UTC(2026, 2, 26, 15, 58, 10);
    const world = createWorld({ now: () => now });
    world.rateLimit({ retryAfterSeconds: 7 });
    for (const path of ['/wiki/api/v2/pages', '/wiki/rest/api/user/current']) {
      const res = await call(world, 'GET', path);
      expect(res.status).toBe(429);
      expect(res.statusText).toBe('Too Many Requests');
      expect(res.headers['retry-after']).toBe('7');
      expect(res.headers['x-ratelimit-limit']).toMatch(/^\d+$/);
      expect(res.headers['x-ratelimit-remaining']).toBe('0');
      expect(res.headers['x-ratelimit-reset']).toBe('2026-03-26T15:59Z');
      expect(res.headers['x-ratelimit-nearlimit']).toBe('true');
      expect(res.headers['ratelimit-reason']).toBeDefined();
    }
    world.setFaults({ rateLimit: null });
    expect((await call(world, 'GET', '/wiki/api/v2/pages')).status).toBe(200);
  });

  test('rateLimit with times recovers by itself after that many requests', async () => {
    const world = createWorld();
    world.rateLimit({ retryAfterSeconds: 1, times: 2 });
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await call(world, 'GET', `/wiki/api/v2/pages/${PAGES.home}`)).status);
    expect(statuses).toEqual([429, 429, 200]);
  });

  test('rateLimit with forMs counts Retry-After down to the end of the window', async () => {
    let now = 1_000_000;
    const world = createWorld({ now: () => now });
    world.rateLimit({ forMs: 5_000 });
    expect((await call(world, 'GET', '/wiki/api/v2/pages')).headers['retry-after']).toBe('5');
    now += 3_200;
    expect((await call(world, 'GET', '/wiki/api/v2/pages')).headers['retry-after']).toBe('2');
    now += 2_000;
    expect((await call(world, 'GET', '/wiki/api/v2/pages')).status).toBe(200);
  });

  test('hostDown: a bare 503 (no Retry-After, so it is not mistaken for a throttle), or no answer at all (status 0)', async () => {
    const world = createWorld();
    world.setFaults({ hostDown: '503' });
    const down = await call(world, 'GET', '/wiki/api/v2/pages');
    expect(down.status).toBe(503);
    expect(down.headers['retry-after']).toBeUndefined();
    world.setFaults({ hostDown: 'network' });
    expect((await call(world, 'GET', '/wiki/api/v2/pages')).status).toBe(0);
    world.resetFaults();
    expect((await call(world, 'GET', '/wiki/api/v2/pages')).status).toBe(200);
  });

  test('slowMs delays the answer (fake timers: nothing settles before the delay elapses)', async () => {
    vi.useFakeTimers();
    try {
      const world = createWorld();
      world.setFaults({ slowMs: 20_000 });
      let settled = false;
      const pending = call(world, 'GET', '/wiki/api/v2/pages').then((r) => {
        settled = true;
        return r;
      });
      await vi.advanceTimersByTimeAsync(19_000);
      expect(settled).toBe(false);
      await vi.advanceTimersByTimeAsync(1_500);
      expect((await pending).status).toBe(200);
    } finally {
      vi.useRealTimers();
    }
  });

  test('the request log records method, path, status and acting user', async () => {
    const world = createWorld({ actingUser: 'viewer' });
    const seen: number[] = [];
    const off = world.onRequest((e) => seen.push(e.status));
    await call(world, 'GET', `/wiki/api/v2/pages/${PAGES.securityIncidents}`);
    await call(world, 'GET', '/wiki/api/v2/pages?limit=1');
    off();
    await call(world, 'GET', '/wiki/api/v2/pages?limit=2');
    expect(seen).toEqual([404, 200]);
    expect(world.requests.map((r) => [r.method, r.path, r.status])).toEqual([
      ['GET', `/wiki/api/v2/pages/${PAGES.securityIncidents}`, 404],
      ['GET', '/wiki/api/v2/pages?limit=1', 200],
      ['GET', '/wiki/api/v2/pages?limit=2', 200],
    ]);
    expect(world.requests[0]!.accountId).toBe(world.actingAccountId);
  });
});
