import type { ConnectApp } from '../app/connect-app.js';
import { DEFAULT_BODY_TIMEOUT_MS, assertDeclaredLength, readBodyStream } from '../http/body.js';
import { jsonResponse, toWebResponse } from '../http/response.js';

export type FetchHandler = (request: Request) => Promise<Response>;

export interface FetchHandlerOptions {
  /** requests no route matches; default a 404 JSON answer */
  fallback?: FetchHandler;
  /** how long a request body may take to arrive, ms (default 10 000); later → 408 PAYLOAD_TIMEOUT */
  bodyTimeoutMs?: number;
}

/**
 * `(Request) => Promise<Response>` for Hono, Workers, Deno, Bun or Node's global fetch types. Bodies are read as a
 * stream with the app's size cap (`maxBodyBytes`) and a time limit, and only by routes that need them.
 */
export function createFetchHandler(app: ConnectApp, options: FetchHandlerOptions = {}): FetchHandler {
  const bodyTimeoutMs = options.bodyTimeoutMs ?? DEFAULT_BODY_TIMEOUT_MS;
  return async (request) => {
    const response = await app.handle({
      method: request.method,
      url: request.url,
      headers: request.headers,
      async text(maxBytes) {
        assertDeclaredLength(request.headers.get('content-length'), maxBytes);
        return readBodyStream(request.body, maxBytes, bodyTimeoutMs);
      },
    });
    if (response) return toWebResponse(response);
    if (options.fallback) return options.fallback(request);
    return toWebResponse(jsonResponse(404, { error: { code: 'NOT_FOUND', message: 'No such route.' } }));
  };
}
