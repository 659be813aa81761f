import { PAGES, V1_REMOVALS, createWorld, isEmulatorError, type V1RemovalMode } from '../../src/testing/index';
import { CONNECT, call } from './helpers';

const DECEMBER_2026 = Date.UTC(2026, 11, 7, 9, 0, 0);
const MARCH_2026 = Date.UTC(2026, 2, 1, 9, 0, 0);
const GONE = {
  statusCode: 410,
  message: 'com.atlassian.confluence.api.service.exceptions.GoneException: This deprecated endpoint has been removed.',
  reason: 'Gone',
};

function worldAt(now: number, v1Removals?: V1RemovalMode) {
  return createWorld({ now: () => now, ...(v1Removals ? { v1Removals } : {}) });
}

describe('v1 removals: the list', () => {
  test('every entry has a method, a /rest/api path and a removal day; search and user/current are not on it', () => {
    expect(V1_REMOVALS.length).toBeGreaterThan(10);
    for (const removal of V1_REMOVALS) {
      expect(removal.path).toMatch(/^\/rest\/api\//);
      expect(removal.removedOn).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(['observed', 'family approximation']).toContain(removal.dateSource);
    }
    const paths = V1_REMOVALS.map((removal) => removal.path);
    expect(paths).not.toContain('/rest/api/search');
    expect(paths).not.toContain('/rest/api/user/current');
  });
});

describe("v1 removals: 'warn' (the default)", () => {
  test('a removed operation still answers, with Deprecation and the observed Warning naming the removal day', async () => {
    const world = worldAt(DECEMBER_2026);
    expect(world.v1Removals).toBe('warn');
    const page = await call(world, 'GET', `/wiki/rest/api/content/${PAGES.gettingStarted}`, {
      headers: CONNECT(world),
    });
    expect(page.status).toBe(200);
    expect(page.headers.warning).toBe('299 - "Deprecated API, will be removed on Mon, 1 Jun 2026 00:00:00 GMT"');
    expect(page.headers.deprecation).toMatch(/^@\d+$/);
  });

  test('operations that are not deprecated carry no such headers', async () => {
    const world = worldAt(DECEMBER_2026);
    const me = await call(world, 'GET', '/wiki/rest/api/user/current');
    const search = await call(world, 'GET', '/wiki/rest/api/search?cql=type%3Dpage');
    const v2 = await call(world, 'GET', `/wiki/api/v2/pages/${PAGES.gettingStarted}`);
    for (const answer of [me, search, v2]) {
      expect(answer.status).toBe(200);
      expect(answer.headers).not.toHaveProperty('warning');
      expect(answer.headers).not.toHaveProperty('deprecation');
    }
  });
});

describe("v1 removals: 'enforce'", () => {
  test("a removed operation answers Confluence's 410 (v1 body, GoneException), before any permission check", async () => {
    const world = worldAt(DECEMBER_2026, 'enforce');
    const page = await call(world, 'GET', `/wiki/rest/api/content/${PAGES.gettingStarted}`);
    expect(page.status).toBe(410);
    expect(page.statusText).toBe('Gone');
    expect(page.json).toMatchObject(GONE);
    const restricted = await call(world, 'GET', `/wiki/rest/api/content/${PAGES.securityIncidents}`, {
      headers: { 'X-Emulator-Account-Id': 'viewer' },
    });
    expect(restricted.status).toBe(410);
    expect(world.requests.at(-1)).toMatchObject({ status: 410 });
  });

  test('a removed operation the world does not emulate is gone too, not "not emulated"', async () => {
    const world = worldAt(DECEMBER_2026, 'enforce');
    const content = await call(world, 'GET', '/wiki/rest/api/space/ENG/content');
    expect(content.status).toBe(410);
    expect(content.json).toMatchObject(GONE);
    expect(world.requests.at(-1)).not.toHaveProperty('notEmulated');
  });

  test('before its removal day an operation answers, deprecated', async () => {
    const world = worldAt(MARCH_2026, 'enforce');
    const page = await call(world, 'GET', `/wiki/rest/api/content/${PAGES.gettingStarted}`);
    expect(page.status).toBe(200);
    expect(page.headers.warning).toContain('will be removed on Mon, 1 Jun 2026');
  });

  test("the kit's own v1 reads (user/current, CQL search) keep working", async () => {
    const world = worldAt(DECEMBER_2026, 'enforce');
    expect((await call(world, 'GET', '/wiki/rest/api/user/current')).status).toBe(200);
    expect((await call(world, 'GET', '/wiki/rest/api/search?cql=type%3Dpage')).status).toBe(200);
  });

  test('the mode can change at any time; a bad mode is a typed error', async () => {
    const world = worldAt(DECEMBER_2026);
    const path = `/wiki/rest/api/content/${PAGES.gettingStarted}`;
    expect((await call(world, 'GET', path)).status).toBe(200);
    world.setV1Removals('enforce');
    expect((await call(world, 'GET', path)).status).toBe(410);
    world.setV1Removals('warn');
    expect((await call(world, 'GET', path)).status).toBe(200);
    expect(() => world.setV1Removals('strict' as V1RemovalMode)).toThrow(
      expect.objectContaining({ code: 'INVALID_OPTION' }),
    );
    let caught: unknown;
    try {
      createWorld({ v1Removals: 'off' as V1RemovalMode });
    } catch (error) {
      caught = error;
    }
    expect(isEmulatorError(caught) && caught.code).toBe('INVALID_OPTION');
  });
});
