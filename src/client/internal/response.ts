import type { TransportResponse } from '../types.js';

/** Response headers as a plain object or a fetch `Headers` (Connect turns a raw header block into pairs first). */
type HeaderSource = Record<string, unknown> | Iterable<[string, unknown]> | null | undefined;

function headerPairs(headers: HeaderSource): Iterable<[string, unknown]> {
  if (headers && Symbol.iterator in headers) return headers as Iterable<[string, unknown]>;
  return Object.entries(headers ?? {});
}

/**
 * Every transport's answer in the one shape the client reads: header names lower-cased from a plain object or a
 * fetch Headers; a missing status is 0 (never reached the product).
 */
export function toResponse(
  status: unknown,
  statusText: string | undefined,
  headers: HeaderSource,
  body: TransportResponse['body'],
): TransportResponse {
  const normalised: Record<string, string> = {};
  for (const [name, value] of headerPairs(headers)) {
    if (value !== undefined && value !== null) normalised[name.toLowerCase()] = String(value);
  }
  return { status: Number(status) || 0, statusText: statusText ?? '', headers: normalised, body };
}

/** Forge and fetch both hand back a WHATWG Response. */
export async function fromResponse(response: Response, binary?: boolean): Promise<TransportResponse> {
  const body = binary ? await response.arrayBuffer() : await response.text();
  return toResponse(response.status, response.statusText, response.headers, body);
}
