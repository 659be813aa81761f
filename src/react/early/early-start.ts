import type { ConfluenceClient } from '../../client/index.js';
import type { ConnectAP } from '../host/ConnectAP.js';
import type { ForgeBridge } from '../host/ForgeBridge.js';
import type { HostContextRead } from '../internal/host-context.js';

/** What `startEarly` began before React loaded, for `<ConfluenceProvider>` to adopt. */
export interface EarlyStart {
  host: 'connect' | 'forge';
  ap?: ConnectAP;
  bridge?: ForgeBridge;
  /** The client the early reads went through: the provider keeps using it, so a read still in flight is shared. */
  client: ConfluenceClient;
  context: Promise<HostContextRead>;
  /** The declared reads under way or done, by query key; each is handed to the first query with that key. */
  reads: Map<string, Promise<unknown>>;
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

/** Query keys are arrays of strings, numbers and `undefined`: their JSON form names them exactly. */
export function earlyReadKey(queryKey: readonly unknown[]): string {
  return JSON.stringify(queryKey);
}
