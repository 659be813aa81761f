import { type VerificationError } from '../errors.js';

/**
 * Framework-free response the core produces; the adapters turn it into a Web Response (toWebResponse), a node:http
 * write or an Express reply. Kept a plain object so the node adapter needs no Web Response per request.
 */
export interface AppResponse {
  status: number;
  headers?: Record<string, string>;
  body?: string | Uint8Array;
}

export function toWebResponse(response: AppResponse): Response {
  return new Response((response.body ?? null) as BodyInit | null, {
    status: response.status,
    headers: response.headers ?? {},
  });
}

export function jsonResponse(status: number, value: unknown, headers: Record<string, string> = {}): AppResponse {
  return {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers },
    body: JSON.stringify(value),
  };
}

/**
 * 401/403/400/503 refusal: stable code, a message that never contains the token, `challenge` as the 401's
 * `WWW-Authenticate` (each scheme names its own), and a Retry-After on a 503.
 */
export function refusalWithChallenge(error: VerificationError, challenge: string): AppResponse {
  const headers: Record<string, string> = {};
  if (error.status === 401) headers['www-authenticate'] = challenge;
  if (error.status === 503) headers['retry-after'] = '5';
  return jsonResponse(error.status, { error: { code: error.code, message: error.message } }, headers);
}

/** A refusal with the Connect challenge. */
export function refusalResponse(error: VerificationError, appKey: string): AppResponse {
  return refusalWithChallenge(error, `JWT realm="${appKey.replace(/["\\]/g, '')}"`);
}

/**
 * 401/503 for a refused Forge call. The challenge is `Bearer` (RFC 6750), not Connect's `JWT`, because that is
 * the scheme the FIT arrives in; the message never contains the token.
 */
export function forgeRefusalResponse(error: VerificationError): AppResponse {
  return refusalWithChallenge(error, 'Bearer realm="forge-remote", error="invalid_token"');
}
