import { renderHook } from '@testing-library/react';
import { http } from 'msw';
import type { ReactNode } from 'react';
import { ConfluenceProvider, useAppFetch } from '../../src/react/index';
import { ConfluenceHostError } from '../../src/react/errors';
import { ConfluenceError } from '../../src/client/index';
import { createForgeRemoteHandler } from '../../src/server/forge/handler';
import { createForgeKeySet } from '../../src/server/forge/key-set';
import { createWorld } from '../../src/testing/core';
import { createFakeForgeBridge, type FakeForgeBridge } from '../../src/testing/hosts/fake-forge';
import { createForgeKeyPair, type ForgeKeyPair } from '../../src/testing/tokens/forge';
import { createForgeJwksServer } from '../../src/testing/tokens/forge-jwks-server';
import { server } from './helpers/site';
import { emulateSite } from './helpers/setup';

emulateSite();

const APP_ID = '5e6f7a8b-1c2d-4e3f-9a0b-1c2d3e4f5a6b';
const REMOTE = 'https://remote.example.com';

let forgeKey: ForgeKeyPair;
let attackerKey: ForgeKeyPair;
/** What the backend saw on its last request, after verifying the FIT. */
/** Answers the backend's pending `/api/slow` request. */
let releaseSlow: () => void = () => {};
/** How many more times `/api/expiring` answers that the FIT expired (the kit server's FORGE_TOKEN_EXPIRED). */
let expiredAnswers = 0;
let seen: {
  method: string;
  path: string;
  accountId?: string;
  installationId?: string;
  systemToken?: string;
  body: unknown;
  authScheme: string;
}[];

beforeAll(async () => {
  forgeKey = await createForgeKeyPair('forge-key');
  attackerKey = await createForgeKeyPair('forge-key');
});

beforeEach(() => {
  seen = [];
  const jwks = createForgeJwksServer([forgeKey]);
  // The backend an app would deploy as its Forge remote, verifying every call with verifyForgeInvocation.
  const backend = createForgeRemoteHandler(
    { appId: `ari:cloud:ecosystem::app/${APP_ID}`, keySet: createForgeKeySet({ url: jwks.url, fetch: jwks.fetch }) },
    async (request, invocation) => {
      const url = new URL(request.url);
      const text = await request.text();
      seen.push({
        method: request.method,
        path: url.pathname + url.search,
        accountId: invocation.accountId,
        installationId: invocation.installationId,
        systemToken: invocation.appSystemToken,
        body: text ? JSON.parse(text) : undefined,
        authScheme: (request.headers.get('authorization') ?? '').split(' ')[0]!,
      });
      if (url.pathname === '/api/expiring' && expiredAnswers > 0) {
        expiredAnswers -= 1;
        return Response.json({ error: { code: 'FORGE_TOKEN_EXPIRED', message: 'expired' } }, { status: 401 });
      }
      if (url.pathname === '/api/refused') {
        return Response.json({ error: { code: 'NOT_ALLOWED', message: 'no' } }, { status: 401 });
      }
      if (url.pathname === '/api/missing') return Response.json({ error: 'no such item' }, { status: 404 });
      if (url.pathname === '/api/empty') return new Response(null, { status: 204 });
      if (url.pathname === '/api/slow') await new Promise<void>((resolve) => (releaseSlow = resolve));
      return Response.json(
        { items: [{ id: 1 }], echo: text ? JSON.parse(text) : null },
        { headers: { 'x-request-id': 'req-7' } },
      );
    },
  );
  server.use(http.all(`${REMOTE}/*`, ({ request }) => backend(request)));
});

type RemoteOverrides = Partial<
  NonNullable<Exclude<Parameters<typeof createFakeForgeBridge>[1], string | undefined>['remote']>
>;

function forgeHost(remote: RemoteOverrides | null = {}, forgeRemoteKey?: string) {
  const world = createWorld();
  world.actAs('editor');
  const bridge: FakeForgeBridge = createFakeForgeBridge(
    world,
    remote !== null ? { remote: { baseUrl: REMOTE, appId: APP_ID, keyPair: forgeKey, ...remote } } : {},
  );
  const wrapper = ({ children }: { children: ReactNode }) => (
    <ConfluenceProvider host="forge" forgeBridge={bridge} forgeRemoteKey={forgeRemoteKey}>
      {children}
    </ConfluenceProvider>
  );
  const { result } = renderHook(() => useAppFetch(), { wrapper });
  return { world, bridge, appFetch: (...args: Parameters<ReturnType<typeof useAppFetch>>) => result.current(...args) };
}

