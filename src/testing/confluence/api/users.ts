import type { EmulatedUser } from '../model.js';
import { EmulatorBadRequestError } from '../../errors.js';
import { hasScope } from '../../internal/scopes.js';
import { json, productAccessDenied, v1Error } from '../../internal/responses.js';
import { listParam } from '../lookups.js';
import { appCaller, type Ctx } from '../pipeline.js';
import { v1User } from '../representations.js';
import type { ApiModule } from '../routes.js';

/**
 * v1 users: `GET /rest/api/user/current`, `GET /rest/api/user?accountId=` (the user `user/current`'s `_links.self`
 * points at) and `GET /rest/api/user/bulk?accountId=a,b`.
 */

/** The v1 spec: "Currently this API returns a maximum of 100 results." */
const MAX_BULK_USERS = 100;

/**
 * [Inf] Looking people up needs the "Can use" permission, which an anonymous viewer of a public space lacks: they get
 * the product-access 403.
 */
function refuseUserLookup(ctx: Ctx): Response | null {
  return ctx.user.anonymous ? productAccessDenied() : null;
}

export const usersApi: ApiModule = ({ world, get }) => {
  /**
   * [Inf] A user sees their own email; an app sees others' only with the ACCESS_EMAIL_ADDRESSES scope (Connect's
   * scope for it). Otherwise the field is empty, as Confluence empties it for privacy settings.
   */
  function emailVisible(ctx: Ctx, user: EmulatedUser): boolean {
    if (user.accountId === ctx.user.accountId) return true;
    if (appCaller(ctx.request) === null) return true;
    return hasScope(world.app.scopes, 'ACCESS_EMAIL_ADDRESSES');
  }

  return [
    get('/rest/api/user/current', 'READ', (ctx) => json(200, v1User(ctx.user, ctx.base))),

    // Spec: 400 without accountId, 403 for a caller who may not use Confluence (the pipeline's caller stage), 404 for
    // an accountId no user has.
    get('/rest/api/user', 'READ', (ctx) => {
      const accountId = ctx.url.searchParams.get('accountId');
      if (!accountId) throw new EmulatorBadRequestError('accountId is required.');
      const refused = refuseUserLookup(ctx);
      if (refused) return refused;
      const user = world.users.get(accountId);
      if (!user || user.anonymous) return v1Error(404, `No user found with accountId: ${accountId}`);
      return json(200, v1User(user, ctx.base, { showEmail: emailVisible(ctx, user) }));
    }),

    // `accountId` comma-separated (or repeated); unknown ids are left out [Inf], as v2 bulk reads do.
    get('/rest/api/user/bulk', 'READ', (ctx) => {
      const accountIds = listParam(ctx.url, 'accountId');
      if (accountIds.length === 0) throw new EmulatorBadRequestError('accountId is required.');
      const refused = refuseUserLookup(ctx);
      if (refused) return refused;
      const users = [...new Set(accountIds)]
        .slice(0, MAX_BULK_USERS)
        .map((accountId) => world.users.get(accountId))
        .filter((user): user is EmulatedUser => user !== undefined && !user.anonymous);
      return json(200, {
        results: users.map((user) => v1User(user, ctx.base, { showEmail: emailVisible(ctx, user) })),
        start: 0,
        limit: MAX_BULK_USERS,
        size: users.length,
        _links: { base: ctx.base, context: '/wiki', self: `${ctx.base}/rest/api/user/bulk` },
      });
    }),
  ];
};
