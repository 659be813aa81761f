import type { EmulatedPage, EmulatedSpace, EmulatedUser } from './model.js';
import { canViewPage } from './permissions.js';
import type { ConfluenceWorld } from './world.js';

/** What creating a page checks the same way in v1 (`POST /rest/api/content`) and v2 (`POST /api/v2/pages`). */

/**
 * Observed on Cloud for a second current page with a taken title (titles are unique per space): the v1 message. v2
 * answers the same text [Inf].
 */
export const DUPLICATE_TITLE_MESSAGE =
  'A page with this title already exists: A page already exists with the same TITLE in this space';

/** Whether a current page of the space already has this title (Confluence compares case-insensitively [Inf]). */
export function titleTaken(world: ConfluenceWorld, spaceId: string, title: string): boolean {
  const wanted = title.trim().toLowerCase();
  return [...world.pages.values()].some(
    (page) => page.spaceId === spaceId && page.status === 'current' && page.title.trim().toLowerCase() === wanted,
  );
}

/** The parent a new page names, if the caller may see it and it is in the same space. */
export function usableParent(
  world: ConfluenceWorld,
  space: EmulatedSpace,
  parentId: string,
  user: EmulatedUser,
): EmulatedPage | undefined {
  const parent = world.pages.get(parentId);
  if (!parent || parent.spaceId !== space.id || !canViewPage(world, parent, user)) return undefined;
  return parent;
}
