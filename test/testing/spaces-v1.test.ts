import { SPACES, createWorld } from '../../src/testing/index';
import { CONNECT, call } from './helpers';

const AS = (user: string) => ({ 'X-Emulator-Account-Id': user });

describe('v1 spaces: GET /rest/api/space', () => {
  test('lists the spaces the caller may view, in the v1 list shape, app-blocked spaces left out', async () => {
    const world = createWorld();
    const list = await call(world, 'GET', '/wiki/rest/api/space', { headers: CONNECT(world) });
    expect(list.status).toBe(200);
    expect(list.json).toMatchObject({ start: 0, limit: 25, size: 1, _links: { context: '/wiki' } });
    expect(list.json.results.map((space: { key: string }) => space.key)).toEqual(['ENG']);
    expect(list.json.results[0]).toMatchObject({ id: Number(SPACES.engineering.id), key: 'ENG', type: 'global' });
    world.setAppAccess(SPACES.people.id, true);
    const all = await call(world, 'GET', '/wiki/rest/api/space?limit=1', { headers: CONNECT(world) });
    expect(all.json.results.map((space: { key: string }) => space.key)).toEqual(['ENG']);
    expect(all.json._links.next).toBe('/rest/api/space?limit=1&start=1');
    const second = await call(world, 'GET', `/wiki${all.json._links.next}`, { headers: CONNECT(world) });
    expect(second.json.results.map((space: { key: string }) => space.key)).toEqual(['PEOPLE']);
  });

  test('a guest sees only their space; spaceKey filters', async () => {
    const world = createWorld();
    const guest = await call(world, 'GET', '/wiki/rest/api/space', { headers: AS('guest') });
    expect(guest.json.results.map((space: { key: string }) => space.key)).toEqual(['ENG']);
    world.setAppAccess(SPACES.people.id, true);
    const filtered = await call(world, 'GET', '/wiki/rest/api/space?spaceKey=people', { headers: AS('admin') });
    expect(filtered.json.results.map((space: { key: string }) => space.key)).toEqual(['PEOPLE']);
  });
});

describe('v1 spaces: GET /rest/api/space/{key}', () => {
  test('answers the v1 space; a missing or invisible key is the same 404; an app-blocked one the rule 403', async () => {
    const world = createWorld();
    const eng = await call(world, 'GET', '/wiki/rest/api/space/ENG', { headers: CONNECT(world) });
    expect(eng.status).toBe(200);
    expect(eng.json).toMatchObject({ key: 'ENG', name: SPACES.engineering.name, _links: { webui: '/spaces/ENG' } });
    const missing = await call(world, 'GET', '/wiki/rest/api/space/NOPE');
    expect(missing.status).toBe(404);
    expect(missing.json).toMatchObject({ statusCode: 404, message: 'No space with key : NOPE' });
    const hidden = await call(world, 'GET', '/wiki/rest/api/space/PEOPLE', { headers: AS('guest') });
    expect(hidden.status).toBe(404);
    const blocked = await call(world, 'GET', '/wiki/rest/api/space/PEOPLE', { headers: CONNECT(world) });
    expect(blocked.status).toBe(403);
    expect(blocked.json.message).toMatch(/app access rule/);
  });
});

describe('v1 spaces: POST /rest/api/space', () => {
  const create = {
    key: 'OPS',
    name: 'Operations',
    description: { plain: { value: 'Runbooks', representation: 'plain' } },
  };

  test('a user with the create-space permission creates it, with a home page; they administer it', async () => {
    const world = createWorld({ actingUser: 'admin' });
    const created = await call(world, 'POST', '/wiki/rest/api/space', { body: create });
    expect(created.status).toBe(200);
    expect(created.json).toMatchObject({ key: 'OPS', name: 'Operations', type: 'global', status: 'current' });
    const space = [...world.spaces.values()].find((candidate) => candidate.key === 'OPS')!;
    expect(space.roles[world.actingAccountId]).toBe('admin');
    expect(world.pages.get(space.homepageId!)?.title).toBe('Operations Home');
    const read = await call(world, 'GET', '/wiki/rest/api/space/OPS', { headers: AS('viewer') });
    expect(read.status).toBe(200);
    const again = await call(world, 'POST', '/wiki/rest/api/space', { body: create });
    expect(again.status).toBe(400);
    expect(again.json.message).toContain('OPS');
  });

  test('without the permission it is a v1 403; a bad key is a 400; an app needs SPACE_ADMIN', async () => {
    const world = createWorld();
    const editor = await call(world, 'POST', '/wiki/rest/api/space', { body: create });
    expect(editor.status).toBe(403);
    expect(editor.json.message).toMatch(/PermissionException/);
    const bad = await call(world, 'POST', '/wiki/rest/api/space', {
      body: { key: 'no spaces', name: 'x' },
      headers: AS('admin'),
    });
    expect(bad.status).toBe(400);
    world.setScopes(['READ', 'WRITE']);
    const app = await call(world, 'POST', '/wiki/rest/api/space', {
      body: create,
      headers: { ...AS('admin'), ...CONNECT(world) },
    });
    expect(app.status).toBe(403);
    expect(app.text).toBe('Request not in an authorized API scope');
    world.setScopes(['SPACE_ADMIN']);
    const allowed = await call(world, 'POST', '/wiki/rest/api/space', {
      body: create,
      headers: { ...AS('admin'), ...CONNECT(world) },
    });
    expect(allowed.status).toBe(200);
    // A user given the permission may create spaces too.
    world.users.get(world.actingAccountId)!.canCreateSpace = true;
    const granted = await call(world, 'POST', '/wiki/rest/api/space', { body: { key: 'EDS', name: 'Editors' } });
    expect(granted.status).toBe(200);
  });
});
