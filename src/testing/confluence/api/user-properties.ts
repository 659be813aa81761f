import type { EmulatedUser, EmulatedUserProperty } from '../model.js';
import { EmulatorBadRequestError } from '../../errors.js';
import { json, noContent, productAccessDenied, STATUS_TEXT, v1Error } from '../../internal/responses.js';
import { readJson } from '../lookups.js';
import type { Ctx } from '../pipeline.js';
import type { ApiModule } from '../routes.js';
import { v1ListResponse } from '../v1-lists.js';
import { userPropertyKey, type ConfluenceWorld } from '../world.js';

/**
 * v1 user properties, where apps keep per-user settings: `GET /rest/api/user/{accountId}/property` (keys),
 * `GET|POST|PUT|DELETE /rest/api/user/{accountId}/property/{key}`. Bodies follow the v1 `UserProperty`
 * (`{id, key, value, lastModifiedDate, createdDate, _links}`); a write sends `{value}`.
 *
 * [Inf] where the reference is silent: a user reads and writes only their own properties (another user's is a v1
 * 403); an anonymous viewer gets the product-access 403, as for user lookups; POST answers 201 and 409 for a key
 * that exists, PUT creates or replaces (204), DELETE is 204; a missing property is a v1 404. Scopes: READ to read,
 * WRITE to write. Atlassian keeps these per app; the world has one app, so they are per user here.
 */

/** Letters, digits, `.`, `_` and `-`, at most 255 (the v1 key rule [Inf]). */
const PROPERTY_KEY = /^[A-Za-z0-9._-]{1,255}$/;

function toJson(property: EmulatedUserProperty, base: string) {
  return {
    id: property.id,
    key: property.key,
    value: property.value,
    lastModifiedDate: property.version.when,
    createdDate: property.createdDate,
    _links: { self: `${base}/rest/api/user/${property.accountId}/property/${property.key}` },
  };
}

/** The user in the path if the caller may touch their properties, or the v1 refusal. */
function ownUser(world: ConfluenceWorld, ctx: Ctx): EmulatedUser | Response {
  if (ctx.user.anonymous) return productAccessDenied();
  const accountId = String(ctx.params.accountId ?? '');
  const user = world.users.get(accountId);
  if (!user || user.anonymous) return v1Error(404, `No user found with accountId: ${accountId}`);
  if (user.accountId !== ctx.user.accountId) {
    return v1Error(
      403,
      "com.atlassian.confluence.api.service.exceptions.PermissionException: Not permitted to access another user's properties.",
    );
  }
  return user;
}

function keyInPath(ctx: Ctx): string {
  const key = String(ctx.params.key ?? '');
  if (!PROPERTY_KEY.test(key)) throw new EmulatorBadRequestError(`Invalid property key: ${key}`);
  return key;
}

async function valueOf(request: Request): Promise<unknown> {
  const body = await readJson(request);
  if (!('value' in body)) throw new EmulatorBadRequestError('value is required.');
  return body.value;
}

export const userPropertiesApi: ApiModule = ({ world, get, post, put, delete: remove }) => {
  function write(user: EmulatedUser, key: string, value: unknown): EmulatedUserProperty {
    const storeKey = userPropertyKey(user.accountId, key);
    const existing = world.userProperties.get(storeKey);
    const when = new Date(world.now()).toISOString();
    if (existing) return Object.assign(existing, { value, version: { number: existing.version.number + 1, when } });
    const largest = [...world.userProperties.values()].reduce(
      (max, property) => Math.max(max, Number(property.id)),
      7_000_000,
    );
    const created = {
      id: String(largest + 1),
      accountId: user.accountId,
      key,
      value,
      version: { number: 1, when },
      createdDate: when,
    };
    world.userProperties.set(storeKey, created);
    return created;
  }

  return [
    get('/rest/api/user/:accountId/property', 'READ', (ctx) => {
      const user = ownUser(world, ctx);
      if (user instanceof Response) return user;
      const properties = [...world.userProperties.values()].filter((property) => property.accountId === user.accountId);
      return v1ListResponse(ctx, properties, (property) => ({
        key: property.key,
        id: property.id,
        _links: { self: `${ctx.base}/rest/api/user/${user.accountId}/property/${property.key}` },
      }));
    }),

    get('/rest/api/user/:accountId/property/:key', 'READ', (ctx) => {
      const user = ownUser(world, ctx);
      if (user instanceof Response) return user;
      const key = keyInPath(ctx);
      const property = world.userProperties.get(userPropertyKey(user.accountId, key));
      return property ? json(200, toJson(property, ctx.base)) : v1Error(404, `Property with key ${key} not found.`);
    }),

    post('/rest/api/user/:accountId/property/:key', 'WRITE', async (ctx) => {
      const user = ownUser(world, ctx);
      if (user instanceof Response) return user;
      const key = keyInPath(ctx);
      const value = await valueOf(ctx.request);
      if (world.userProperties.has(userPropertyKey(user.accountId, key))) {
        return v1Error(409, `A property with key ${key} already exists for this user.`);
      }
      write(user, key, value);
      return new Response(null, { status: 201, statusText: STATUS_TEXT[201] });
    }),

    put('/rest/api/user/:accountId/property/:key', 'WRITE', async (ctx) => {
      const user = ownUser(world, ctx);
      if (user instanceof Response) return user;
      const key = keyInPath(ctx);
      write(user, key, await valueOf(ctx.request));
      return noContent();
    }),

    remove('/rest/api/user/:accountId/property/:key', 'WRITE', (ctx) => {
      const user = ownUser(world, ctx);
      if (user instanceof Response) return user;
      const key = keyInPath(ctx);
      const deleted = world.userProperties.delete(userPropertyKey(user.accountId, key));
      return deleted ? noContent() : v1Error(404, `Property with key ${key} not found.`);
    }),
  ];
};
