import { EmulatorError } from '../errors.js';
import { respond } from '../confluence/respond.js';
import { ACCOUNT_ID_HEADER, CALLER_HEADER } from '../confluence/headers.js';
import { appLicenceActive, visibleAccountId } from '../confluence/permissions.js';
import type { ConfluenceWorld } from '../confluence/world.js';
import { mintForgeInvocationToken, type ForgeKeyPair } from '../tokens/forge.js';
import { remoteInvocationBody, remoteInvocationResult } from '../internal/remote-body.js';

export interface FakeForgeOptions {
  /** Act as this user (accountId or seed name) for every request; default: follow `world.actAs`. */
  user?: string;
  /** The page the macro sits on (`extension.content.id`). Default: the first page of the world. */
  pageId?: string;
  /** Macro configuration (`extension.config`). */
  config?: Record<string, unknown>;
  theme?: 'light' | 'dark';
  /**
   * `requestConfluence` resolves a normal `Response` whose headers the app can read, rate-limit headers included:
   * the default `'keep'` passes them on as the emulated site sent them. `'strip'` removes `X-RateLimit-*`,
   * `RateLimit*` and `Beta-RateLimit*` (keeping `Retry-After`) to test an app against a gateway that drops them, as some
   * partners once reported (FRGE-1923): a spent quota then looks like a plain 429.
   */
  rateLimitHeaders?: 'strip' | 'keep';
  /** Forge Remote: with it the bridge has `invokeRemote`, calling your backend with a freshly minted FIT. */
  remote?: FakeForgeRemote;
}

export interface FakeForgeRemote {
  /** The manifest remote's `baseUrl`; `invokeRemote({ path })` calls `fetch(baseUrl + path)`. */
  baseUrl: string;
  /**
   * The manifest remote's `key`: with it the bridge also has `requestRemote(key, { path, … })` (`@forge/bridge` 7.2,
   * Forge Remote from the frontend). Another key is refused, as the platform refuses a remote the manifest lacks.
   */
  key?: string;
  /** The Forge app id (bare or ARI): the FIT's `aud` and `app.id`. */
  appId: string;
  /** Signs the FIT; serve its public half with `createForgeJwksServer`. */
  keyPair: Pick<ForgeKeyPair, 'kid' | 'privateKey'>;
  installationId?: string;
  apiBaseUrl?: string;
  environment?: { type: string; id?: string };
  /** Sent as `x-forge-oauth-system` (manifest `auth.appSystemToken`); omitted when not set. */
  appSystemToken?: string;
  /** Sent as `x-forge-oauth-user` (manifest `auth.appUserToken`); omitted when not set. */
  appUserToken?: string;
  /** Default: the global `fetch` (msw intercepts it in tests). */
  fetch?: typeof fetch;
}

/** `@forge/bridge` InvokeEndpointInput. */
export interface FakeInvokeRemoteInput {
  path: string;
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  headers?: Record<string, string>;
  body?: unknown;
}

/**
 * `@forge/bridge` RemoteInvokeResponse as it arrives at runtime: the bridge joins array header values with `,`
 * before resolving, so headers are plain strings; `body` is the parsed JSON (a non-JSON body stays text [Inf]).
 */
