import {
  createConfluenceClient,
  createConnectTransport,
  isConfluenceError,
  type ConfluenceError,
} from '../../src/client/index';
import { APP_ACCESS_RULE_MESSAGE, settleApRequest } from '../../src/testing/internals';
import {
  EMULATED_TENANT,
  PAGES,
  USERS,
  createFakeAP,
  createWorld,
  installFakeAP,
  mintContextToken,
} from '../../src/testing/index';
import { jwtVerify } from 'jose';

async function rejection(promise: Promise<unknown>): Promise<any> {
  try {
    await promise;
  } catch (e) {
    return e;
  }
  throw new Error('expected a rejection');
}

describe('fake AP.request settles like the real all.js promise form', () => {
  test('2xx resolves {body, xhr} with plain data only (survives structured clone, like postMessage)', async () => {
    const AP = createFakeAP(createWorld());
    const result = await AP.request(`/api/v2/pages/${PAGES.home}`);
    expect(Object.keys(result).sort()).toEqual(['body', 'xhr']);
    expect(typeof result.body).toBe('string');
    expect(JSON.parse(result.body as string).id).toBe(PAGES.home);
    expect(result.xhr).toEqual({
      status: 200,
      statusText: 'OK',
      responseText: result.body,
      readyState: 4,
      headers: expect.objectContaining({ 'content-type': 'application/json;charset=UTF-8' }),
    });
    expect(structuredClone(result)).toEqual(result);
    expect((result.xhr as unknown as Record<string, unknown>).getResponseHeader).toBeUndefined();
  });

  test('non-2xx rejects {err, xhr}: err is the response text, xhr.status the HTTP status (a plain object, not an Error)', async () => {
    const AP = createFakeAP(createWorld(), { user: 'viewer' });
    const e = await rejection(AP.request({ url: `/api/v2/pages/${PAGES.securityIncidents}`, type: 'GET' }));
    expect(e).not.toBeInstanceOf(Error);
    expect(Object.keys(e).sort()).toEqual(['err', 'xhr']);
    expect(e.err).toBe('{"errors":[{"status":404,"code":"NOT_FOUND","title":"Not Found","detail":null}]}');
    expect(e.xhr).toMatchObject({ status: 404, statusText: 'Not Found', responseText: e.err, readyState: 4 });
    expect(structuredClone(e)).toEqual(e);
  });

  test('the url is context-relative: /wiki is prepended, so a /wiki/... url misses like in Confluence', async () => {
    const AP = createFakeAP(createWorld());
    expect((await AP.request('/rest/api/user/current')).xhr.status).toBe(200);
    expect((await rejection(AP.request('/wiki/rest/api/user/current'))).xhr.status).toBe(404);
  });

  test('requests carry AP-Client-Key, so descriptor scopes apply; a network fault rejects with status 0', async () => {
    const world = createWorld({ scopes: ['READ'] });
    const AP = createFakeAP(world);
    const e = await rejection(
      AP.request({
        url: `/api/v2/pages/${PAGES.gettingStarted}`,
        type: 'PUT',
        contentType: 'application/json',
        data: JSON.stringify({ title: 'x', version: { number: 8 } }),
      }),
    );
    expect(e.xhr.status).toBe(403);
    expect(e.err).toBe('Request not in an authorized API scope');
    world.setFaults({ hostDown: 'network' });
    expect((await rejection(AP.request('/rest/api/user/current'))).xhr.status).toBe(0);
  });

  test('object data on GET becomes the query string (jQuery semantics)', async () => {
    const world = createWorld();
    const AP = createFakeAP(world);
    await AP.request({ url: '/api/v2/pages', type: 'GET', data: { limit: 2, 'space-id': '98305' } });
    expect(world.requests.at(-1)!.path).toBe('/wiki/api/v2/pages?limit=2&space-id=98305');
  });

  test('a pinned user wins over world.actAs; an unpinned fake follows it', async () => {
    const world = createWorld({ actingUser: 'editor' });
    const pinned = createFakeAP(world, 'viewer');
    const following = createFakeAP(world);
    const who = async (ap: typeof pinned) =>
      JSON.parse((await ap.request('/rest/api/user/current')).body as string).accountId;
    expect(await who(pinned)).toBe(USERS.viewer.accountId);
    expect(await who(following)).toBe(USERS.editor.accountId);
    world.actAs('admin');
    expect(await who(following)).toBe(USERS.admin.accountId);
  });

  test('settleApRequest is the same function, reusable by the emulator host page', async () => {
    const world = createWorld();
    const ok = await settleApRequest(world, world.app.key, '/api/v2/spaces');
    expect(ok.xhr.status).toBe(200);
  });
});

