import type { EmulatedSpace, EmulatedUser } from '../model.js';
import { EmulatorBadRequestError } from '../../errors.js';
import { appAccessDeniedV1, json, notEmulated, v1Error } from '../../internal/responses.js';
import { isNumericId, listable, listParam, readJson, visiblePage } from '../lookups.js';
import { DUPLICATE_TITLE_MESSAGE, titleTaken, usableParent } from '../page-creation.js';
import { applyUpdate, bodyValue, consumeConflictFault } from '../page-edits.js';
import { compareNumericIds } from '../pagination.js';
import {
  appCanAccessSpace,
  canCreatePageIn,
  canDeletePage,
  canEditPage,
  canViewPage,
  canViewSpace,
} from '../permissions.js';
import { v1Content } from '../representations.js';
import type { ApiModule } from '../routes.js';
import { v1ListResponse } from '../v1-lists.js';
import type { ConfluenceWorld } from '../world.js';

/**
 * v1 content: `GET /rest/api/content?title=&spaceKey=` (find a page), `POST /rest/api/content` (create a page),
 * `GET|PUT /rest/api/content/{id}`, `POST /rest/api/content/{id}/permission/check` and `POST /rest/api/content/archive`.
 * v1 answers 403 where v2 hides behind 404. All but permission checks and archiving are deprecated (v1-removals.ts).
 */

/** `permission/check`'s operations and the rule each one asks about. */
const PERMISSION_CHECKS = {
  read: canViewPage,
  update: canEditPage,
  delete: canDeletePage,
} as const;

/** The space a v1 write names by key, if the caller may view it. */
function spaceByKey(world: ConfluenceWorld, key: string, user: EmulatedUser): EmulatedSpace | undefined {
  const space = [...world.spaces.values()].find((candidate) => candidate.key.toUpperCase() === key.toUpperCase());
  return space && canViewSpace(space, user) ? space : undefined;
}

/** The v1 spec's cap on one archive request. */
const MAX_ARCHIVE_PAGES = 300;
/** Where the world's long task ids start (numeric strings, as Confluence's are). */
const LONG_TASK_IDS_FROM = 880_001;

/** Archive tasks by world: the id `POST content/archive` answers, for `GET longtask/{id}`. */
const archiveTasks = new WeakMap<ConfluenceWorld, Map<string, { pages: number; at: number }>>();

function tasksOf(world: ConfluenceWorld) {
  let tasks = archiveTasks.get(world);
  if (!tasks) archiveTasks.set(world, (tasks = new Map()));
  return tasks;
}

