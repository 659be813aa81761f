import { fault } from '../errors/classify';
import type { Transport } from '../types';
import { lowerHeaders } from './headers';

/** `requestConfluence` from @forge/bridge. Injected: importing the bridge outside Forge throws. */
export type RequestConfluence = (path: string, init?: { method?: string; headers?: Record<string, string>; body?: any }) => Promise<Response>;

/** Forge resolves a Response for every status (403 is ok:false), and wants the `/wiki` prefix, which paths already carry. */
export function createForgeTransport(o: { requestConfluence?: RequestConfluence }): Transport {
  return {
    kind: 'forge',
    async send(r) {
      const rc = o.requestConfluence;
      if (typeof rc != 'function')
        throw fault('host-unavailable', r, 'requestConfluence is missing: pass the one from @forge/bridge to createForgeTransport.');
      const headers = r.contentType ? { 'Content-Type': r.contentType, ...r.headers } : r.headers;
      try {
        const res = await rc(r.path, { method: r.method, headers, body: r.body });
        return { status: res.status, statusText: res.statusText, headers: lowerHeaders(res.headers), body: r.binary ? await res.arrayBuffer() : await res.text() };
      } catch (e: any) {
        throw fault('network', r, `the Forge bridge failed: ${e?.message ?? e}`, e);
      }
    },
  };
}
