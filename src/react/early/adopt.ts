import { readHostContext, type HostContextRead, type HostContextSource } from '../internal/host-context.js';
import { earlyReadKey, findEarlyStart } from './early-start.js';

/** The host context: the early start's read when there is one for this host, else a read of its own. */
export function earlyHostContext(source: HostContextSource): Promise<HostContextRead> {
  const early = findEarlyStart();
  if (early && early.host === source.host) return early.context;
  return readHostContext(source);
}

/**
 * The early start's read for this query key, handed over once: the query that asks first gets it (in flight or
 * done, so no second call), later refetches go to Confluence.
 */
export function takeEarlyRead<T>(queryKey: readonly unknown[]): Promise<T> | undefined {
  const reads = findEarlyStart()?.reads;
  if (!reads?.size) return undefined;
  const key = earlyReadKey(queryKey);
  const read = reads.get(key);
  reads.delete(key);
  return read as Promise<T> | undefined;
}