export interface FakeRemoteInvokeResponse {
  status: number;
  headers: Record<string, string>;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- as @forge/bridge types it: the remote's JSON, any shape
  body?: any;
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

/** `@forge/bridge` ModalOptions (out/modal/modal.d.ts). */
export interface FakeForgeModalOptions {
  resource?: string | null;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- @forge/bridge's own signature, so apps' callbacks fit
  onClose?: (payload?: any) => any;
  /** small | medium | large | xlarge | max | fullscreen | resizable, or `{ width, height? }`. */
  size?: string | { width: string; height?: string };
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- @forge/bridge's own type: whatever the app hands the modal
  context?: any;
  closeOnEscape?: boolean;
  closeOnOverlayClick?: boolean;
  title?: string;
  icon?: string;
}

/** One `new Modal(options)`: `opened` after `open()`; `result` is what it closed with (`undefined` when dismissed). */
export interface FakeForgeModalRecord {
  options: FakeForgeModalOptions;
  opened: boolean;
  closed: boolean;
  result?: unknown;
}

export interface FakeForgeModal {
  open(): Promise<void>;
}

export interface FakeForgeHost {
  readonly themeEnabled: boolean;
  readonly submitted: unknown[];
  readonly closed: unknown[];
  /** Every `showFlag`, in order; `closed` turns true on `flag.close()`. Click an action with `options.actions[i].onClick()`. */
  readonly flags: { options: FakeForgeFlagOptions; closed: boolean }[];
  /** Every `router` call, in order. */
  readonly navigations: { kind: 'navigate' | 'open' | 'reload'; location?: unknown }[];
  /**
   * Every `new Modal(options)`, in order. One fake bridge plays both frames: inside, `view.getContext()` has the
   * newest open modal's `context` as `extension.modal`, and `view.close(payload)` closes it.
   */
  readonly modals: FakeForgeModalRecord[];
  /** The newest open modal closes with `payload` (its `onClose(payload)` runs), as `view.close(payload)` inside it does. */
  closeModal(payload?: unknown): void;
  /** The user pressed Escape or clicked outside: `onClose` runs without a payload. */
  dismissModal(): void;
  /** Every `invokeRemote` and `requestRemote`, in order, as sent to the backend (the FIT itself is not recorded). */
  readonly remoteCalls: {
    method: string;
    path: string;
    accountId: string | null;
    via: 'invokeRemote' | 'requestRemote';
  }[];
  /** How many times the app called `view.emitReadyEvent()`. */
  readonly readyEvents: number;
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
  /** `new Modal({ resource, size, title, context, onClose }).open()`; recorded in `fakeHost.modals`. */
  Modal: new (options?: FakeForgeModalOptions) => FakeForgeModal;
  router: {
    navigate(location: string | object): Promise<void>;
    open(location: string | object): Promise<void>;
    reload(): Promise<void>;
  };
  /**
   * Present with the `remote` option only, as a bridge whose module has no remote endpoint cannot call one. Like the
   * real bridge, more than 500 calls in 25 s throw a `BridgeAPIError` before anything is sent.
   */
  invokeRemote?(input: FakeInvokeRemoteInput): Promise<FakeRemoteInvokeResponse>;
  /**
   * `@forge/bridge` 7.2's `requestRemote(remoteKey, { path, method, headers, body })`: present with a `remote` that
   * has a `key`. Resolves a `Response` for every HTTP status, like `requestConfluence`.
   */
  requestRemote?(remoteKey: string, init?: ForgeRequestInit & { path?: string }): Promise<Response>;
  /** Not part of @forge/bridge: the host side of this fake, for assertions. */
  readonly fakeHost: FakeForgeHost;
}

const RATE_LIMIT_HEADER = /^(x-ratelimit-|ratelimit|x-beta-ratelimit|beta-ratelimit)/i;

/** `@forge/bridge`'s own limiter for remote invocations (out/invoke-endpoint): 500 calls per 25 s window. */
const BRIDGE_MAX_CALLS = 500;
const BRIDGE_WINDOW_SECONDS = 25;
const BRIDGE_WINDOW_MS = BRIDGE_WINDOW_SECONDS * 1000;

/** What `@forge/bridge` throws (out/errors.js); `name` set so a test can tell it apart from a network TypeError. */
export class FakeBridgeAPIError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BridgeAPIError';
  }
}

/**
 * The bridge's `withRateLimiter` (out/utils/index.js), same counting: the window starts at creation and restarts on
 * the first call after it has passed; a call over the limit throws before the wrapped function runs.
 */
function withBridgeLimiter<Args extends unknown[], Result>(
  call: (...args: Args) => Promise<Result>,
  message: string,
  now: () => number = Date.now,
): (...args: Args) => Promise<Result> {
  let windowStart = now();
  let calls = 0;
  return async (...args: Args) => {
    if (now() - windowStart > BRIDGE_WINDOW_MS) {
      windowStart = now();
      calls = 0;
    }
    if (calls >= BRIDGE_MAX_CALLS) throw new FakeBridgeAPIError(message);
    calls += 1;
    return call(...args);
  };
}

/**
 * A stand-in for `@forge/bridge` (`requestConfluence`, `view`, `events`) answering from
 * the emulator world. Like the real bridge, `requestConfluence` resolves a `Response` for
 * every HTTP status (403 → `ok: false`), adds `X-Atlassian-Token: no-check`, ignores
 * `signal`, and rejects only when the request never got an answer.
 *
 * @example
 * const world = createWorld({ actingUser: 'viewer' });
 * const bridge = createFakeForgeBridge(world, { pageId: PAGES.gettingStarted });
 * render(
 *   <ConfluenceProvider host="forge" forgeBridge={bridge}>
 *     <MyMacro />
 *   </ConfluenceProvider>,
 * );
 * // or on its own:
 * const response = await bridge.requestConfluence('/wiki/api/v2/pages/65601');
 * response.status; // 200
 */
