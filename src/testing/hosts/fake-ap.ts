import { EmulatorError } from '../errors.js';
import type { ConfluenceWorld } from '../confluence/world.js';
import { ACCOUNT_ID_HEADER } from '../confluence/headers.js';
import { mintContextToken } from '../tokens/symmetric.js';
import { appLicenceActive, visibleAccountId } from '../confluence/permissions.js';
import { settleApRequest, type ApRequestOptions, type ApRequestResolution } from './ap-request.js';

/** `AP.context.getContext()` for a Confluence macro (the shape apps see in practice). */
export interface ConnectConfluenceContext {
  confluence: {
    content: { id: string; type: string; version: string };
    space: { id: string; key: string };
    macro?: { id: string; outputType: string; hash: string };
  };
  /**
   * The app's licence for the viewing user (Connect apps also get it as the iframe URL's `lic` parameter):
   * `active: false` for an unlicensed user [Inf: the emulator's choice of where to show it in the context].
   */
  license: { active: boolean };
}

export interface FakeAPOptions {
  /** Act as this user (accountId or seed name) for every request; default: follow `world.actAs`. */
  user?: string;
  /** The page the macro sits on. Default: the first page of the world. */
  pageId?: string;
  /** Macro parameters for `getMacroData`, and the macro body for `getMacroBody`. */
  macro?: { id?: string; data?: Record<string, unknown>; body?: string; outputType?: 'display' | 'preview' };
  /**
   * What `AP.context.getToken()` resolves. By default a real context JWT (HS256, `qsh: "context-qsh"`,
   * `sub` = acting user) signed with `tenant.sharedSecret`, so a backend under test can verify it.
   */
  token?: string | ((accountId: string) => string | Promise<string>);
  /** The tenant the default context token is signed for. */
  tenant?: { clientKey: string; sharedSecret: string };
  /** Host theme for `AP.theming.initializeTheming()`. */
  theme?: 'light' | 'dark';
}

/** The tenant fake hosts sign tokens for unless told otherwise. */
export const EMULATED_TENANT = {
  clientKey: 'emulated-client-key',
  sharedSecret: 'emulated-shared-secret-0123456789abcdef',
} as const;

type Listener = (...args: unknown[]) => void;
const PUBLIC = 'public:';

/** One `AP.dialog.create`: `result` is what it closed with (`undefined` when dismissed). */
export interface FakeConnectDialog {
  options: Record<string, unknown>;
  closed: boolean;
  result?: unknown;
}

export interface FakeConnectFlag {
  id: string;
  options: Record<string, unknown>;
  closed: boolean;
}

/** What the fake host recorded, for assertions. */
export interface FakeConnectHost {
  readonly resizes: { width: string; height: string }[];
  /**
   * Every `AP.flag.create`, in order. `id` is the flag object's `_id`, which all.js also sends as `flagIdentifier`
   * in `flag.close` / `flag.action` events. `closed` turns true on `flag.close()` or `dismissFlag()`.
   */
  readonly flags: FakeConnectFlag[];
  readonly navigations: { target: string; context?: unknown }[];
  readonly savedMacros: { parameters: Record<string, unknown>; body?: string }[];
  /**
   * Every `AP.dialog.create`, in order. One fake AP plays both frames, the opener and the dialog: `AP.dialog.close`
   * and `getCustomData` act on the newest open dialog, as they would inside it.
   */
  readonly dialogs: FakeConnectDialog[];
  readonly themingInitialized: boolean;
  /** Deliver an event to the app's `AP.events.on` listeners, as the host's `broadcastEvent` would. */
  emit(name: string, ...args: unknown[]): void;
  /** Deliver a public event to the app's `AP.events.onPublic` listeners (public events are a namespace of their own). */
  emitPublic(name: string, ...args: unknown[]): void;
  /** The dialog closed itself with `data` (what `AP.dialog.close(data)` inside it does): the opener's close listeners get it. */
  closeDialog(data?: unknown): void;
  /** The user pressed Escape or the dialog's close button: the opener's close listeners run without data. */
  dismissDialog(): void;
  /** The user closed flag `index` (default: the newest open one): it is marked closed and `flag.close` is emitted. */
  dismissFlag(index?: number): void;
  setTheme(theme: 'light' | 'dark'): void;
}

