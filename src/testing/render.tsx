import { render, type RenderOptions, type RenderResult } from '@testing-library/react';
import type { ReactElement, ReactNode } from 'react';
import { createConfluenceClient, createFetchTransport } from '../client/index.js';
import { ConfluenceProvider, type ConfluenceProviderProps } from '../react/index.js';
import { respond } from './confluence/answer.js';
import type { ConnectScope } from './confluence/model.js';
import { createWorld, type ConfluenceWorld, type PageSeed, type WorldSeed } from './confluence/world.js';
import { createFakeAP, installFakeAP, type FakeAP, type FakeAPOptions } from './hosts/fake-ap.js';
import { createFakeForgeBridge, type FakeForgeBridge, type FakeForgeRemote } from './hosts/fake-forge.js';

export interface RenderWithConfluenceOptions {
  /** Acting user: accountId or seed name (`'admin' | 'editor' | 'viewer' | 'noAccess'`). Default `'editor'`. */
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
  /** The page the macro sits on, and the macro's parameters/body (Connect `getMacroData`/`getMacroBody`, Forge `config`). */
  pageId?: string;
  macro?: FakeAPOptions['macro'];
  /** Host `'forge'`: the manifest remote `useAppFetch` reaches through `invokeRemote` (with a minted FIT). */
  forgeRemote?: FakeForgeRemote;
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
const g = globalThis as { afterEach?: (fn: () => void) => void };
if (typeof g.afterEach === 'function') g.afterEach(cleanupConfluenceHosts);

/**
 * Render UI inside `ConfluenceProvider`, backed by the Confluence REST emulator, as a
 * given user with given pages and scopes. Every state (403 reasons, 404-for-restricted,
 * 409, 429) comes from the same handlers the dev emulator uses.
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
  let restore: (() => void) | undefined;
  let bridge: FakeForgeBridge | undefined;
  const props: Omit<ConfluenceProviderProps, 'children'> = { ...options.providerProps, host };

  if (host === 'connect') {
    ap = createFakeAP(world, { ...(pageId ? { pageId } : {}), ...(options.macro ? { macro: options.macro } : {}) });
    restore = installFakeAP(ap);
    installed.add(restore);
  } else if (host === 'forge') {
    bridge = createFakeForgeBridge(world, {
      ...(pageId ? { pageId } : {}),
      ...(options.macro?.data ? { config: options.macro.data } : {}),
      ...(options.forgeRemote ? { remote: options.forgeRemote } : {}),
    });
    props.forgeBridge = bridge;
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
  }

  // A wrapper (not a wrapped element) so `rerender(ui)` keeps the provider, its client and its QueryClient.
  const wrapper = ({ children }: { children: ReactNode }) => (
    <ConfluenceProvider {...props}>{children}</ConfluenceProvider>
  );
  const result = render(ui, { ...options.renderOptions, wrapper });
  const unmount = result.unmount;
  result.unmount = () => {
    unmount();
    if (restore && installed.delete(restore)) restore();
  };
  return Object.assign(result, { world, ...(ap ? { ap } : {}), ...(bridge ? { bridge } : {}) });
}
