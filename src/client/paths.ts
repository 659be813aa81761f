import type { Query } from './types.js';

const enc = encodeURIComponent;

/**
 * Tagged template that percent-encodes every interpolated value as one path segment:
 * confluencePath`/wiki/api/v2/pages/${id}` cannot be steered to another endpoint by an id like "1/../../admin".
 */
export const confluencePath = (s: TemplateStringsArray, ...v: unknown[]): string =>
  s.reduce((a, c, i) => a + enc(String(v[i - 1])) + c);

/**
 * Site-relative path with the /wiki prefix (added when missing) and the query appended (arrays become repeated keys;
 * null/undefined are skipped). An absolute URL (some `_links.next` / `_links.base` joins) is cut to its path.
 */
export function buildPath(path: string, query?: Query): string {
  let p = path.replace(/^(\w+:\/\/[^/]+)?\/?/, '/');
  if (!/^\/wiki(\/|$)/.test(p)) p = '/wiki' + p;
  const q: string[] = [];
  for (const k in query)
    for (const v of ([] as unknown[]).concat(query[k] ?? [])) q.push(enc(k) + '=' + enc(String(v)));
  return q.length ? p + (p.includes('?') ? '&' : '?') + q.join('&') : p;
}