export interface FakeAP {
  request(url: string, options?: ApRequestOptions): Promise<ApRequestResolution>;
  request(options: ApRequestOptions & { url: string }): Promise<ApRequestResolution>;
  context: {
    getToken(callback?: (token: string) => void): Promise<string>;
    getContext(callback?: (context: ConnectConfluenceContext) => void): Promise<ConnectConfluenceContext>;
  };
  confluence: {
    getMacroData(callback: (data: Record<string, unknown>) => void): void;
    getMacroBody(callback: (body: string) => void): void;
    saveMacro(parameters: Record<string, unknown>, body?: string): void;
    closeMacroEditor(): void;
  };
  resize(width?: string | number, height?: string | number): void;
  sizeToParent(hideFooter?: boolean): void;
  theming: { initializeTheming(): void };
  events: {
    on(name: string, listener: Listener): void;
    once(name: string, listener: Listener): void;
    off(name: string, listener: Listener): void;
    emit(name: string, ...args: unknown[]): void;
    /** Public events are a namespace of their own: `emitPublic` reaches `onPublic` listeners only. */
    onPublic(name: string, listener: Listener): void;
    offPublic(name: string, listener: Listener): void;
    emitPublic(name: string, ...args: unknown[]): void;
  };
  flag: { create(options: Record<string, unknown>): { readonly _id: string; close(): void } };
  dialog: {
    /** Opens the descriptor's `dialogs` module `options.key`; `on('close', cb)` hears it close, once. */
    create(options: Record<string, unknown>): { on(event: string, listener: (data?: unknown) => void): void };
    /** Inside the dialog: closes it, handing `data` to the opener's close listeners. */
    close(data?: unknown): void;
    /** Inside the dialog: the opener's `customData`. */
    getCustomData(callback: (data: unknown) => void): void;
  };
  navigator: {
    go(target: string, context?: unknown): void;
    reload(): void;
    getLocation(callback: (location: { target: string; context: Record<string, unknown> }) => void): void;
  };
  user: { getCurrentUser(callback: (user: { atlassianAccountId: string }) => void): void };
  /** Not part of AP: the host side of this fake, for assertions. */
  readonly fakeHost: FakeConnectHost;
}

/** A CSS size as all.js records it: numbers are pixels, strings pass as they are. */
function cssSize(value: string | number | undefined, fallback: string): string {
  if (value === undefined) return fallback;
  if (typeof value === 'number') return `${value}px`;
  return value;
}

/**
 * A stand-in for the `AP` global that answers from the emulator world and settles like the
 * real all.js promise form. Only modules a Confluence macro uses are present; like all.js,
 * callbacks passed inside `AP.request` options are ignored (the bridge strips functions).
 *
 * @example
 * // A dev page that shows your macro in a Connect-like host, without Confluence:
 * const world = createWorld();
 * installFakeAP(createFakeAP(world, { user: 'viewer', pageId: PAGES.gettingStarted, macro: { data: { limit: 5 } } }));
 * createRoot(document.getElementById('root')!).render(
 *   <ConfluenceProvider>
 *     <MyMacro />
 *   </ConfluenceProvider>,
 * );
 */
