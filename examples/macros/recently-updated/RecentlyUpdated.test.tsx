// @vitest-environment jsdom
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { PAGES, SPACES, renderWithConfluence, type ConfluenceWorld } from 'confluence-iframe-kit/testing';
import { RECENTLY_UPDATED_PAGE_SIZE, RecentlyUpdated } from './RecentlyUpdated';

/** The titles on screen, in order. */
function listedTitles(): string[] {
  const list = screen.queryByRole('list', { name: 'Recently updated' });
  if (!list) return [];
  return within(list)
    .getAllByRole('listitem')
    .map((item) => item.querySelector('span')?.textContent ?? '');
}

/** The last-modified timestamps on screen, in order. */
function listedTimes(): number[] {
  return [...document.querySelectorAll('li time')].map((time) => Date.parse(time.getAttribute('dateTime') ?? ''));
}

function searchRequests(world: ConfluenceWorld) {
  return world.requests.filter((request) => request.path.startsWith('/wiki/rest/api/search'));
}

describe.each(['connect', 'forge'] as const)('recently updated on %s', (host) => {
  test('lists the space pages newest first, from the space the macro sits in', async () => {
    const { world } = renderWithConfluence(<RecentlyUpdated />, { host, user: 'viewer', pageId: PAGES.home });
    await waitFor(() => expect(listedTitles()).toHaveLength(RECENTLY_UPDATED_PAGE_SIZE));

    const times = listedTimes();
    expect(times.every((time) => Number.isFinite(time))).toBe(true);
    expect(new Set(times).size).toBeGreaterThan(1); // else the order check below could not fail
    expect([...times].sort((left, right) => right - left)).toEqual(times);
    // Every title is an ENG page: the space key came from the host's context, not a parameter.
    const engTitles = [...world.pages.values()]
      .filter((page) => page.spaceId === SPACES.engineering.id)
      .map((page) => page.title);
    expect(listedTitles().every((title) => engTitles.includes(title))).toBe(true);
    expect(searchRequests(world)).toHaveLength(1);
    expect(decodeURIComponent(searchRequests(world)[0]!.path)).toContain(
      'cql=type = page AND space = "ENG" ORDER BY lastmodified DESC',
    );
  });

  test('"Load more" appends the next page and keeps the first one', async () => {
    const { world } = renderWithConfluence(<RecentlyUpdated />, { host, user: 'viewer', pageId: PAGES.home });
    await waitFor(() => expect(listedTitles()).toHaveLength(RECENTLY_UPDATED_PAGE_SIZE));
    const firstPage = listedTitles();

    await userEvent.click(screen.getByRole('button', { name: 'Load more' }));
    await waitFor(() => expect(listedTitles()).toHaveLength(2 * RECENTLY_UPDATED_PAGE_SIZE));

    const bothPages = listedTitles();
    expect(bothPages.slice(0, RECENTLY_UPDATED_PAGE_SIZE)).toEqual(firstPage);
    expect(new Set(bothPages).size).toBe(bothPages.length);
    const times = listedTimes();
    expect([...times].sort((left, right) => right - left)).toEqual(times);
    expect(searchRequests(world).map((request) => request.status)).toEqual([200, 200]);
  });

  test('a single-space guest may not search: the guest state, no list', async () => {
    const { world } = renderWithConfluence(<RecentlyUpdated />, { host, user: 'guest', pageId: PAGES.home });
    const alert = await screen.findByRole('alert');
    expect(alert.dataset.kind).toBe('guest');
    expect(alert.textContent).toBe('Your access is limited to one space.');
    // Confluence's 403 says "Guest users are not permitted to search": the user's permission, not the app's.
    expect(alert.dataset.reason).toBe('user-permission');
    expect(listedTitles()).toEqual([]);
    expect(screen.queryByRole('button', { name: 'Load more' })).toBeNull();
    expect(searchRequests(world).map((request) => request.status)).toEqual([403]);
  });
});
