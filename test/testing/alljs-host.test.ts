import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createConfluenceClient, createConnectTransport } from '../../src/client/index';
import { PAGES, createWorld, startAllJsHost } from '../../src/testing/index';

// The unmodified all.js from atlassian-connect-js, evaluated in this jsdom window like a <script>.
const require = createRequire(import.meta.url);
const allJs = readFileSync(require.resolve('atlassian-connect-js/dist/iframe.js'), 'utf8');
function loadAllJs(): any {
  // jsdom has no matchMedia; all.js reads it for theming at load.
  window.matchMedia ??= (query: string) =>
    ({
      matches: false,
      media: query,
      onchange: null,
      addListener() {},
      removeListener() {},
      addEventListener() {},
      removeEventListener() {},
      dispatchEvent: () => false,
    }) as MediaQueryList;
  (0, eval)(allJs);
  return (globalThis as { AP?: unknown }).AP;
}

test('the real all.js talks to the world through startAllJsHost', async () => {
  const world = createWorld({ actingUser: 'viewer' });
  const host = startAllJsHost(world, { pageId: PAGES.gettingStarted, macro: { data: { mode: 'compact' } } });
  try {
    const AP = loadAllJs();
    expect(typeof AP.request).toBe('function');

    const ok = await AP.request(`/api/v2/pages/${PAGES.gettingStarted}`);
    expect(ok.xhr.status).toBe(200);
    expect(JSON.parse(ok.body).title).toBe('Getting started');

    const denied = await AP.request(`/api/v2/pages/${PAGES.securityIncidents}`).then(
      () => null,
      (e: unknown) => e,
    );
    expect(denied).toMatchObject({ err: expect.stringContaining('NOT_FOUND'), xhr: { status: 404, readyState: 4 } });

    expect(await AP.context.getToken()).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    expect((await AP.context.getContext()).confluence.content.id).toBe(PAGES.gettingStarted);
    expect(await new Promise((resolve) => AP.confluence.getMacroData(resolve))).toEqual({ mode: 'compact' });
    expect(host.messages.some((m) => m.mod === '_globals' && m.fn === 'request')).toBe(true);

    AP.resize('100%', '321px');
    await vi.waitFor(() => expect(host.backing.fakeHost.resizes).toContainEqual({ width: '100%', height: '321px' }));

    // The toolkit's client over the real all.js: the 403 reason survives the bridge.
    world.actAs('noAccess');
    const client = createConfluenceClient({ transport: createConnectTransport({ AP }), retry: false });
    const error = await client.request({ path: '/wiki/rest/api/user/current' }).catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'forbidden', reason: 'product-access', status: 403 });
  } finally {
    host.stop();
    delete (globalThis as { AP?: unknown }).AP;
  }
});
