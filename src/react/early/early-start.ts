import type { Transport } from '../../client/index.js';
import type { HostContextRead } from '../internal/host-context.js';

/**
 * What `startEarly` began before React loaded, for `<ConfluenceProvider>` to adopt: the host it found, its context
 * read, and a transport that hands the early reads' answers to the client's first identical GETs. The bookkeeping
 * lives on the early side, so apps that never load the early entry ship only the lookup of this object.
 */
export interface EarlyStart {
  host: 'connect' | 'forge';
  context: Promise<HostContextRead>;
  transport: Transport;
}

// A registered symbol: the early script and the app's bundle may each carry their own copy of this module.
const EARLY_START_SLOT = Symbol.for('confluence-iframe-kit/early');

type WithEarlyStart = { [EARLY_START_SLOT]?: EarlyStart };

export function publishEarlyStart(start: EarlyStart): void {
  (globalThis as WithEarlyStart)[EARLY_START_SLOT] = start;
}

/** The early start on this page, if the app loaded `confluence-iframe-kit/early` and called `startEarly`. */
export function findEarlyStart(): EarlyStart | undefined {
  return (globalThis as WithEarlyStart)[EARLY_START_SLOT];
}
