import { fault } from '../errors/classify';
import type { Transport } from '../types';
import { lowerHeaders } from './headers';

export interface FetchTransportOptions {
  /** Site URL, e.g. https://example.atlassian.net (a trailing /wiki is fine too). */
  baseUrl: string;
  /** Called per request, so tokens can rotate. */
  getAuthHeaders?: () => Record<string, string> | Promise<Record<string, string>>;
  fetch?: typeof fetch;
}

export function createFetchTransport(o: FetchTransportOptions): Transport {
  const base = o.baseUrl.replace(/\/+$/, '');
  return {
    kind: 'fetch',
    async send(r) {
      const f = o.fetch ?? globalThis.fetch;
      try {
        const headers = { ...(await o.getAuthHeaders?.()), ...r.headers };
        if (r.contentType) headers['Content-Type'] = r.contentType;
        const res = await f(base + (base.endsWith('/wiki') ? r.path.slice(5) : r.path), { method: r.method, headers, body: r.body, signal: r.signal });
        return { status: res.status, statusText: res.statusText, headers: lowerHeaders(res.headers), body: r.binary ? await res.arrayBuffer() : await res.text() };
      } catch (e: any) {
        if (r.signal?.aborted) throw e;
        throw fault('network', r, `fetch failed: ${e?.message ?? e}`, e);
      }
    },
  };
}
