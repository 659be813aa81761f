import { render, type RenderOptions, type RenderResult } from '@testing-library/react';
import type { HttpHandler } from 'msw';
import type { ReactElement, ReactNode } from 'react';
import { createConfluenceClient, createFetchTransport } from '../client/index.js';
import { ConfluenceProvider, type ConfluenceProviderProps } from '../react/index.js';
import { addWorldHandlers, respond } from './confluence/respond.js';
import type { ConnectScope } from './confluence/model.js';
import { createWorld, type ConfluenceWorld, type PageSeed, type WorldSeed } from './confluence/world.js';
import { EMULATED_TENANT, createFakeAP, installFakeAP, type FakeAP, type FakeAPOptions } from './hosts/fake-ap.js';
import { createFakeForgeBridge, type FakeForgeBridge, type FakeForgeRemote } from './hosts/fake-forge.js';
import { mintContextToken } from './tokens/symmetric.js';
import { appLicenceActive, visibleAccountId } from './confluence/permissions.js';

export interface RenderWithConfluenceOptions {
  /**
   * Acting user: accountId or seed name (`'admin' | 'editor' | 'viewer' | 'noAccess' | 'guest' | 'anonymous' |
   * 'unlicensed'`). Default `'editor'`.
   */
  user?: string;
  /** Replace the seeded pages (pages without `spaceId` go into the first space). */
  pages?: PageSeed[];
  /** The app's descriptor scopes, enforced by the emulator. Default `['READ', 'WRITE', 'DELETE']`. */
  scopes?: ConnectScope[];
  /** Which host the UI runs in. Default `'connect'` (a fake `AP` on `globalThis`). */
  host?: 'connect' | 'forge' | 'fetch';
  /** Use an existing world (then `user`/`pages`/`scopes`/`seed` are applied to it where possible). */
  world?: ConfluenceWorld;
  /** Any other seed options for a new world (spaces, users, faults, clock…). */
  seed?: WorldSeed;
  /**
   * The page the macro sits on, for every host: Connect's `AP.context.getContext()`, Forge's `view.getContext()`, and
   * for `'fetch'` the provider's static `context` (all read by `useConfluenceContext`). Default: the first of `pages`,
   * else the world's first page.
   */
  pageId?: string;
  /** The macro's id and parameters/body (Connect `getMacroData`/`getMacroBody`, Forge `config`; `'fetch'`: its id). */
  macro?: FakeAPOptions['macro'];
  /**
   * Host `'forge'`: the manifest remote `useAppFetch` reaches (with a minted FIT): through `requestRemote` when it has
   * a `key` (the provider gets it as `forgeRemoteKey`), else through `invokeRemote`.
   */
  forgeRemote?: FakeForgeRemote;
  /**
   * msw handlers for endpoints the emulator lacks (or to override one of its answers), for this render only. They
   * answer before the emulator for every host, and are recorded in `world.requests`; one that returns nothing passes
   * the request on. Removed when the render unmounts or the test ends.
   */
  extraHandlers?: readonly HttpHandler[];
  /** Extra props for `ConfluenceProvider` (messages, renderState, clientOptions…). */
  providerProps?: Omit<ConfluenceProviderProps, 'children'>;
  renderOptions?: Omit<RenderOptions, 'wrapper'>;
}

export interface RenderWithConfluenceResult extends RenderResult {
  /** The emulated Confluence behind the UI: change users, faults, pages; read `world.requests`. */
  world: ConfluenceWorld;
  /** The fake Connect `AP` (host `'connect'`). */
  ap?: FakeAP;
  /** The fake Forge bridge (host `'forge'`). */
  bridge?: FakeForgeBridge;
}

// Fake `AP` globals installed by renders, removed after each test (the way Testing Library cleans up).
const installed = new Set<() => void>();
/** Remove fake hosts put on `globalThis` by renders. Runs after each test by itself when `afterEach` is a global; call it yourself otherwise. */
export function cleanupConfluenceHosts() {
  for (const restore of installed) restore();
  installed.clear();
}
const testGlobals = globalThis as { afterEach?: (hook: () => void) => void };
if (typeof testGlobals.afterEach === 'function') testGlobals.afterEach(cleanupConfluenceHosts);

/**
 * Render UI inside `ConfluenceProvider`, backed by the Confluence REST emulator, as a
 * given user with given pages and scopes. Every state (403 reasons, 404-for-restricted,
 * 409, 429) comes from the same handlers the dev emulator uses. No msw server is needed:
 * the fake host answers in-process.
 *
 * @example
 * test('a viewer sees the page but no edit button', async () => {
 *   const { world } = renderWithConfluence(<PageCard />, {
 *     user: 'viewer',
 *     pageId: PAGES.gettingStarted,
 *     host: 'forge',
 *     extraHandlers: [http.get('*\/wiki/api/v2/pages/:id/likes/count', () => HttpResponse.json({ count: 3 }))],
 *   });
 *   expect(await screen.findByRole('heading', { name: 'Getting started' })).toBeVisible();
 *   expect(screen.queryByRole('button', { name: 'Edit' })).toBeNull();
 *   expect(world.requests.map((entry) => entry.status)).not.toContain(500);
 * });
 */
