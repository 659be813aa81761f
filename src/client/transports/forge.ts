import { fault } from '../errors/classify.js';
import type { Transport } from '../types.js';
import { fromResponse } from './headers.js';

/** `requestConfluence` from @forge/bridge. Injected: importing the bridge outside Forge throws. */
export type RequestConfluence = (
  path: string,
  init?: { method?: string; headers?: Record<string, string>; body?: any },
) => Promise<Response>;

/**
 * Forge resolves a Response for every status (403 is ok:false) and wants the `/wiki` prefix, which paths already carry.
 * A bridge failure (BridgeAPIError) rejects; the client reports it as a network error.
 */
export function createForgeTransport(o: { requestConfluence?: RequestConfluence }): Transport {
  return {
    kind: 'forge',
    async send(r) {
      if (!o.requestConfluence) throw fault('host-unavailable', r, 'pass requestConfluence from @forge/bridge');
      return fromResponse(
        await o.requestConfluence(r.path, { method: r.method, headers: r.headers, body: r.body }),
        r.binary,
      );
    },
  };
}
