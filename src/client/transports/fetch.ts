import type { Transport } from '../types.js';
import { fromResponse } from './headers.js';

export interface FetchTransportOptions {
  /** Site URL, e.g. https://example.atlassian.net (a trailing /wiki is fine too). */
  baseUrl: string;
  /** Called per request, so tokens can rotate. */
  getAuthHeaders?: () => Record<string, string> | Promise<Record<string, string>>;
  fetch?: typeof fetch;
}

/** Plain fetch for standalone pages, dev and tests. fetch's TypeError on network failure becomes a network error in the client. */
export function createFetchTransport(o: FetchTransportOptions): Transport {
  const base = o.baseUrl.replace(/\/*(\/wiki)?\/*$/, '');
  return {
    kind: 'fetch',
    send: async (r) =>
      fromResponse(
        await (o.fetch ?? fetch)(base + r.path, {
          method: r.method,
          headers: { ...(await o.getAuthHeaders?.()), ...r.headers },
          body: r.body,
          signal: r.signal,
        }),
        r.binary,
      ),
  };
}