describe('the toolkit client over the fake AP classifies every emulator answer', () => {
  const errorOf = async (promise: Promise<unknown>): Promise<ConfluenceError> => {
    const e = await rejection(promise);
    expect(isConfluenceError(e)).toBe(true);
    return e;
  };

  test('404-for-restricted, scope, product access, app access rule, user permission, conflict, rate limit', async () => {
    const world = createWorld({ actingUser: 'viewer' });
    const AP = createFakeAP(world);
    const client = createConfluenceClient({ transport: createConnectTransport({ AP }), retry: false });

    const restricted = await errorOf(client.request({ path: `/wiki/api/v2/pages/${PAGES.securityIncidents}` }));
    expect(restricted).toMatchObject({ kind: 'not-found', status: 404, mayBeRestricted: true });

    const v1 = await errorOf(client.request({ path: `/wiki/rest/api/content/${PAGES.securityIncidents}` }));
    expect(v1).toMatchObject({ kind: 'forbidden', reason: 'user-permission' });

    world.actAs('editor');
    const blocked = await errorOf(client.request({ path: `/wiki/api/v2/pages/${PAGES.peopleHome}` }));
    expect(blocked).toMatchObject({ kind: 'forbidden', reason: 'app-access-rule' });
    expect(JSON.stringify(blocked.body)).toContain(APP_ACCESS_RULE_MESSAGE);

    const stale = await errorOf(
      client.request({
        method: 'PUT',
        path: `/wiki/api/v2/pages/${PAGES.gettingStarted}`,
        body: {
          id: PAGES.gettingStarted,
          status: 'current',
          title: 'x',
          body: { representation: 'storage', value: '' },
          version: { number: 3 },
        },
      }),
    );
    expect(stale).toMatchObject({ kind: 'conflict', status: 409, currentVersion: 7 });

    world.setScopes(['READ']);
    const scope = await errorOf(
      client.request({
        method: 'PUT',
        path: `/wiki/api/v2/pages/${PAGES.gettingStarted}`,
        body: { title: 'x', version: { number: 8 } },
      }),
    );
    expect(scope).toMatchObject({ kind: 'forbidden', reason: 'app-scope' });

    world.actAs('noAccess');
    expect(await errorOf(client.request({ path: '/wiki/rest/api/user/current' }))).toMatchObject({
      kind: 'forbidden',
      reason: 'product-access',
    });

    world.actAs('editor');
    world.rateLimit({ retryAfterSeconds: 4 });
    expect(await errorOf(client.request({ path: '/wiki/api/v2/spaces' }))).toMatchObject({
      kind: 'rate-limited',
      status: 429,
      retryAfterMs: 4000,
    });
  });
});

