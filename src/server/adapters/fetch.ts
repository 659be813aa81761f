import type { ConnectApp } from '../app/connect-app.js';
import { VerificationError } from '../errors.js';
import type { AppResponse } from '../http/response.js';
import { jsonResponse } from '../http/response.js';

export type FetchHandler = (request: Request) => Promise<Response>;

export function toWebResponse(response: AppResponse): Response {
  return new Response((response.body ?? null) as BodyInit | null, {
    status: response.status,
    headers: response.headers ?? {},
  });
}

/** `(Request) => Promise<Response>` for Hono, Workers, Deno, Bun or Node's global fetch types. */
export function createFetchHandler(app: ConnectApp, options: { fallback?: FetchHandler } = {}): FetchHandler {
  return async (request) => {
    const response = await app.handle({
      method: request.method,
      url: request.url,
      headers: request.headers,
      async text(maxBytes) {
        const declared = Number(request.headers.get('content-length') ?? '0');
        if (declared > maxBytes) throw new VerificationError('PAYLOAD_INVALID', 'The request body is too large.');
        const body = await request.text();
        if (body.length > maxBytes) throw new VerificationError('PAYLOAD_INVALID', 'The request body is too large.');
        return body;
      },
    });
    if (response) return toWebResponse(response);
    if (options.fallback) return options.fallback(request);
    return toWebResponse(jsonResponse(404, { error: { code: 'NOT_FOUND', message: 'No such route.' } }));
  };
}
