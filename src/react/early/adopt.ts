import { readHostContext, type HostContextRead, type HostContextSource } from '../internal/host-context.js';
import { findEarlyStart } from './early-start.js';

/** The host context: the early start's read when there is one for this host, else a read of its own. */
export function earlyHostContext(source: HostContextSource): Promise<HostContextRead> {
  const early = findEarlyStart();
  return early && early.host === source.host ? early.context : readHostContext(source);
}

/**
 * The early start's read for this query key, handed over once: the query that asks first gets it (in flight or
 * done, so no second call); later refetches go to Confluence.
 */
export function takeEarlyRead<T>(queryKey: readonly unknown[]): Promise<T> | undefined {
  return findEarlyStart()?.takeRead(queryKey) as Promise<T> | undefined;
}
