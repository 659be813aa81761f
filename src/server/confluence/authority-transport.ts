import type { HttpMethod, Transport, TransportRequest, TransportResponse } from '../../client/index.js';

/** Where one request goes and with which credentials. */
export interface Authorization {
  /** the site (`https://x.atlassian.net`, a trailing `/wiki` is dropped) or Forge's `app.apiBaseUrl` */
  baseUrl: string;
  /** the Authorization header (and any other the authority needs) */
  headers: Record<string, string>;
}

/**
 * A fetch transport whose destination and credentials are decided per request: a Connect app's own call carries a
 * JWT with the qsh of exactly that request (which `createFetchTransport`'s `getAuthHeaders()` cannot compute), and
 * the tenant's baseUrl is read at send time (a reinstall may move it). Every HTTP status resolves into one response
 * (the client classifies it); a rejection of `authorize` is the client's error for that request.
 */
export function createAuthorityTransport(options: {
  authorize(request: { method: HttpMethod; path: string }): Promise<Authorization>;
  fetch?: typeof fetch;
}): Transport {
  return {
    kind: 'fetch',
    async send(request: TransportRequest): Promise<TransportResponse> {
      const { baseUrl, headers } = await options.authorize({ method: request.method, path: request.path });
      const response = await (options.fetch ?? fetch)(baseUrl.replace(/\/*(\/wiki)?\/*$/, '') + request.path, {
        method: request.method,
        headers: { accept: 'application/json', ...request.headers, ...headers },
        body: request.body ?? null,
        signal: request.signal ?? null,
        redirect: 'manual',
      });
      const body = request.binary ? await response.arrayBuffer() : await response.text();
      const responseHeaders: Record<string, string> = {};
      response.headers.forEach((value, name) => {
        responseHeaders[name.toLowerCase()] = value;
      });
      return { status: response.status, statusText: response.statusText, headers: responseHeaders, body };
    },
  };
}
