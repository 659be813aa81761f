import { vi } from 'vitest';
import type { ConfluenceProviderProps, ConnectAP, ForgeBridge } from '../../../src/react/index';
import { SITE } from './site';

/**
 * A fake all.js `AP` whose `request` behaves like the promise form of the real one: URLs are relative
 * to the /wiki context path, it resolves `{ body, xhr }` for 2xx and rejects `{ err, xhr }` otherwise,
 * with a plain-object xhr (simple-xdm cannot clone a real XMLHttpRequest). The HTTP goes through msw.
 */
export function createFakeAP(context: object = connectContext) {
  const ap = {
    request: vi.fn(async (urlOrOptions: string | any, maybeOptions?: any) => {
      const o = typeof urlOrOptions === 'string' ? { ...maybeOptions, url: urlOrOptions } : urlOrOptions;
      if (String(o.url).startsWith('/wiki/')) throw new Error(`AP.request URL must be context-relative, got ${o.url}`);
      const headers: Record<string, string> = { ...o.headers };
      if (o.contentType) headers['Content-Type'] = o.contentType;
      const data = o.data == null || typeof o.data === 'string' ? o.data : JSON.stringify(o.data);
      const res = await fetch(`${SITE}/wiki${o.url}`, { method: o.type ?? 'GET', headers, body: data });
      const body = await res.text();
      const xhr = {
        status: res.status,
        statusText: res.statusText,
        responseText: body,
        headers: Object.fromEntries(res.headers),
      };
      if (!res.ok) throw { err: body, xhr };
      return { body, xhr };
    }),
    resize: vi.fn(),
    context: {
      getContext: vi.fn(async () => context),
      getToken: vi.fn(async () => 'connect-token'),
    },
    theming: { initializeTheming: vi.fn() },
    user: {
      getCurrentUser: vi.fn((cb: (u: { atlassianAccountId: string }) => void) => cb({ atlassianAccountId: 'u-1' })),
    },
    confluence: {
      getMacroData: vi.fn((cb: (d: any) => void) => cb({ color: 'red' })),
      getMacroBody: vi.fn((cb: (b: string) => void) => cb('<p>body</p>')),
      saveMacro: vi.fn(),
      closeMacroEditor: vi.fn(),
    },
  };
  return ap satisfies ConnectAP;
}

export const connectContext = {
  confluence: {
    content: { id: 123, type: 'page', version: '5' },
    space: { key: 'DEV', id: 42 },
    macro: { id: 'm-1', outputType: 'display' },
  },
};

/** A fake Forge bridge: `requestConfluence` wants the /wiki prefix and resolves a fetch Response for every status. */
export function createFakeForgeBridge() {
  const bridge = {
    requestConfluence: vi.fn(async (path: string, init?: RequestInit) => {
      if (!path.startsWith('/wiki/')) throw new Error(`requestConfluence path must start with /wiki, got ${path}`);
      return fetch(SITE + path, init);
    }),
    view: {
      getContext: vi.fn(async () => ({
        accountId: 'u-1',
        localId: 'local-1',
        extension: {
          type: 'macro',
          content: { id: '123', type: 'page' },
          space: { id: '42', key: 'DEV' },
          config: { color: 'blue' },
        },
      })),
      submit: vi.fn(async () => {}),
      close: vi.fn(async () => {}),
      theme: { enable: vi.fn(async () => {}) },
    },
    setMacroViewportHeight: vi.fn(async () => true),
    getMacroContent: vi.fn(async () => ({ data: 'forge body' })),
  };
  return bridge satisfies ForgeBridge;
}

export interface HostSetup {
  name: 'connect' | 'forge' | 'fetch';
  /** Installs the host and returns the provider props that select it. */
  install(): Partial<ConfluenceProviderProps>;
}

/** The three hosts the same component tree must work on. */
export const hosts: HostSetup[] = [
  {
    name: 'connect',
    install() {
      (globalThis as any).AP = createFakeAP();
      return {};
    },
  },
  { name: 'forge', install: () => ({ forgeBridge: createFakeForgeBridge() }) },
  {
    name: 'fetch',
    install: () => ({ host: 'fetch', fetchBaseUrl: SITE, context: { content: { id: '123', type: 'page' } } }),
  },
];

export function uninstallHosts() {
  delete (globalThis as any).AP;
  delete (globalThis as any).__bridge;
  // What `startEarly` (confluence-iframe-kit/early) left for the next provider to adopt.
  delete (globalThis as any)[Symbol.for('confluence-iframe-kit/early')];
}