export function createFakeForgeBridge(
  world: ConfluenceWorld,
  options: FakeForgeOptions | string = {},
): FakeForgeBridge {
  const opts: FakeForgeOptions = typeof options === 'string' ? { user: options } : options;
  const pinned = opts.user ? world.user(opts.user) : undefined;
  if (opts.user && !pinned)
    throw new EmulatorError('UNKNOWN_USER', `createFakeForgeBridge: unknown user "${opts.user}"`);
  const accountId = () => pinned?.accountId ?? world.actingAccountId;
  // Public events live in their own namespace, as on the real bridge.
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  const channel = (name: string, isPublic?: boolean) => (isPublic ? 'public:' : 'app:') + name;
  const subscribe = async (key: string, listener: (payload: unknown) => void) => {
    if (!listeners.has(key)) listeners.set(key, new Set());
    listeners.get(key)!.add(listener);
    return { unsubscribe: () => void listeners.get(key)?.delete(listener) };
  };
  const host: FakeForgeHost & { themeEnabled: boolean; readyEvents: number } = {
    themeEnabled: false,
    submitted: [] as unknown[],
    closed: [] as unknown[],
    flags: [],
    navigations: [],
    modals: [],
    remoteCalls: [],
    readyEvents: 0,
    emit(name: string, payload?: unknown, options: { public?: boolean } = {}) {
      for (const l of [...(listeners.get(channel(name, options.public)) ?? [])]) l(payload);
    },
    closeModal: (payload?: unknown) => endModal(payload),
    dismissModal: () => endModal(undefined),
  };
  const openModal = () => host.modals.findLast((m) => m.opened && !m.closed);
  function endModal(payload: unknown) {
    const modal = openModal();
    if (!modal) return;
    modal.closed = true;
    if (payload !== undefined) modal.result = payload;
    modal.options.onClose?.(payload);
  }
  class Modal implements FakeForgeModal {
    readonly #record: FakeForgeModalRecord;
    constructor(options: FakeForgeModalOptions = {}) {
      this.#record = { options: { ...options }, opened: false, closed: false };
      host.modals.push(this.#record);
    }
    async open() {
      this.#record.opened = true;
    }
  }
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
    if (opts.rateLimitHeaders === 'strip') {
      for (const name of [...out.keys()]) if (RATE_LIMIT_HEADER.test(name)) out.delete(name);
    }
    // Rebuilt like the bridge does: new Response(body, {headers, status, statusText}). A null-body status
    // (204, 205, 304) must get a null body, or the Response constructor throws.
    const body = [204, 205, 304].includes(response.status) ? null : await response.arrayBuffer();
    return new Response(body, { status: response.status, statusText: response.statusText, headers: out });
  }

  const REMOTE_METHODS = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']);

  /** Mints a FIT for this call and the acting user and sends the request to the manifest remote. */
  async function sendToRemote(
    remote: FakeForgeRemote,
    via: 'invokeRemote' | 'requestRemote',
    method: string,
    path: string,
    headers: Headers,
    body: BodyInit | undefined,
  ): Promise<Response> {
    const actingUser = world.user(accountId());
    const acting = visibleAccountId(actingUser) ?? null;
    const fit = await mintForgeInvocationToken(
      {
        appId: remote.appId,
        accountId: acting,
        ...(appLicenceActive(actingUser) ? {} : { license: { isActive: false } }),
        installationId: remote.installationId,
        apiBaseUrl: remote.apiBaseUrl,
        environment: remote.environment,
        cloudId: 'emulated-cloud-id',
        context: { moduleKey: 'confluence-macro', localId: 'emulated-local-id', siteUrl: world.siteUrl },
      },
      remote.keyPair,
    );
    // The platform owns these: an app cannot choose the token its backend receives.
    headers.set('authorization', `Bearer ${fit}`);
    headers.delete('x-forge-oauth-system');
    headers.delete('x-forge-oauth-user');
    if (remote.appSystemToken) headers.set('x-forge-oauth-system', remote.appSystemToken);
    if (remote.appUserToken) headers.set('x-forge-oauth-user', remote.appUserToken);
    host.remoteCalls.push({ method, path, accountId: acting, via });
    try {
      return await (remote.fetch ?? globalThis.fetch)(remote.baseUrl.replace(/\/+$/, '') + path, {
        method,
        headers,
        body,
      });
    } catch {
      throw new TypeError('Failed to fetch');
    }
  }

  /**
   * Like Forge's invocation service: the request goes to the manifest remote with a FIT minted for this call and
   * the acting user, and the answer resolves for every HTTP status; it rejects only when nothing answered.
   */
  async function invokeRemote(
    remote: FakeForgeRemote,
    input: FakeInvokeRemoteInput,
  ): Promise<FakeRemoteInvokeResponse> {
    if (!input || typeof input.path !== 'string' || !input.path.startsWith('/')) {
      throw new TypeError('invokeRemote: `path` must start with "/".');
    }
    const method = String(input.method ?? '').toUpperCase();
    if (!REMOTE_METHODS.has(method)) throw new TypeError(`invokeRemote: method "${input.method}" is not supported.`);
    const headers = new Headers(input.headers);
    const body = remoteInvocationBody(method, input.body, headers);
    const response = await sendToRemote(remote, 'invokeRemote', method, input.path, headers, body);
    return remoteInvocationResult(response);
  }

  /**
   * `requestRemote`: fetch-shaped, like `requestConfluence` (the signal is dropped, every HTTP status resolves, the
   * body goes as given); the path comes in `init.path`.
   */
  async function requestRemote(
    remote: FakeForgeRemote,
    remoteKey: string,
    init: ForgeRequestInit & { path?: string } = {},
  ): Promise<Response> {
    if (remoteKey !== remote.key)
      throw new FakeBridgeAPIError(`requestRemote: no remote "${remoteKey}" in the manifest.`);
    const { signal: _ignored, path = '/', method = 'GET', body, headers: initHeaders } = init;
    const upperMethod = method.toUpperCase();
    const headers = new Headers(initHeaders);
    const sent = upperMethod === 'GET' || upperMethod === 'HEAD' ? undefined : (body ?? undefined);
    const response = await sendToRemote(remote, 'requestRemote', upperMethod, path, headers, sent);
    // Rebuilt as the bridge does, from what crossed it.
    const text = [204, 205, 304].includes(response.status) ? null : await response.text();
    return new Response(text || null, {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
    });
  }

  const remote = opts.remote;
  const limitedInvokeRemote =
    remote &&
    withBridgeLimiter(
      (input: FakeInvokeRemoteInput) => invokeRemote(remote, input),
      `Remote invocation calls are rate limited at ${BRIDGE_MAX_CALLS}/${BRIDGE_WINDOW_SECONDS}s`,
    );

  return {
    ...(limitedInvokeRemote ? { invokeRemote: limitedInvokeRemote } : {}),
    ...(remote?.key
      ? {
          requestRemote: (remoteKey: string, init?: ForgeRequestInit & { path?: string }) =>
            requestRemote(remote, remoteKey, init),
        }
      : {}),
    requestConfluence,
    view: {
      async getContext() {
        const actingUser = world.user(accountId());
        return {
          // An anonymous viewer has no accountId: the key is absent, as on the real bridge [Inf].
          ...(visibleAccountId(actingUser) ? { accountId: visibleAccountId(actingUser) } : {}),
          cloudId: 'emulated-cloud-id',
          // [Inf] shape: Forge puts the app's licence in the context for paid apps; `active: false` is an unlicensed user.
          license: { active: appLicenceActive(actingUser) },
          siteUrl: world.siteUrl,
          localId: 'emulated-local-id',
          moduleKey: 'confluence-macro',
          environmentId: 'emulated-environment',
          environmentType: 'DEVELOPMENT',
          locale: 'en-US',
          timezone: actingUser?.timeZone ?? 'UTC',
          theme: { colorMode: opts.theme ?? 'light' },
          extension: {
            type: 'macro',
            content: { id: page?.id, type: 'page' },
            space: { id: space?.id, key: space?.key },
            config: { ...(opts.config ?? {}) },
            ...(openModal() ? { modal: openModal()!.options.context } : {}),
          },
        };
      },
      theme: {
        async enable() {
          host.themeEnabled = true;
          if (typeof document !== 'undefined')
            document.documentElement.setAttribute('data-color-mode', opts.theme ?? 'light');
        },
      },
      async submit(payload) {
        host.submitted.push(payload);
      },
      async close(payload) {
        host.closed.push(payload);
        endModal(payload);
      },
      async refresh() {},
      async emitReadyEvent() {
        host.readyEvents += 1;
      },
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
    Modal,
    fakeHost: host,
  };
}
