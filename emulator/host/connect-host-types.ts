/**
 * The part of Atlassian's connect-host.js API the emulator uses (the package ships no types).
 * Shapes as recorded by the connect-host probe (host API, message shapes); see docs/emulator.md.
 */
export interface ConnectExtension {
  /** Set by connect-host once the iframe exists. */
  id?: string;
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

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- simple-xdm passes whatever the app sent; each method checks its arguments
export type HostMethod = ((...args: any[]) => unknown) & { returnsPromise?: boolean };

export interface ConnectHost {
  /** Returns the jQuery-wrapped iframe container; the caller appends it. */
  create(extension: ConnectExtension): unknown;
  /** One argument: simple-xdm `_globals` (top-level `AP.request`); two: a named module `AP.<name>`. */
  defineModule(nameOrGlobals: string | Record<string, HostMethod>, methods?: Record<string, HostMethod>): void;
  setExtensionConfigurationOptions(key: string, value: unknown): void;
  /**
   * Opens a dialog as `AP.dialog.create` does, for the product's own dialogs (Confluence's macro editor): through
   * the registered dialog provider, with the Submit/Cancel actions whose clicks reach the frame as `dialog.*` events.
   */
  dialog: {
    create(extension: Omit<ConnectExtension, 'url'>, options: Record<string, unknown>): void;
  };
  /** Sends an event to the app frames that match `targetSpec` (fields of their extension). */
  broadcastEvent(type: string, targetSpec: Partial<ConnectExtension>, event: unknown): void;
  /** Runs once the iframe's all.js has connected. */
  onIframeEstablished(callback: (data: { extension: ConnectExtension }) => void): void;
  /** Asks the frame to forward a key press (key code, modifiers) while focus is inside it. */
  onKeyEvent(extensionId: string, key: number, modifiers: string[], callback: () => void): void;
  getFrameworkAdaptor(): {
    registerModule(module: { getModuleRegistrationName(): string; isEnabled(): boolean; getProvider(): unknown }): void;
  };
}
