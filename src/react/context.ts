import { createContext, useContext } from './deps.js';
import type { ConfluenceClient } from '../client/index.js';
import type { Messages, StateRenderers } from './components/messages.js';

export type HostKind = 'connect' | 'forge' | 'fetch';

/** The slice of Connect's all.js `AP` global that the React layer uses. */
export interface ConnectAP {
  request: (...args: any[]) => Promise<unknown>;
  resize?: (width: string, height: string) => void;
  context?: { getContext(): Promise<any>; getToken(): Promise<string> };
  theming?: { initializeTheming(): void };
  user?: { getCurrentUser(callback: (user: { atlassianAccountId?: string }) => void): void };
  confluence?: {
    getMacroData(callback: (data: any) => void): void;
    getMacroBody(callback: (body: string) => void): void;
    saveMacro(params: object, body?: string): void;
    closeMacroEditor(): void;
  };
  flag?: { create(options: object): { close(): void } };
  navigator?: { go(target: string, context?: object): void; reload(): void };
  events?: HostEventsConnect;
}

type Listener = (...args: any[]) => void;
interface HostEventsConnect {
  on(name: string, listener: Listener): void;
  off(name: string, listener: Listener): void;
  emit(name: string, ...args: unknown[]): void;
  onPublic?(name: string, listener: Listener): void;
  offPublic?(name: string, listener: Listener): void;
  emitPublic?(name: string, ...args: unknown[]): void;
}

export type ForgeModalSize = 'small' | 'medium' | 'large' | 'xlarge' | 'max' | 'fullscreen';
export interface ForgeModalOptions {
  resource: string;
  size?: ForgeModalSize;
  title?: string;
  context?: unknown;
  onClose?: (payload?: unknown) => void;
}

type Subscribe = (name: string, listener: (payload?: any) => void) => Promise<{ unsubscribe(): void }>;

/**
 * The parts of `@forge/bridge` (and `@forge/confluence-bridge`) the React layer uses.
 * Inject it as `forgeBridge` to keep the bridge out of tests and standalone builds.
 */
export interface ForgeBridge {
  requestConfluence(path: string, init?: RequestInit): Promise<Response>;
  /** `@forge/bridge`'s Modal class: what `useDialog` opens dialogs with on Forge. */
  Modal?: new (options: ForgeModalOptions) => { open(): Promise<void> };
  invokeRemote?(input: {
    path: string;
    method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
    headers?: Record<string, string>;
    body?: unknown;
  }): Promise<{ status: number; headers?: Record<string, string | string[]>; body?: unknown }>;
  view?: {
    getContext(): Promise<any>;
    submit?(payload?: unknown): Promise<void>;
    close?(payload?: unknown): Promise<void>;
    theme?: { enable(): Promise<void> };
  };
  setMacroViewportHeight?(height: string): Promise<boolean>;
  getMacroContent?(): Promise<{ data: string }>;
  showFlag?(options: object): { close(): Promise<unknown> };
  router?: {
    navigate(location: string | object): Promise<void>;
    open(location: string | object): Promise<void>;
    reload(): Promise<void>;
  };
  events?: {
    on: Subscribe;
    onPublic?: Subscribe;
    emit(name: string, payload?: unknown): Promise<void>;
    emitPublic?(name: string, payload?: unknown): Promise<void>;
  };
}

export interface HostState {
  status: 'pending' | 'ready' | 'outside';
  /** Why it is `outside` when a host was found but cannot be used: Forge's `__bridge` without `@forge/bridge`. */
  missing?: 'forge-bridge';
  host?: HostKind;
  ap?: ConnectAP;
  bridge?: ForgeBridge;
}

export interface KitValue extends HostState {
  client?: ConfluenceClient;
  messages: Messages;
  render: StateRenderers;
  timeoutMs: number;
  getContextToken?: () => Promise<string>;
  context?: object;
}

export const KitContext = createContext<KitValue | null>(null);

/** Errors raised by the React layer itself (not by Confluence), with a stable `code`. */
export class ConfluenceHostError extends Error {
  override name = 'ConfluenceHostError';
  constructor(
    readonly code: 'NO_PROVIDER' | 'HOST_NOT_READY' | 'NOT_SUPPORTED' | 'HOST_TIMEOUT',
    message: string,
  ) {
    super(message);
  }
}

export function useKit(): KitValue {
  const kit = useContext(KitContext);
  if (!kit) throw new ConfluenceHostError('NO_PROVIDER', 'No <ConfluenceProvider>.');
  return kit;
}

/** The client of the nearest provider. Throws while the host is not ready. */
export function useConfluenceClient(): ConfluenceClient {
  const { client } = useKit();
  if (!client) throw new ConfluenceHostError('HOST_NOT_READY', 'Host not ready.');
  return client;
}

/** AP and the Forge bridge have no timeouts of their own: a host call that never answers rejects with HOST_TIMEOUT. */
export const bounded = <T>(promise: Promise<T>, ms: number): Promise<T> => {
  let timer: ReturnType<typeof setTimeout>;
  return Promise.race([
    promise,
    new Promise<never>(
      (_, reject) =>
        (timer = setTimeout(
          reject,
          ms,
          new ConfluenceHostError('HOST_TIMEOUT', `No answer from the host in ${ms} ms.`),
        )),
    ),
  ]).finally(() => clearTimeout(timer)); // a host that answered leaves no timer behind
};

/** Promise form of a callback-style AP call, bounded; a call that throws rejects with its error. */
export const fromCallback = <T>(call: (callback: (value: T) => void) => void, ms: number): Promise<T> =>
  bounded(new Promise<T>(call), ms);

export const notSupported = (what: string): Promise<never> =>
  Promise.reject(new ConfluenceHostError('NOT_SUPPORTED', `${what}: not available on this host.`));
