import type { EmulatedPage } from '../model.js';
import { EmulatorBadRequestError } from '../../errors.js';
import { appAccessDeniedV2, json, v2Error, v2NotFound } from '../../internal/responses.js';
import { isNumericId, listable, listParam, listResponse, readJson, visiblePage } from '../lookups.js';
import { applyUpdate, bodyValue, consumeConflictFault } from '../page-edits.js';
import { appCanAccessSpace, canCreatePageIn, canEditPage, canViewSpace, pageOperations } from '../permissions.js';
import { DUPLICATE_TITLE_MESSAGE, titleTaken, usableParent } from '../page-creation.js';
import type { Ctx } from '../pipeline.js';
import { v2Child, v2Page } from '../representations.js';
import type { ApiModule } from '../routes.js';
import type { ConfluenceWorld } from '../world.js';

/**
 * v2 pages: `GET /api/v2/pages` (list and bulk), `POST /api/v2/pages` (create), `GET|PUT /api/v2/pages/{id}`, `PUT /api/v2/pages/{id}/title`,
 * `GET /api/v2/pages/{id}/children` and `/operations`. v2 hides what the caller may not see behind 404 and drops it
 * from lists.
 */

function statusFilter(url: URL): (page: EmulatedPage) => boolean {
  const statuses = listParam(url, 'status');
  const allowed = statuses.length ? statuses : ['current', 'archived'];
  return (page) => allowed.includes(page.status);
}

/** A v2 page list (also `spaces/{id}/pages`): `body-format`, `title` and `status` filters, then cursor paging. */
export function listPages(world: ConfluenceWorld, ctx: Ctx, pages: EmulatedPage[]): Response {
  const bodyFormat = ctx.url.searchParams.get('body-format');
  if (bodyFormat && bodyFormat !== 'storage' && bodyFormat !== 'atlas_doc_format') {
    throw new EmulatorBadRequestError(`Invalid value for body-format: ${bodyFormat}`);
  }
  const title = ctx.url.searchParams.get('title');
  const filtered = pages
    .filter(listable(world, ctx.user))
    .filter(statusFilter(ctx.url))
    .filter((page) => title === null || page.title === title);
  return listResponse(
    ctx,
    filtered,
    (page) => page.id,
    (page) => v2Page(world, page, { bodyFormat }),
  );
}

