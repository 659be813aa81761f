import { EmulatorError } from '../errors.js';
import { respond } from '../confluence/answer.js';
import { ACCOUNT_ID_HEADER, CALLER_HEADER } from '../confluence/guard.js';
import type { ConfluenceWorld } from '../confluence/world.js';

export interface FakeForgeOptions {
  /** Act as this user (accountId or seed name) for every request; default: follow `world.actAs`. */
  user?: string;
  /** The page the macro sits on (`extension.content.id`). Default: the first page of the world. */
  pageId?: string;
  /** Macro configuration (`extension.config`). */
  config?: Record<string, unknown>;
  theme?: 'light' | 'dark';
  /**
   * Partners report the Forge front end strips rate-limit headers (FRGE-1923). Default
   * `'strip'` removes `X-RateLimit-*` and `RateLimit*`; `Retry-After` is kept [Inf].
   */
  rateLimitHeaders?: 'strip' | 'keep';
}

export type ForgeRequestInit = Omit<RequestInit, 'signal'> & { signal?: AbortSignal };

export interface FakeForgeFlagOptions {
  id: number | string;
  title?: string;
  description?: string;
  type?: 'info' | 'success' | 'warning' | 'error';
  appearance?: 'info' | 'success' | 'warning' | 'error';
  actions?: { text: string; onClick(): void }[];
  isAutoDismiss?: boolean;
}

export interface FakeForgeHost {
  readonly themeEnabled: boolean;
  readonly submitted: unknown[];
  readonly closed: unknown[];
  /** Every `showFlag`, in order; `closed` turns true on `flag.close()`. Click an action with `options.actions[i].onClick()`. */
  readonly flags: { options: FakeForgeFlagOptions; closed: boolean }[];
  /** Every `router` call, in order. */
  readonly navigations: { kind: 'navigate' | 'open' | 'reload'; location?: unknown }[];
  /** Deliver an event to the app's `events.on` subscribers (`events.onPublic` with `{ public: true }`). */
  emit(name: string, payload?: unknown, options?: { public?: boolean }): void;
}

export interface FakeForgeBridge {
  requestConfluence(path: string, init?: ForgeRequestInit): Promise<Response>;
  view: {
    getContext(): Promise<Record<string, unknown>>;
    theme: { enable(): Promise<void> };
    submit(payload?: unknown): Promise<void>;
    close(payload?: unknown): Promise<void>;
    refresh(payload?: unknown): Promise<void>;
    emitReadyEvent(): Promise<void>;
  };
  events: {
    on(name: string, listener: (payload: unknown) => void): Promise<{ unsubscribe(): void }>;
    onPublic(name: string, listener: (payload: unknown) => void): Promise<{ unsubscribe(): void }>;
    emit(name: string, payload?: unknown): Promise<void>;
    emitPublic(name: string, payload?: unknown): Promise<void>;
  };
  showFlag(options: FakeForgeFlagOptions): { close(): Promise<boolean> };
  router: {
    navigate(location: string | object): Promise<void>;
    open(location: string | object): Promise<void>;
    reload(): Promise<void>;
  };
  /** Not part of @forge/bridge: the host side of this fake, for assertions. */
  readonly fakeHost: FakeForgeHost;
}

const RATE_LIMIT_HEADER = /^(x-ratelimit-|ratelimit|x-beta-ratelimit|beta-ratelimit)/i;

/**
 * A stand-in for `@forge/bridge` (`requestConfluence`, `view`, `events`) answering from
 * the emulator world. Like the real bridge, `requestConfluence` resolves a `Response` for
 * every HTTP status (403 → `ok: false`), adds `X-Atlassian-Token: no-check`, ignores
 * `signal`, and rejects only when the request never got an answer.
 */
