import type { TransportResponse } from '../types.js';

/**
 * Every transport's answer in the one shape the client reads: header names lower-cased from a plain object, a fetch
 * Headers, or a raw `getAllResponseHeaders()` block; a missing status is 0 (never reached the product).
 */
export function toResponse(
  status: unknown,
  statusText: string | undefined,
  headers: any,
  body: TransportResponse['body'],
): TransportResponse {
  const h: Record<string, string> = {};
  if (typeof headers == 'string') headers = headers.split(/\r?\n/).map((l) => l.split(/:\s*(.*)/)); // "Name: value" → [name, value, '']
  for (const [k, v] of headers?.[Symbol.iterator] ? headers : Object.entries(headers ?? {}))
    if (v != null) h[k.toLowerCase()] = '' + v;
  return { status: +(status as number) || 0, statusText: statusText ?? '', headers: h, body };
}

/** Forge and fetch both hand back a WHATWG Response. */
export const fromResponse = async (r: Response, binary?: boolean) =>
  toResponse(r.status, r.statusText, r.headers, await (binary ? r.arrayBuffer() : r.text()));
