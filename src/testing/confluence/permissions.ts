import type { EmulatedPage, EmulatedSpace, EmulatedUser } from '../confluence/model.js';
import type { ConfluenceWorld } from '../confluence/world.js';

/**
 * Confluence's permission model, reduced to what an iframe app can observe:
 * product access → space role → page restrictions (view restrictions inherited from
 * ancestors, edit restrictions not), and separately the app's own limits (scopes, app
 * access rules), which are checked in the handlers.
 */

/** One entry of v2's `PermittedOperationsResponse`. */
export interface PermittedOperation {
  operation: string;
  targetType: string;
}

export function spaceRole(space: EmulatedSpace, user: EmulatedUser) {
  return user.confluenceAccess ? space.roles[user.accountId] : undefined;
}

export function canViewSpace(space: EmulatedSpace, user: EmulatedUser): boolean {
  return spaceRole(space, user) !== undefined;
}

/** The page's ancestors, parent first; stops at a missing parent or where the parent chain loops. */
export function ancestorsOf(world: ConfluenceWorld, page: EmulatedPage): EmulatedPage[] {
  const ancestors: EmulatedPage[] = [];
  const seen = new Set<string>([page.id]);
  let parentId = page.parentId;
  while (parentId !== null && !seen.has(parentId)) {
    const parent = world.pages.get(parentId);
    if (!parent) break;
    seen.add(parent.id);
    ancestors.push(parent);
    parentId = parent.parentId;
  }
  return ancestors;
}

export function canViewPage(world: ConfluenceWorld, page: EmulatedPage, user: EmulatedUser): boolean {
  const space = world.spaces.get(page.spaceId);
  if (!space || !canViewSpace(space, user)) return false;
  // View restrictions apply to the page and every descendant, so the ancestors' restrictions count too.
  return [page, ...ancestorsOf(world, page)].every((pageOrAncestor) => {
    const readers = pageOrAncestor.restrictions.read;
    return readers === undefined || readers.includes(user.accountId);
  });
}

export function canEditPage(world: ConfluenceWorld, page: EmulatedPage, user: EmulatedUser): boolean {
  // Anonymous viewers never write, whatever a space grants them.
  if (user.anonymous) return false;
  if (!canViewPage(world, page, user)) return false;
  const space = world.spaces.get(page.spaceId);
  const role = space ? spaceRole(space, user) : undefined;
  if (role !== 'edit' && role !== 'admin') return false;
  const update = page.restrictions.update;
  return !update || update.includes(user.accountId);
}

export function canDeletePage(world: ConfluenceWorld, page: EmulatedPage, user: EmulatedUser): boolean {
  return canEditPage(world, page, user);
}

/** The v2 `PermittedOperationsResponse` entries for a page. */
export function pageOperations(world: ConfluenceWorld, page: EmulatedPage, user: EmulatedUser) {
  const operations: PermittedOperation[] = [{ operation: 'read', targetType: 'page' }];
  if (canEditPage(world, page, user)) {
    operations.push({ operation: 'update', targetType: 'page' }, { operation: 'delete', targetType: 'page' });
    operations.push({ operation: 'create', targetType: 'page' }); // creating a child page
  }
  const space = world.spaces.get(page.spaceId);
  if (space && spaceRole(space, user) === 'admin') {
    operations.push({ operation: 'restrict_content', targetType: 'page' });
  }
  return operations;
}

/** The v2 `PermittedOperationsResponse` entries for a space. */
export function spaceOperations(space: EmulatedSpace, user: EmulatedUser) {
  const role = spaceRole(space, user);
  const operations: PermittedOperation[] = [{ operation: 'read', targetType: 'space' }];
  if (role === 'edit' || role === 'admin') {
    operations.push(
      { operation: 'create', targetType: 'page' },
      { operation: 'create', targetType: 'blogpost' },
      { operation: 'create', targetType: 'comment' },
    );
  }
  if (role === 'admin') {
    operations.push({ operation: 'administer', targetType: 'space' }, { operation: 'export', targetType: 'space' });
  }
  return operations;
}

/**
 * The "Create Space(s)" global permission (`EmulatedUser.canCreateSpace`, site admins by default). Anonymous viewers
 * and users without product access never have it.
 */
export function canCreateSpace(user: EmulatedUser): boolean {
  if (user.anonymous || !user.confluenceAccess) return false;
  return user.canCreateSpace ?? user.siteAdmin;
}

/** Whether the user may create pages in the space: an edit or admin role (the space's "Add page" permission). */
export function canCreatePageIn(space: EmulatedSpace, user: EmulatedUser): boolean {
  if (user.anonymous) return false;
  const role = spaceRole(space, user);
  return role === 'edit' || role === 'admin';
}

export function appCanAccessSpace(world: ConfluenceWorld, spaceId: string): boolean {
  return !world.app.blockedSpaceIds.includes(spaceId);
}

/** Whether the app's licence is active for this user (false for an unlicensed user of a paid app). */
export function appLicenceActive(user: EmulatedUser | undefined): boolean {
  return user?.appLicensed !== false;
}

/** The accountId apps may see for this user: none for an anonymous viewer. */
export function visibleAccountId(user: EmulatedUser | undefined): string | undefined {
  if (!user || user.anonymous) return undefined;
  return user.accountId;
}
