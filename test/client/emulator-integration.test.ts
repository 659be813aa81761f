// The client against the testing kit's fake Connect and Forge hosts (src/testing): one emulated world answers both,
// so the same request must classify the same way whichever host carries it.
import { describe, expect, it } from 'vitest';
import {
  createConfluenceClient,
  createConnectTransport,
  createForgeTransport,
  type ConfluenceClient,
} from '../../src/client';
import { PAGES, createFakeAP, createFakeForgeBridge, createWorld, type WorldSeed } from '../../src/testing/core';

const hosts = ['connect', 'forge'] as const;

function clientFor(host: (typeof hosts)[number], seed: WorldSeed = {}, user?: string): ConfluenceClient {
  const world = createWorld(seed);
  const transport =
    host == 'connect'
      ? createConnectTransport({ AP: createFakeAP(world, user ? { user } : {}) as never })
      : createForgeTransport({
          requestConfluence: createFakeForgeBridge(world, user ? { user } : {}).requestConfluence as never,
        });
  return createConfluenceClient({ transport, retry: false });
}

describe.each(hosts)('client × testing kit %s host', (host) => {
  it('lists pages, then batches getPage for them into one call', async () => {
    const client = clientFor(host);
    const list = await client.request<{ results: { id: string }[] }>({
      path: '/wiki/api/v2/pages',
      query: { limit: 5 },
    });
    const ids = list.data.results.map((p) => p.id);
    expect(ids.length).toBeGreaterThan(1);
    const pages = await Promise.all(ids.map((id) => client.getPage(id)));
    expect(pages.map((p) => p.id)).toEqual(ids);
    expect(client.stats.transportCalls).toBe(2);
  });

  it('a view-restricted page is not-found + mayBeRestricted, single or batched', async () => {
    const client = clientFor(host, {}, 'viewer');
    await expect(client.request({ path: `/wiki/api/v2/pages/${PAGES.securityIncidents}` })).rejects.toMatchObject({
      kind: 'not-found',
      mayBeRestricted: true,
    });
    const [ok, hidden] = await Promise.allSettled([
      client.getPage(PAGES.home),
      client.getPage(PAGES.securityIncidents),
    ]);
    expect(ok.status).toBe('fulfilled');
    expect((hidden as PromiseRejectedResult).reason).toMatchObject({ kind: 'not-found', mayBeRestricted: true });
  });

  it('a write outside the descriptor scopes is refused by the host as an app-scope problem', async () => {
    const client = clientFor(host, { scopes: ['READ'] });
    const e = await client
      .request({
        method: 'PUT',
        path: `/wiki/api/v2/pages/${PAGES.gettingStarted}`,
        body: {
          id: PAGES.gettingStarted,
          status: 'current',
          title: 'x',
          body: { representation: 'storage', value: '<p/>' },
          version: { number: 99 },
        },
      })
      .catch((x) => x);
    expect(e.reason).toBe('app-scope');
    expect(['forbidden', 'unauthorized']).toContain(e.kind);
  });

  it('the same write is caught by the client-side scope check before it reaches the host', async () => {
    const world = createWorld({ scopes: ['READ'] });
    const client = createConfluenceClient({
      transport:
        host == 'connect'
          ? createConnectTransport({ AP: createFakeAP(world) as never })
          : createForgeTransport({ requestConfluence: createFakeForgeBridge(world).requestConfluence as never }),
      scopes: ['READ'],
      scopeCheck: 'error',
    });
    await expect(
      client.request({ method: 'DELETE', path: `/wiki/api/v2/pages/${PAGES.gettingStarted}` }),
    ).rejects.toMatchObject({ code: 'CONFLUENCE_SCOPE_MISSING' });
    expect(client.stats.transportCalls).toBe(0);
  });

  it('a page in a space the app is blocked from → forbidden / app-access-rule', async () => {
    await expect(clientFor(host).request({ path: `/wiki/api/v2/pages/${PAGES.peopleHome}` })).rejects.toMatchObject({
      kind: 'forbidden',
      reason: 'app-access-rule',
    });
  });

  it('a user without Confluence access gets forbidden / product-access from v1', async () => {
    await expect(
      clientFor(host, {}, 'noAccess').request({ path: '/wiki/rest/api/user/current' }),
    ).rejects.toMatchObject({ kind: 'forbidden', reason: 'product-access' });
  });
});
