import { http, type HttpHandler } from 'msw';
import type { ConnectScope, EmulatedPage, EmulatedUser } from './model.js';
import { contentPropertyHandlers } from './content-properties.js';
import { searchHandlers } from './search.js';
import { appCaller, applyFaults, loggedAccountId, checkScope, checkXsrf, resolveCaller } from '../internal/guard.js';
import { hasScope } from '../internal/scopes.js';
import { EmulatorBadRequestError } from '../errors.js';
import { compareNumericIds, decodeCursor, linkHeader, nextLink, paginate, parseLimit } from './pagination.js';
import {
  appCanAccessSpace,
  canDeletePage,
  canEditPage,
  canViewPage,
  canViewSpace,
  pageOperations,
  spaceOperations,
} from '../internal/permissions.js';
import { v1Content, v1User, v2Child, v2Page, v2Space } from './representations.js';
import {
  appAccessDeniedV1,
  appAccessDeniedV2,
  json,
  productAccessDenied,
  text,
  v1Error,
  v2Error,
  v2NotFound,
} from '../internal/responses.js';
import type { ConfluenceWorld } from './world.js';
import { quotaMeter } from './quota.js';
import { extraHandlersFirst } from '../internal/respond.js';

export interface ConfluenceHandlerOptions {
  /**
   * What to do with a `/wiki/...` request no endpoint matches: answer 404 (default, like
   * Confluence) or let it pass to the next handler / the network.
   */
  unhandled?: 'not-found' | 'passthrough';
  /**
   * msw handlers for endpoints the emulator lacks (or to override one of its answers). They are asked first, before
   * any fault, permission or scope check, and their answers are recorded in `world.requests` like the emulator's.
   * A handler that returns nothing passes the request on to the emulator.
   */
  extraHandlers?: readonly HttpHandler[];
}

type Params = Record<string, string | readonly string[] | undefined>;

export interface Ctx {
  request: Request;
  url: URL;
  user: EmulatedUser;
  /** `_links.base`: the site's `/wiki` URL, as seen by this request. */
  base: string;
  id: string;
  params: Params;
}

type Family = 'v1' | 'v2';
export type Endpoint = (ctx: Ctx) => Response | Promise<Response>;
export type Resolver = (info: { request: Request; params: Params }) => Promise<Response>;

const isNumericId = (id: string) => /^\d{1,19}$/.test(id);

/** The v1 spec: "Currently this API returns a maximum of 100 results." */
const MAX_BULK_USERS = 100;

/** `permission/check`'s operations and the rule each one asks about. */
const PERMISSION_CHECKS = {
  read: canViewPage,
  update: canEditPage,
  delete: canDeletePage,
} as const;

/** Repeated (`id=1&id=2`) and comma-separated (`id=1,2`) forms both appear in the wild; accept both. */
function listParam(url: URL, name: string): string[] {
  return url.searchParams
    .getAll(name)
    .flatMap((value) => value.split(','))
    .map((value) => value.trim())
    .filter((value) => value !== '');
}

