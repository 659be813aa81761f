import { createConfluenceClient, createForgeTransport, isConfluenceError } from '../../src/client/index';
import { PAGES, USERS, createFakeForgeBridge, createForgeKeyPair, createWorld } from '../../src/testing/index';
import { remoteInvocationBody } from '../../src/testing/internals';

describe('fake Forge bridge', () => {
  test('requestConfluence resolves real Responses; a 403 resolves ok:false with the body', async () => {
    const world = createWorld({ actingUser: 'noAccess' });
    const bridge = createFakeForgeBridge(world);
    const res = await bridge.requestConfluence('/wiki/rest/api/user/current');
    expect(res).toBeInstanceOf(Response);
    expect(res.ok).toBe(false);
    expect(res.status).toBe(403);
    expect(await res.json()).toEqual({ message: 'Current user not permitted to use Confluence', statusCode: 403 });
    world.actAs('editor');
    const ok = await bridge.requestConfluence(`/wiki/api/v2/pages/${PAGES.home}`);
    expect(ok.ok).toBe(true);
    expect((await ok.json()).id).toBe(PAGES.home);
  });

  test('a v2 restricted page is a 404 Response, and the Forge path needs /wiki', async () => {
    const bridge = createFakeForgeBridge(createWorld(), { user: 'viewer' });
    expect((await bridge.requestConfluence(`/wiki/api/v2/pages/${PAGES.securityIncidents}`)).status).toBe(404);
    expect((await bridge.requestConfluence('/rest/api/user/current')).status).toBe(404);
  });

  test('scope failures answer like the Forge gateway (401); XSRF never fires because the bridge adds no-check', async () => {
    const world = createWorld({ scopes: ['READ'] });
    const bridge = createFakeForgeBridge(world);
    const init = {
      method: 'PUT',
      headers: { 'Content-Type': 'text/plain' },
      body: JSON.stringify({ title: 't', version: { number: 8 } }),
    };
    const denied = await bridge.requestConfluence(`/wiki/rest/api/content/${PAGES.gettingStarted}`, init);
    expect(denied.status).toBe(401);
    expect(denied.headers.get('x-failure-category')).toBe('FAILURE_CLIENT_SCOPE_CHECK');
    world.setScopes(['WRITE']);
    expect((await bridge.requestConfluence(`/wiki/rest/api/content/${PAGES.gettingStarted}`, init)).status).toBe(200);
  });

  test("rate-limit headers are kept by default (requestConfluence's Response has them); 'strip' drops them but keeps Retry-After", async () => {
    const world = createWorld();
    world.rateLimit({ retryAfterSeconds: 3 });
    const kept = await createFakeForgeBridge(world).requestConfluence('/wiki/api/v2/spaces');
    expect(kept.status).toBe(429);
    expect(kept.headers.get('x-ratelimit-remaining')).toBe('0');
    const stripped = await createFakeForgeBridge(world, { rateLimitHeaders: 'strip' }).requestConfluence(
      '/wiki/api/v2/spaces',
    );
    expect(stripped.status).toBe(429);
    expect(stripped.headers.get('retry-after')).toBe('3');
    expect(stripped.headers.get('x-ratelimit-remaining')).toBeNull();
  });

  test('a network fault rejects like fetch (TypeError); the client maps it to a network error', async () => {
    const world = createWorld();
    world.setFaults({ hostDown: 'network' });
    const bridge = createFakeForgeBridge(world);
    await expect(bridge.requestConfluence('/wiki/api/v2/spaces')).rejects.toBeInstanceOf(TypeError);
    const client = createConfluenceClient({
      transport: createForgeTransport({ requestConfluence: bridge.requestConfluence }),
      retry: false,
    });
    const e = await client.request({ path: '/wiki/api/v2/spaces' }).catch((x: unknown) => x);
    expect(isConfluenceError(e) && e.kind).toBe('network');
  });

  test('view.getContext names the user, page and space; theme.enable and events work', async () => {
    const world = createWorld();
    const bridge = createFakeForgeBridge(world, {
      user: 'viewer',
      pageId: PAGES.gettingStarted,
      config: { mode: 'compact' },
    });
    const ctx = await bridge.view.getContext();
    expect(ctx).toMatchObject({
      accountId: USERS.viewer.accountId,
      extension: { content: { id: PAGES.gettingStarted }, space: { key: 'ENG' }, config: { mode: 'compact' } },
    });
    await bridge.view.theme.enable();
    expect(bridge.fakeHost.themeEnabled).toBe(true);
    const got: unknown[] = [];
    const sub = await bridge.events.on('ping', (p) => got.push(p));
    await bridge.events.emit('ping', 1);
    sub.unsubscribe();
    await bridge.events.emit('ping', 2);
    expect(got).toEqual([1]);
  });

  test('Modal: open() is recorded; inside, getContext has extension.modal and view.close(payload) ends in onClose', async () => {
    const bridge = createFakeForgeBridge(createWorld());
    const closes: unknown[] = [];
    const modal = new bridge.Modal({
      resource: 'details',
      size: 'max',
      title: 'Details',
      context: { pageId: '1' },
      onClose: (p) => closes.push(p),
    });
    expect(bridge.fakeHost.modals).toEqual([
      { options: expect.objectContaining({ resource: 'details', size: 'max' }), opened: false, closed: false },
    ]);
    expect(((await bridge.view.getContext()).extension as { modal?: unknown }).modal).toBeUndefined(); // not open yet
    await modal.open();
    expect(((await bridge.view.getContext()).extension as { modal?: unknown }).modal).toEqual({ pageId: '1' });
    await bridge.view.close({ choice: 'keep' });
    bridge.fakeHost.closeModal('again'); // nothing open any more
    expect(closes).toEqual([{ choice: 'keep' }]);
    expect(bridge.fakeHost.modals[0]).toMatchObject({ opened: true, closed: true, result: { choice: 'keep' } });
    expect(bridge.fakeHost.closed).toEqual([{ choice: 'keep' }]);
  });

  test('Modal: fakeHost.dismissModal runs onClose without a payload; closeModal(payload) hands it over', async () => {
    const bridge = createFakeForgeBridge(createWorld());
    const closes: unknown[][] = [];
    await new bridge.Modal({ resource: 'a', onClose: (...args: unknown[]) => closes.push(args) }).open();
    await new bridge.Modal({ resource: 'b', onClose: (...args: unknown[]) => closes.push(['b', ...args]) }).open();
    bridge.fakeHost.closeModal({ n: 1 }); // the newest open one: b
    bridge.fakeHost.dismissModal(); // then a
    expect(closes).toEqual([['b', { n: 1 }], [undefined]]);
  });

  test('invokeRemote: a GET with a body reaches the backend without one (not a "Failed to fetch"); a POST keeps it', async () => {
    const sent: { method: string; body: string; contentType: string | null }[] = [];
    const bridge = createFakeForgeBridge(createWorld(), {
      remote: {
        baseUrl: 'https://remote.example.com',
        appId: 'app-id',
        keyPair: await createForgeKeyPair('k'),
        // new Request() checks like fetch does: a GET or HEAD with a body is a TypeError.
        fetch: (async (url: string, init: RequestInit) => {
          const request = new Request(url, init);
          sent.push({
            method: request.method,
            body: await request.text(),
            contentType: request.headers.get('content-type'),
          });
          return Response.json({ ok: true });
        }) as typeof fetch,
      },
    });
    const get = await bridge.invokeRemote!({ path: '/api/items', method: 'GET', body: { q: 'x' } });
    expect(get).toMatchObject({ status: 200, body: { ok: true } });
    const post = await bridge.invokeRemote!({ path: '/api/items', method: 'POST', body: { q: 'x' } });
    expect(post.status).toBe(200);
    expect(sent).toEqual([
      { method: 'GET', body: '', contentType: null },
      { method: 'POST', body: '{"q":"x"}', contentType: 'application/json' },
    ]);
  });

  test("remoteInvocationBody: JSON for methods with a body, nothing for GET / HEAD, and the app's content-type is kept", () => {
    const headers = new Headers();
    expect(remoteInvocationBody('get', { a: 1 }, headers)).toBeUndefined();
    expect(remoteInvocationBody('HEAD', { a: 1 }, headers)).toBeUndefined();
    expect(headers.has('content-type')).toBe(false);
    expect(remoteInvocationBody('PUT', undefined, headers)).toBeUndefined();
    expect(remoteInvocationBody('PUT', null, headers)).toBe('null');
    expect(headers.get('content-type')).toBe('application/json');
    const typed = new Headers({ 'content-type': 'application/vnd.api+json' });
    expect(remoteInvocationBody('PATCH', [1], typed)).toBe('[1]');
    expect(typed.get('content-type')).toBe('application/vnd.api+json');
  });
});

