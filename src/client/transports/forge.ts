import { requestError } from '../internal/classify.js';
import { fromResponse } from '../internal/response.js';
import type { Transport } from '../types.js';

/** `requestConfluence` from @forge/bridge. Injected: importing the bridge outside Forge throws. */
export type RequestConfluence = (
  path: string,
  init?: { method?: string; headers?: Record<string, string>; body?: BodyInit | null },
) => Promise<Response>;

/**
 * A transport over `requestConfluence` from `@forge/bridge` (Forge Custom UI). The bridge resolves a Response for
 * every status (403 is `ok: false`) and wants the `/wiki` prefix, which paths already carry. A bridge failure
 * (BridgeAPIError) rejects: the client reports the bridge's own call limiter as `rate-limited` (scope `bridge`) and
 * anything else as a `network` error.
 *
 * @example
 * import { requestConfluence } from '@forge/bridge';
 * import { createConfluenceClient, createForgeTransport } from 'confluence-iframe-kit';
 *
 * const client = createConfluenceClient({ transport: createForgeTransport({ requestConfluence }) });
 */
export function createForgeTransport(options: { requestConfluence?: RequestConfluence }): Transport {
  return {
    kind: 'forge',
    async send(request) {
      if (!options.requestConfluence) {
        throw requestError('host-unavailable', request, 'pass requestConfluence from @forge/bridge');
      }
      const response = await options.requestConfluence(request.path, {
        method: request.method,
        headers: request.headers,
        body: request.body,
      });
      return fromResponse(response, request.binary);
    },
  };
}
