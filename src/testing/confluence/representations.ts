import type { EmulatedContentProperty, EmulatedPage, EmulatedSpace, EmulatedUser } from './model.js';
import { ancestorsOf } from './permissions.js';
import { storageToAdf } from './storage-to-adf.js';
import type { ConfluenceWorld } from './world.js';

/** Serialisers from the world's records to the JSON shapes of the v1 and v2 APIs. */

const slug = (title: string) => encodeURIComponent(title).replace(/%20/g, '+');

/** A page's `webui` link, the same in v1, v2 and search results. */
export const pageWebui = (page: EmulatedPage, spaceKey: string) =>
  `/spaces/${spaceKey}/pages/${page.id}/${slug(page.title)}`;

/** A page's `tinyui` short link. */
export const pageTinyui = (page: EmulatedPage) => `/x/${btoa(page.id).replace(/=+$/, '')}`;

export type BodyFormat = 'storage' | 'atlas_doc_format' | 'view' | 'export_view';

export function v2Body(page: EmulatedPage, format: string | null) {
  if (!format) return {};
  if (format === 'storage') return { storage: { representation: 'storage', value: page.body } };
  if (format === 'atlas_doc_format')
    return { atlas_doc_format: { representation: 'atlas_doc_format', value: storageToAdf(page.body) } };
  // [Inf] the emulator has no renderer; view formats return the storage XHTML without macros.
  const view = page.body.replace(/<ac:[^>]*>|<\/ac:[^>]*>/g, '');
  return { [format]: { representation: format, value: view } };
}

export function v2Page(
  world: ConfluenceWorld,
  page: EmulatedPage,
  opts: { bodyFormat?: string | null; base?: string } = {},
) {
  const space = world.spaces.get(page.spaceId);
  return {
    id: page.id,
    status: page.status,
    title: page.title,
    spaceId: page.spaceId,
    parentId: page.parentId,
    parentType: page.parentId ? 'page' : null,
    position: page.position,
    authorId: page.authorId,
    ownerId: page.authorId,
    lastOwnerId: null,
    createdAt: page.createdAt,
    version: { ...page.version },
    body: v2Body(page, opts.bodyFormat ?? null),
    _links: {
      webui: pageWebui(page, space?.key ?? '~'),
      editui: `/pages/resumedraft.action?draftId=${page.id}`,
      tinyui: pageTinyui(page),
      ...(opts.base ? { base: opts.base } : {}),
    },
  };
}

export function v2Child(page: EmulatedPage) {
  return { id: page.id, status: page.status, title: page.title, spaceId: page.spaceId, childPosition: page.position };
}

export function v2Space(space: EmulatedSpace) {
  return {
    id: space.id,
    key: space.key,
    name: space.name,
    type: space.type,
    status: space.status,
    authorId: space.authorId,
    createdAt: space.createdAt,
    homepageId: space.homepageId,
    description: null,
    icon: null,
    _links: { webui: `/spaces/${space.key}` },
  };
}

const DEFAULT_PROFILE_PICTURE = { path: '/wiki/aa-avatar/default.png', width: 48, height: 48, isDefault: true };

/**
 * v1 `User` (spec: `type`, `accountId`, `accountType`, `email`, `publicName`, `profilePicture`, `displayName`,
 * `timeZone`, `isExternalCollaborator`). `email` is `''` when hidden: Confluence empties it for privacy settings.
 * An anonymous viewer is `type: 'anonymous'` with no accountId or email [Inf: the spec lists the type, not the body].
 */
export function v1User(user: EmulatedUser, base: string, options: { showEmail?: boolean } = {}) {
  if (user.anonymous) {
    return {
      type: 'anonymous',
      profilePicture: DEFAULT_PROFILE_PICTURE,
      displayName: 'Anonymous',
      isExternalCollaborator: false,
      _expandable: { operations: '' },
      _links: { base, context: '/wiki' },
    };
  }
  return {
    type: 'known',
    accountId: user.accountId,
    accountType: 'atlassian',
    email: options.showEmail === false ? '' : user.email,
    publicName: user.displayName,
    profilePicture: DEFAULT_PROFILE_PICTURE,
    displayName: user.displayName,
    timeZone: user.timeZone,
    isExternalCollaborator: user.guest === true,
    // [Inf] the newer field Cloud sends beside the deprecated isExternalCollaborator.
    isGuest: user.guest === true,
    _expandable: { operations: '', personalSpace: '' },
    _links: { self: `${base}/rest/api/user?accountId=${encodeURIComponent(user.accountId)}`, base, context: '/wiki' },
  };
}