export const contentV1Api: ApiModule = ({ world, get, put, post }) => [
  // Archive pages: `{pages: [{id}]}` → 202 with a long task. Confluence archives asynchronously; the world does it at
  // once, so the task is finished when polled. Needs the space's archive permission, [Inf] the edit role here; every
  // page is checked before any is archived [Inf].
  post('/rest/api/content/archive', 'WRITE', async (ctx) => {
    const body = await readJson(ctx.request);
    const entries = Array.isArray(body.pages) ? (body.pages as { id?: unknown }[]) : [];
    if (entries.length === 0) return v1Error(400, 'pages must list at least one page ({"pages":[{"id":…}]}).');
    if (entries.length > MAX_ARCHIVE_PAGES) return v1Error(400, `At most ${MAX_ARCHIVE_PAGES} pages per request.`);
    const pages = [];
    for (const entry of entries) {
      const id = String(entry.id ?? '');
      if (!isNumericId(id)) throw new EmulatorBadRequestError(`Invalid value for id: ${id}`);
      const page = visiblePage(world, { ...ctx, id }, 'v1');
      if (page instanceof Response) return page;
      if (page.status !== 'current') return v1Error(400, `Page ${id} is not current and cannot be archived.`);
      if (!canEditPage(world, page, ctx.user)) {
        return v1Error(
          403,
          `com.atlassian.confluence.api.service.exceptions.PermissionException: Not permitted to archive page ${id}`,
        );
      }
      pages.push(page);
    }
    for (const page of pages) page.status = 'archived';
    const tasks = tasksOf(world);
    const taskId = String(LONG_TASK_IDS_FROM + tasks.size);
    tasks.set(taskId, { pages: pages.length, at: world.now() });
    return json(202, { id: taskId, links: { status: `/rest/api/longtask/${taskId}` } });
  }),

  // The archive task, finished (the world archived at once).
  get('/rest/api/longtask/:taskId', 'READ', (ctx) => {
    const taskId = String(ctx.params.taskId ?? '');
    const task = tasksOf(world).get(taskId);
    if (!task) return v1Error(404, `No long task found with id: ${taskId}`); // [Inf wording]
    return json(200, {
      id: taskId,
      name: { key: 'com.atlassian.confluence.pages.archive.longtask', args: [] },
      elapsedTime: 0,
      percentageComplete: 100,
      successful: true,
      finished: true,
      messages: [{ translation: `Archived ${task.pages} page(s).`, args: [] }],
      _links: { base: ctx.base, context: '/wiki', self: `${ctx.base}/rest/api/longtask/${taskId}` },
    });
  }),

  // Find pages by title and space (how v1 apps look a page up); the results are v1 `Content`, by id [Inf order].
  get('/rest/api/content', 'READ', (ctx) => {
    const type = ctx.url.searchParams.get('type') ?? 'page';
    const spaceKey = ctx.url.searchParams.get('spaceKey');
    const title = ctx.url.searchParams.get('title');
    const statuses = listParam(ctx.url, 'status');
    const allowed = statuses.length ? statuses : ['current'];
    const expand = new Set(listParam(ctx.url, 'expand'));
    // The world has pages only: any other type finds nothing, as a site without blog posts would answer.
    const pages =
      type !== 'page'
        ? []
        : [...world.pages.values()]
            .filter(listable(world, ctx.user))
            .filter((page) => allowed.includes(page.status))
            .filter((page) => title === null || page.title === title)
            .filter(
              (page) =>
                spaceKey === null || world.spaces.get(page.spaceId)?.key.toUpperCase() === spaceKey.toUpperCase(),
            )
            .sort((left, right) => compareNumericIds(left.id, right.id));
    return v1ListResponse(ctx, pages, (page) => v1Content(world, page, expand, ctx.base));
  }),

  // Create a page: `{type: 'page', title, space: {key}, ancestors?: [{id}], status?, body: {storage: {value}}}`.
  post('/rest/api/content', 'WRITE', async (ctx) => {
    const body = await readJson(ctx.request);
    const type = body.type ?? 'page';
    if (type !== 'page') return notEmulated('POST', `${ctx.url.pathname} (type ${String(type)})`);
    const spaceKey = (body.space as { key?: unknown } | undefined)?.key;
    if (typeof spaceKey !== 'string' || !spaceKey) return v1Error(400, 'Content must have a space (space.key).');
    const title = typeof body.title === 'string' ? body.title.trim() : '';
    const status = body.status ?? 'current';
    if (status !== 'current' && status !== 'draft') return v1Error(400, `Unsupported status: ${String(status)}`);
    if (!title && status === 'current') return v1Error(400, 'Content must have a title.');
    const space = spaceByKey(world, spaceKey, ctx.user);
    if (!space) return v1Error(404, `No space with key : ${spaceKey}`); // [Inf] as GET space/{key}
    if (!appCanAccessSpace(world, space.id)) return appAccessDeniedV1();
    if (!canCreatePageIn(space, ctx.user)) {
      return v1Error(
        403,
        'com.atlassian.confluence.api.service.exceptions.PermissionException: Could not create content with type page',
      );
    }
    const ancestors = Array.isArray(body.ancestors) ? (body.ancestors as { id?: unknown }[]) : [];
    const parentId = ancestors.length ? String(ancestors.at(-1)?.id ?? '') : null;
    const parent = parentId === null ? undefined : usableParent(world, space, parentId, ctx.user);
    if (parentId !== null && !parent)
      return v1Error(400, `Could not find the parent page with id ${parentId} in ${space.key}`);
    if (status === 'current' && titleTaken(world, space.id, title)) {
      return v1Error(
        400,
        `com.atlassian.confluence.api.service.exceptions.BadRequestException: ${DUPLICATE_TITLE_MESSAGE}`,
      );
    }
    const page = world.addPage({
      spaceId: space.id,
      parentId: parent?.id ?? null,
      title,
      status,
      body: bodyValue(body.body) ?? '',
      authorId: ctx.user.accountId,
    });
    return json(200, v1Content(world, page, new Set(['body.storage']), ctx.base));
  }),

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
