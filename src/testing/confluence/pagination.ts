/**
 * v2 cursor pagination: `limit` (default 25, 1..250) and an opaque `cursor`; the next page
 * is announced as a *relative* URL in both `_links.next` and the `Link` header
 * (https://developer.atlassian.com/cloud/confluence/rest/v2/intro).
 */

import { EmulatorBadRequestError } from '../errors.js';

export const DEFAULT_LIMIT = 25;
export const MAX_LIMIT = 250;

function toBase64Url(text: string) {
  return btoa(text).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}
function fromBase64Url(encoded: string) {
  return atob(encoded.replace(/-/g, '+').replace(/_/g, '/'));
}

/** [Inf] Values above 250 are clamped rather than rejected; below 1 or non-numeric is a 400. */
export function parseLimit(raw: string | null): number {
  if (raw === null || raw === '') return DEFAULT_LIMIT;
  if (!/^\d+$/.test(raw) || Number(raw) < 1) throw new EmulatorBadRequestError(`Invalid value for limit: ${raw}`);
  return Math.min(Number(raw), MAX_LIMIT);
}

/** The cursor encodes the sort key of the last item served, so pages stay stable when items are added. */
export function encodeCursor(lastKey: string): string {
  return toBase64Url(JSON.stringify({ after: lastKey }));
}

export function decodeCursor(raw: string | null): string | null {
  if (raw === null || raw === '') return null;
  try {
    const decoded = JSON.parse(fromBase64Url(raw)) as { after?: unknown };
    if (typeof decoded.after === 'string') return decoded.after;
  } catch {
    // fall through
  }
  throw new EmulatorBadRequestError('Invalid cursor');
}

export interface PageOf<T> {
  items: T[];
  nextCursor: string | null;
}

/** `items` must already be sorted by `key`. */
export function paginate<T>(
  items: T[],
  key: (item: T) => string,
  limit: number,
  after: string | null,
  compare: (a: string, b: string) => number,
): PageOf<T> {
  const start = after === null ? 0 : items.findIndex((item) => compare(key(item), after) > 0);
  if (start < 0) return { items: [], nextCursor: null };
  const slice = items.slice(start, start + limit);
  const hasMore = start + limit < items.length;
  const last = slice.at(-1);
  return { items: slice, nextCursor: hasMore && last !== undefined ? encodeCursor(key(last)) : null };
}

/** Orders numeric id strings by value without converting them to numbers (long ids would lose precision). */
export function compareNumericIds(left: string, right: string): number {
  // Without leading zeros, a shorter numeric string is a smaller number.
  if (left.length !== right.length) return left.length - right.length;
  if (left < right) return -1;
  if (left > right) return 1;
  return 0;
}

/** Build the relative next URL from the request URL, replacing `cursor` and keeping every other parameter. */
export function nextLink(requestUrl: URL, cursor: string): string {
  const params = new URLSearchParams(requestUrl.search);
  params.set('cursor', cursor);
  return `${requestUrl.pathname}?${params.toString()}`;
}

export function linkHeader(next: string | null, base: string): string {
  const parts: string[] = [];
  if (next) parts.push(`<${next}>; rel="next"`);
  parts.push(`<${base}>; rel="base"`);
  return parts.join(', ');
}
