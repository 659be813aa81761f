import type { TransportResponse } from '../types';

/** Lower-cases a header bag given as a plain object, a fetch Headers, or a raw `getAllResponseHeaders()` block. */
export function lowerHeaders(src: any): Record<string, string> {
  const h: Record<string, string> = {};
  if (typeof src == 'string') src = src.split(/\r?\n/).map((l) => l.split(/:\s*(.*)/)); // "Name: value" → [name, value, '']
  for (const [k, v] of src?.[Symbol.iterator] ? src : Object.entries(src ?? {})) if (v != null) h[k.toLowerCase()] = '' + v;
  return h;
}

/** Forge and fetch both hand back a WHATWG Response. */
export const fromResponse = async (r: Response, binary?: boolean): Promise<TransportResponse> => ({
  status: r.status, statusText: r.statusText, headers: lowerHeaders(r.headers), body: await (binary ? r.arrayBuffer() : r.text()),
});
