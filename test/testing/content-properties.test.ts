import { PAGES, USERS, createWorld } from '../../src/testing/index';
import { CONNECT, call } from './helpers';

const FORGE = { 'X-Emulator-Caller': 'forge' };
const props = (pageId: string = PAGES.gettingStarted) => `/wiki/api/v2/pages/${pageId}/properties`;
const NOT_FOUND = { errors: [{ status: 404, code: 'NOT_FOUND', title: 'Not Found', detail: null }] };

describe('v2 page content properties: reading', () => {
  test('a page without properties lists none; the list has the v2 shape', async () => {
    const world = createWorld();
    const res = await call(world, 'GET', props());
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ results: [], _links: { base: `${world.siteUrl}/wiki` } });
  });

  test('a property reads back with id, key, value and the full version; `key` filters case-sensitively', async () => {
    const world = createWorld({ now: () => Date.UTC(2026, 5, 1) });
    const p = world.setContentProperty(PAGES.gettingStarted, 'macro-state', { count: 1 }, { as: 'admin' });
    world.setContentProperty(PAGES.gettingStarted, 'other', 'x');
    world.setContentProperty(PAGES.home, 'macro-state', 'on another page');
    const expected = {
      id: p.id,
      key: 'macro-state',
      value: { count: 1 },
      version: {
        number: 1,
        createdAt: '2026-06-01T00:00:00.000Z',
        message: '',
        minorEdit: false,
        authorId: USERS.admin.accountId,
      },
    };
    const filtered = await call(world, 'GET', `${props()}?key=macro-state`);
    expect(filtered.json.results).toEqual([expected]);
    expect((await call(world, 'GET', `${props()}?key=Macro-State`)).json.results).toEqual([]);
    expect((await call(world, 'GET', props())).json.results.map((r: { key: string }) => r.key)).toEqual([
      'macro-state',
      'other',
    ]);
    const one = await call(world, 'GET', `${props()}/${p.id}`);
    expect(one.status).toBe(200);
    expect(one.json).toEqual(expected);
  });

  test('cursor pagination like the other v2 lists: limit, _links.next and Link, every property exactly once', async () => {
    const world = createWorld();
    for (let i = 0; i < 5; i++) world.setContentProperty(PAGES.gettingStarted, `k${i}`, i);
    const first = await call(world, 'GET', `${props()}?limit=2`);
    expect(first.json.results.map((r: { key: string }) => r.key)).toEqual(['k0', 'k1']);
    expect(first.json._links.next).toMatch(new RegExp(`^${props()}\\?limit=2&cursor=`));
    expect(first.headers.link).toContain('rel="next"');
    const keys = [...first.json.results];
    let next: string | undefined = first.json._links.next;
    while (next) {
      const page = await call(world, 'GET', next);
      keys.push(...page.json.results);
      next = page.json._links.next;
    }
    expect(keys.map((r) => r.key)).toEqual(['k0', 'k1', 'k2', 'k3', 'k4']);
    expect((await call(world, 'GET', `${props()}?cursor=forged`)).status).toBe(400);
    expect((await call(world, 'GET', `${props()}?limit=0`)).status).toBe(400);
  });

  test('a view-restricted or missing page is the v2 404, for the list and for a property', async () => {
    const world = createWorld({ actingUser: 'viewer' });
    const p = world.setContentProperty(PAGES.securityIncidents, 'secret', 1, { as: 'admin' });
    for (const path of [props(PAGES.securityIncidents), `${props(PAGES.securityIncidents)}/${p.id}`, props('424242')]) {
      const res = await call(world, 'GET', path);
      expect(res.status).toBe(404);
      expect(res.json).toEqual(NOT_FOUND);
    }
  });

  test('a missing property, or one of another page, is 404', async () => {
    const world = createWorld();
    const elsewhere = world.setContentProperty(PAGES.home, 'k', 1);
    expect((await call(world, 'GET', `${props()}/999999`)).status).toBe(404);
    expect((await call(world, 'GET', `${props()}/${elsewhere.id}`)).json).toEqual(NOT_FOUND);
  });

  test("every by-id method checks the page first, then the property id, then that the property is the page's", async () => {
    const world = createWorld({ actingUser: 'viewer' });
    const elsewhere = world.setContentProperty(PAGES.home, 'k', 1, { as: 'admin' });
    for (const method of ['GET', 'PUT', 'DELETE'] as const) {
      const init = method === 'PUT' ? { body: { key: 'k', value: 2, version: { number: 2 } } } : {};
      // A page the user may not view is the page's 404 even when the property id is malformed.
      expect((await call(world, method, `${props(PAGES.securityIncidents)}/not-a-number`, init)).status).toBe(404);
      expect((await call(world, method, `${props()}/not-a-number`, init)).status).toBe(400);
      expect((await call(world, method, `${props()}/${elsewhere.id}`, init)).json).toEqual(NOT_FOUND);
    }
    expect(world.contentProperty(PAGES.home, 'k')!.version.number).toBe(1);
  });

  test('an app access rule is the 403 in the v2 family', async () => {
    const world = createWorld();
    const res = await call(world, 'GET', props(PAGES.peopleHome), { headers: CONNECT(world) });
    expect(res.status).toBe(403);
    expect(res.json.errors[0].detail).toMatch(/app access rule/);
  });
});

