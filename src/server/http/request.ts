/**
 * The smallest request shape the verification core needs. A Web `Request` fits, and so does
 * `{ method, url, headers }` built from node:http or Express without creating a Web Request per call.
 */
export interface RequestLike {
  method: string;
  /** request target as received (`/path?query`) or an absolute URL (Web `Request.url`) */
  url: string;
  headers: Headers | Record<string, string | string[] | undefined>;
}

export function getHeader(request: RequestLike, name: string): string | undefined {
  const { headers } = request;
  if (typeof (headers as Headers).get === 'function') return (headers as Headers).get(name) ?? undefined;
  const record = headers as Record<string, string | string[] | undefined>;
  // Node lower-cases header names; hand-built `{ headers: { Authorization } }` objects often do not.
  const key = name in record ? name : Object.keys(record).find((k) => k.toLowerCase() === name.toLowerCase());
  const value = key === undefined ? undefined : record[key];
  return Array.isArray(value) ? value.join(', ') : value;
}