/** v1 `Space`, as content, search results and the space list carry it. */
export function v1Space(space: EmulatedSpace, base: string) {
  return {
    id: Number(space.id),
    key: space.key,
    name: space.name,
    type: space.type,
    status: space.status,
    _expandable: {
      settings: '',
      metadata: '',
      operations: '',
      lookAndFeel: '',
      identifiers: '',
      permissions: '',
      icon: '',
      description: '',
      theme: '',
      history: '',
      homepage: '',
    },
    _links: { webui: `/spaces/${space.key}`, self: `${base}/rest/api/space/${space.key}` },
  };
}

/** v1 `Content`. `expand` drives `body.*`, `ancestors` and `history` like the real API; `space` and `version` are always present. */
export function v1Content(world: ConfluenceWorld, page: EmulatedPage, expand: Set<string>, base: string) {
  const space = world.spaces.get(page.spaceId)!;
  const author = world.users.get(page.version.authorId);
  const body: Record<string, unknown> = {};
  for (const format of ['storage', 'view', 'export_view', 'atlas_doc_format'] as const) {
    if (expand.has(`body.${format}`))
      body[format] = {
        value: (v2Body(page, format) as Record<string, { value: string }>)[format]!.value,
        representation: format,
        _expandable: { content: `/rest/api/content/${page.id}` },
      };
  }
  return {
    id: page.id,
    type: 'page',
    status: page.status,
    title: page.title,
    space: v1Space(space, base),
    version: {
      by: author
        ? {
            type: 'known',
            accountId: author.accountId,
            accountType: 'atlassian',
            displayName: author.displayName,
            publicName: author.displayName,
          }
        : null,
      when: page.version.createdAt,
      friendlyWhen: page.version.createdAt,
      message: page.version.message,
      number: page.version.number,
      minorEdit: page.version.minorEdit,
      _links: { self: `${base}/rest/api/content/${page.id}/version/${page.version.number}` },
    },
    ...(expand.has('ancestors')
      ? {
          ancestors: ancestorsOf(world, page)
            .reverse()
            .map((a) => ({ id: a.id, type: 'page', status: a.status, title: a.title })),
        }
      : {}),
    ...(expand.has('history')
      ? { history: { latest: true, createdDate: page.createdAt, createdBy: { accountId: page.authorId } } }
      : {}),
    ...(Object.keys(body).length ? { body } : {}),
    extensions: { position: page.position },
    _expandable: {
      childTypes: '',
      container: `/rest/api/space/${space.key}`,
      metadata: '',
      operations: '',
      children: `/rest/api/content/${page.id}/child`,
      restrictions: `/rest/api/content/${page.id}/restriction/byOperation`,
      descendants: `/rest/api/content/${page.id}/descendant`,
      ...(expand.has('history') ? {} : { history: `/rest/api/content/${page.id}/history` }),
      ...(expand.has('ancestors') ? {} : { ancestors: '' }),
      ...(Object.keys(body).length ? {} : { body: '' }),
    },
    _links: {
      webui: pageWebui(page, space.key),
      edit: `/pages/resumedraft.action?draftId=${page.id}`,
      tinyui: pageTinyui(page),
      collection: '/rest/api/content',
      base,
      context: '/wiki',
      self: `${base}/rest/api/content/${page.id}`,
    },
  };
}

/** v2 `ContentProperty`: `{id, key, value, version:{number, createdAt, message, minorEdit, authorId}}`. */
export function v2ContentProperty(p: EmulatedContentProperty) {
  const { number, createdAt, message, minorEdit, authorId } = p.version;
  return { id: p.id, key: p.key, value: p.value, version: { number, createdAt, message, minorEdit, authorId } };
}
