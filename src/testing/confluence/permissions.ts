import type { EmulatedPage, EmulatedSpace, EmulatedUser } from './model.js';
import type { ConfluenceWorld } from './world.js';

/**
 * Confluence's permission model, reduced to what an iframe app can observe:
 * product access → space role → page restrictions (view restrictions inherited from
 * ancestors, edit restrictions not), and separately the app's own limits (scopes, app
 * access rules), which are checked in the handlers.
 */

export function spaceRole(space: EmulatedSpace, user: EmulatedUser) {
  return user.confluenceAccess ? space.roles[user.accountId] : undefined;
}

export function canViewSpace(space: EmulatedSpace, user: EmulatedUser): boolean {
  return spaceRole(space, user) !== undefined;
}

/** The page's ancestors, parent first; stops at a missing parent or where the parent chain loops. */
export function ancestorsOf(world: ConfluenceWorld, page: EmulatedPage): EmulatedPage[] {
  const out: EmulatedPage[] = [];
  const seen = new Set<string>([page.id]);
  for (
    let p = page.parentId ? world.pages.get(page.parentId) : undefined;
    p && !seen.has(p.id);
    p = p.parentId ? world.pages.get(p.parentId) : undefined
  ) {
    seen.add(p.id);
    out.push(p);
  }
  return out;
}

export function canViewPage(world: ConfluenceWorld, page: EmulatedPage, user: EmulatedUser): boolean {
  const space = world.spaces.get(page.spaceId);
  if (!space || !canViewSpace(space, user)) return false;
  // View restrictions apply to the page and every descendant, so the ancestors' restrictions count too.
  return [page, ...ancestorsOf(world, page)].every(
    (p) => !p.restrictions.read || p.restrictions.read.includes(user.accountId),
  );
}

export function canEditPage(world: ConfluenceWorld, page: EmulatedPage, user: EmulatedUser): boolean {
  if (!canViewPage(world, page, user)) return false;
  const role = spaceRole(world.spaces.get(page.spaceId)!, user);
  if (role !== 'edit' && role !== 'admin') return false;
  const update = page.restrictions.update;
  return !update || update.includes(user.accountId);
}

export function canDeletePage(world: ConfluenceWorld, page: EmulatedPage, user: EmulatedUser): boolean {
  return canEditPage(world, page, user);
}

/** The v2 `PermittedOperationsResponse` entries for a page. */
export function pageOperations(world: ConfluenceWorld, page: EmulatedPage, user: EmulatedUser) {
  const ops: { operation: string; targetType: string }[] = [{ operation: 'read', targetType: 'page' }];
  if (canEditPage(world, page, user)) {
    ops.push({ operation: 'update', targetType: 'page' }, { operation: 'delete', targetType: 'page' });
    ops.push({ operation: 'create', targetType: 'page' }); // creating a child page
  }
  if (spaceRole(world.spaces.get(page.spaceId)!, user) === 'admin')
    ops.push({ operation: 'restrict_content', targetType: 'page' });
  return ops;
}

/** The v2 `PermittedOperationsResponse` entries for a space. */
export function spaceOperations(space: EmulatedSpace, user: EmulatedUser) {
  const role = spaceRole(space, user);
  const ops: { operation: string; targetType: string }[] = [{ operation: 'read', targetType: 'space' }];
  if (role === 'edit' || role === 'admin') {
    ops.push(
      { operation: 'create', targetType: 'page' },
      { operation: 'create', targetType: 'blogpost' },
      { operation: 'create', targetType: 'comment' },
    );
  }
  if (role === 'admin')
    ops.push({ operation: 'administer', targetType: 'space' }, { operation: 'export', targetType: 'space' });
  return ops;
}

export function appCanAccessSpace(world: ConfluenceWorld, spaceId: string): boolean {
  return !world.app.blockedSpaceIds.includes(spaceId);
}