export const pagesV2Api: ApiModule = ({ world, get, post, put }) => [
  get('/api/v2/pages', 'READ', (ctx) => {
    const ids = listParam(ctx.url, 'id');
    if (ids.length > 250) throw new EmulatorBadRequestError('At most 250 values are allowed for id.');
    const bad = ids.find((id) => !isNumericId(id));
    if (bad) throw new EmulatorBadRequestError(`Invalid value for id: ${bad}`);
    const spaceIds = listParam(ctx.url, 'space-id');
    if (spaceIds.length > 100) throw new EmulatorBadRequestError('At most 100 values are allowed for space-id.');
    let pages = [...world.pages.values()];
    if (ids.length) {
      pages = ids.map((id) => world.pages.get(id)).filter((page): page is EmulatedPage => page !== undefined);
    }
    if (spaceIds.length) pages = pages.filter((page) => spaceIds.includes(page.spaceId));
    return listPages(world, ctx, [...new Set(pages)]);
  }),

  // Create a page: `{spaceId, status?, title, parentId?, body?: {representation, value}}`. The spec's refusals are
  // 400 and 404 (space not visible, or no permission to create in it), never 403.
  post('/api/v2/pages', 'WRITE', async (ctx) => {
    const body = await readJson(ctx.request);
    const spaceId = body.spaceId === undefined ? '' : String(body.spaceId);
    if (!isNumericId(spaceId)) throw new EmulatorBadRequestError(`Invalid value for spaceId: ${spaceId}`);
    const status = body.status ?? 'current';
    if (status !== 'current' && status !== 'draft')
      throw new EmulatorBadRequestError(`Invalid value for status: ${String(status)}`);
    const title = typeof body.title === 'string' ? body.title.trim() : '';
    if (!title && status === 'current')
      throw new EmulatorBadRequestError('Title is required to create a current page.');
    const space = world.spaces.get(spaceId);
    if (!space || !canViewSpace(space, ctx.user)) return v2NotFound();
    if (!appCanAccessSpace(world, space.id)) return appAccessDeniedV2();
    if (!canCreatePageIn(space, ctx.user)) return v2NotFound();
    // Without a parent the page goes under the space's home page, unless `root-level=true` (spec).
    const rootLevel = ctx.url.searchParams.get('root-level') === 'true';
    const parentId = rootLevel ? null : body.parentId !== undefined ? String(body.parentId) : space.homepageId;
    const parent = parentId === null ? undefined : usableParent(world, space, parentId, ctx.user);
    if (parentId !== null && !parent) return v2NotFound();
    if (status === 'current' && titleTaken(world, space.id, title)) {
      return v2Error(400, 'INVALID_REQUEST_PARAMETER', DUPLICATE_TITLE_MESSAGE);
    }
    const page = world.addPage({
      spaceId: space.id,
      parentId: parent?.id ?? null,
      title,
      status,
      body: bodyValue(body.body) ?? '',
      authorId: ctx.user.accountId,
    });
    return json(200, v2Page(world, page, { bodyFormat: 'storage', base: ctx.base }));
  }),

  get('/api/v2/pages/:id', 'READ', (ctx) => {
    const page = visiblePage(world, ctx, 'v2');
    if (page instanceof Response) return page;
    const bodyFormat = ctx.url.searchParams.get('body-format');
    const out: Record<string, unknown> = v2Page(world, page, { bodyFormat, base: ctx.base });
    if (ctx.url.searchParams.get('include-operations') === 'true') {
      out.operations = {
        results: pageOperations(world, page, ctx.user),
        meta: { hasMore: false, cursor: '' },
        _links: { self: `/wiki/api/v2/pages/${page.id}/operations` },
      };
    }
    return json(200, out);
  }),

  put('/api/v2/pages/:id', 'WRITE', async (ctx) => {
    const page = visiblePage(world, ctx, 'v2');
    if (page instanceof Response) return page;
    const body = await readJson(ctx.request);
    const version = body.version as { number?: unknown; message?: unknown } | undefined;
    if (!version || typeof version.number !== 'number') {
      return v2Error(400, 'INVALID_REQUEST_PARAMETER', 'Version number is required to update a page.');
    }
    if (body.id !== undefined && String(body.id) !== page.id) {
      return v2Error(400, 'INVALID_REQUEST_PARAMETER', 'The id in the request body must match the id in the path.');
    }
    if (typeof body.title !== 'string' || !body.title.trim()) {
      return v2Error(400, 'INVALID_REQUEST_PARAMETER', 'Title is required to update a page.');
    }
    // v2 answers 404, not 403, when the user may view but not update (spec: PUT /pages/{id} responses).
    if (!canEditPage(world, page, ctx.user)) return v2NotFound();
    consumeConflictFault(world, page, ctx.user);
    if (version.number !== page.version.number + 1) {
      return v2Error(
        409,
        'CONFLICT',
        `Version must be incremented when updating a page. Current Version: [${page.version.number}]. Provided version: [${version.number}]`,
      );
    }
    applyUpdate(world, page, ctx.user, {
      title: body.title,
      body: bodyValue(body.body),
      message: typeof version.message === 'string' ? version.message : undefined,
    });
    return json(200, v2Page(world, page, { bodyFormat: 'storage', base: ctx.base }));
  }),

  // Title (and status) only: the body stays as stored. The spec's body is {status, title}; it takes no version
  // number, and the page still gets a new version.
  put('/api/v2/pages/:id/title', 'WRITE', async (ctx) => {
    const page = visiblePage(world, ctx, 'v2');
    if (page instanceof Response) return page;
    const body = await readJson(ctx.request);
    if (typeof body.title !== 'string' || !body.title.trim()) {
      return v2Error(400, 'INVALID_REQUEST_PARAMETER', 'Title is required to update a page title.');
    }
    if (body.status !== 'current' && body.status !== 'draft') {
      return v2Error(400, 'INVALID_REQUEST_PARAMETER', "Status must be 'current' or 'draft'.");
    }
    if (!canEditPage(world, page, ctx.user)) return v2NotFound();
    applyUpdate(world, page, ctx.user, { title: body.title });
    return json(200, v2Page(world, page, { bodyFormat: null, base: ctx.base }));
  }),

  get('/api/v2/pages/:id/children', 'READ', (ctx) => {
    const parent = visiblePage(world, ctx, 'v2');
    if (parent instanceof Response) return parent;
    const isListable = listable(world, ctx.user);
    const children = [...world.pages.values()].filter((page) => page.parentId === parent.id && isListable(page));
    return listResponse(ctx, children, (page) => page.id, v2Child);
  }),

  get('/api/v2/pages/:id/operations', 'READ', (ctx) => {
    const page = visiblePage(world, ctx, 'v2');
    if (page instanceof Response) return page;
    return json(200, { operations: pageOperations(world, page, ctx.user) });
  }),
];