describe('v2 page content properties: writing', () => {
  test('POST {key, value} creates version 1 by the caller and answers 200 with the property', async () => {
    const world = createWorld({ actingUser: 'editor' });
    const res = await call(world, 'POST', props(), {
      body: { key: 'macro-state', value: { items: ['a'] } },
      headers: CONNECT(world),
    });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({
      key: 'macro-state',
      value: { items: ['a'] },
      version: { number: 1, authorId: USERS.editor.accountId },
    });
    expect(res.json.id).toMatch(/^\d+$/);
    expect(world.contentProperty(PAGES.gettingStarted, 'macro-state')).toMatchObject({
      id: res.json.id,
      value: { items: ['a'] },
    });
  });

  test('POST of a key the page already has is 409 in the v2 family, and nothing changes', async () => {
    const world = createWorld();
    world.setContentProperty(PAGES.gettingStarted, 'macro-state', 'theirs', { as: 'admin' });
    const res = await call(world, 'POST', props(), { body: { key: 'macro-state', value: 'mine' } });
    expect(res.status).toBe(409);
    expect(res.json.errors[0]).toMatchObject({ status: 409, code: 'CONFLICT' });
    expect(world.contentProperty(PAGES.gettingStarted, 'macro-state')).toMatchObject({
      value: 'theirs',
      version: { number: 1 },
    });
  });

  test('POST without a key, with an over-long key or without a value is 400', async () => {
    const world = createWorld();
    for (const body of [{ value: 1 }, { key: '', value: 1 }, { key: 'k'.repeat(256), value: 1 }, { key: 'k' }]) {
      const res = await call(world, 'POST', props(), { body });
      expect(res.status).toBe(400);
      expect(res.json.errors[0].code).toBe('INVALID_REQUEST_PARAMETER');
    }
    expect(world.contentProperties.size).toBe(0);
  });

  test('PUT with current+1 saves the new value and version; the message is kept', async () => {
    const world = createWorld({ actingUser: 'editor' });
    const p = world.setContentProperty(PAGES.gettingStarted, 'k', 1, { as: 'admin' });
    world.setContentProperty(PAGES.gettingStarted, 'k', 2, { as: 'admin' });
    const res = await call(world, 'PUT', `${props()}/${p.id}`, {
      body: { key: 'k', value: 3, version: { number: 3, message: 'bump' } },
    });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({
      id: p.id,
      key: 'k',
      value: 3,
      version: { number: 3, message: 'bump', authorId: USERS.editor.accountId },
    });
    expect(world.contentProperties.get(p.id)).toMatchObject({ value: 3, version: { number: 3 } });
  });

  test.each([1, 2, 4])(
    'PUT with version %i when the current one is 2 is 409 with the page-conflict body shape; no overwrite',
    async (provided) => {
      const world = createWorld();
      const p = world.setContentProperty(PAGES.gettingStarted, 'k', 'v1');
      world.setContentProperty(PAGES.gettingStarted, 'k', 'v2');
      const res = await call(world, 'PUT', `${props()}/${p.id}`, {
        body: { key: 'k', value: 'mine', version: { number: provided } },
      });
      expect(res.status).toBe(409);
      expect(res.json).toEqual({
        errors: [
          {
            status: 409,
            code: 'CONFLICT',
            title: `Version must be incremented when updating a content property. Current Version: [2]. Provided version: [${provided}]`,
            detail: null,
          },
        ],
      });
      expect(world.contentProperties.get(p.id)).toMatchObject({ value: 'v2', version: { number: 2 } });
    },
  );

  test('PUT without a version, with another key or without a value is 400; to a missing property 404', async () => {
    const world = createWorld();
    const p = world.setContentProperty(PAGES.gettingStarted, 'k', 1);
    const path = `${props()}/${p.id}`;
    expect((await call(world, 'PUT', path, { body: { key: 'k', value: 2 } })).status).toBe(400);
    expect(
      (await call(world, 'PUT', path, { body: { key: 'renamed', value: 2, version: { number: 2 } } })).status,
    ).toBe(400);
    expect((await call(world, 'PUT', path, { body: { key: 'k', version: { number: 2 } } })).status).toBe(400);
    expect(
      (await call(world, 'PUT', `${props()}/999999`, { body: { key: 'k', value: 2, version: { number: 2 } } })).status,
    ).toBe(404);
    expect(world.contentProperties.get(p.id)).toMatchObject({ value: 1, version: { number: 1 } });
  });

  test('DELETE answers 204 with no body and the property is gone; again is 404', async () => {
    const world = createWorld();
    const p = world.setContentProperty(PAGES.gettingStarted, 'k', 1);
    const res = await call(world, 'DELETE', `${props()}/${p.id}`, { headers: CONNECT(world) });
    expect(res.status).toBe(204);
    expect(res.text).toBe('');
    expect(world.contentProperties.has(p.id)).toBe(false);
    expect((await call(world, 'DELETE', `${props()}/${p.id}`)).status).toBe(404);
  });
});

