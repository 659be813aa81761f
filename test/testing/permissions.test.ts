import { APP_ACCESS_RULE_MESSAGE } from '../../src/testing/internals';
import { PAGES, SPACES, USERS, createWorld } from '../../src/testing/index';
import { CONNECT, call } from './helpers';

const V2_404 = { errors: [{ status: 404, code: 'NOT_FOUND', title: 'Not Found', detail: null }] };

describe('user permissions', () => {
  test('a view-restricted page is a v2 404 with the observed body, for the page and its descendants', async () => {
    const world = createWorld({ actingUser: 'viewer' });
    for (const id of [PAGES.securityIncidents, PAGES.incidentPostmortem]) {
      const res = await call(world, 'GET', `/wiki/api/v2/pages/${id}`);
      expect(res.status).toBe(404);
      expect(res.statusText).toBe('Not Found');
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expect(res.json).toEqual(V2_404);
    }
    // …while the editor, who is on the restriction, reads both.
    world.actAs('editor');
    expect((await call(world, 'GET', `/wiki/api/v2/pages/${PAGES.incidentPostmortem}`)).status).toBe(200);
  });

  test('a restricted page and a missing page are indistinguishable in v2', async () => {
    const world = createWorld({ actingUser: 'viewer' });
    const restricted = await call(world, 'GET', `/wiki/api/v2/pages/${PAGES.securityIncidents}`);
    const missing = await call(world, 'GET', '/wiki/api/v2/pages/123456789');
    expect(restricted.text).toBe(missing.text);
    expect(restricted.status).toBe(missing.status);
  });

  test('v1 answers 403 in the v1 body family for a page the user may not view', async () => {
    const world = createWorld({ actingUser: 'viewer' });
    const res = await call(world, 'GET', `/wiki/rest/api/content/${PAGES.securityIncidents}`);
    expect(res.status).toBe(403);
    expect(res.json).toMatchObject({
      statusCode: 403,
      data: { authorized: false, successful: false },
      reason: 'Forbidden',
    });
    expect(res.json.message).toMatch(/PermissionException/);
  });

  test('v1 PUT by a user without edit permission is 403 "Could not update Content"; v2 PUT is 404', async () => {
    const world = createWorld({ actingUser: 'editor' }); // on ENG as editor, but releasePolicy is edit-restricted to the admin
    const v1 = await call(world, 'PUT', `/wiki/rest/api/content/${PAGES.releasePolicy}`, {
      body: { type: 'page', title: 'x', version: { number: 10 } },
    });
    expect(v1.status).toBe(403);
    expect(v1.json.message).toBe(
      `Could not update Content of type : class com.atlassian.confluence.pages.Page with id ${PAGES.releasePolicy}`,
    );
    const v2 = await call(world, 'PUT', `/wiki/api/v2/pages/${PAGES.releasePolicy}`, {
      body: {
        id: PAGES.releasePolicy,
        status: 'current',
        title: 'x',
        body: { representation: 'storage', value: '<p/>' },
        version: { number: 10 },
      },
    });
    expect(v2.status).toBe(404);
    expect(v2.json).toEqual(V2_404);
    expect(world.pages.get(PAGES.releasePolicy)!.title).toBe('Release policy');
  });

  test('lists silently drop pages the user may not view', async () => {
    const world = createWorld({ actingUser: 'viewer' });
    const ids = [PAGES.home, PAGES.securityIncidents, PAGES.incidentPostmortem, PAGES.gettingStarted].join(',');
    const bulk = await call(world, 'GET', `/wiki/api/v2/pages?id=${ids}`);
    expect(bulk.status).toBe(200);
    expect(bulk.json.results.map((p: { id: string }) => p.id)).toEqual([PAGES.home, PAGES.gettingStarted]);
    const children = await call(world, 'GET', '/wiki/api/v2/pages/65900/children');
    expect(children.json.results.map((p: { id: string }) => p.id)).not.toContain(PAGES.securityIncidents);
    world.actAs('editor');
    const childrenAsEditor = await call(world, 'GET', '/wiki/api/v2/pages/65900/children');
    expect(childrenAsEditor.json.results.map((p: { id: string }) => p.id)).toContain(PAGES.securityIncidents);
  });

  test('operations reflect the acting user; X-Emulator-Account-Id overrides the acting user per request', async () => {
    const world = createWorld({ actingUser: 'editor' });
    const ops = (json: { operations: { operation: string }[] }) => json.operations.map((o) => o.operation);
    expect(ops((await call(world, 'GET', `/wiki/api/v2/pages/${PAGES.gettingStarted}/operations`)).json)).toContain(
      'update',
    );
    const asViewer = await call(world, 'GET', `/wiki/api/v2/pages/${PAGES.gettingStarted}/operations`, {
      headers: { 'X-Emulator-Account-Id': USERS.viewer.accountId },
    });
    expect(ops(asViewer.json)).toEqual(['read']);
    expect(ops((await call(world, 'GET', `/wiki/api/v2/pages/${PAGES.releasePolicy}/operations`)).json)).not.toContain(
      'update',
    );
    const space = await call(world, 'GET', `/wiki/api/v2/spaces/${SPACES.engineering.id}/operations`);
    expect(space.json.operations).toContainEqual({ operation: 'create', targetType: 'page' });
    expect(
      (
        await call(world, 'GET', `/wiki/api/v2/pages/${PAGES.securityIncidents}/operations`, {
          headers: { 'X-Emulator-Account-Id': 'viewer' },
        })
      ).status,
    ).toBe(404);
  });

  test('permission/check: self-check answers hasPermission with a reason; checking others needs admin', async () => {
    const world = createWorld({ actingUser: 'viewer' });
    const path = `/wiki/rest/api/content/${PAGES.gettingStarted}/permission/check`;
    const self = await call(world, 'POST', path, {
      body: { subject: { type: 'user', identifier: USERS.viewer.accountId }, operation: 'update' },
    });
    expect(self.status).toBe(200);
    expect(self.json).toEqual({
      hasPermission: false,
      errors: [{ translation: 'User does not have permission to the content', args: [] }],
      _links: {},
    });
    const read = await call(world, 'POST', path, {
      body: { subject: { type: 'user', identifier: USERS.viewer.accountId }, operation: 'read' },
    });
    expect(read.json.hasPermission).toBe(true);
    const other = await call(world, 'POST', path, {
      body: { subject: { type: 'user', identifier: USERS.editor.accountId }, operation: 'update' },
    });
    expect(other.status).toBe(403);
    world.actAs('admin');
    const asAdmin = await call(world, 'POST', path, {
      body: { subject: { type: 'user', identifier: USERS.noAccess.accountId }, operation: 'read' },
    });
    expect(asAdmin.json).toMatchObject({
      hasPermission: false,
      errors: [{ translation: 'User is not allowed to use Confluence' }],
    });
    expect((await call(world, 'POST', path, { body: { subject: { type: 'user' }, operation: 'read' } })).status).toBe(
      400,
    );
    expect(
      (
        await call(world, 'POST', '/wiki/rest/api/content/999999/permission/check', {
          body: { subject: { type: 'user', identifier: 'x' }, operation: 'read' },
        })
      ).status,
    ).toBe(404);
  });
});

