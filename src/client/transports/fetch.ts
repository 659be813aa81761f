import type { Transport } from '../types';
import { fromResponse } from './headers';

export interface FetchTransportOptions {
  /** Site URL, e.g. https://example.atlassian.net (a trailing /wiki is fine too). */
  baseUrl: string;
  /** Called per request, so tokens can rotate. */
  getAuthHeaders?: () => Record<string, string> | Promise<Record<string, string>>;
  fetch?: typeof fetch;
}

/** Plain fetch for standalone pages, dev and tests. fetch's own TypeError on network failure becomes a network error in the client. */
export function createFetchTransport(o: FetchTransportOptions): Transport {
  const base = o.baseUrl.replace(/\/+$/, '').replace(/\/wiki$/, '');
  return {
    kind: 'fetch',
    async send(r) {
      const headers = { ...(await o.getAuthHeaders?.()), ...r.headers };
      if (r.contentType) headers['Content-Type'] = r.contentType;
      return fromResponse(await (o.fetch ?? fetch)(base + r.path, { method: r.method, headers, body: r.body, signal: r.signal }), r.binary);
    },
  };
}
