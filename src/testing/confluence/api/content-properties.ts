import type { EmulatedContentProperty, EmulatedPage } from '../model.js';
import { EmulatorBadRequestError } from '../../errors.js';
import { canEditPage } from '../permissions.js';
import { listResponse, readJson, visiblePage } from '../lookups.js';
import type { Ctx } from '../pipeline.js';
import { v2ContentProperty } from '../representations.js';
import { json, noContent, v2Error, v2NotFound } from '../../internal/responses.js';
import type { ApiModule } from '../routes.js';

/**
 * v2 page content properties (`/wiki/api/v2/pages/{id}/properties[/{property-id}]`), from the v2
 * OpenAPI spec: reading needs view permission on the page, writing needs edit permission; every
 * documented failure is a 404 "page not found or not visible", 400 or 401.
 * Connect scopes: READ and WRITE as the v1 property docs name them; DELETE for a delete [Inf], as for other deletes.
 */

/** Confluence caps property keys at 255 characters (v1 spec; v2 keeps the same store). */
const MAX_KEY_LENGTH = 255;

export const contentPropertiesApi: ApiModule = ({ world, get, post, put, delete: remove }) => {
  /**
   * The page and its property named in the path, or the answer instead of them: the page's 404 when the user may not
   * view it (checked first), a 400 for a malformed property id, else a 404 when the property is missing. A property of
   * another page is as absent as a missing one.
   */
  function propertyInPath(ctx: Ctx): { page: EmulatedPage; property: EmulatedContentProperty } | Response {
    const page = visiblePage(world, ctx, 'v2');
    if (page instanceof Response) return page;
    const propertyId = String(ctx.params.propertyId ?? '');
    if (!/^\d{1,19}$/.test(propertyId))
      throw new EmulatorBadRequestError(`Invalid value for property-id: ${propertyId}`);
    const property = world.contentProperties.get(propertyId);
    return property && property.pageId === page.id ? { page, property } : v2NotFound();
  }

  const mayEdit = (ctx: Ctx, page: EmulatedPage) => canEditPage(world, page, ctx.user);

  return [
    get('/api/v2/pages/:id/properties', 'READ', (ctx) => {
      const page = visiblePage(world, ctx, 'v2');
      if (page instanceof Response) return page;
      const key = ctx.url.searchParams.get('key');
      const properties = [...world.contentProperties.values()].filter(
        (p) => p.pageId === page.id && (key === null || p.key === key),
      );
      return listResponse(ctx, properties, (p) => p.id, v2ContentProperty);
    }),

    post('/api/v2/pages/:id/properties', 'WRITE', async (ctx) => {
      const page = visiblePage(world, ctx, 'v2');
      if (page instanceof Response) return page;
      const body = await readJson(ctx.request);
      if (typeof body.key !== 'string' || !body.key || body.key.length > MAX_KEY_LENGTH) {
        return v2Error(
          400,
          'INVALID_REQUEST_PARAMETER',
          `key must be a non-empty string of at most ${MAX_KEY_LENGTH} characters.`,
        );
      }
      if (!('value' in body)) return v2Error(400, 'INVALID_REQUEST_PARAMETER', 'value is required.');
      if (!mayEdit(ctx, page)) return v2NotFound(); // as a page PUT: the v2 spec's only refusal is 404
      // Observed on Cloud: creating a key the page already has is a 409 (text2confl#334,
      // sphinx-contrib/confluencebuilder#1067); the body is [Inf], in the v2 family.
      if (world.contentProperty(page.id, body.key)) {
        return v2Error(409, 'CONFLICT', `A content property with key '${body.key}' already exists on this page.`);
      }
      const created = world.setContentProperty(page.id, body.key, body.value, { as: ctx.user.accountId });
      return json(200, v2ContentProperty(created));
    }),

    get('/api/v2/pages/:id/properties/:propertyId', 'READ', (ctx) => {
      const found = propertyInPath(ctx);
      return found instanceof Response ? found : json(200, v2ContentProperty(found.property));
    }),

    put('/api/v2/pages/:id/properties/:propertyId', 'WRITE', async (ctx) => {
      const found = propertyInPath(ctx);
      if (found instanceof Response) return found;
      const { page, property } = found;
      const body = await readJson(ctx.request);
      const version = body.version as { number?: unknown; message?: unknown; minorEdit?: unknown } | undefined;
      if (!version || typeof version.number !== 'number') {
        return v2Error(400, 'INVALID_REQUEST_PARAMETER', 'Version number is required to update a content property.');
      }
      // [Inf] A PUT names the property by id; a different key in the body is refused rather than renaming it.
      if (typeof body.key !== 'string' || body.key !== property.key) {
        return v2Error(400, 'INVALID_REQUEST_PARAMETER', `key must be the property's key (${property.key}).`);
      }
      if (!('value' in body)) return v2Error(400, 'INVALID_REQUEST_PARAMETER', 'value is required.');
      if (!mayEdit(ctx, page)) return v2NotFound(); // as a page PUT: the v2 spec's only refusal is 404
      if (version.number !== property.version.number + 1) {
        // [Inf] Worded like the page 409, so clients read "Current Version: [N]" the same way.
        return v2Error(
          409,
          'CONFLICT',
          `Version must be incremented when updating a content property. Current Version: [${property.version.number}]. Provided version: [${version.number}]`,
        );
      }
      const updated = world.setContentProperty(page.id, property.key, body.value, {
        as: ctx.user.accountId,
        message: typeof version.message === 'string' ? version.message : undefined,
        minorEdit: version.minorEdit === true,
      });
      return json(200, v2ContentProperty(updated));
    }),

    remove('/api/v2/pages/:id/properties/:propertyId', 'DELETE', (ctx) => {
      const found = propertyInPath(ctx);
      if (found instanceof Response) return found;
      const { page, property } = found;
      if (!mayEdit(ctx, page)) return v2NotFound(); // as a page PUT: the v2 spec's only refusal is 404
      world.contentProperties.delete(property.id);
      return noContent();
    }),
  ];
};
