import type { ConfluenceClient } from '../../client/index.js';
import type { ForgeBridge } from '../host/ForgeBridge.js';
import type { HostContextRead } from '../internal/host-context.js';

/**
 * What `startEarly` began before React loaded, for `<ConfluenceProvider>` to adopt. The bookkeeping lives on the early
 * side, so apps that never load the early entry ship only the lookup of this object.
 */
export interface EarlyStart {
  host: 'connect' | 'forge';
  bridge?: ForgeBridge;
  /** The client the early reads went through: the provider keeps using it, so a read still in flight is shared. */
  client: ConfluenceClient;
  context: Promise<HostContextRead>;
  /** The declared read with this query key, handed over once (in flight or done), or undefined. */
  takeRead(queryKey: readonly unknown[]): Promise<unknown> | undefined;
}

// A registered symbol: the early script and the app's bundle may each carry their own copy of this module.
const EARLY_START_SLOT = Symbol.for('confluence-iframe-kit.early-start');

type WithEarlyStart = { [EARLY_START_SLOT]?: EarlyStart };

export function publishEarlyStart(start: EarlyStart): void {
  (globalThis as WithEarlyStart)[EARLY_START_SLOT] = start;
}

/** The early start on this page, if the app loaded `confluence-iframe-kit/early` and called `startEarly`. */
export function findEarlyStart(): EarlyStart | undefined {
  return (globalThis as WithEarlyStart)[EARLY_START_SLOT];
}
