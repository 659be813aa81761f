import path from 'node:path';
import type { Page } from 'playwright-core';
import { REPO_ROOT } from '../../emulator/node/dev-environment';
import { GALLERY_STATES } from '../../emulator/states/gallery-states';
import { hasChromium } from './support/chromium';
import { startEmulatorSession, type EmulatorSession } from './support/emulator-session';
import { screenshot } from './support/screenshots';

/** UPDATE_DOCS_SCREENSHOTS=1 refreshes the README's gallery pictures; a normal run leaves the tracked files alone. */
async function saveDocsCopy(page: Page, name: string): Promise<void> {
  if (!process.env.UPDATE_DOCS_SCREENSHOTS) return;
  // Each refusal takes focus when it appears; the last one's focus ring is noise in a picture of all of them.
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  await page.screenshot({ path: path.join(REPO_ROOT, 'docs', name), fullPage: true });
}

/**
 * The emulator's state gallery (states.html, linked from its header) in Chromium: every RequestState view, each
 * rendered by the kit's own components from a real request, in light and dark.
 */
describe.skipIf(!hasChromium)('state gallery of the Confluence emulator (real browser)', () => {
  let s: EmulatorSession;

  beforeAll(async () => {
    s = await startEmulatorSession();
  });
  afterAll(async () => {
    await s?.close();
  });

  /** Every card shows its own state view: the kind (and forbidden reason) its entry names. */
  async function expectEveryStateRendered(): Promise<void> {
    const cards = s.page.locator('[data-state-id]');
    await expect.poll(() => cards.count()).toBe(GALLERY_STATES.length);
    await expect.poll(() => s.page.locator('[data-state-id][data-settled=false]').count()).toBe(0);
    for (const state of GALLERY_STATES) {
      const view = s.page.locator(`[data-state-id="${state.id}"] [data-kind]`);
      expect(await view.getAttribute('data-kind'), state.id).toBe(state.kind);
      expect(await view.getAttribute('data-reason'), state.id).toBe(state.reason ?? null);
    }
  }

  it('is linked from the emulator header and renders every state, each by its real view', async () => {
    await s.open({ user: 'editor' });
    await s.page.getByTestId('states-gallery-link').click();
    await s.page.getByTestId('states-gallery').waitFor();
    expect(new URL(s.page.url()).pathname).toBe('/states.html');
    await expectEveryStateRendered();

    // A few texts an app team will recognise, from the kit's default messages.
    const textOf = (id: string) => s.page.locator(`[data-state-id="${id}"] [data-kind]`).textContent();
    expect(await textOf('quota')).toMatch(
      /^This app has used its Confluence quota for this hour\. It resumes at \d\d:\d\d\.$/,
    );
    expect(await textOf('rate-limited-burst')).toMatch(/Confluence is busy\. Retrying in \d+ s\./);
    expect(await textOf('forbidden-app-scope')).toContain('This app lacks a permission.');
    expect(await textOf('conflict')).toContain('Someone else saved version 7.');
    expect(await textOf('bad-request')).toContain("Confluence could not accept the app's request.");
    expect(await textOf('gone')).toContain('This app uses a Confluence API that has been removed. Update the app.');
    expect(await textOf('outside-no-host')).toContain('This app must be opened from Confluence.');
    expect(await textOf('forbidden-xsrf')).toContain('Confluence refused this change for security reasons.');
    // None of them offers a retry that cannot help.
    for (const id of ['bad-request', 'gone', 'outside-no-host']) {
      expect(await s.page.locator(`[data-state-id="${id}"] [data-kind] button`).count(), id).toBe(0);
    }
    // The users apps forget: their own words, not a generic refusal.
    expect(await textOf('guest')).toContain('Your access is limited to one space.');
    expect(await textOf('anonymous')).toContain('Sign in to edit.');
    expect(await textOf('unlicensed')).toContain("Your site's licence for this app is inactive.");
    expect(await s.page.locator('[data-state-id=quota] .emu-state-code').textContent()).toContain(
      'CONFLUENCE_RATE_LIMITED',
    );
    await screenshot(s.page, 'states-light');
    await saveDocsCopy(s.page, 'states-light.png');
  });

  it('renders the same states in the dark theme', async () => {
    await s.page.goto(`${s.env.emulatorUrl}states.html`);
    await s.page.getByTestId('states-gallery').waitFor();
    const lightBackground = await s.page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    await s.page.getByLabel('Theme').selectOption('dark');
    expect(await s.page.evaluate(() => document.documentElement.getAttribute('data-color-mode'))).toBe('dark');
    await expect
      .poll(() => s.page.evaluate(() => getComputedStyle(document.body).backgroundColor))
      .not.toBe(lightBackground);
    // The state views follow the design tokens: the refusal box is dark too.
    const refusalBackground = await s.page
      .locator('[data-state-id=not-found] [data-kind]')
      .evaluate((box) => getComputedStyle(box).backgroundColor);
    expect(refusalBackground).not.toBe('rgb(255, 247, 214)');
    await expectEveryStateRendered();
    expect(new URL(s.page.url()).searchParams.get('theme')).toBe('dark');
    await screenshot(s.page, 'states-dark');
    await saveDocsCopy(s.page, 'states-dark.png');
    expect(s.external).toEqual([]);
  });

  it('answers /states on the dev server too', async () => {
    await s.page.goto(`${s.env.emulatorUrl}states?theme=dark`);
    await s.page.getByTestId('states-gallery').waitFor();
    expect(await s.page.evaluate(() => document.documentElement.getAttribute('data-color-mode'))).toBe('dark');
  });
});
