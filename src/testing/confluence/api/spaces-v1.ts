import type { EmulatedSpace } from '../model.js';
import { appAccessDeniedV1, json, v1Error } from '../../internal/responses.js';
import { listParam, readJson } from '../lookups.js';
import { appCanAccessSpace, canCreateSpace, canViewSpace } from '../permissions.js';
import type { Ctx } from '../pipeline.js';
import { v1Space } from '../representations.js';
import type { ApiModule } from '../routes.js';
import { v1ListResponse } from '../v1-lists.js';
import type { ConfluenceWorld } from '../world.js';

/**
 * v1 spaces, which apps still call: `GET /rest/api/space` (list), `GET /rest/api/space/{spaceKey}` and
 * `POST /rest/api/space` (create). Deprecated and dated in v1-removals.ts: with `v1Removals: 'enforce'` they answer
 * 410 from July 2025, before any of this runs.
 *
 * Permissions [Doc, v1 reference]: reading needs view permission on the space (else 404, as for a missing key);
 * creating needs the "Create Space(s)" global permission (`EmulatedUser.canCreateSpace`, default: site admins).
 * Connect scope: READ to read; [Inf] SPACE_ADMIN to create (the Connect scope list gives none for it).
 */

/** Space keys: letters and digits, at most 255 (Confluence's rule for new keys). */
const SPACE_KEY = /^[A-Za-z0-9]{1,255}$/;

/** The space with this key if the caller may see it, or the v1 answer instead. */
function visibleSpaceByKey(world: ConfluenceWorld, ctx: Ctx, key: string): EmulatedSpace | Response {
  const space = [...world.spaces.values()].find((candidate) => candidate.key.toUpperCase() === key.toUpperCase());
  // [Inf wording] v1 answers a space the user may not view like a missing one.
  if (!space || !canViewSpace(space, ctx.user)) return v1Error(404, `No space with key : ${key}`);
  if (!appCanAccessSpace(world, space.id)) return appAccessDeniedV1();
  return space;
}

/** The next numeric space id: one past the largest (ids are compared as numbers). */
function nextSpaceId(world: ConfluenceWorld): string {
  const largest = [...world.spaces.keys()].reduce((max, id) => (BigInt(id) > max ? BigInt(id) : max), 0n);
  return String(largest + 1n);
}

export const spacesV1Api: ApiModule = ({ world, get, post }) => [
  get('/rest/api/space', 'READ', (ctx) => {
    const keys = listParam(ctx.url, 'spaceKey').map((key) => key.toUpperCase());
    const type = ctx.url.searchParams.get('type');
    const status = ctx.url.searchParams.get('status');
    const spaces = [...world.spaces.values()]
      .filter(
        (space) =>
          canViewSpace(space, ctx.user) &&
          appCanAccessSpace(world, space.id) &&
          (!keys.length || keys.includes(space.key.toUpperCase())) &&
          (!type || space.type === type) &&
          (!status || space.status === status),
      )
      .sort((left, right) => left.key.localeCompare(right.key));
    return v1ListResponse(ctx, spaces, (space) => v1Space(space, ctx.base));
  }),

  get('/rest/api/space/:spaceKey', 'READ', (ctx) => {
    const space = visibleSpaceByKey(world, ctx, String(ctx.params.spaceKey ?? ''));
    return space instanceof Response ? space : json(200, v1Space(space, ctx.base));
  }),

  post('/rest/api/space', 'SPACE_ADMIN', async (ctx) => {
    const body = await readJson(ctx.request);
    const { key, name } = body;
    if (typeof key !== 'string' || !SPACE_KEY.test(key)) {
      return v1Error(400, 'The space key must be letters and digits only (at most 255).');
    }
    if (typeof name !== 'string' || !name.trim() || name.length > 200) {
      return v1Error(400, 'The space name is required (at most 200 characters).');
    }
    if (!canCreateSpace(ctx.user)) {
      // [Inf wording] the v1 permission refusal, in the family's exception form.
      return v1Error(
        403,
        'com.atlassian.confluence.api.service.exceptions.PermissionException: User does not have permission to create spaces.',
      );
    }
    if ([...world.spaces.values()].some((space) => space.key.toUpperCase() === key.toUpperCase())) {
      return v1Error(400, `A space already exists with key ${key.toUpperCase()}`); // [Inf wording]
    }
    const description = (body.description as { plain?: { value?: unknown } } | undefined)?.plain?.value;
    const space: EmulatedSpace = {
      id: nextSpaceId(world),
      key: key.toUpperCase(),
      name,
      type: 'global',
      status: 'current',
      homepageId: null,
      authorId: ctx.user.accountId,
      createdAt: new Date(world.now()).toISOString(),
      description: typeof description === 'string' ? description : '',
      // [Inf] Confluence's default space permissions: the creator administers it, licensed members may view it.
      roles: Object.fromEntries(
        [...world.users.values()]
          .filter((user) => user.confluenceAccess && !user.guest && !user.anonymous)
          .map((user) => [user.accountId, user.accountId === ctx.user.accountId ? 'admin' : 'view'] as const),
      ),
    };
    world.spaces.set(space.id, space);
    // Confluence gives a new space its home page.
    space.homepageId = world.addPage({
      spaceId: space.id,
      title: `${name} Home`,
      body: '',
      authorId: ctx.user.accountId,
    }).id;
    return json(200, v1Space(space, ctx.base));
  }),
];