describe('every 403 reason', () => {
  test('product access: "Current user not permitted to use Confluence" on v1 and v2', async () => {
    const world = createWorld({ actingUser: 'noAccess' });
    for (const path of ['/wiki/rest/api/user/current', `/wiki/api/v2/pages/${PAGES.home}`, '/wiki/api/v2/spaces']) {
      const res = await call(world, 'GET', path);
      expect(res.status).toBe(403);
      expect(res.text).toBe('{"message":"Current user not permitted to use Confluence","statusCode":403}');
    }
  });

  test('Connect app scope: 403 "Request not in an authorized API scope" only for requests carrying AP-Client-Key', async () => {
    const world = createWorld({ scopes: ['READ'] });
    const put = (headers: Record<string, string>) =>
      call(world, 'PUT', `/wiki/api/v2/pages/${PAGES.gettingStarted}`, {
        headers,
        body: {
          id: PAGES.gettingStarted,
          status: 'current',
          title: 'New title',
          body: { representation: 'storage', value: '<p/>' },
          version: { number: 8 },
        },
      });
    const denied = await put(CONNECT(world));
    expect(denied.status).toBe(403);
    expect(denied.text).toBe('Request not in an authorized API scope');
    expect(world.pages.get(PAGES.gettingStarted)!.title).toBe('Getting started');
    // READ is enough for reads, including the POST permission check.
    expect(
      (await call(world, 'GET', `/wiki/api/v2/pages/${PAGES.gettingStarted}`, { headers: CONNECT(world) })).status,
    ).toBe(200);
    const check = await call(world, 'POST', `/wiki/rest/api/content/${PAGES.gettingStarted}/permission/check`, {
      headers: CONNECT(world),
      body: { subject: { type: 'user', identifier: world.actingAccountId }, operation: 'read' },
    });
    expect(check.status).toBe(200);
    // A user's own session has no app scopes.
    expect((await put({})).status).toBe(200);
  });

  test('scopes imply lower scopes and accept lower case', async () => {
    const world = createWorld({ scopes: ['delete' as 'DELETE'] });
    const res = await call(world, 'PUT', `/wiki/rest/api/content/${PAGES.gettingStarted}`, {
      headers: CONNECT(world),
      body: { title: 'T', version: { number: 8 } },
    });
    expect(res.status).toBe(200);
    world.setScopes([]);
    expect((await call(world, 'GET', '/wiki/rest/api/user/current', { headers: CONNECT(world) })).status).toBe(403);
  });

  test('Forge scope failures answer like the gateway: 401 with X-Failure-Category', async () => {
    const world = createWorld({ scopes: ['READ'] });
    const res = await call(world, 'PUT', `/wiki/rest/api/content/${PAGES.gettingStarted}`, {
      headers: { 'X-Emulator-Caller': 'forge' },
      body: { title: 'T', version: { number: 8 } },
    });
    expect(res.status).toBe(401);
    expect(res.json).toEqual({ code: 401, message: 'Unauthorized; scope does not match' });
    expect(res.headers['x-failure-category']).toBe('FAILURE_CLIENT_SCOPE_CHECK');
  });

  test('app access rule: the blocked space answers 403 naming the rule, v1 and v2 families; lists drop it', async () => {
    const world = createWorld({ actingUser: 'editor' });
    const v2 = await call(world, 'GET', `/wiki/api/v2/pages/${PAGES.peopleHome}`);
    expect(v2.status).toBe(403);
    expect(v2.json).toEqual({
      errors: [{ status: 403, code: 'FORBIDDEN', title: 'Forbidden', detail: APP_ACCESS_RULE_MESSAGE }],
    });
    const v1 = await call(world, 'GET', `/wiki/rest/api/content/${PAGES.peopleHome}`);
    expect(v1.status).toBe(403);
    expect(v1.json).toMatchObject({ statusCode: 403, message: APP_ACCESS_RULE_MESSAGE });
    expect((await call(world, 'GET', `/wiki/api/v2/spaces/${SPACES.people.id}/pages`)).status).toBe(403);
    const spaces = await call(world, 'GET', '/wiki/api/v2/spaces');
    expect(spaces.json.results.map((s: { key: string }) => s.key)).toEqual(['ENG']);
    world.setAppAccess(SPACES.people.id, true);
    expect((await call(world, 'GET', `/wiki/api/v2/pages/${PAGES.peopleHome}`)).status).toBe(200);
  });

  test('XSRF: form-like content type without X-Atlassian-Token: no-check is 403 "XSRF check failed"', async () => {
    const world = createWorld();
    const path = `/wiki/rest/api/content/${PAGES.gettingStarted}/permission/check`;
    const body = JSON.stringify({ subject: { type: 'user', identifier: world.actingAccountId }, operation: 'read' });
    const denied = await call(world, 'POST', path, { body, headers: { 'Content-Type': 'text/plain;charset=UTF-8' } });
    expect(denied.status).toBe(403);
    expect(denied.text).toBe('XSRF check failed');
    const multipart = await call(world, 'POST', path, {
      body,
      headers: { 'Content-Type': 'multipart/form-data; boundary=x' },
    });
    expect(multipart.text).toBe('XSRF check failed');
    const allowed = await call(world, 'POST', path, {
      body,
      headers: { 'Content-Type': 'text/plain', 'X-Atlassian-Token': 'no-check' },
    });
    expect(allowed.status).toBe(200);
    expect((await call(world, 'POST', path, { body, headers: { 'Content-Type': 'application/json' } })).status).toBe(
      200,
    );
  });

  test('an unknown X-Emulator-Account-Id is a 401, never a silent fallback to the acting user', async () => {
    const world = createWorld();
    const res = await call(world, 'GET', '/wiki/rest/api/user/current', {
      headers: { 'X-Emulator-Account-Id': 'nobody' },
    });
    expect(res.status).toBe(401);
  });
});