describe('v2 page content properties: permissions and scopes', () => {
  // As for page updates, the v2 spec documents 404 as the only refusal, permission included.
  const NOT_FOUND = { errors: [{ status: 404, code: 'NOT_FOUND', title: 'Not Found', detail: null }] };

  test('a viewer reads but every write is the v2 404, and nothing changes', async () => {
    const world = createWorld({ actingUser: 'viewer' });
    const p = world.setContentProperty(PAGES.gettingStarted, 'k', 1, { as: 'editor' });
    expect((await call(world, 'GET', `${props()}/${p.id}`)).status).toBe(200);
    const writes = [
      await call(world, 'POST', props(), { body: { key: 'new', value: 1 } }),
      await call(world, 'PUT', `${props()}/${p.id}`, { body: { key: 'k', value: 2, version: { number: 2 } } }),
      await call(world, 'DELETE', `${props()}/${p.id}`),
    ];
    for (const res of writes) {
      expect(res.status).toBe(404);
      expect(res.json).toEqual(NOT_FOUND);
    }
    expect([...world.contentProperties.values()]).toEqual([
      expect.objectContaining({ key: 'k', value: 1, version: expect.objectContaining({ number: 1 }) }),
    ]);
  });

  test('an edit-restricted page: the editor reads its properties but may not write them', async () => {
    const world = createWorld({ actingUser: 'editor' });
    expect((await call(world, 'GET', props(PAGES.releasePolicy))).status).toBe(200);
    expect((await call(world, 'POST', props(PAGES.releasePolicy), { body: { key: 'k', value: 1 } })).status).toBe(404);
  });

  test('a view-restricted page hides writes behind the same 404 as reads', async () => {
    const world = createWorld({ actingUser: 'viewer' });
    const res = await call(world, 'POST', props(PAGES.incidentPostmortem), { body: { key: 'k', value: 1 } });
    expect(res.status).toBe(404);
    expect(res.json).toEqual(NOT_FOUND);
  });

  test('READ-only app: reads work, writes are the Connect scope 403 (Forge: the gateway 401)', async () => {
    const world = createWorld({ scopes: ['READ'] });
    const p = world.setContentProperty(PAGES.gettingStarted, 'k', 1);
    expect((await call(world, 'GET', props(), { headers: CONNECT(world) })).status).toBe(200);
    const connect = await call(world, 'PUT', `${props()}/${p.id}`, {
      headers: CONNECT(world),
      body: { key: 'k', value: 2, version: { number: 2 } },
    });
    expect(connect.status).toBe(403);
    expect(connect.text).toBe('Request not in an authorized API scope');
    const forge = await call(world, 'POST', props(), { headers: FORGE, body: { key: 'n', value: 1 } });
    expect(forge.status).toBe(401);
    expect(forge.headers['x-failure-category']).toBe('FAILURE_CLIENT_SCOPE_CHECK');
    expect(world.contentProperties.get(p.id)!.value).toBe(1);
  });

  test('DELETE needs the DELETE scope: WRITE alone is refused, DELETE implies WRITE', async () => {
    const world = createWorld({ scopes: ['WRITE'] });
    const p = world.setContentProperty(PAGES.gettingStarted, 'k', 1);
    expect((await call(world, 'DELETE', `${props()}/${p.id}`, { headers: CONNECT(world) })).status).toBe(403);
    expect(
      (
        await call(world, 'PUT', `${props()}/${p.id}`, {
          headers: CONNECT(world),
          body: { key: 'k', value: 2, version: { number: 2 } },
        })
      ).status,
    ).toBe(200);
    world.setScopes(['DELETE']);
    expect((await call(world, 'DELETE', `${props()}/${p.id}`, { headers: CONNECT(world) })).status).toBe(204);
  });

  test('a user session (no app headers) is not bound by the app scopes', async () => {
    const world = createWorld({ scopes: ['READ'] });
    expect((await call(world, 'POST', props(), { body: { key: 'k', value: 1 } })).status).toBe(200);
  });
});

describe('the world model', () => {
  test('seeded properties, and setContentProperty bumps the version as "someone else"', () => {
    const world = createWorld({ contentProperties: [{ pageId: PAGES.home, key: 'k', value: 'a', version: 4 }] });
    expect(world.contentProperty(PAGES.home, 'k')).toMatchObject({
      value: 'a',
      version: { number: 4, authorId: world.actingAccountId },
    });
    world.setContentProperty(PAGES.home, 'k', 'b', { as: 'admin', message: 'theirs' });
    expect(world.contentProperty(PAGES.home, 'k')).toMatchObject({
      value: 'b',
      version: { number: 5, authorId: USERS.admin.accountId, message: 'theirs' },
    });
    expect(() => world.setContentProperty('424242', 'k', 1)).toThrow(/unknown page/);
  });
});