describe('useAppFetch on Forge (invokeRemote)', () => {
  it('reaches the backend, which verifies the FIT for the acting user; the answer is a real Response', async () => {
    const { world, appFetch } = forgeHost({ appSystemToken: 'system-token' });
    const response = await appFetch('/api/items?q=a%20b&n=2');
    expect(response).toBeInstanceOf(Response);
    expect(response.status).toBe(200);
    expect(response.ok).toBe(true);
    expect(response.headers.get('x-request-id')).toBe('req-7');
    expect(response.headers.get('content-type')).toMatch(/application\/json/);
    expect(await response.json()).toEqual({ items: [{ id: 1 }], echo: null });
    expect(seen).toEqual([
      {
        method: 'GET',
        path: '/api/items?q=a%20b&n=2',
        accountId: world.actingAccountId,
        installationId: 'ari:cloud:ecosystem::installation/emulated-installation',
        systemToken: 'system-token',
        body: undefined,
        authScheme: 'Bearer',
      },
    ]);
  });

  it('sends a JSON body as JSON, and the app cannot set the Authorization the backend receives', async () => {
    const { appFetch } = forgeHost();
    const response = await appFetch('/api/items', {
      method: 'post',
      headers: { 'content-type': 'application/json', authorization: 'JWT forged' },
      body: JSON.stringify({ title: 'New', tags: ['a'] }),
    });
    expect(response.status).toBe(200);
    expect((await response.json()).echo).toEqual({ title: 'New', tags: ['a'] });
    expect(seen[0]).toMatchObject({ method: 'POST', body: { title: 'New', tags: ['a'] }, authScheme: 'Bearer' });
  });

  it('an absolute URL contributes only its path and query (Forge always calls the manifest remote)', async () => {
    const { appFetch } = forgeHost();
    expect((await appFetch(new URL('https://elsewhere.example/api/items?x=1#frag'))).status).toBe(200);
    expect(seen[0]!.path).toBe('/api/items?x=1');
  });

  it('an error status resolves like fetch (ok: false, body readable) and is not retried', async () => {
    const { bridge, appFetch } = forgeHost();
    const response = await appFetch('/api/missing');
    expect(response.status).toBe(404);
    expect(response.ok).toBe(false);
    expect(await response.json()).toEqual({ error: 'no such item' });
    expect(bridge.fakeHost.remoteCalls).toHaveLength(1);
  });

  it('a 204 has an empty body', async () => {
    const { appFetch } = forgeHost();
    const response = await appFetch('/api/empty', { method: 'DELETE' });
    expect(response.status).toBe(204);
    expect(await response.text()).toBe('');
  });

  it('a FIT the backend cannot verify is a 401 the app can read, sent once', async () => {
    const { bridge, appFetch } = forgeHost({ keyPair: attackerKey });
    const response = await appFetch('/api/items');
    expect(response.status).toBe(401);
    expect((await response.json()).error.code).toBe('SIGNATURE_INVALID');
    expect(bridge.fakeHost.remoteCalls).toHaveLength(1);
    expect(seen).toEqual([]);
  });

  it('a FIT for another app is refused by the backend', async () => {
    const { appFetch } = forgeHost({ appId: '00000000-1c2d-4e3f-9a0b-1c2d3e4f5a6b' });
    const response = await appFetch('/api/items');
    expect(response.status).toBe(401);
    expect((await response.json()).error.code).toBe('AUDIENCE_MISMATCH');
  });

  it.each([
    ['a form body', { method: 'POST', body: new URLSearchParams({ a: '1' }) }],
    ['a text body that is not JSON', { method: 'POST', body: 'plain words' }],
    ['a method invokeRemote cannot carry', { method: 'HEAD' }],
  ])('%s rejects with NOT_SUPPORTED before anything is sent', async (_name, init) => {
    const { bridge, appFetch } = forgeHost();
    const error = await appFetch('/api/items', init as RequestInit).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfluenceHostError);
    expect((error as ConfluenceHostError).code).toBe('NOT_SUPPORTED');
    expect(bridge.fakeHost.remoteCalls).toHaveLength(0);
  });

  it('a bridge without invokeRemote is still NOT_SUPPORTED (no remote endpoint for this module)', async () => {
    const { bridge, appFetch } = forgeHost(null);
    expect(bridge.invokeRemote).toBeUndefined();
    const error = await appFetch('/api/items').catch((e: unknown) => e);
    expect((error as ConfluenceHostError).code).toBe('NOT_SUPPORTED');
    expect(seen).toEqual([]);
  });

  it('an already aborted signal rejects with its reason, like fetch, and nothing is sent', async () => {
    const { bridge, appFetch } = forgeHost();
    const controller = new AbortController();
    controller.abort();
    const error = await appFetch('/api/items', { signal: controller.signal }).catch((e: unknown) => e);
    expect(error).toBe(controller.signal.reason);
    expect((error as DOMException).name).toBe('AbortError');
    const reason = new Error('navigated away');
    await expect(appFetch('/api/items', { signal: AbortSignal.abort(reason) })).rejects.toBe(reason);
    expect(bridge.fakeHost.remoteCalls).toHaveLength(0);
  });

  it('aborting while invokeRemote is pending rejects at once with the reason, not with the late answer', async () => {
    const { bridge, appFetch } = forgeHost();
    const controller = new AbortController();
    const pending = appFetch('/api/slow', { signal: controller.signal });
    await vi.waitFor(() => expect(seen).toHaveLength(1)); // the backend has the request
    controller.abort();
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
    expect(bridge.fakeHost.remoteCalls).toHaveLength(1);
    releaseSlow(); // the bridge cannot cancel: the backend still answers, to no one
  });

  it('a signal that never aborts changes nothing, and its abort listener is removed after the answer', async () => {
    const { appFetch } = forgeHost();
    const controller = new AbortController();
    const add = vi.spyOn(controller.signal, 'addEventListener');
    const remove = vi.spyOn(controller.signal, 'removeEventListener');
    expect((await appFetch('/api/items', { signal: controller.signal })).status).toBe(200);
    await vi.waitFor(() => expect(remove).toHaveBeenCalledOnce());
    expect(remove.mock.calls[0]![1]).toBe(add.mock.calls[0]![1]);
  });

  it('the backend being unreachable rejects like fetch does', async () => {
    const { appFetch } = forgeHost({
      fetch: (async () => Promise.reject(new TypeError('connect ECONNREFUSED'))) as typeof fetch,
    });
    await expect(appFetch('/api/items')).rejects.toThrow(TypeError);
  });
});

