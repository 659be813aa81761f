import type { TransportResponse } from '../types.js';

type HeaderSource = Record<string, unknown> | Iterable<[string, unknown]> | string | null | undefined;

/** "Name: value" lines of a raw `getAllResponseHeaders()` block as [name, value] pairs. */
function parseHeaderBlock(block: string): [string, string][] {
  const pairs: [string, string][] = [];
  for (const line of block.split(/\r?\n/)) {
    const separator = line.indexOf(':');
    if (separator < 0) continue;
    pairs.push([line.slice(0, separator), line.slice(separator + 1).replace(/^\s*/, '')]);
  }
  return pairs;
}

function headerPairs(headers: HeaderSource): Iterable<[string, unknown]> {
  if (typeof headers === 'string') return parseHeaderBlock(headers);
  if (headers && Symbol.iterator in headers) return headers as Iterable<[string, unknown]>;
  return Object.entries(headers ?? {});
}

/**
 * Every transport's answer in the one shape the client reads: header names lower-cased from a plain object, a fetch
 * Headers, or a raw `getAllResponseHeaders()` block; a missing status is 0 (never reached the product).
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
