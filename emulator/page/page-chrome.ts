import type { ConfluenceWorld } from '../../src/testing/core';
import { createElement } from '../ui/dom';

/** How many pages the sidebar's page tree lists. */
const TREE_LIMIT = 14;

/**
 * The header's link to the state gallery (states.html: every RequestState view, light and dark). Both the dev server
 * and the installed command's static server also answer it as `/states`.
 */
/** The top bar's logo and "local emulator" tag, the same on every emulator page. */
export function createEmulatorBrand(): HTMLElement[] {
  return [
    createElement(
      'div',
      { class: 'emu-logo' },
      createElement('span', { class: 'emu-logo-mark', 'aria-hidden': 'true' }),
      'Confluence',
    ),
    createElement('span', { class: 'emu-tag' }, 'local emulator'),
  ];
}

export function createStatesGalleryLink(): HTMLElement {
  return createElement(
    'a',
    { class: 'emu-header-link', href: '/states.html', 'data-testid': 'states-gallery-link' },
    'State gallery',
  );
}

/** The Confluence page around the app: title, byline, breadcrumbs and the space's page tree. */
export interface PageChrome {
  title: HTMLElement;
  byline: HTMLElement;
  breadcrumbs: HTMLElement;
  sidebar: HTMLElement;
  /** Redraws everything from the world (after navigation or a write). */
  render(): void;
}

export function createPageChrome(world: ConfluenceWorld, currentPageId: () => string): PageChrome {
  const title = createElement('h1', { class: 'emu-page-title', 'data-testid': 'host-page-title' });
  const byline = createElement('div', { class: 'emu-byline' });
  const breadcrumbs = createElement('nav', { class: 'emu-breadcrumbs', 'aria-label': 'Breadcrumbs' });
  const spaceIcon = createElement('span', { class: 'emu-space-icon' });
  const spaceName = createElement('strong', {});
  const tree = createElement('ul', { class: 'emu-tree' });
  const sidebar = createElement(
    'aside',
    { class: 'emu-sidebar' },
    createElement('div', { class: 'emu-space' }, spaceIcon, spaceName),
    createElement('div', { class: 'emu-sidebar-heading' }, 'Content'),
    tree,
  );

  function render(): void {
    const page = world.pages.get(currentPageId());
    const space = page ? world.spaces.get(page.spaceId) : undefined;
    title.textContent = page?.title ?? 'Untitled';
    byline.textContent = page
      ? `Owned by ${world.user(page.authorId)?.displayName ?? 'someone'} · v${page.version.number} · last updated ${new Date(page.version.createdAt).toLocaleDateString()}`
      : '';
    breadcrumbs.replaceChildren(
      createElement('span', {}, 'Spaces'),
      createElement('span', {}, '/'),
      createElement('span', {}, space?.name ?? ''),
      createElement('span', {}, '/'),
      createElement('span', {}, page?.title ?? ''),
    );
    spaceIcon.textContent = (space?.name ?? '?').charAt(0).toUpperCase();
    spaceName.textContent = space?.name ?? '';
    const inTree = (candidate: { id: string; spaceId: string; parentId: string | null }) =>
      candidate.spaceId === page?.spaceId &&
      (candidate.parentId === null || candidate.parentId === space?.homepageId || candidate.id === page?.id);
    tree.replaceChildren(
      ...[...world.pages.values()]
        .filter(inTree)
        .slice(0, TREE_LIMIT)
        .map((candidate) =>
          createElement('li', { class: candidate.id === page?.id ? 'current' : undefined }, candidate.title),
        ),
    );
  }

  // A write through the app shows on the page (a new title, a new version).
  world.onRequest((entry) => {
    if (entry.method !== 'GET' && entry.status < 300) render();
  });

  return { title, byline, breadcrumbs, sidebar, render };
}
