import { PAGES, USERS, createWorld } from '../../src/testing/index';
import { CONNECT, call } from './helpers';

const AS = (user: string) => ({ 'X-Emulator-Account-Id': user });
const property = (accountId: string, key: string) => `/wiki/rest/api/user/${accountId}/property/${key}`;

describe('user properties: /rest/api/user/{accountId}/property/{key}', () => {
  test('PUT stores a JSON value, GET reads it back, the list names it, DELETE removes it', async () => {
    const world = createWorld();
    const me = USERS.editor.accountId;
    expect((await call(world, 'GET', property(me, 'settings'))).status).toBe(404);
    const put = await call(world, 'PUT', property(me, 'settings'), {
      body: { value: { theme: 'dark', size: 3 } },
      headers: CONNECT(world),
    });
    expect(put.status).toBe(204);
    const read = await call(world, 'GET', property(me, 'settings'), { headers: CONNECT(world) });
    expect(read.status).toBe(200);
    expect(read.json).toMatchObject({ key: 'settings', value: { theme: 'dark', size: 3 } });
    await call(world, 'PUT', property(me, 'settings'), { body: { value: { theme: 'light' } } });
    expect((await call(world, 'GET', property(me, 'settings'))).json.value).toEqual({ theme: 'light' });
    const list = await call(world, 'GET', `/wiki/rest/api/user/${me}/property`);
    expect(list.json.results.map((entry: { key: string }) => entry.key)).toEqual(['settings']);
    expect((await call(world, 'DELETE', property(me, 'settings'))).status).toBe(204);
    expect((await call(world, 'GET', property(me, 'settings'))).status).toBe(404);
    expect((await call(world, 'DELETE', property(me, 'settings'))).status).toBe(404);
  });

  test("POST creates (201) and refuses a key that exists (409); another user's properties are a 403", async () => {
    const world = createWorld();
    const me = USERS.editor.accountId;
    expect((await call(world, 'POST', property(me, 'seen'), { body: { value: true } })).status).toBe(201);
    expect((await call(world, 'POST', property(me, 'seen'), { body: { value: true } })).status).toBe(409);
    const theirs = await call(world, 'GET', property(me, 'seen'), { headers: AS('viewer') });
    expect(theirs.status).toBe(403);
    const unknown = await call(world, 'GET', property('nobody', 'seen'));
    expect(unknown.status).toBe(404);
    const anonymous = await call(world, 'GET', property(me, 'seen'), { headers: AS('anonymous') });
    expect(anonymous.status).toBe(403);
    const bad = await call(world, 'PUT', property(me, 'no%20spaces'), { body: { value: 1 } });
    expect(bad.status).toBe(400);
    const missingValue = await call(world, 'PUT', property(me, 'seen'), { body: { other: 1 } });
    expect(missingValue.status).toBe(400);
  });

  test('an app needs WRITE to write them and READ to read them', async () => {
    const world = createWorld({ scopes: ['READ'] });
    const me = USERS.editor.accountId;
    const write = await call(world, 'PUT', property(me, 'x'), { body: { value: 1 }, headers: CONNECT(world) });
    expect(write.status).toBe(403);
    expect((await call(world, 'GET', property(me, 'x'), { headers: CONNECT(world) })).status).toBe(404);
  });
});

describe('POST /rest/api/content/archive', () => {
  test('archives the pages and answers 202 with a long task that is finished', async () => {
    const world = createWorld();
    const archived = await call(world, 'POST', '/wiki/rest/api/content/archive', {
      body: { pages: [{ id: PAGES.gettingStarted }] },
      headers: CONNECT(world),
    });
    expect(archived.status).toBe(202);
    expect(archived.json.links.status).toBe(`/rest/api/longtask/${archived.json.id}`);
    expect(world.pages.get(PAGES.gettingStarted)?.status).toBe('archived');
    const task = await call(world, 'GET', `/wiki${archived.json.links.status}`);
    expect(task.json).toMatchObject({ finished: true, successful: true, percentageComplete: 100 });
    // CQL search finds current content only.
    const search = await call(
      world,
      'GET',
      `/wiki/rest/api/search?cql=${encodeURIComponent(`id = ${PAGES.gettingStarted}`)}`,
    );
    expect(search.json.results).toEqual([]);
  });

  test('nothing is archived when any page is refused: a viewer 403, a hidden page 403, an empty list 400', async () => {
    const world = createWorld();
    const viewer = await call(world, 'POST', '/wiki/rest/api/content/archive', {
      body: { pages: [{ id: PAGES.gettingStarted }] },
      headers: AS('viewer'),
    });
    expect(viewer.status).toBe(403);
    const mixed = await call(world, 'POST', '/wiki/rest/api/content/archive', {
      body: { pages: [{ id: PAGES.gettingStarted }, { id: PAGES.securityIncidents }] },
      headers: AS('viewer'),
    });
    expect(mixed.status).toBe(403);
    expect(world.pages.get(PAGES.gettingStarted)?.status).toBe('current');
    const editorHidden = await call(world, 'POST', '/wiki/rest/api/content/archive', {
      body: { pages: [{ id: PAGES.gettingStarted }, { id: '123456789' }] },
    });
    expect(editorHidden.status).toBe(404);
    expect(world.pages.get(PAGES.gettingStarted)?.status).toBe('current');
    expect((await call(world, 'POST', '/wiki/rest/api/content/archive', { body: { pages: [] } })).status).toBe(400);
  });
});
