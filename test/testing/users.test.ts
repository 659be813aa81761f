import { decodeJwt } from 'jose';
import { GUEST_SEARCH_MESSAGE } from '../../src/testing/internals';
import {
  PAGES,
  SPACES,
  USERS,
  createFakeAP,
  createFakeForgeBridge,
  createForgeKeyPair,
  createWorld,
} from '../../src/testing/index';
import { CONNECT, call } from './helpers';

describe('user lookup: GET /wiki/rest/api/user?accountId=', () => {
  test("answers the v1 User that user/current's _links.self points at", async () => {
    const world = createWorld({ actingUser: 'viewer' });
    const current = await call(world, 'GET', '/wiki/rest/api/user/current');
    const self = new URL(current.json._links.self);
    const lookup = await call(world, 'GET', self.pathname + self.search);
    expect(lookup.status).toBe(200);
    expect(lookup.json).toEqual(current.json);
  });

  test('another user, as app traffic without ACCESS_EMAIL_ADDRESSES: the email is empty', async () => {
    const world = createWorld({ actingUser: 'viewer' });
    const path = `/wiki/rest/api/user?accountId=${encodeURIComponent(USERS.editor.accountId)}`;
    const res = await call(world, 'GET', path, { headers: CONNECT(world) });
    expect(res.json).toMatchObject({
      type: 'known',
      accountId: USERS.editor.accountId,
      displayName: 'Eddie Editor',
      publicName: 'Eddie Editor',
      email: '',
      isExternalCollaborator: false,
    });
    world.setScopes(['READ', 'ACCESS_EMAIL_ADDRESSES']);
    expect((await call(world, 'GET', path, { headers: CONNECT(world) })).json.email).toBe('eddie@example.com');
  });

  test('no accountId is a v1 400; an unknown one a v1 404', async () => {
    const world = createWorld();
    const missing = await call(world, 'GET', '/wiki/rest/api/user');
    expect(missing.status).toBe(400);
    expect(missing.json).toMatchObject({ statusCode: 400, message: 'accountId is required.' });
    const unknown = await call(world, 'GET', '/wiki/rest/api/user?accountId=nobody');
    expect(unknown.status).toBe(404);
    expect(unknown.json).toMatchObject({ statusCode: 404, message: 'No user found with accountId: nobody' });
  });

  test('a caller without product access gets the product-access 403; so does an anonymous viewer', async () => {
    for (const actingUser of ['noAccess', 'anonymous']) {
      const world = createWorld({ actingUser });
      const res = await call(world, 'GET', `/wiki/rest/api/user?accountId=${USERS.editor.accountId}`);
      expect(res.status).toBe(403);
      expect(res.json).toEqual({ message: 'Current user not permitted to use Confluence', statusCode: 403 });
    }
  });

  test('needs the READ scope on app traffic', async () => {
    const world = createWorld({ scopes: [] });
    const res = await call(world, 'GET', `/wiki/rest/api/user?accountId=${USERS.editor.accountId}`, {
      headers: CONNECT(world),
    });
    expect(res.status).toBe(403);
    expect(res.text).toBe('Request not in an authorized API scope');
  });
});

describe('bulk user lookup: GET /wiki/rest/api/user/bulk', () => {
  test('comma-separated and repeated accountIds; unknown ones and the anonymous key are left out', async () => {
    const world = createWorld();
    const ids = [USERS.admin.accountId, 'nobody', USERS.viewer.accountId].join(',');
    const res = await call(
      world,
      'GET',
      `/wiki/rest/api/user/bulk?accountId=${ids}&accountId=${USERS.guest.accountId}&accountId=anonymous`,
    );
    expect(res.status).toBe(200);
    expect(res.json.results.map((user: { accountId: string }) => user.accountId)).toEqual([
      USERS.admin.accountId,
      USERS.viewer.accountId,
      USERS.guest.accountId,
    ]);
    expect(res.json).toMatchObject({ start: 0, limit: 100, size: 3, _links: { context: '/wiki' } });
    expect(res.json.results[2]).toMatchObject({ isExternalCollaborator: true, isGuest: true });
  });

  test('no accountId is a 400; no product access a 403', async () => {
    expect((await call(createWorld(), 'GET', '/wiki/rest/api/user/bulk')).status).toBe(400);
    const world = createWorld({ actingUser: 'noAccess' });
    expect((await call(world, 'GET', `/wiki/rest/api/user/bulk?accountId=${USERS.admin.accountId}`)).status).toBe(403);
  });

  test('at most 100 users per answer, as the spec says', async () => {
    const users = Array.from({ length: 120 }, (_, index) => ({
      ...USERS.viewer,
      accountId: `user-${index}`,
    }));
    const world = createWorld({ users, actingUser: 'user-0' });
    const ids = users.map((user) => user.accountId).join(',');
    const res = await call(world, 'GET', `/wiki/rest/api/user/bulk?accountId=${ids}`);
    expect(res.json.size).toBe(100);
  });
});

