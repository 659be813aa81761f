import {
  BURST_LIMIT_REASON,
  DEFAULT_QUOTA_LIMIT,
  PAGES,
  QUOTA_EXHAUSTED_REASON,
  USERS,
  createFakeForgeBridge,
  createWorld,
  isEmulatorError,
} from '../../src/testing/index';
import { CONNECT, call } from './helpers';

const HALF_PAST_THREE = Date.UTC(2026, 2, 26, 15, 30, 0);
const FOUR_O_CLOCK = Date.UTC(2026, 2, 26, 16, 0, 0);
const ONE_SECOND_MS = 1000;
const ONE_MINUTE_MS = 60 * ONE_SECOND_MS;

function clockedWorld(start = HALF_PAST_THREE) {
  const clock = { now: start };
  const world = createWorld({ now: () => clock.now });
  return { world, clock };
}

describe('world.quota: points per call', () => {
  test('every call costs its endpoint points; answers carry the quota headers', async () => {
    const { world } = clockedWorld();
    expect(world.quota).toMatchObject({ limit: DEFAULT_QUOTA_LIMIT, used: 0, nearLimit: false, exhausted: false });
    const page = await call(world, 'GET', `/wiki/api/v2/pages/${PAGES.gettingStarted}`, { headers: CONNECT(world) });
    expect(page.status).toBe(200);
    expect(world.quota.used).toBe(2);
    expect(page.headers).toMatchObject({
      'x-ratelimit-limit': '65000',
      'x-ratelimit-remaining': '64998',
      'x-ratelimit-reset': '2026-03-26T16:00Z',
      'beta-ratelimit-policy': '"tenant-app-quota";q=65000;w=3600',
      'beta-ratelimit': '"tenant-app-quota";t=1800',
    });
    expect(page.headers).not.toHaveProperty('x-ratelimit-nearlimit');
    // The request log says what each call spent, for a points meter.
    expect(world.requests.at(-1)?.points).toBe(2);
  });

  test('overlapping calls each record their own cost, whatever else is in flight', async () => {
    const { world } = clockedWorld();
    const seen: (number | undefined)[] = [];
    world.onRequest((entry) => seen.push(entry.points));
    const lookup = (name: keyof typeof USERS) =>
      call(world, 'GET', `/wiki/rest/api/user?accountId=${USERS[name].accountId}`, { headers: CONNECT(world) });
    const [first, second] = await Promise.all([lookup('viewer'), lookup('admin')]);
    expect([first.status, second.status]).toEqual([200, 200]);
    expect(world.quota.used).toBe(6);
    // Two user lookups costing 3 each are 3 and 3 (for the log and the meter's "last call"), never 6 and 6.
    expect(world.requests.map((entry) => entry.points)).toEqual([3, 3]);
    expect(seen).toEqual([3, 3]);
  });

  test('lists cost per result; writes cost 1; the cost table is readable and configurable', async () => {
    const { world } = clockedWorld();
    await call(world, 'GET', `/wiki/api/v2/pages?space-id=98305&limit=5`);
    expect(world.quota.used).toBe(1 + 5);
    const page = (await call(world, 'GET', `/wiki/api/v2/pages/${PAGES.gettingStarted}`)).json;
    await call(world, 'PUT', `/wiki/api/v2/pages/${PAGES.gettingStarted}/title`, {
      body: { status: 'current', title: 'Renamed' },
    });
    expect(page.title).toBe('Getting started');
    expect(world.quota.used).toBe(6 + 2 + 1);
    expect(world.quota.costOf('GET', '/wiki/api/v2/pages/1?body-format=storage')).toBe(2);
    world.quota.configure({ costs: { 'GET /wiki/api/v2/pages/:id': 10 } });
    await call(world, 'GET', `/wiki/api/v2/pages/${PAGES.gettingStarted}`);
    expect(world.quota.used).toBe(9 + 10);
  });

  test('near the limit: NearLimit under 20 % left, and Beta-RateLimit names the remaining points after 80 % use', async () => {
    const { world } = clockedWorld();
    world.quota.configure({ limit: 100 });
    world.quota.spend(80);
    const res = await call(world, 'GET', `/wiki/api/v2/pages/${PAGES.gettingStarted}`);
    expect(world.quota).toMatchObject({ used: 82, remaining: 18, nearLimit: true });
    expect(res.headers['x-ratelimit-nearlimit']).toBe('true');
    expect(res.headers['beta-ratelimit']).toBe('"tenant-app-quota";r=18;t=1800');
  });

  test('spending the last points exhausts the quota until the next UTC hour, which resets it', async () => {
    const { world, clock } = clockedWorld();
    world.quota.configure({ limit: 4 });
    expect((await call(world, 'GET', `/wiki/api/v2/pages/${PAGES.gettingStarted}`)).status).toBe(200);
    expect((await call(world, 'GET', `/wiki/api/v2/pages/${PAGES.gettingStarted}`)).status).toBe(200);
    expect(world.quota.exhausted).toBe(true);
    const refused = await call(world, 'GET', `/wiki/api/v2/pages/${PAGES.gettingStarted}`);
    expect(refused.status).toBe(429);
    expect(refused.headers['ratelimit-reason']).toBe(QUOTA_EXHAUSTED_REASON);
    // A refusal spends nothing.
    expect(world.quota.used).toBe(4);
    clock.now = FOUR_O_CLOCK;
    expect(world.quota).toMatchObject({ used: 0, exhausted: false, resetAt: FOUR_O_CLOCK + 60 * ONE_MINUTE_MS });
    expect((await call(world, 'GET', `/wiki/api/v2/pages/${PAGES.gettingStarted}`)).status).toBe(200);
  });
});