describe('v1 user and content shapes', () => {
  test('user/current returns the acting user', async () => {
    const world = createWorld({ actingUser: 'viewer' });
    const res = await call(world, 'GET', '/wiki/rest/api/user/current');
    expect(res.json).toMatchObject({
      type: 'known',
      accountId: USERS.viewer.accountId,
      accountType: 'atlassian',
      displayName: 'Vera Viewer',
    });
  });

  test('content expands body.storage and ancestors on request only', async () => {
    const world = createWorld();
    const plain = await call(world, 'GET', `/wiki/rest/api/content/${PAGES.gettingStarted}`);
    expect(plain.json.body).toBeUndefined();
    expect(plain.json.version.number).toBe(7);
    const expanded = await call(
      world,
      'GET',
      `/wiki/rest/api/content/${PAGES.gettingStarted}?expand=body.storage,ancestors`,
    );
    expect(expanded.json.body.storage.value).toContain('<h2>Getting started</h2>');
    expect(expanded.json.ancestors.map((a: { id: string }) => a.id)).toEqual([PAGES.home, '65600']);
    expect((await call(world, 'GET', '/wiki/rest/api/content/424242')).status).toBe(404);
  });

  test('endpoints the world lacks are 501 "not emulated", and malformed ids are 400 in the endpoint family', async () => {
    const world = createWorld();
    const missing = await call(world, 'GET', '/wiki/api/v2/whiteboards/1');
    expect(missing.status).toBe(501);
    expect(missing.json).toMatchObject({ notEmulated: true, method: 'GET', path: '/wiki/api/v2/whiteboards/1' });
    const bad = await call(world, 'GET', '/wiki/api/v2/pages/abc');
    expect(bad.status).toBe(400);
    expect(bad.json.errors[0]).toMatchObject({ status: 400, code: 'INVALID_REQUEST_PARAMETER' });
  });
});
