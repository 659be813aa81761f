/** Forge Modal sizes (`@forge/bridge` Modal). */
export type ForgeModalSize = 'small' | 'medium' | 'large' | 'xlarge' | 'max' | 'fullscreen';

export interface ForgeModalOptions {
  resource: string;
  size?: ForgeModalSize;
  title?: string;
  context?: unknown;
  onClose?: (payload?: unknown) => void;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- event payloads are whatever the emitter sent
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
  /** `@forge/bridge` 7.2: Forge Remote from the frontend; `useAppFetch` uses it with the provider's `forgeRemoteKey`. */
  requestRemote?(remoteKey: string, init?: Omit<RequestInit, 'signal'> & { path?: string }): Promise<Response>;
  view?: {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the context's shape depends on the module
    getContext(): Promise<any>;
    submit?(payload?: unknown): Promise<void>;
    close?(payload?: unknown): Promise<void>;
    theme?: { enable(): Promise<void> };
    /** Tells the host the first content is on screen (the kit calls it once, see `useHostReady`). */
    emitReadyEvent?(): Promise<void>;
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
