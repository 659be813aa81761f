import { EmulatorBadRequestError } from '../../errors.js';
import { appAccessDeniedV1, json, v1Error } from '../../internal/responses.js';
import { isNumericId, listParam, readJson, visiblePage } from '../lookups.js';
import { applyUpdate, bodyValue, consumeConflictFault } from '../page-edits.js';
import { appCanAccessSpace, canDeletePage, canEditPage, canViewPage, canViewSpace } from '../permissions.js';
import { v1Content } from '../representations.js';
import type { ApiModule } from '../routes.js';

/**
 * v1 content: `GET|PUT /rest/api/content/{id}` and `POST /rest/api/content/{id}/permission/check`. v1 answers 403
 * where v2 hides behind 404.
 */

/** `permission/check`'s operations and the rule each one asks about. */
const PERMISSION_CHECKS = {
  read: canViewPage,
  update: canEditPage,
  delete: canDeletePage,
} as const;

export const contentV1Api: ApiModule = ({ world, get, put, post }) => [
  get('/rest/api/content/:id', 'READ', (ctx) => {
    const page = visiblePage(world, ctx, 'v1');
    if (page instanceof Response) return page;
    const expand = new Set(listParam(ctx.url, 'expand'));
    return json(200, v1Content(world, page, expand, ctx.base));
  }),

  put('/rest/api/content/:id', 'WRITE', async (ctx) => {
    const page = visiblePage(world, ctx, 'v1');
    if (page instanceof Response) return page;
    const body = await readJson(ctx.request);
    const version = body.version as { number?: unknown; message?: string } | undefined;
    if (!version || typeof version.number !== 'number') {
      return v1Error(400, 'Must supply an incremented version when updating Content. No version supplied.');
    }
    if (!canEditPage(world, page, ctx.user)) {
      return v1Error(
        403,
        `Could not update Content of type : class com.atlassian.confluence.pages.Page with id ${page.id}`,
      );
    }
    consumeConflictFault(world, page, ctx.user);
    if (version.number !== page.version.number + 1) {
      return v1Error(409, `Version must be incremented on update. Current version is: ${page.version.number}`);
    }
    const title = typeof body.title === 'string' && body.title.trim() ? body.title : page.title;
    applyUpdate(world, page, ctx.user, { title, body: bodyValue(body.body), message: version.message });
    return json(200, v1Content(world, page, new Set(['body.storage']), ctx.base));
  }),

  post('/rest/api/content/:id/permission/check', 'READ', async (ctx) => {
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
    else if (!space || !canViewSpace(space, subjectUser)) translation = 'User does not have permission to the space';
    return json(200, { hasPermission: false, errors: [{ translation, args: [] }], _links: {} });
  }),
];