describe('world.quota toggles', () => {
  test('exhaust(): every call is 429 with the quota reason and Retry-After to the next UTC hour', async () => {
    const { world, clock } = clockedWorld();
    world.quota.exhaust();
    clock.now = HALF_PAST_THREE + 10 * ONE_MINUTE_MS;
    for (const path of ['/wiki/rest/api/user/current', `/wiki/api/v2/pages/${PAGES.home}`]) {
      const res = await call(world, 'GET', path, { headers: CONNECT(world) });
      expect(res.status).toBe(429);
      expect(res.headers).toMatchObject({
        'retry-after': String(20 * 60),
        'ratelimit-reason': QUOTA_EXHAUSTED_REASON,
        'x-ratelimit-remaining': '0',
        'x-ratelimit-reset': '2026-03-26T16:00Z',
        'x-ratelimit-nearlimit': 'true',
      });
    }
    // Writes too: nothing succeeds until the reset.
    const put = await call(world, 'PUT', `/wiki/api/v2/pages/${PAGES.gettingStarted}/title`, {
      body: { status: 'current', title: 'x' },
    });
    expect(put.status).toBe(429);
    world.quota.exhaust(false);
    expect(world.quota.used).toBe(0);
    expect((await call(world, 'GET', '/wiki/rest/api/user/current')).status).toBe(200);
  });

  test('burstLimit(): 429 with the burst reason and a short Retry-After; the quota is untouched', async () => {
    const { world } = clockedWorld();
    world.quota.burstLimit({ retryAfterSeconds: 5 });
    const res = await call(world, 'GET', `/wiki/api/v2/pages/${PAGES.home}`);
    expect(res.status).toBe(429);
    expect(res.headers).toMatchObject({ 'retry-after': '5', 'ratelimit-reason': BURST_LIMIT_REASON });
    expect(res.headers['x-ratelimit-remaining']).toBe('65000');
    world.quota.burstLimit(false);
    expect((await call(world, 'GET', `/wiki/api/v2/pages/${PAGES.home}`)).status).toBe(200);
  });

  test('a seed can start spent or burst-limited; reset() clears both', async () => {
    const world = createWorld({ now: () => HALF_PAST_THREE, quota: { limit: 1000, used: 900, burstLimited: true } });
    expect(world.quota).toMatchObject({ limit: 1000, used: 900, nearLimit: true, burstLimited: true });
    world.quota.reset();
    expect(world.quota).toMatchObject({ used: 0, burstLimited: false, limit: 1000 });
  });

  test('a fast clock (windowSeconds) makes the "hour" a short window: headers and Retry-After count to its end', async () => {
    // 15:30:10 UTC: the 60-second window started at 15:30:00 and ends at 15:31:00.
    const { world, clock } = clockedWorld(HALF_PAST_THREE + 10 * ONE_SECOND_MS);
    world.quota.configure({ windowSeconds: 60, limit: 100 });
    expect(world.quota).toMatchObject({ windowSeconds: 60, resetAt: HALF_PAST_THREE + ONE_MINUTE_MS });
    const page = await call(world, 'GET', `/wiki/api/v2/pages/${PAGES.gettingStarted}`);
    expect(page.headers).toMatchObject({
      'x-ratelimit-reset': '2026-03-26T15:31Z',
      'beta-ratelimit-policy': '"tenant-app-quota";q=100;w=60',
      'beta-ratelimit': '"tenant-app-quota";t=50',
    });
    world.quota.exhaust();
    const refused = await call(world, 'GET', `/wiki/api/v2/pages/${PAGES.gettingStarted}`);
    expect(refused.status).toBe(429);
    expect(refused.headers).toMatchObject({ 'retry-after': '50', 'ratelimit-reason': QUOTA_EXHAUSTED_REASON });
    // The window ends: the quota is back, as at the top of a UTC hour.
    clock.now = HALF_PAST_THREE + ONE_MINUTE_MS;
    expect(world.quota).toMatchObject({ used: 0, exhausted: false });
    expect((await call(world, 'GET', `/wiki/api/v2/pages/${PAGES.gettingStarted}`)).status).toBe(200);
  });

  test('a window that ends between two minutes names its reset to the second', async () => {
    const { world } = clockedWorld(HALF_PAST_THREE);
    world.quota.configure({ windowSeconds: 45 });
    const resetAt = world.quota.resetAt;
    expect(resetAt % ONE_MINUTE_MS).not.toBe(0);
    const page = await call(world, 'GET', `/wiki/api/v2/pages/${PAGES.gettingStarted}`);
    expect(page.headers['x-ratelimit-reset']).toBe(new Date(resetAt).toISOString().slice(0, 19) + 'Z');
    expect(Date.parse(page.headers['x-ratelimit-reset']!)).toBe(resetAt);
    // Back to Confluence's hour: the window is the UTC hour again.
    world.quota.configure({ windowSeconds: 3600 });
    expect(world.quota.resetAt).toBe(FOUR_O_CLOCK);
  });

  test('a seed can start in a fast-clock window, already spent', async () => {
    const world = createWorld({ now: () => HALF_PAST_THREE, quota: { windowSeconds: 30, exhausted: true } });
    expect(world.quota).toMatchObject({ exhausted: true, resetAt: HALF_PAST_THREE + 30 * ONE_SECOND_MS });
    const refused = await call(world, 'GET', `/wiki/api/v2/pages/${PAGES.home}`);
    expect(refused.headers['retry-after']).toBe('30');
  });

  test('a negative or NaN setting is a typed EmulatorError', () => {
    const world = createWorld();
    for (const misuse of [
      () => world.quota.configure({ limit: -1 }),
      () => world.quota.configure({ costs: { 'GET /wiki/api/v2/pages': Number.NaN } }),
      () => world.quota.spend(Number.POSITIVE_INFINITY),
      () => world.quota.configure({ windowSeconds: 0 }),
    ]) {
      let error: unknown;
      try {
        misuse();
      } catch (caught) {
        error = caught;
      }
      expect(isEmulatorError(error) && error.code).toBe('INVALID_QUOTA');
    }
  });

  test("the fake Forge bridge passes the quota headers on, as requestConfluence's Response does; 'strip' keeps only the refusal", async () => {
    const { world } = clockedWorld();
    world.quota.exhaust();
    const path = `/wiki/api/v2/pages/${PAGES.home}`;
    const response = await createFakeForgeBridge(world).requestConfluence(path);
    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBe(String(30 * 60));
    expect(response.headers.get('ratelimit-reason')).toBe('confluence-quota-tenant-based');
    expect(response.headers.get('x-ratelimit-remaining')).toBe('0');
    const stripped = await createFakeForgeBridge(world, { rateLimitHeaders: 'strip' }).requestConfluence(path);
    expect(stripped.status).toBe(429);
    expect(stripped.headers.get('retry-after')).toBe(String(30 * 60));
    expect(stripped.headers.get('x-ratelimit-remaining')).toBeNull();
  });
});
