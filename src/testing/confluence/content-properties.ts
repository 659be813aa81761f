import { http, type HttpHandler } from 'msw';
import type { ConnectScope, EmulatedContentProperty, EmulatedPage } from './model.js';
import { canEditPage } from '../internal/permissions.js';
import { v2ContentProperty } from './representations.js';
import { json, noContent, v2Error, v2NotFound } from '../internal/responses.js';
import type { Ctx, Endpoint, Resolver } from './handlers.js';
import type { ConfluenceWorld } from './world.js';

/**
 * v2 page content properties (`/wiki/api/v2/pages/{id}/properties[/{property-id}]`), from the v2
 * OpenAPI spec: reading needs view permission on the page, writing needs edit permission; every
 * documented failure is a 404 "page not found or not visible", 400 or 401.
 * Connect scopes: READ and WRITE as the v1 property docs name them; DELETE for a delete [Inf], as for other deletes.
 */

/** What the page handlers share with these endpoints (guards, visibility, list paging). */
export interface PropertyEndpointKit {
  endpoint(family: 'v2', scope: ConnectScope, run: Endpoint): Resolver;
  visiblePage(ctx: Ctx, family: 'v2'): EmulatedPage | Response;
  readJson(request: Request): Promise<Record<string, unknown>>;
  listResponse<T>(ctx: Ctx, items: T[], key: (item: T) => string, toJson: (item: T) => unknown): Response;
  badRequest(message: string): never;
}

/** Confluence caps property keys at 255 characters (v1 spec; v2 keeps the same store). */
const MAX_KEY_LENGTH = 255;

export function contentPropertyHandlers(world: ConfluenceWorld, kit: PropertyEndpointKit): HttpHandler[] {
  const { endpoint, visiblePage, readJson, listResponse, badRequest } = kit;

  /**
   * The page and its property named in the path, or the answer instead of them: the page's 404 when the user may not
   * view it (checked first), a 400 for a malformed property id, else a 404 when the property is missing. A property of
   * another page is as absent as a missing one.
   */
  function propertyInPath(ctx: Ctx): { page: EmulatedPage; property: EmulatedContentProperty } | Response {
    const page = visiblePage(ctx, 'v2');
    if (page instanceof Response) return page;
    const propertyId = String(ctx.params.propertyId ?? '');
    if (!/^\d{1,19}$/.test(propertyId)) badRequest(`Invalid value for property-id: ${propertyId}`);
    const property = world.contentProperties.get(propertyId);
    return property && property.pageId === page.id ? { page, property } : v2NotFound();
  }

  const mayEdit = (ctx: Ctx, page: EmulatedPage) => canEditPage(world, page, ctx.user);

  return [
    http.get(
      '*/wiki/api/v2/pages/:id/properties',
      endpoint('v2', 'READ', (ctx) => {
        const page = visiblePage(ctx, 'v2');
        if (page instanceof Response) return page;
        const key = ctx.url.searchParams.get('key');
        const properties = [...world.contentProperties.values()].filter(
          (p) => p.pageId === page.id && (key === null || p.key === key),
        );
        return listResponse(ctx, properties, (p) => p.id, v2ContentProperty);
      }),
    ),

    http.post(
      '*/wiki/api/v2/pages/:id/properties',
      endpoint('v2', 'WRITE', async (ctx) => {
        const page = visiblePage(ctx, 'v2');
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
    ),

    http.get(
      '*/wiki/api/v2/pages/:id/properties/:propertyId',
      endpoint('v2', 'READ', (ctx) => {
        const found = propertyInPath(ctx);
        return found instanceof Response ? found : json(200, v2ContentProperty(found.property));
      }),
    ),

    http.put(
      '*/wiki/api/v2/pages/:id/properties/:propertyId',
      endpoint('v2', 'WRITE', async (ctx) => {
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
    ),

    http.delete(
      '*/wiki/api/v2/pages/:id/properties/:propertyId',
      endpoint('v2', 'DELETE', (ctx) => {
        const found = propertyInPath(ctx);
        if (found instanceof Response) return found;
        const { page, property } = found;
        if (!mayEdit(ctx, page)) return v2NotFound(); // as a page PUT: the v2 spec's only refusal is 404
        world.contentProperties.delete(property.id);
        return noContent();
      }),
    ),
  ];
}