export function renderWithConfluence(
  ui: ReactElement,
  options: RenderWithConfluenceOptions = {},
): RenderWithConfluenceResult {
  const world =
    options.world ??
    createWorld({
      ...options.seed,
      ...(options.pages ? { pages: options.pages } : {}),
      ...(options.scopes ? { scopes: options.scopes } : {}),
    });
  if (options.world && options.scopes) world.setScopes(options.scopes);
  if (options.user) world.actAs(options.user);
  const host = options.host ?? 'connect';
  const pageId = options.pageId ?? options.pages?.[0]?.id;
  let ap: FakeAP | undefined;
  let bridge: FakeForgeBridge | undefined;
  // What to undo when the render unmounts or the test ends.
  const restores: (() => void)[] = [];
  const props: Omit<ConfluenceProviderProps, 'children'> = { ...options.providerProps, host };

  if (options.extraHandlers && options.extraHandlers.length > 0) {
    restores.push(addWorldHandlers(world, options.extraHandlers));
  }

  if (host === 'connect') {
    const apOptions: FakeAPOptions = {};
    if (pageId) apOptions.pageId = pageId;
    if (options.macro) apOptions.macro = options.macro;
    ap = createFakeAP(world, apOptions);
    restores.push(installFakeAP(ap));
  } else if (host === 'forge') {
    bridge = createFakeForgeBridge(world, {
      ...(pageId ? { pageId } : {}),
      ...(options.macro?.data ? { config: options.macro.data } : {}),
      ...(options.forgeRemote ? { remote: options.forgeRemote } : {}),
    });
    props.forgeBridge = bridge;
    if (options.forgeRemote?.key) props.forgeRemoteKey ??= options.forgeRemote.key;
  } else {
    // fetch: the emulator answers in-process; a network fault rejects with a TypeError, as fetch does.
    const emulatedFetch = async (input: RequestInfo | URL, init?: RequestInit) => {
      const response = await respond(world, new Request(input, init));
      if (response.type === 'error') throw new TypeError('Failed to fetch');
      return response;
    };
    props.client ??= createConfluenceClient({
      ...props.clientOptions,
      transport: createFetchTransport({ baseUrl: world.siteUrl, fetch: emulatedFetch as typeof fetch }),
    });
    // Standalone pages have no host to ask, so the provider's static context plays Connect's and Forge's part.
    props.context ??= fetchContext(world, pageId, options.macro?.id);
    // An anonymous viewer's token has no `sub`.
    props.getContextToken ??= () =>
      mintContextToken({ ...EMULATED_TENANT, accountId: visibleAccountId(world.user(world.actingAccountId)) ?? null });
  }

  const restore = () => {
    for (const undo of restores.splice(0)) undo();
  };
  installed.add(restore);

  // A wrapper (not a wrapped element) so `rerender(ui)` keeps the provider, its client and its QueryClient.
  const wrapper = ({ children }: { children: ReactNode }) => (
    <ConfluenceProvider {...props}>{children}</ConfluenceProvider>
  );
  const result = render(ui, { ...options.renderOptions, wrapper });
  const unmount = result.unmount;
  result.unmount = () => {
    unmount();
    if (installed.delete(restore)) restore();
  };
  const extras: Pick<RenderWithConfluenceResult, 'ap' | 'bridge'> = {};
  if (ap) extras.ap = ap;
  if (bridge) extras.bridge = bridge;
  return Object.assign(result, { world, ...extras });
}

/** The context `useConfluenceContext` reports on the `'fetch'` host: the same fields Connect's context gives. */
function fetchContext(world: ConfluenceWorld, pageId: string | undefined, macroId: string | undefined) {
  const page = (pageId ? world.pages.get(pageId) : undefined) ?? world.pages.values().next().value;
  const space = page ? world.spaces.get(page.spaceId) : undefined;
  const actingUser = world.user(world.actingAccountId);
  const accountId = visibleAccountId(actingUser);
  return {
    ...(page ? { content: { id: page.id, type: 'page', version: page.version.number } } : {}),
    ...(space ? { space: { id: space.id, key: space.key } } : {}),
    ...(macroId ? { macro: { id: macroId } } : {}),
    user: accountId ? { accountId } : {},
    // What the app's own backend would tell a standalone page, as Connect's `lic` and Forge's context do.
    ...(appLicenceActive(actingUser) ? {} : { license: { active: false } }),
  };
}
