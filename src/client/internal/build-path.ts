import type { Query } from '../types.js';

const WIKI_PREFIX = /^\/wiki(\/|$)/;
/** An optional `scheme://host` and the leading slash (if any), replaced by one slash. */
const ORIGIN_AND_LEADING_SLASH = /^(\w+:\/\/[^/]+)?\/?/;

/**
 * Site-relative path with the /wiki prefix (added when missing) and the query appended (arrays become repeated keys;
 * null/undefined are skipped). An absolute URL (some `_links.next` / `_links.base` joins) is cut to its path.
 */
export function buildPath(path: string, query?: Query): string {
  let sitePath = path.replace(ORIGIN_AND_LEADING_SLASH, '/');
  if (!WIKI_PREFIX.test(sitePath)) sitePath = '/wiki' + sitePath;

  const pairs: string[] = [];
  for (const key in query) {
    const value = query[key];
    if (value === undefined || value === null) continue;
    const values = Array.isArray(value) ? value : [value];
    for (const item of values) pairs.push(encodeURIComponent(key) + '=' + encodeURIComponent(String(item)));
  }
  if (pairs.length === 0) return sitePath;
  const separator = sitePath.includes('?') ? '&' : '?';
  return sitePath + separator + pairs.join('&');
}
