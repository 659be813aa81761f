import { EmulatorBadRequestError } from '../errors.js';
import { json } from '../internal/responses.js';
import type { Ctx } from './pipeline.js';

/**
 * v1 offset paging (`start`, `limit`): `{results, start, limit, size, _links: {base, context, self, next?}}`, with
 * `next` context-relative as Confluence sends it. [Inf] `limit` defaults to 25 and is capped at 250 like v2.
 */

const DEFAULT_LIMIT = 25;
const MAX_LIMIT = 250;

function parseWhole(name: string, raw: string | null, fallback: number): number {
  if (raw === null || raw === '') return fallback;
  if (!/^\d{1,9}$/.test(raw)) throw new EmulatorBadRequestError(`Invalid value for ${name}: ${raw}`);
  return Number(raw);
}

export function v1ListResponse<T>(ctx: Ctx, items: T[], toJson: (item: T) => unknown): Response {
  const start = parseWhole('start', ctx.url.searchParams.get('start'), 0);
  const limit = Math.min(Math.max(parseWhole('limit', ctx.url.searchParams.get('limit'), DEFAULT_LIMIT), 1), MAX_LIMIT);
  const slice = items.slice(start, start + limit);
  const contextPath = ctx.url.pathname.replace(/^\/wiki/, '');
  let next: string | undefined;
  if (start + limit < items.length) {
    const params = new URLSearchParams(ctx.url.search);
    params.set('start', String(start + limit));
    params.set('limit', String(limit));
    next = `${contextPath}?${params}`;
  }
  return json(200, {
    results: slice.map(toJson),
    start,
    limit,
    size: slice.length,
    _links: {
      base: ctx.base,
      context: '/wiki',
      ...(next ? { next } : {}),
      self: `${ctx.base}${contextPath}${ctx.url.search}`,
    },
  });
}