describe('useAppFetch on Forge (requestRemote, @forge/bridge 7.2)', () => {
  it('with forgeRemoteKey it calls requestRemote; the backend verifies the FIT; any body fetch takes goes through', async () => {
    const { world, bridge, appFetch } = forgeHost({ key: 'backend' }, 'backend');
    const response = await appFetch('/api/items?n=1', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'JWT forged' },
      body: JSON.stringify({ title: 'New' }),
    });
    expect(response.status).toBe(200);
    expect((await response.json()).echo).toEqual({ title: 'New' });
    expect(bridge.fakeHost.remoteCalls).toEqual([
      { method: 'POST', path: '/api/items?n=1', accountId: world.actingAccountId, via: 'requestRemote' },
    ]);
    expect(seen[0]).toMatchObject({ method: 'POST', authScheme: 'Bearer', accountId: world.actingAccountId });
  });

  it('without forgeRemoteKey the module endpoint (invokeRemote) is used, as before', async () => {
    const { bridge, appFetch } = forgeHost({ key: 'backend' });
    expect((await appFetch('/api/items')).status).toBe(200);
    expect(bridge.fakeHost.remoteCalls.map((call) => call.via)).toEqual(['invokeRemote']);
  });

  it.each([
    ['requestRemote', 'backend'],
    ['invokeRemote', undefined],
  ])('%s: an expired cached FIT (FORGE_TOKEN_EXPIRED) is sent again exactly once', async (_via, remoteKey) => {
    const { bridge, appFetch } = forgeHost({ key: 'backend' }, remoteKey);
    expiredAnswers = 1;
    const response = await appFetch('/api/expiring');
    expect(response.status).toBe(200);
    expect(bridge.fakeHost.remoteCalls).toHaveLength(2);

    expiredAnswers = 5;
    const stillExpired = await appFetch('/api/expiring');
    expect(stillExpired.status).toBe(401);
    expect((await stillExpired.json()).error.code).toBe('FORGE_TOKEN_EXPIRED');
    expect(bridge.fakeHost.remoteCalls).toHaveLength(4);
  });

  it.each([
    ['requestRemote', 'backend'],
    ['invokeRemote', undefined],
  ])('%s: any other 401 is an answer, sent once', async (_via, remoteKey) => {
    const { bridge, appFetch } = forgeHost({ key: 'backend' }, remoteKey);
    const response = await appFetch('/api/refused');
    expect(response.status).toBe(401);
    expect((await response.json()).error.code).toBe('NOT_ALLOWED');
    expect(bridge.fakeHost.remoteCalls).toHaveLength(1);
  });

  it('the bridge limiter (500 calls in 25 s) rejects as rate-limited with scope bridge, before anything is sent', async () => {
    const answer = (async () => new Response(null, { status: 204 })) as typeof fetch;
    const { bridge, appFetch } = forgeHost({ fetch: answer });
    for (let call = 0; call < 500; call += 1) await appFetch('/api/empty');
    const refused = await appFetch('/api/empty').catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(ConfluenceError);
    expect(refused).toMatchObject({ kind: 'rate-limited', rateLimit: { scope: 'bridge' }, retryAfterMs: 25_000 });
    expect(bridge.fakeHost.remoteCalls).toHaveLength(500);
  });
});