describe('a single-space guest', () => {
  test('reads their space; v2 content outside it is 404, v1 403; CQL search answers 403', async () => {
    const world = createWorld({ actingUser: 'guest' });
    expect((await call(world, 'GET', `/wiki/api/v2/pages/${PAGES.gettingStarted}`)).status).toBe(200);
    expect((await call(world, 'GET', `/wiki/api/v2/pages/${PAGES.peopleHome}`)).status).toBe(404);
    expect((await call(world, 'GET', `/wiki/api/v2/spaces/${SPACES.people.id}`)).status).toBe(404);
    expect((await call(world, 'GET', `/wiki/rest/api/content/${PAGES.peopleHome}`)).status).toBe(403);
    const search = await call(world, 'GET', '/wiki/rest/api/search?cql=type%3Dpage');
    expect(search.status).toBe(403);
    expect(search.json).toMatchObject({ statusCode: 403, message: GUEST_SEARCH_MESSAGE });
    // The v2 list shows their one space only.
    const spaces = await call(world, 'GET', '/wiki/api/v2/spaces');
    expect(spaces.json.results.map((space: { key: string }) => space.key)).toEqual(['ENG']);
  });

  test('user/current marks them as a guest', async () => {
    const me = await call(createWorld({ actingUser: 'guest' }), 'GET', '/wiki/rest/api/user/current');
    expect(me.json).toMatchObject({ accountId: USERS.guest.accountId, isExternalCollaborator: true, isGuest: true });
  });
});

describe('an anonymous viewer of a public space', () => {
  test('user/current is type anonymous with no accountId or email', async () => {
    const me = await call(createWorld({ actingUser: 'anonymous' }), 'GET', '/wiki/rest/api/user/current');
    expect(me.status).toBe(200);
    expect(me.json).toMatchObject({ type: 'anonymous', displayName: 'Anonymous' });
    expect(me.json).not.toHaveProperty('accountId');
    expect(me.json).not.toHaveProperty('email');
  });

  test('reads the public space; every write is refused (v2 404, v1 403, properties 404)', async () => {
    const world = createWorld({ actingUser: 'anonymous' });
    // Even a space that grants anonymous users edit does not let them write.
    world.spaces.get(SPACES.engineering.id)!.roles.anonymous = 'edit';
    const page = await call(world, 'GET', `/wiki/api/v2/pages/${PAGES.gettingStarted}`);
    expect(page.status).toBe(200);
    const v2 = await call(world, 'PUT', `/wiki/api/v2/pages/${PAGES.gettingStarted}`, {
      body: { id: PAGES.gettingStarted, status: 'current', title: 'Mine', version: { number: 8 } },
    });
    expect(v2.status).toBe(404);
    const v1 = await call(world, 'PUT', `/wiki/rest/api/content/${PAGES.gettingStarted}`, {
      body: { title: 'Mine', type: 'page', version: { number: 8 } },
    });
    expect(v1.status).toBe(403);
    const property = await call(world, 'POST', `/wiki/api/v2/pages/${PAGES.gettingStarted}/properties`, {
      body: { key: 'k', value: 1 },
    });
    expect(property.status).toBe(404);
    expect(world.pages.get(PAGES.gettingStarted)!.title).toBe('Getting started');
    // Not in the other space, and nothing there leaks.
    expect((await call(world, 'GET', `/wiki/api/v2/pages/${PAGES.peopleHome}`)).status).toBe(404);
  });

  test('the request log names no accountId', async () => {
    const world = createWorld({ actingUser: 'anonymous' });
    await call(world, 'GET', '/wiki/rest/api/user/current');
    expect(world.requests.at(-1)?.accountId).toBeNull();
  });

  test('hosts: a context token without sub, and no accountId in either context', async () => {
    const world = createWorld({ actingUser: 'anonymous' });
    const ap = createFakeAP(world);
    const claims = decodeJwt(await ap.context.getToken());
    expect(claims).not.toHaveProperty('sub');
    const connectUser = await new Promise<{ atlassianAccountId?: string }>((resolve) =>
      ap.user.getCurrentUser(resolve),
    );
    expect(connectUser.atlassianAccountId).toBeUndefined();
    const forgeContext = await createFakeForgeBridge(world).view.getContext();
    expect(forgeContext).not.toHaveProperty('accountId');
  });
});

describe('an unlicensed user', () => {
  test('Confluence answers as for any user; the hosts say the licence is inactive', async () => {
    const world = createWorld({ actingUser: 'unlicensed' });
    expect((await call(world, 'GET', `/wiki/api/v2/pages/${PAGES.gettingStarted}`)).status).toBe(200);
    const connect = await createFakeAP(world).context.getContext();
    expect(connect.license).toEqual({ active: false });
    const forge = await createFakeForgeBridge(world).view.getContext();
    expect(forge.license).toEqual({ active: false });
    world.actAs('editor');
    expect((await createFakeAP(world).context.getContext()).license).toEqual({ active: true });
  });

  test("the Forge Invocation Token carries app.license.isActive: false, and the user's accountId", async () => {
    const world = createWorld({ actingUser: 'unlicensed' });
    const keyPair = await createForgeKeyPair();
    let authorization = '';
    const bridge = createFakeForgeBridge(world, {
      remote: {
        baseUrl: 'https://remote.example.com',
        appId: 'app-1',
        keyPair,
        fetch: async (_input, init) => {
          authorization = new Headers(init?.headers).get('authorization') ?? '';
          return new Response('{}', { headers: { 'content-type': 'application/json' } });
        },
      },
    });
    await bridge.invokeRemote!({ path: '/pages', method: 'GET' });
    const claims = decodeJwt(authorization.replace(/^Bearer /, ''));
    expect(claims).toMatchObject({ app: { license: { isActive: false } }, principal: USERS.unlicensed.accountId });
  });
});
