import { EmulatorBadRequestError } from '../../errors.js';
import { appAccessDeniedV2, json, v2NotFound } from '../../internal/responses.js';
import { isNumericId, listParam, listResponse } from '../lookups.js';
import { appCanAccessSpace, canViewSpace, spaceOperations } from '../permissions.js';
import type { Ctx } from '../pipeline.js';
import { v2Space } from '../representations.js';
import type { ApiModule } from '../routes.js';
import { listPages } from './pages-v2.js';
import type { EmulatedSpace } from '../model.js';
import type { ConfluenceWorld } from '../world.js';

/**
 * v2 spaces: `GET /api/v2/spaces` (with `ids`, `keys`, `type`, `status`), `GET /api/v2/spaces/{id}`,
 * `GET /api/v2/spaces/{id}/operations` and `GET /api/v2/spaces/{id}/pages` (with `depth`). Space ids are numeric.
 */

/** The space named by `ctx.id` if the caller may see it, or the v2 answer that hides it. */
function visibleSpace(world: ConfluenceWorld, ctx: Ctx): EmulatedSpace | Response {
  if (!isNumericId(ctx.id)) throw new EmulatorBadRequestError(`Invalid value for id: ${ctx.id}`);
  const space = world.spaces.get(ctx.id);
  if (!space || !canViewSpace(space, ctx.user)) return v2NotFound();
  if (!appCanAccessSpace(world, space.id)) return appAccessDeniedV2();
  return space;
}

export const spacesV2Api: ApiModule = ({ world, get }) => [
  get('/api/v2/spaces', 'READ', (ctx) => {
    const ids = listParam(ctx.url, 'ids');
    const keys = listParam(ctx.url, 'keys');
    const type = ctx.url.searchParams.get('type');
    const status = ctx.url.searchParams.get('status');
    const spaces = [...world.spaces.values()].filter(
      (space) =>
        canViewSpace(space, ctx.user) &&
        appCanAccessSpace(world, space.id) &&
        (!ids.length || ids.includes(space.id)) &&
        (!keys.length || keys.includes(space.key)) &&
        (!type || space.type === type) &&
        (!status || space.status === status),
    );
    return listResponse(ctx, spaces, (space) => space.id, v2Space);
  }),

  get('/api/v2/spaces/:id', 'READ', (ctx) => {
    const space = visibleSpace(world, ctx);
    return space instanceof Response ? space : json(200, v2Space(space));
  }),

  get('/api/v2/spaces/:id/operations', 'READ', (ctx) => {
    const space = visibleSpace(world, ctx);
    return space instanceof Response ? space : json(200, { operations: spaceOperations(space, ctx.user) });
  }),

  get('/api/v2/spaces/:id/pages', 'READ', (ctx) => {
    const space = visibleSpace(world, ctx);
    if (space instanceof Response) return space;
    const depth = ctx.url.searchParams.get('depth') ?? 'all';
    if (depth !== 'all' && depth !== 'root') throw new EmulatorBadRequestError(`Invalid value for depth: ${depth}`);
    const pages = [...world.pages.values()].filter(
      (page) => page.spaceId === space.id && (depth === 'all' || page.parentId === null),
    );
    return listPages(world, ctx, pages);
  }),
];