export function createFakeAP(world: ConfluenceWorld, options: FakeAPOptions | string = {}): FakeAP {
  const opts: FakeAPOptions = typeof options === 'string' ? { user: options } : options;
  const pinned = opts.user ? world.user(opts.user) : undefined;
  if (opts.user && !pinned) throw new EmulatorError('UNKNOWN_USER', `createFakeAP: unknown user "${opts.user}"`);
  const accountId = () => pinned?.accountId ?? world.actingAccountId;

  const listeners = new Map<string, Set<Listener>>();
  let theme = opts.theme ?? 'light';
  const host = {
    resizes: [] as { width: string; height: string }[],
    flags: [] as FakeConnectFlag[],
    navigations: [] as { target: string; context?: unknown }[],
    savedMacros: [] as { parameters: Record<string, unknown>; body?: string }[],
    dialogs: [] as FakeConnectDialog[],
    themingInitialized: false,
    emit(name: string, ...args: unknown[]) {
      for (const l of [...(listeners.get(name) ?? [])]) l(...args);
    },
    emitPublic(name: string, ...args: unknown[]) {
      host.emit(PUBLIC + name, ...args);
    },
    closeDialog(data?: unknown) {
      endDialog(data);
    },
    dismissDialog() {
      endDialog(undefined);
    },
    dismissFlag(index?: number) {
      const flag = index === undefined ? host.flags.findLast((f) => !f.closed) : host.flags[index];
      if (flag) closeFlag(flag);
    },
    setTheme(next: 'light' | 'dark') {
      theme = next;
      if (host.themingInitialized) applyTheme();
    },
  };

  // Like connect-host: a flag closed by the app, by the user or by its `auto` timeout tells the app once.
  function closeFlag(flag: FakeConnectFlag) {
    if (flag.closed) return;
    flag.closed = true;
    host.emit('flag.close', { flagIdentifier: flag.id });
  }

  // Close listeners of each open dialog; a dialog is closed once, by its frame or by the user.
  const dialogListeners = new Map<FakeConnectDialog, ((data?: unknown) => void)[]>();
  const openDialog = () => host.dialogs.findLast((d) => !d.closed);
  function endDialog(data: unknown) {
    const dialog = openDialog();
    if (!dialog) return;
    dialog.closed = true;
    if (data !== undefined) dialog.result = data;
    const closeListeners = dialogListeners.get(dialog) ?? [];
    dialogListeners.delete(dialog);
    // A dismissal carries no data: the listener is called without an argument.
    for (const listener of closeListeners) {
      if (data === undefined) listener();
      else listener(data);
    }
  }

  function applyTheme() {
    // all.js's theming sets these attributes on <html> so the Atlassian design tokens switch.
    if (typeof document === 'undefined') return;
    document.documentElement.setAttribute('data-color-mode', theme);
    document.documentElement.setAttribute('data-theme', `${theme}:${theme} spacing:spacing`);
  }

  const page = (opts.pageId ? world.pages.get(opts.pageId) : undefined) ?? world.pages.values().next().value;
  const space = page ? world.spaces.get(page.spaceId) : undefined;
  const macroId = opts.macro?.id ?? 'a1b2c3d4-0000-4000-8000-00000000macro';

  function context(): ConnectConfluenceContext {
    return {
      confluence: {
        content: { id: page?.id ?? '', type: 'page', version: String(page?.version.number ?? 1) },
        space: { id: space?.id ?? '', key: space?.key ?? '' },
        macro: { id: macroId, outputType: opts.macro?.outputType ?? 'display', hash: macroId },
      },
      license: { active: appLicenceActive(world.user(accountId())) },
    };
  }

  async function token(): Promise<string> {
    if (typeof opts.token === 'function') return opts.token(accountId());
    if (typeof opts.token === 'string') return opts.token;
    const tenant = opts.tenant ?? EMULATED_TENANT;
    const { confluence } = context();
    return mintContextToken({
      ...tenant,
      // An anonymous viewer's token has no `sub`.
      accountId: visibleAccountId(world.user(accountId())) ?? null,
      context: { confluence: { content: confluence.content, space: confluence.space } },
    });
  }

  function withCallback<T>(promise: Promise<T>, callback?: (value: T) => void): Promise<T> {
    if (callback) void promise.then(callback, () => undefined);
    return promise;
  }

  const ap: FakeAP = {
    request(urlOrOptions: string | (ApRequestOptions & { url: string }), options?: ApRequestOptions) {
      return settleApRequest(
        world,
        world.app.key,
        urlOrOptions,
        options,
        pinned ? { [ACCOUNT_ID_HEADER]: pinned.accountId } : {},
      );
    },
    context: {
      getToken: (callback) => withCallback(token(), callback),
      getContext: (callback) => withCallback(Promise.resolve(context()), callback),
    },
    confluence: {
      getMacroData: (callback) => queueMicrotask(() => callback({ ...(opts.macro?.data ?? {}) })),
      getMacroBody: (callback) => queueMicrotask(() => callback(opts.macro?.body ?? '')),
      saveMacro: (parameters, body) =>
        void host.savedMacros.push(body === undefined ? { parameters } : { parameters, body }),
      closeMacroEditor: () => undefined,
    },
    resize(width, height) {
      host.resizes.push({ width: cssSize(width, '100%'), height: cssSize(height, 'auto') });
    },
    sizeToParent() {
      host.resizes.push({ width: '100%', height: '100%' });
    },
    theming: {
      initializeTheming() {
        host.themingInitialized = true;
        applyTheme();
      },
    },
    events: {
      on(name, listener) {
        if (!listeners.has(name)) listeners.set(name, new Set());
        listeners.get(name)!.add(listener);
      },
      once(name, listener) {
        const wrapped: Listener = (...args) => {
          ap.events.off(name, wrapped);
          listener(...args);
        };
        ap.events.on(name, wrapped);
      },
      off(name, listener) {
        listeners.get(name)?.delete(listener);
      },
      emit: (name, ...args) => host.emit(name, ...args),
      onPublic: (name, listener) => ap.events.on(PUBLIC + name, listener),
      offPublic: (name, listener) => ap.events.off(PUBLIC + name, listener),
      emitPublic: (name, ...args) => host.emitPublic(name, ...args),
    },
    flag: {
      create(options) {
        const record: FakeConnectFlag = {
          id: `fake-flag-${host.flags.length + 1}`,
          options: { ...options },
          closed: false,
        };
        host.flags.push(record);
        // all.js's flag is a simple-xdm proxy carrying its host id as `_id`.
        return { _id: record.id, close: () => closeFlag(record) };
      },
    },
    dialog: {
      create(options) {
        const record: FakeConnectDialog = { options: { ...options }, closed: false };
        host.dialogs.push(record);
        dialogListeners.set(record, []);
        return {
          on(event, listener) {
            if (event === 'close' && !record.closed) dialogListeners.get(record)?.push(listener);
          },
        };
      },
      close: (data) => endDialog(data),
      getCustomData: (callback) => queueMicrotask(() => callback(openDialog()?.options.customData)),
    },
    navigator: {
      go: (target, ctx) => void host.navigations.push({ target, context: ctx }),
      reload: () => void host.navigations.push({ target: 'reload' }),
      getLocation: (callback) =>
        queueMicrotask(() =>
          callback({
            target: 'contentview',
            context: { contentId: page?.id, contentType: 'page', spaceKey: space?.key },
          }),
        ),
    },
    user: {
      getCurrentUser: (callback) =>
        queueMicrotask(() => {
          // all.js hands an anonymous viewer no accountId [Inf].
          const visible = visibleAccountId(world.user(accountId()));
          callback({ atlassianAccountId: visible } as { atlassianAccountId: string });
        }),
    },
    fakeHost: host,
  };
  return ap;
}

/** Put a fake AP on `globalThis.AP`; returns the function that restores the previous value. */
export function installFakeAP(ap: FakeAP): () => void {
  const scope = globalThis as { AP?: unknown };
  const hadAP = 'AP' in scope;
  const previous = scope.AP;
  scope.AP = ap;
  return () => {
    if (hadAP) scope.AP = previous;
    else delete scope.AP;
  };
}
