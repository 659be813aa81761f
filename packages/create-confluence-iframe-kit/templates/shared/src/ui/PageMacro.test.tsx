// @vitest-environment jsdom
import { fireEvent, screen } from '@testing-library/react';
import { PAGES, createWorld, renderWithConfluence } from 'confluence-iframe-kit/testing';
import { PageMacro } from './PageMacro';
import { HOST } from './host';

// The testing kit's emulated site: seed users (editor, viewer, noAccess…), spaces and pages with Confluence's
// permission rules. The macro sits on "Getting started".
const pageId = PAGES.gettingStarted;

test('an editor sees the page and renames it', async () => {
  const { world } = renderWithConfluence(<PageMacro />, { host: HOST, user: 'editor', pageId });
  expect(await screen.findByRole('heading', { name: 'Getting started' })).toBeTruthy();
  fireEvent.change(await screen.findByRole('textbox', { name: 'New title' }), { target: { value: 'Start here' } });
  fireEvent.click(screen.getByRole('button', { name: 'Rename' }));
  expect(await screen.findByRole('heading', { name: 'Start here' })).toBeTruthy();
  expect(world.pages.get(pageId)!.title).toBe('Start here');
});

test('a viewer sees the page without the rename form', async () => {
  renderWithConfluence(<PageMacro />, { host: HOST, user: 'viewer', pageId });
  expect(await screen.findByRole('heading', { name: 'Getting started' })).toBeTruthy();
  expect(await screen.findByText(/^Read only/)).toBeTruthy();
  expect(screen.queryByRole('button', { name: 'Rename' })).toBeNull();
});

test('a user without access to Confluence is told why, not shown a crash or a spinner', async () => {
  renderWithConfluence(<PageMacro />, { host: HOST, user: 'noAccess', pageId });
  const alert = await screen.findByRole('alert');
  expect(alert.dataset.kind).toBe('forbidden');
  expect(alert.dataset.reason).toBe('product-access'); // the 403 says why: no product access, not a missing page
  expect(alert.textContent).toContain("You don't have access to Confluence.");
  expect(screen.queryByRole('heading')).toBeNull();
});

test('someone else saving first is a conflict with "Reload latest"; their version is not overwritten', async () => {
  const { world } = renderWithConfluence(<PageMacro />, { host: HOST, user: 'editor', pageId });
  fireEvent.change(await screen.findByRole('textbox', { name: 'New title' }), { target: { value: 'Mine' } });
  world.setFaults({ nextSaveConflicts: true });
  fireEvent.click(screen.getByRole('button', { name: 'Rename' }));
  const alert = await screen.findByRole('alert');
  expect(alert.dataset.kind).toBe('conflict');
  expect(screen.getByRole('button', { name: 'Reload latest' })).toBeTruthy();
  expect(world.pages.get(pageId)!.title).not.toBe('Mine');
});

test("the app's hourly Confluence quota is spent: the quota state says when it resumes", async () => {
  const world = createWorld({ actingUser: 'editor' });
  world.quota.exhaust();
  renderWithConfluence(<PageMacro />, { host: HOST, world, pageId });
  const alert = await screen.findByRole('alert');
  expect(alert.dataset.kind).toBe('quota');
  expect(alert.textContent).toContain('This app has used its Confluence quota for this hour.');
});
