import { PAGES, SPACES, createWorld } from '../../src/testing/index';
import { CONNECT, call } from './helpers';

const AS = (user: string) => ({ 'X-Emulator-Account-Id': user });
const storage = (value: string) => ({ storage: { value, representation: 'storage' } });

describe('POST /rest/api/content (v1)', () => {
  test('an editor creates a page in the space, under the ancestor given; it is readable at once', async () => {
    const world = createWorld();
    const created = await call(world, 'POST', '/wiki/rest/api/content', {
      body: {
        type: 'page',
        title: 'Stale pages report',
        space: { key: 'ENG' },
        ancestors: [{ id: PAGES.home }],
        body: storage('<p>Hi</p>'),
      },
      headers: CONNECT(world),
    });
    expect(created.status).toBe(200);
    expect(created.json).toMatchObject({
      type: 'page',
      status: 'current',
      title: 'Stale pages report',
      body: { storage: { value: '<p>Hi</p>' } },
      version: { number: 1 },
    });
    const page = world.pages.get(created.json.id)!;
    expect(page).toMatchObject({
      spaceId: SPACES.engineering.id,
      parentId: PAGES.home,
      authorId: world.actingAccountId,
    });
    expect((await call(world, 'GET', `/wiki/api/v2/pages/${page.id}`)).status).toBe(200);
  });

  test('refusals: a viewer 403, an unknown space 404, a taken title 400, an app-blocked space the rule 403', async () => {
    const world = createWorld();
    const body = { type: 'page', title: 'New', space: { key: 'ENG' }, body: storage('') };
    const viewer = await call(world, 'POST', '/wiki/rest/api/content', { body, headers: AS('viewer') });
    expect(viewer.status).toBe(403);
    expect(viewer.json.message).toBe(
      'com.atlassian.confluence.api.service.exceptions.PermissionException: Could not create content with type page',
    );
    const nowhere = await call(world, 'POST', '/wiki/rest/api/content', { body: { ...body, space: { key: 'NOPE' } } });
    expect(nowhere.status).toBe(404);
    const taken = await call(world, 'POST', '/wiki/rest/api/content', { body: { ...body, title: 'Getting started' } });
    expect(taken.status).toBe(400);
    expect(taken.json.message).toContain('A page with this title already exists');
    const blocked = await call(world, 'POST', '/wiki/rest/api/content', {
      body: { ...body, space: { key: 'PEOPLE' } },
      headers: CONNECT(world),
    });
    expect(blocked.status).toBe(403);
    expect(blocked.json.message).toMatch(/app access rule/);
    const anonymous = await call(world, 'POST', '/wiki/rest/api/content', { body, headers: AS('anonymous') });
    expect(anonymous.status).toBe(403);
    world.setScopes(['READ']);
    const scoped = await call(world, 'POST', '/wiki/rest/api/content', { body, headers: CONNECT(world) });
    expect(scoped.status).toBe(403);
    expect(scoped.text).toBe('Request not in an authorized API scope');
  });

  test('a blog post is not emulated: 501, never a fake success', async () => {
    const world = createWorld();
    const blog = await call(world, 'POST', '/wiki/rest/api/content', {
      body: { type: 'blogpost', title: 'News', space: { key: 'ENG' } },
    });
    expect(blog.status).toBe(501);
  });
});

describe('POST /api/v2/pages', () => {
  test('creates under the space home page by default, at the root with root-level=true', async () => {
    const world = createWorld();
    const created = await call(world, 'POST', '/wiki/api/v2/pages', {
      body: {
        spaceId: SPACES.engineering.id,
        title: 'Decision log',
        body: { representation: 'storage', value: '<p>x</p>' },
      },
    });
    expect(created.status).toBe(200);
    expect(created.json).toMatchObject({ title: 'Decision log', spaceId: SPACES.engineering.id, parentId: PAGES.home });
    expect(created.json.body.storage.value).toBe('<p>x</p>');
    const root = await call(world, 'POST', '/wiki/api/v2/pages?root-level=true', {
      body: { spaceId: SPACES.engineering.id, title: 'Root page' },
    });
    expect(root.json.parentId).toBeNull();
  });

  test('refusals are the spec 404 (no create permission, invisible space or parent) and 400s', async () => {
    const world = createWorld();
    const body = { spaceId: SPACES.engineering.id, title: 'New' };
    const viewer = await call(world, 'POST', '/wiki/api/v2/pages', { body, headers: AS('viewer') });
    expect(viewer.status).toBe(404);
    expect(viewer.json.errors[0].code).toBe('NOT_FOUND');
    const guest = await call(world, 'POST', '/wiki/api/v2/pages', {
      body: { ...body, spaceId: SPACES.people.id },
      headers: AS('guest'),
    });
    expect(guest.status).toBe(404);
    const hiddenParent = await call(world, 'POST', '/wiki/api/v2/pages', {
      body: { ...body, parentId: PAGES.securityIncidents },
      headers: AS('viewer'),
    });
    expect(hiddenParent.status).toBe(404);
    const noSpace = await call(world, 'POST', '/wiki/api/v2/pages', { body: { title: 'x' } });
    expect(noSpace.status).toBe(400);
    const taken = await call(world, 'POST', '/wiki/api/v2/pages', { body: { ...body, title: 'Getting started' } });
    expect(taken.status).toBe(400);
  });
});

describe('GET /rest/api/content?title=&spaceKey=', () => {
  test('finds the page by title in a space, as v1 content; nothing the caller may not view', async () => {
    const world = createWorld();
    const found = await call(
      world,
      'GET',
      '/wiki/rest/api/content?title=Getting%20started&spaceKey=ENG&expand=body.storage',
    );
    expect(found.status).toBe(200);
    expect(found.json).toMatchObject({ start: 0, size: 1, _links: { context: '/wiki' } });
    expect(found.json.results[0]).toMatchObject({ id: PAGES.gettingStarted, title: 'Getting started' });
    expect(found.json.results[0].body.storage.value).toContain('<');
    const restricted = world.pages.get(PAGES.securityIncidents)!.title;
    const hidden = await call(
      world,
      'GET',
      `/wiki/rest/api/content?title=${encodeURIComponent(restricted)}&spaceKey=ENG`,
      { headers: AS('viewer') },
    );
    expect(hidden.json.results).toEqual([]);
    const otherSpace = await call(world, 'GET', '/wiki/rest/api/content?title=Getting%20started&spaceKey=PEOPLE');
    expect(otherSpace.json.results).toEqual([]);
  });
});