export function createFakeForgeBridge(world: ConfluenceWorld, options: FakeForgeOptions | string = {}): FakeForgeBridge {
  const opts: FakeForgeOptions = typeof options === 'string' ? { user: options } : options;
  const pinned = opts.user ? world.user(opts.user) : undefined;
  if (opts.user && !pinned) throw new EmulatorError('UNKNOWN_USER', `createFakeForgeBridge: unknown user "${opts.user}"`);
  const accountId = () => pinned?.accountId ?? world.actingAccountId;
  // Public events live in their own namespace, as on the real bridge.
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  const channel = (name: string, isPublic?: boolean) => (isPublic ? 'public:' : 'app:') + name;
  const subscribe = async (key: string, listener: (payload: unknown) => void) => {
    if (!listeners.has(key)) listeners.set(key, new Set());
    listeners.get(key)!.add(listener);
    return { unsubscribe: () => void listeners.get(key)?.delete(listener) };
  };
  const host: FakeForgeHost & { themeEnabled: boolean } = {
    themeEnabled: false,
    submitted: [] as unknown[],
    closed: [] as unknown[],
    flags: [],
    navigations: [],
    emit(name: string, payload?: unknown, options: { public?: boolean } = {}) {
      for (const l of [...(listeners.get(channel(name, options.public)) ?? [])]) l(payload);
    },
  };
  const page = (opts.pageId ? world.pages.get(opts.pageId) : undefined) ?? world.pages.values().next().value;
  const space = page ? world.spaces.get(page.spaceId) : undefined;

  async function requestConfluence(path: string, init: ForgeRequestInit = {}): Promise<Response> {
    const { signal: _ignored, ...rest } = init; // the bridge cannot abort, so it drops the signal
    const headers = new Headers(rest.headers);
    if (!headers.has('X-Atlassian-Token')) headers.set('X-Atlassian-Token', 'no-check');
    headers.set(CALLER_HEADER, 'forge');
    if (pinned) headers.set(ACCOUNT_ID_HEADER, pinned.accountId);
    const response = await respond(world, new Request(world.siteUrl + path, { ...rest, headers }));
    if (response.type === 'error') throw new TypeError('Failed to fetch');
    const out = new Headers(response.headers);
    if ((opts.rateLimitHeaders ?? 'strip') === 'strip') {
      for (const name of [...out.keys()]) if (RATE_LIMIT_HEADER.test(name)) out.delete(name);
    }
    // Rebuilt like the bridge does: new Response(body, {headers, status, statusText}).
    return new Response(await response.arrayBuffer(), { status: response.status, statusText: response.statusText, headers: out });
  }

  return {
    requestConfluence,
    view: {
      async getContext() {
        return {
          accountId: accountId(),
          cloudId: 'emulated-cloud-id',
          siteUrl: world.siteUrl,
          localId: 'emulated-local-id',
          moduleKey: 'confluence-macro',
          environmentId: 'emulated-environment',
          environmentType: 'DEVELOPMENT',
          locale: 'en-US',
          timezone: world.user(accountId())?.timeZone ?? 'UTC',
          theme: { colorMode: opts.theme ?? 'light' },
          extension: {
            type: 'macro',
            content: { id: page?.id, type: 'page' },
            space: { id: space?.id, key: space?.key },
            config: { ...(opts.config ?? {}) },
          },
        };
      },
      theme: {
        async enable() {
          host.themeEnabled = true;
          if (typeof document !== 'undefined') document.documentElement.setAttribute('data-color-mode', opts.theme ?? 'light');
        },
      },
      async submit(payload) {
        host.submitted.push(payload);
      },
      async close(payload) {
        host.closed.push(payload);
      },
      async refresh() {},
      async emitReadyEvent() {},
    },
    events: {
      on: (name, listener) => subscribe(channel(name), listener),
      onPublic: (name, listener) => subscribe(channel(name, true), listener),
      async emit(name, payload) {
        host.emit(name, payload);
      },
      async emitPublic(name, payload) {
        host.emit(name, payload, { public: true });
      },
    },
    showFlag(options) {
      const record = { options: { ...options }, closed: false };
      host.flags.push(record);
      return {
        async close() {
          record.closed = true;
          return true;
        },
      };
    },
    router: {
      navigate: async (location) => void host.navigations.push({ kind: 'navigate', location }),
      open: async (location) => void host.navigations.push({ kind: 'open', location }),
      reload: async () => void host.navigations.push({ kind: 'reload' }),
    },
    fakeHost: host,
  };
}