describe('fake Forge bridge: @forge/bridge 7.2 additions', () => {
  const answered = (status: number, body: unknown) =>
    (async () =>
      body === null ? new Response(null, { status }) : Response.json(body, { status })) as unknown as typeof fetch;

  async function remoteOptions(fetch: typeof globalThis.fetch, key?: string) {
    const keyPair = await createForgeKeyPair('kid-1');
    return { baseUrl: 'https://remote.example.com', appId: 'app-1', keyPair, fetch, ...(key ? { key } : {}) };
  }

  test('requestRemote(key, { path }) reaches the remote with a fresh FIT and resolves a Response for every status', async () => {
    const seen: { url: string; auth: string | null; body: string | null }[] = [];
    const fetch = (async (url: string, init: RequestInit) => {
      seen.push({ url, auth: new Headers(init.headers).get('authorization'), body: (init.body as string) ?? null });
      return Response.json({ error: 'nope' }, { status: 403 });
    }) as unknown as typeof globalThis.fetch;
    const bridge = createFakeForgeBridge(createWorld(), { remote: await remoteOptions(fetch, 'backend') });
    const response = await bridge.requestRemote!('backend', { path: '/api/x?y=1', method: 'POST', body: 'plain text' });
    expect(response).toBeInstanceOf(Response);
    expect(response.status).toBe(403);
    expect(await response.json()).toEqual({ error: 'nope' });
    expect(seen).toEqual([
      { url: 'https://remote.example.com/api/x?y=1', auth: expect.stringMatching(/^Bearer ey/), body: 'plain text' },
    ]);
    expect(bridge.fakeHost.remoteCalls[0]).toMatchObject({ via: 'requestRemote', method: 'POST', path: '/api/x?y=1' });
    // A remote the manifest does not declare is refused, nothing sent.
    await expect(bridge.requestRemote!('other', { path: '/api/x' })).rejects.toThrow(/no remote "other"/);
    expect(seen).toHaveLength(1);
  });

  test('requestRemote exists only for a remote with a key, invokeRemote for any remote', async () => {
    const bridge = createFakeForgeBridge(createWorld(), { remote: await remoteOptions(answered(200, {})) });
    expect(bridge.requestRemote).toBeUndefined();
    expect(bridge.invokeRemote).toBeTypeOf('function');
  });

  test("the bridge's own limiter: the 501st invokeRemote in 25 s throws BridgeAPIError before sending; the window restarts", async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      const bridge = createFakeForgeBridge(createWorld(), { remote: await remoteOptions(answered(204, null)) });
      const call = () => bridge.invokeRemote!({ path: '/api/ping', method: 'GET' });
      for (let count = 0; count < 500; count += 1) await call();
      const refused = await call().catch((error: unknown) => error);
      expect(refused).toMatchObject({
        name: 'BridgeAPIError',
        message: 'Remote invocation calls are rate limited at 500/25s',
      });
      expect(bridge.fakeHost.remoteCalls).toHaveLength(500);
      vi.setSystemTime(Date.now() + 25_001);
      expect((await call()).status).toBe(204);
    } finally {
      vi.useRealTimers();
    }
  });

  test("the client reads the limiter's refusal as rate-limited with scope bridge", async () => {
    const { hostFaultError } = await import('../../src/client/internal/classify');
    const bridge = createFakeForgeBridge(createWorld(), { remote: await remoteOptions(answered(204, null)) });
    const call = () => bridge.invokeRemote!({ path: '/api/ping', method: 'GET' });
    for (let count = 0; count < 500; count += 1) await call();
    const refusal = await call().catch((error: unknown) => error);
    const classified = hostFaultError(refusal, { method: 'GET', path: '/api/ping' }, 0);
    expect(classified).toMatchObject({ kind: 'rate-limited', rateLimit: { scope: 'bridge', resetAt: 25_000 } });
  });

  test('emitReadyEvent is counted for assertions', async () => {
    const bridge = createFakeForgeBridge(createWorld());
    expect(bridge.fakeHost.readyEvents).toBe(0);
    await bridge.view.emitReadyEvent();
    expect(bridge.fakeHost.readyEvents).toBe(1);
  });
});