describe('other fake AP modules', () => {
  test('context.getToken resolves a verifiable context JWT for the acting user; callback form works too', async () => {
    const world = createWorld({ actingUser: 'viewer' });
    const AP = createFakeAP(world, { pageId: PAGES.gettingStarted });
    const token = await AP.context.getToken();
    const { payload } = await jwtVerify(
      token,
      Uint8Array.from(new TextEncoder().encode(EMULATED_TENANT.sharedSecret)),
      { algorithms: ['HS256'] },
    );
    expect(payload).toMatchObject({ qsh: 'context-qsh', sub: USERS.viewer.accountId, iss: EMULATED_TENANT.clientKey });
    expect(payload.context).toMatchObject({ confluence: { content: { id: PAGES.gettingStarted } } });
    const viaCallback = await new Promise<string>((resolve) => void AP.context.getToken(resolve));
    expect(viaCallback.split('.')).toHaveLength(3);
    const ctx = await AP.context.getContext();
    expect(ctx.confluence).toMatchObject({
      content: { id: PAGES.gettingStarted, type: 'page', version: '7' },
      space: { key: 'ENG', id: '98305' },
    });
  });

  test('a custom token function receives the acting accountId', async () => {
    const world = createWorld();
    const AP = createFakeAP(world, {
      token: (id) => mintContextToken({ sharedSecret: 's'.repeat(32), clientKey: 'ck', accountId: id }),
    });
    expect(typeof (await AP.context.getToken())).toBe('string');
  });

  test('macro data/body, saveMacro, resize, flag, navigator, events and theming are recorded on fakeHost', async () => {
    const AP = createFakeAP(createWorld(), { macro: { data: { spaceKey: 'ENG' }, body: '<p>b</p>' }, theme: 'dark' });
    expect(await new Promise((r) => AP.confluence.getMacroData(r))).toEqual({ spaceKey: 'ENG' });
    expect(await new Promise((r) => AP.confluence.getMacroBody(r))).toBe('<p>b</p>');
    AP.confluence.saveMacro({ spaceKey: 'HR' });
    AP.resize('100%', 240);
    const flag = AP.flag.create({ title: 'Saved', type: 'success' });
    flag.close();
    AP.navigator.go('contentview', { contentId: PAGES.home });
    const got: unknown[] = [];
    AP.events.on('refresh', (...args) => got.push(args));
    AP.fakeHost.emit('refresh', 1, 2);
    AP.theming.initializeTheming();
    expect(AP.fakeHost.savedMacros).toEqual([{ parameters: { spaceKey: 'HR' } }]);
    expect(AP.fakeHost.resizes).toEqual([{ width: '100%', height: '240px' }]);
    expect(AP.fakeHost.flags).toEqual([{ id: flag._id, options: { title: 'Saved', type: 'success' }, closed: true }]);
    expect(AP.fakeHost.navigations).toEqual([{ target: 'contentview', context: { contentId: PAGES.home } }]);
    expect(got).toEqual([[1, 2]]);
    expect(document.documentElement.getAttribute('data-color-mode')).toBe('dark');
  });

  test('a flag closed by the app or dismissed by the user emits flag.close with its _id, once', () => {
    const AP = createFakeAP(createWorld());
    const closes: unknown[] = [];
    AP.events.on('flag.close', (e) => closes.push(e));
    const first = AP.flag.create({ title: 'One' });
    const second = AP.flag.create({ title: 'Two' });
    expect(first._id).not.toBe(second._id);
    AP.fakeHost.dismissFlag(); // the newest open one
    first.close();
    first.close();
    AP.fakeHost.dismissFlag(0);
    expect(closes).toEqual([{ flagIdentifier: second._id }, { flagIdentifier: first._id }]);
    expect(AP.fakeHost.flags.map((f) => f.closed)).toEqual([true, true]);
  });

  test("AP.dialog: create is recorded; inside, getCustomData answers the opener's data and close(data) reaches its close listeners once", async () => {
    const AP = createFakeAP(createWorld());
    const heard: unknown[][] = [];
    const dialog = AP.dialog.create({ key: 'details', size: 'maximum', chrome: false, customData: { pageId: '1' } });
    dialog.on('close', (...args) => heard.push(args));
    expect(await new Promise((r) => AP.dialog.getCustomData(r))).toEqual({ pageId: '1' });
    AP.dialog.close({ choice: 'keep' });
    AP.fakeHost.closeDialog('again'); // nothing open any more
    expect(heard).toEqual([[{ choice: 'keep' }]]);
    expect(AP.fakeHost.dialogs).toEqual([
      {
        options: { key: 'details', size: 'maximum', chrome: false, customData: { pageId: '1' } },
        closed: true,
        result: { choice: 'keep' },
      },
    ]);
    expect(await new Promise((r) => AP.dialog.getCustomData(r))).toBeUndefined();
  });

  test('AP.dialog: fakeHost.dismissDialog closes the newest open dialog without data', () => {
    const AP = createFakeAP(createWorld());
    const heard: unknown[][] = [];
    AP.dialog.create({ key: 'a' }).on('close', (...args) => heard.push(['a', ...args]));
    AP.dialog.create({ key: 'b' }).on('close', (...args) => heard.push(['b', ...args]));
    AP.fakeHost.dismissDialog();
    AP.fakeHost.closeDialog({ n: 1 });
    expect(heard).toEqual([['b'], ['a', { n: 1 }]]);
  });

  test('fakeHost.emitPublic reaches onPublic listeners only; emit reaches on listeners only', () => {
    const AP = createFakeAP(createWorld());
    const got: unknown[] = [];
    AP.events.on('saved', (...args) => got.push(['private', ...args]));
    AP.events.onPublic('saved', (...args) => got.push(['public', ...args]));
    AP.fakeHost.emitPublic('saved', 1, 2);
    AP.fakeHost.emit('saved', 3);
    expect(got).toEqual([
      ['public', 1, 2],
      ['private', 3],
    ]);
  });

  test('installFakeAP sets and restores globalThis.AP', () => {
    const AP = createFakeAP(createWorld());
    const restore = installFakeAP(AP);
    expect((globalThis as { AP?: unknown }).AP).toBe(AP);
    restore();
    expect('AP' in globalThis).toBe(false);
  });
});
