// @vitest-environment jsdom
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { PAGES, USERS, createWorld, renderWithConfluence } from 'confluence-iframe-kit/testing';
import { DEFAULT_SETTINGS, MacroSettings, SETTINGS_KEY } from './MacroSettings';

const pageId = PAGES.gettingStarted;

describe.each(['connect', 'forge'] as const)('macro settings on %s', (host) => {
  test('a new page shows the defaults, and saving stores them in the content property', async () => {
    const { world } = renderWithConfluence(<MacroSettings pageId={pageId} />, { host, user: 'editor', pageId });
    const heading = await screen.findByRole('textbox', { name: 'Heading' });
    expect(heading).toHaveProperty('value', DEFAULT_SETTINGS.heading);
    expect(world.contentProperty(pageId, SETTINGS_KEY)).toBeUndefined();

    await userEvent.clear(heading);
    await userEvent.type(heading, 'Platform team');
    await userEvent.click(screen.getByRole('checkbox', { name: 'Show archived pages' }));
    await userEvent.click(screen.getByRole('button', { name: 'Save settings' }));

    expect((await screen.findByRole('status')).textContent).toBe('Settings saved (version 1).');
    expect(world.contentProperty(pageId, SETTINGS_KEY)).toMatchObject({
      value: { heading: 'Platform team', showArchived: true },
      version: { number: 1, authorId: USERS.editor.accountId },
    });
  });

  test('saved settings load on the next render and a second save bumps the version', async () => {
    const world = createWorld({
      actingUser: 'editor',
      contentProperties: [{ pageId, key: SETTINGS_KEY, value: { heading: 'Ops', showArchived: true }, version: 3 }],
    });
    renderWithConfluence(<MacroSettings pageId={pageId} />, { host, world, pageId });
    const heading = await screen.findByRole('textbox', { name: 'Heading' });
    expect(heading).toHaveProperty('value', 'Ops');
    expect(screen.getByRole('checkbox', { name: 'Show archived pages' })).toHaveProperty('checked', true);

    await userEvent.type(heading, ' weekly');
    await userEvent.click(screen.getByRole('button', { name: 'Save settings' }));

    expect((await screen.findByRole('status')).textContent).toBe('Settings saved (version 4).');
    expect(world.contentProperty(pageId, SETTINGS_KEY)).toMatchObject({
      value: { heading: 'Ops weekly', showArchived: true },
      version: { number: 4 },
    });
  });

  test('a save over a newer version is a conflict; "Reload latest" brings their settings into the form', async () => {
    const world = createWorld({
      actingUser: 'editor',
      contentProperties: [{ pageId, key: SETTINGS_KEY, value: { heading: 'Ops', showArchived: false }, version: 1 }],
    });
    renderWithConfluence(<MacroSettings pageId={pageId} />, { host, world, pageId });
    const heading = await screen.findByRole('textbox', { name: 'Heading' });
    // An admin saves from another tab after this form has loaded.
    world.setContentProperty(pageId, SETTINGS_KEY, { heading: 'Ops (admin)', showArchived: true }, { as: 'admin' });

    await userEvent.type(heading, ' mine');
    await userEvent.click(screen.getByRole('button', { name: 'Save settings' }));
    const alert = await screen.findByRole('alert');
    expect(alert.dataset.kind).toBe('conflict');
    expect(world.contentProperty(pageId, SETTINGS_KEY)).toMatchObject({
      value: { heading: 'Ops (admin)', showArchived: true },
      version: { number: 2 },
    });

    await userEvent.click(screen.getByRole('button', { name: 'Reload latest' }));
    await waitFor(() =>
      expect(screen.getByRole('textbox', { name: 'Heading' })).toHaveProperty('value', 'Ops (admin)'),
    );
    expect(screen.getByRole('checkbox', { name: 'Show archived pages' })).toHaveProperty('checked', true);
    expect(screen.queryByRole('alert')).toBeNull();
  });

  test('a viewer cannot save: the refusal shows under the form and nothing is stored', async () => {
    const { world } = renderWithConfluence(<MacroSettings pageId={pageId} />, { host, user: 'viewer', pageId });
    const heading = await screen.findByRole('textbox', { name: 'Heading' });
    await userEvent.type(heading, '!');
    await userEvent.click(screen.getByRole('button', { name: 'Save settings' }));

    const alert = await screen.findByRole('alert');
    // Confluence answers a viewer's write with 404 (no 403 is documented), so the state is "not found".
    expect(alert.dataset.kind).toBe('not-found');
    // The form keeps what the viewer typed, and no "saved" message appears.
    expect(screen.getByRole('textbox', { name: 'Heading' })).toHaveProperty('value', `${DEFAULT_SETTINGS.heading}!`);
    expect(screen.queryByRole('status')).toBeNull();
    expect(world.contentProperty(pageId, SETTINGS_KEY)).toBeUndefined();
  });
});
