// eslint-disable-next-line @typescript-eslint/no-explicit-any -- AP's callbacks hand over host-defined shapes
type AnyListener = (...args: any[]) => void;

/** Connect's `AP.events`: private events reach the app's own iframes, public ones other apps' too. */
export interface ConnectEvents {
  on(name: string, listener: AnyListener): void;
  off(name: string, listener: AnyListener): void;
  emit(name: string, ...args: unknown[]): void;
  onPublic?(name: string, listener: AnyListener): void;
  offPublic?(name: string, listener: AnyListener): void;
  emitPublic?(name: string, ...args: unknown[]): void;
}

/**
 * The slice of Connect's all.js `AP` global that the React layer uses (the client's transport needs only
 * `request`: its `ConnectRequestHost`). Every member but `request` is optional: all.js outside Confluence, and fake
 * hosts in tests, define only some of them.
 */
export interface ConnectAP {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- AP.request takes a URL or an options object
  request: (...args: any[]) => Promise<unknown>;
  resize?: (width: string, height: string) => void;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the context's shape depends on the module
  context?: { getContext(): Promise<any>; getToken(): Promise<string> };
  theming?: { initializeTheming(): void };
  user?: { getCurrentUser(callback: (user: { atlassianAccountId?: string }) => void): void };
  confluence?: {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- macro parameters are the app's own shape
    getMacroData(callback: (data: any) => void): void;
    getMacroBody(callback: (body: string) => void): void;
    saveMacro(params: object, body?: string): void;
    closeMacroEditor(): void;
  };
  flag?: { create(options: object): { close(): void } };
  navigator?: { go(target: string, context?: object): void; reload(): void };
  events?: ConnectEvents;
}
