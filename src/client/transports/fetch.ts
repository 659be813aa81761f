import { fromResponse } from '../internal/response.js';
import type { Transport } from '../types.js';

export interface FetchTransportOptions {
  /** Site URL, e.g. https://example.atlassian.net (a trailing /wiki is fine too). */
  baseUrl: string;
  /** Called per request, so tokens can rotate. */
  getAuthHeaders?: () => Record<string, string> | Promise<Record<string, string>>;
  fetch?: typeof fetch;
}

/** Trailing slashes and an optional /wiki: request paths carry their own /wiki. */
const TRAILING_WIKI = /\/*(\/wiki)?\/*$/;

/**
 * Plain fetch, for standalone pages, development and tests. Unlike AP.request and the Forge bridge it really
 * cancels on abort. fetch's TypeError on a network failure becomes a `network` error in the client.
 *
 * @example
 * import { createConfluenceClient, createFetchTransport } from 'confluence-iframe-kit';
 *
 * const client = createConfluenceClient({
 *   transport: createFetchTransport({
 *     baseUrl: 'https://example.atlassian.net',
 *     getAuthHeaders: async () => ({ Authorization: `Bearer ${await getToken()}` }),
 *   }),
 * });
 */
export function createFetchTransport(options: FetchTransportOptions): Transport {
  const siteUrl = options.baseUrl.replace(TRAILING_WIKI, '');
  return {
    kind: 'fetch',
    async send(request) {
      const send = options.fetch ?? fetch;
      const authHeaders = await options.getAuthHeaders?.();
      const response = await send(siteUrl + request.path, {
        method: request.method,
        headers: { ...authHeaders, ...request.headers },
        body: request.body,
        signal: request.signal,
      });
      return fromResponse(response, request.binary);
    },
  };
}
