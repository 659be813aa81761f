// @vitest-environment jsdom
import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { PAGES, renderWithConfluence } from 'confluence-iframe-kit/testing';
import { PageCard, REVIEWED_SUFFIX, reviewedTitle } from './PageCard';

const pageId = PAGES.gettingStarted;

describe.each(['connect', 'forge'] as const)('page card on %s', (host) => {
  test('"Mark reviewed" changes only the title: the stored body is kept', async () => {
    const { world } = renderWithConfluence(<PageCard pageId={pageId} />, { host, user: 'editor', pageId });
    const bodyBefore = world.pages.get(pageId)!.body;
    const versionBefore = world.pages.get(pageId)!.version.number;
    expect(bodyBefore.length).toBeGreaterThan(0); // else "kept" would prove nothing

    await userEvent.click(await screen.findByRole('button', { name: 'Mark reviewed' }));
    await screen.findByRole('heading', { name: `Getting started${REVIEWED_SUFFIX}` });

    const stored = world.pages.get(pageId)!;
    expect(stored.title).toBe(`Getting started${REVIEWED_SUFFIX}`);
    expect(stored.body).toBe(bodyBefore);
    expect(stored.version.number).toBe(versionBefore + 1);
    // The card refetched the saved page: the new version is on screen and the button says it is done.
    expect(await screen.findByText(`Version ${versionBefore + 1}`)).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Reviewed' })).toHaveProperty('disabled', true);
    expect(screen.queryByRole('alert')).toBeNull();
    expect(screen.queryByText(/^Read only/)).toBeNull();
  });

  test('a viewer sees the card without the button', async () => {
    const { world } = renderWithConfluence(<PageCard pageId={pageId} />, { host, user: 'viewer', pageId });
    await screen.findByRole('heading', { name: 'Getting started' });
    // The note appears once the permission check answered, so the missing button is its answer, not its pending state.
    expect(await screen.findByText(/^Read only/)).toBeTruthy();
    const checks = world.requests.filter((request) =>
      request.path.startsWith(`/wiki/api/v2/pages/${pageId}/operations`),
    );
    expect(checks.map((request) => request.status)).toEqual([200]);
    expect(screen.queryByRole('button', { name: 'Mark reviewed' })).toBeNull();
    expect(world.requests.filter((request) => request.method === 'PUT')).toHaveLength(0);
  });

  test('someone else saving first shows the conflict state, and their page is not overwritten', async () => {
    const { world } = renderWithConfluence(<PageCard pageId={pageId} />, { host, user: 'editor', pageId });
    const bodyBefore = world.pages.get(pageId)!.body;
    const button = await screen.findByRole('button', { name: 'Mark reviewed' });
    world.setFaults({ nextSaveConflicts: true });
    await userEvent.click(button);

    const alert = await screen.findByRole('alert');
    expect(alert.dataset.kind).toBe('conflict');
    expect(alert.textContent).toContain('Someone else saved version');
    expect(screen.getByRole('button', { name: 'Reload latest' })).toBeTruthy();
    // The card stays on screen beside the alert.
    expect(screen.getByRole('heading', { name: 'Getting started' })).toBeTruthy();
    const stored = world.pages.get(pageId)!;
    expect(stored.title).not.toContain(REVIEWED_SUFFIX);
    expect(stored.body).toBe(bodyBefore);
  });
});

test('marking an already reviewed title again changes nothing', () => {
  expect(reviewedTitle('Runbook')).toBe(`Runbook${REVIEWED_SUFFIX}`);
  expect(reviewedTitle(`Runbook${REVIEWED_SUFFIX}`)).toBe(`Runbook${REVIEWED_SUFFIX}`);
});
