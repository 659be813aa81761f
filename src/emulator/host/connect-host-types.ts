/**
 * The part of Atlassian's connect-host.js API the emulator uses (the package ships no types).
 * Shapes as recorded in /work/shared/reference/connect-emulator.md §3.
 */
export interface ConnectExtension {
  addon_key: string;
  key: string;
  url: string;
  options?: Record<string, unknown>;
}

/** The registration record simple-xdm attaches to the trailing callback of every host method call. */
export interface HostCallContext {
  extension_id: string;
  extension: ConnectExtension;
}
export type HostCallback = ((...args: unknown[]) => void) & { _context?: HostCallContext };

export type HostMethod = ((...args: any[]) => unknown) & { returnsPromise?: boolean };

export interface JQueryLike {
  append(el: unknown): JQueryLike;
  empty(): JQueryLike;
  find(selector: string): JQueryLike;
  get(i: number): HTMLElement | undefined;
}

export interface ConnectHost {
  create(extension: ConnectExtension): JQueryLike;
  /** One argument: simple-xdm `_globals` (top-level `AP.request`); two: a named module `AP.<name>`. */
  defineModule(nameOrGlobals: string | Record<string, HostMethod>, methods?: Record<string, HostMethod>): void;
  onIframeEstablished(cb: (data: { $el: JQueryLike; extension: ConnectExtension }) => void): void;
  onIframeUnload(cb: (data: { extension_id: string }) => void): void;
  broadcastEvent(type: string, target: { addon_key: string; key?: string }, data?: unknown): void;
  setExtensionConfigurationOptions(key: string, value: unknown): void;
  registerProvider(name: string, provider: unknown): void;
  getFrameworkAdaptor(): {
    registerModule(module: { getModuleRegistrationName(): string; isEnabled(): boolean; getProvider(): unknown }): void;
  };
}