async function readJson(request: Request): Promise<Record<string, unknown>> {
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

/**
 * The Confluence REST emulator as msw handlers, mounted on any origin (`*\/wiki/...`).
 * Semantics follow Confluence Cloud: v2 hides what you may not see behind 404 and drops
 * it from lists; v1 answers 403; product access, XSRF, app scopes and app access rules
 * each have their own 403 (or 401 for Forge scopes).
 *
 * @example
 * import { setupServer } from 'msw/node';
 * import { http, HttpResponse } from 'msw';
 *
 * const world = createWorld({ actingUser: 'viewer' });
 * const server = setupServer(
 *   ...createConfluenceHandlers(world, {
 *     // an endpoint the emulator lacks; asked before the built-in ones
 *     extraHandlers: [http.get('*\/wiki/api/v2/pages/:id/likes/count', () => HttpResponse.json({ count: 3 }))],
 *   }),
 * );
 * server.listen();
 * await fetch('https://emulated.atlassian.net/wiki/api/v2/pages/65601'); // 200, as the viewer
 */
export function createConfluenceHandlers(
  world: ConfluenceWorld,
  options: ConfluenceHandlerOptions = {},
): HttpHandler[] {
  function endpoint(family: Family, scope: ConnectScope, run: Endpoint): Resolver {
    return async ({ request, params }) => {
      const url = new URL(request.url);
      // `*` in the route also matches path prefixes; Confluence lives at exactly /wiki (so /wiki/wiki/... is a 404).
      if (!/^\/wiki\/(rest\/api|api\/v2)\//.test(url.pathname)) return text(404, 'Not Found');
      const answered = await guarded(request, url, family, scope, params, run);
      const usedBefore = world.quota.used;
      const response = await quotaMeter(world.quota).meter(request.method, url.pathname, answered);
      world.record({
        method: request.method,
        path: url.pathname + url.search,
        status: response.type === 'error' ? 0 : response.status,
        accountId: loggedAccountId(world, request),
        // Never negative, even when the UTC hour turned (and the quota reset) during the call.
        points: Math.max(0, world.quota.used - usedBefore),
      });
      return response;
    };
  }

  async function guarded(
    request: Request,
    url: URL,
    family: Family,
    scope: ConnectScope,
    params: Params,
    run: Endpoint,
  ): Promise<Response> {
    const fault = await applyFaults(world);
    if (fault) return fault;
    const throttled = quotaMeter(world.quota).refusal();
    if (throttled) return throttled;
    const caller = resolveCaller(world, request);
    if ('response' in caller) return caller.response;
    const denied = checkXsrf(request) ?? checkScope(world, request, scope);
    if (denied) return denied;
    const base = `${url.origin}/wiki`;
    try {
      return await run({ request, url, user: caller.user, base, id: String(params.id ?? ''), params });
    } catch (error) {
      if (error instanceof EmulatorBadRequestError) {
        return family === 'v2' ? v2Error(400, 'INVALID_REQUEST_PARAMETER', error.message) : v1Error(400, error.message);
      }
      // An emulator bug must still answer (a hang or a thrown handler would look like a host fault).
      console.error('[confluence emulator]', error);
      return family === 'v2'
        ? v2Error(500, 'INTERNAL_SERVER_ERROR', 'Internal Server Error')
        : v1Error(500, 'Internal Server Error');
    }
  }

  /**
   * [Inf] Looking people up needs the "Can use" permission, which an anonymous viewer of a public space lacks: they get
   * the product-access 403.
   */
  function refuseUserLookup(ctx: Ctx): Response | null {
    return ctx.user.anonymous ? productAccessDenied() : null;
  }

  /**
   * [Inf] A user sees their own email; an app sees others' only with the ACCESS_EMAIL_ADDRESSES scope (Connect's
   * scope for it). Otherwise the field is empty, as Confluence empties it for privacy settings.
   */
  function emailVisible(ctx: Ctx, user: EmulatedUser): boolean {
    if (user.accountId === ctx.user.accountId) return true;
    if (appCaller(ctx.request) === null) return true;
    return hasScope(world.app.scopes, 'ACCESS_EMAIL_ADDRESSES');
  }

  /** A page the caller may see, or the response that hides it. */
  function visiblePage(ctx: Ctx, family: Family): EmulatedPage | Response {
    if (!isNumericId(ctx.id)) throw new EmulatorBadRequestError(`Invalid value for id: ${ctx.id}`);
    const page = world.pages.get(ctx.id);
    if (!page)
      return family === 'v2' ? v2NotFound() : v1Error(404, `No content found with id: ContentId{id=${ctx.id}}`);
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

  const listable = (user: EmulatedUser) => (page: EmulatedPage) =>
    canViewPage(world, page, user) && appCanAccessSpace(world, page.spaceId);

  function listResponse<T>(ctx: Ctx, items: T[], key: (item: T) => string, toJson: (item: T) => unknown) {
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

  function statusFilter(url: URL): (page: EmulatedPage) => boolean {
    const statuses = listParam(url, 'status');
    const allowed = statuses.length ? statuses : ['current', 'archived'];
    return (page) => allowed.includes(page.status);
  }

  function listPages(ctx: Ctx, pages: EmulatedPage[]) {
    const bodyFormat = ctx.url.searchParams.get('body-format');
    if (bodyFormat && bodyFormat !== 'storage' && bodyFormat !== 'atlas_doc_format') {
      throw new EmulatorBadRequestError(`Invalid value for body-format: ${bodyFormat}`);
    }
    const title = ctx.url.searchParams.get('title');
    const filtered = pages
      .filter(listable(ctx.user))
      .filter(statusFilter(ctx.url))
      .filter((page) => title === null || page.title === title);
    return listResponse(
      ctx,
      filtered,
      (page) => page.id,
      (page) => v2Page(world, page, { bodyFormat }),
    );
  }

  function applyUpdate(
    page: EmulatedPage,
    user: EmulatedUser,
    next: { title: string; body?: string; message?: string; status?: string },
  ) {
    page.title = next.title;
    if (next.body !== undefined) page.body = next.body;
    page.version = {
      number: page.version.number + 1,
      message: next.message ?? '',
      minorEdit: false,
      authorId: user.accountId,
      createdAt: new Date(world.now()).toISOString(),
    };
  }

  /** "Next save conflicts": someone else saves first, so the caller's version is now stale. */
  function consumeConflictFault(page: EmulatedPage, caller: EmulatedUser) {
    if (!world.faults.nextSaveConflicts) return;
    world.faults.nextSaveConflicts = false;
    const other = [...world.users.values()].find(
      (user) => user.accountId !== caller.accountId && user.confluenceAccess,
    );
    applyUpdate(page, other ?? caller, { title: page.title, message: 'Concurrent edit (emulated)' });
  }

  function bodyValue(body: unknown): string | undefined {
    if (!body || typeof body !== 'object') return undefined;
    const fields = body as Record<string, unknown>;
    // v2 sends {representation, value}; v1 sends {storage: {value, representation}}.
    let representation: Record<string, unknown> | undefined;
    if (typeof fields.value === 'string') representation = fields;
    else representation = (fields.storage ?? fields.atlas_doc_format) as Record<string, unknown> | undefined;
    if (!representation || typeof representation.value !== 'string') return undefined;
    if (representation.representation !== 'atlas_doc_format') return representation.value;
    // [Inf] the emulator stores storage format; keep the ADF's text, a paragraph per text node.
    const textFields = representation.value.match(/"text"\s*:\s*"((?:[^"\\]|\\.)*)"/g) ?? [];
    const paragraphs = textFields.map((field) => {
      const text = JSON.parse(field.replace(/^"text"\s*:\s*/, '')) as string;
      return `<p>${text}</p>`;
    });
    return paragraphs.join('');
  }

  const handlers: HttpHandler[] = [];
  const extraHandlers = options.extraHandlers ?? [];
  if (extraHandlers.length > 0) handlers.push(extraHandlersFirst(world, () => extraHandlers));

  handlers.push(
    // ---------- v1 ----------
    http.get(
      '*/wiki/rest/api/user/current',
      endpoint('v1', 'READ', (ctx) => json(200, v1User(ctx.user, ctx.base))),
    ),

    // The user `user/current`'s `_links.self` points at. Spec: 400 without accountId, 403 for a caller who may not
    // use Confluence (the guard's product-access check), 404 for an accountId no user has.
    http.get(
      '*/wiki/rest/api/user',
      endpoint('v1', 'READ', (ctx) => {
        const accountId = ctx.url.searchParams.get('accountId');
        if (!accountId) throw new EmulatorBadRequestError('accountId is required.');
        const refused = refuseUserLookup(ctx);
        if (refused) return refused;
        const user = world.users.get(accountId);
        if (!user || user.anonymous) return v1Error(404, `No user found with accountId: ${accountId}`);
        return json(200, v1User(user, ctx.base, { showEmail: emailVisible(ctx, user) }));
      }),
    ),

    // Bulk lookup: `accountId` comma-separated (or repeated); unknown ids are left out [Inf], as v2 bulk reads do.
    http.get(
      '*/wiki/rest/api/user/bulk',
      endpoint('v1', 'READ', (ctx) => {
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
    ),

    http.get(
      '*/wiki/rest/api/content/:id',
      endpoint('v1', 'READ', (ctx) => {
        const page = visiblePage(ctx, 'v1');
        if (page instanceof Response) return page;
        const expand = new Set(listParam(ctx.url, 'expand'));
        return json(200, v1Content(world, page, expand, ctx.base));
      }),
    ),

    http.put(
      '*/wiki/rest/api/content/:id',
      endpoint('v1', 'WRITE', async (ctx) => {
        const page = visiblePage(ctx, 'v1');
        if (page instanceof Response) return page;
        const body = await readJson(ctx.request);
        const version = body.version as { number?: unknown } | undefined;
        if (!version || typeof version.number !== 'number') {
          return v1Error(400, 'Must supply an incremented version when updating Content. No version supplied.');
        }
        if (!canEditPage(world, page, ctx.user)) {
          return v1Error(
            403,
            `Could not update Content of type : class com.atlassian.confluence.pages.Page with id ${page.id}`,
          );
        }
        consumeConflictFault(page, ctx.user);
        if (version.number !== page.version.number + 1) {
          return v1Error(409, `Version must be incremented on update. Current version is: ${page.version.number}`);
        }
        const title = typeof body.title === 'string' && body.title.trim() ? body.title : page.title;
        applyUpdate(page, ctx.user, {
          title,
          body: bodyValue(body.body),
          message: (body.version as { message?: string }).message,
        });
        return json(200, v1Content(world, page, new Set(['body.storage']), ctx.base));
      }),
    ),

    http.post(
      '*/wiki/rest/api/content/:id/permission/check',
      endpoint('v1', 'READ', async (ctx) => {
        if (!isNumericId(ctx.id)) throw new EmulatorBadRequestError(`Invalid value for id: ${ctx.id}`);
        const body = await readJson(ctx.request);
        const subject = body.subject as { type?: unknown; identifier?: unknown } | undefined;
        const operation = body.operation;
        if (
          !subject ||
          (subject.type !== 'user' && subject.type !== 'group') ||
          typeof subject.identifier !== 'string' ||
          !subject.identifier
        ) {
          return v1Error(400, 'subject must be {"type":"user"|"group","identifier":"<id>"}');
        }
        if (operation !== 'read' && operation !== 'update' && operation !== 'delete') {
          return v1Error(400, `Unsupported operation: ${String(operation)}. Expected read, update or delete.`);
        }
        const page = world.pages.get(ctx.id);
        if (!page) return v1Error(404, `No content found with id: ContentId{id=${ctx.id}}`);
        const self = subject.type === 'user' && subject.identifier === ctx.user.accountId;
        if (!self && !ctx.user.siteAdmin) {
          return v1Error(
            403,
            'Checking permissions for another user requires the Confluence Administrator global permission.',
          );
        }
        if (!appCanAccessSpace(world, page.spaceId)) return appAccessDeniedV1();
        const subjectUser = subject.type === 'user' ? world.users.get(subject.identifier) : undefined;
        if (!subjectUser) {
          return json(200, {
            hasPermission: false,
            errors: [{ translation: 'User or group not found', args: [] }],
            _links: {},
          });
        }
        const space = world.spaces.get(page.spaceId);
        const check = PERMISSION_CHECKS[operation];
        if (check(world, page, subjectUser)) return json(200, { hasPermission: true, _links: {} });
        let translation = 'User does not have permission to the content';
        if (!subjectUser.confluenceAccess) translation = 'User is not allowed to use Confluence';
        else if (!space || !canViewSpace(space, subjectUser))
          translation = 'User does not have permission to the space';
        return json(200, { hasPermission: false, errors: [{ translation, args: [] }], _links: {} });
      }),
    ),

    ...searchHandlers(world, { endpoint }),

    // ---------- v2 pages ----------
    http.get(
      '*/wiki/api/v2/pages',
      endpoint('v2', 'READ', (ctx) => {
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
        return listPages(ctx, [...new Set(pages)]);
      }),
    ),

    http.get(
      '*/wiki/api/v2/pages/:id',
      endpoint('v2', 'READ', (ctx) => {
        const page = visiblePage(ctx, 'v2');
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
    ),

    http.put(
      '*/wiki/api/v2/pages/:id',
      endpoint('v2', 'WRITE', async (ctx) => {
        const page = visiblePage(ctx, 'v2');
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
        consumeConflictFault(page, ctx.user);
        if (version.number !== page.version.number + 1) {
          return v2Error(
            409,
            'CONFLICT',
            `Version must be incremented when updating a page. Current Version: [${page.version.number}]. Provided version: [${version.number}]`,
          );
        }
        applyUpdate(page, ctx.user, {
          title: body.title,
          body: bodyValue(body.body),
          message: typeof version.message === 'string' ? version.message : undefined,
        });
        return json(200, v2Page(world, page, { bodyFormat: 'storage', base: ctx.base }));
      }),
    ),

    // Title (and status) only: the body stays as stored. The spec's body is {status, title}; it takes no version
    // number, and the page still gets a new version.
    http.put(
      '*/wiki/api/v2/pages/:id/title',
      endpoint('v2', 'WRITE', async (ctx) => {
        const page = visiblePage(ctx, 'v2');
        if (page instanceof Response) return page;
        const body = await readJson(ctx.request);
        if (typeof body.title !== 'string' || !body.title.trim()) {
          return v2Error(400, 'INVALID_REQUEST_PARAMETER', 'Title is required to update a page title.');
        }
        if (body.status !== 'current' && body.status !== 'draft') {
          return v2Error(400, 'INVALID_REQUEST_PARAMETER', "Status must be 'current' or 'draft'.");
        }
        if (!canEditPage(world, page, ctx.user)) return v2NotFound();
        applyUpdate(page, ctx.user, { title: body.title });
        return json(200, v2Page(world, page, { bodyFormat: null, base: ctx.base }));
      }),
    ),

    http.get(
      '*/wiki/api/v2/pages/:id/children',
      endpoint('v2', 'READ', (ctx) => {
        const parent = visiblePage(ctx, 'v2');
        if (parent instanceof Response) return parent;
        const isListable = listable(ctx.user);
        const children = [...world.pages.values()].filter((page) => page.parentId === parent.id && isListable(page));
        return listResponse(ctx, children, (page) => page.id, v2Child);
      }),
    ),

    http.get(
      '*/wiki/api/v2/pages/:id/operations',
      endpoint('v2', 'READ', (ctx) => {
        const page = visiblePage(ctx, 'v2');
        if (page instanceof Response) return page;
        return json(200, { operations: pageOperations(world, page, ctx.user) });
      }),
    ),

    ...contentPropertyHandlers(world, {
      endpoint,
      visiblePage,
      readJson,
      listResponse,
      badRequest: (message) => {
        throw new EmulatorBadRequestError(message);
      },
    }),

    // ---------- v2 spaces ----------
    http.get(
      '*/wiki/api/v2/spaces',
      endpoint('v2', 'READ', (ctx) => {
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
    ),

    ...(['', '/operations', '/pages'] as const).map((suffix) =>
      http.get(
        `*/wiki/api/v2/spaces/:id${suffix}`,
        endpoint('v2', 'READ', (ctx) => {
          if (!isNumericId(ctx.id)) throw new EmulatorBadRequestError(`Invalid value for id: ${ctx.id}`);
          const space = world.spaces.get(ctx.id);
          if (!space || !canViewSpace(space, ctx.user)) return v2NotFound();
          if (!appCanAccessSpace(world, space.id)) return appAccessDeniedV2();
          if (suffix === '') return json(200, v2Space(space));
          if (suffix === '/operations') return json(200, { operations: spaceOperations(space, ctx.user) });
          const depth = ctx.url.searchParams.get('depth') ?? 'all';
          if (depth !== 'all' && depth !== 'root')
            throw new EmulatorBadRequestError(`Invalid value for depth: ${depth}`);
          const pages = [...world.pages.values()].filter(
            (page) => page.spaceId === space.id && (depth === 'all' || page.parentId === null),
          );
          return listPages(ctx, pages);
        }),
      ),
    ),
  );

  if (options.unhandled !== 'passthrough') {
    handlers.push(
      http.all('*/wiki/*', ({ request }) => {
        const url = new URL(request.url);
        const response = url.pathname.startsWith('/wiki/api/v2/')
          ? v2NotFound()
          : v1Error(404, `The Confluence emulator has no endpoint for ${request.method} ${url.pathname}`);
        world.record({
          method: request.method,
          path: url.pathname + url.search,
          status: 404,
          accountId: world.actingAccountId,
        });
        return response;
      }),
    );
  }
  return handlers;
}
