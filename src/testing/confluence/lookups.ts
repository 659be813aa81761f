import type { EmulatedPage, EmulatedUser } from './model.js';
import { EmulatorBadRequestError } from '../errors.js';
import { compareNumericIds, decodeCursor, linkHeader, nextLink, paginate, parseLimit } from './pagination.js';
import { appCanAccessSpace, canViewPage } from './permissions.js';
import { appAccessDeniedV1, appAccessDeniedV2, json, v1Error, v2NotFound } from '../internal/responses.js';
import type { ApiFamily, Ctx } from './pipeline.js';
import type { ConfluenceWorld } from './world.js';

/** What several API modules look up the same way: ids, list parameters, JSON bodies, visible pages, list pages. */

export const isNumericId = (id: string) => /^\d{1,19}$/.test(id);

/** Repeated (`id=1&id=2`) and comma-separated (`id=1,2`) forms both appear in the wild; accept both. */
export function listParam(url: URL, name: string): string[] {
  return url.searchParams
    .getAll(name)
    .flatMap((value) => value.split(','))
    .map((value) => value.trim())
    .filter((value) => value !== '');
}

/** The request's JSON object body; anything else is the endpoint family's 400. */
export async function readJson(request: Request): Promise<Record<string, unknown>> {
  const raw = await request.text();
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new EmulatorBadRequestError('Request body is not valid JSON.');
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new EmulatorBadRequestError('Request body must be a JSON object.');
  }
  return parsed as Record<string, unknown>;
}

/** The page named by `ctx.id` if the caller may see it, or the response that hides it, in the family's words. */
export function visiblePage(world: ConfluenceWorld, ctx: Ctx, family: ApiFamily): EmulatedPage | Response {
  if (!isNumericId(ctx.id)) throw new EmulatorBadRequestError(`Invalid value for id: ${ctx.id}`);
  const page = world.pages.get(ctx.id);
  if (!page) return family === 'v2' ? v2NotFound() : v1Error(404, `No content found with id: ContentId{id=${ctx.id}}`);
  if (!canViewPage(world, page, ctx.user)) {
    // v2 documents only 404 for "no permission to view"; v1 documents 403.
    return family === 'v2'
      ? v2NotFound()
      : v1Error(
          403,
          `com.atlassian.confluence.api.service.exceptions.PermissionException: Could not read content with id ${ctx.id}`,
        );
  }
  if (!appCanAccessSpace(world, page.spaceId)) return family === 'v2' ? appAccessDeniedV2() : appAccessDeniedV1();
  return page;
}

/** Whether a list shows a page to this user: they may view it, and no app access rule hides its space. */
export const listable = (world: ConfluenceWorld, user: EmulatedUser) => (page: EmulatedPage) =>
  canViewPage(world, page, user) && appCanAccessSpace(world, page.spaceId);

/** A v2 list answer: sorted by numeric id, cursor-paged, with `_links.next` and the `Link` header. */
export function listResponse<T>(ctx: Ctx, items: T[], key: (item: T) => string, toJson: (item: T) => unknown) {
  const limit = parseLimit(ctx.url.searchParams.get('limit'));
  const after = decodeCursor(ctx.url.searchParams.get('cursor'));
  const sorted = [...items].sort((left, right) => compareNumericIds(key(left), key(right)));
  const { items: slice, nextCursor } = paginate(sorted, key, limit, after, compareNumericIds);
  const next = nextCursor ? nextLink(ctx.url, nextCursor) : null;
  return json(
    200,
    { results: slice.map(toJson), _links: { ...(next ? { next } : {}), base: ctx.base } },
    next ? { Link: linkHeader(next, ctx.base) } : {},
  );
}
