import type { FrameLocator } from 'playwright-core';
import { USERS } from '../../src/testing/core';
import { hasChromium } from './support/chromium';
import { startEmulatorSession, type EmulatorSession } from './support/emulator-session';
import { screenshot } from './support/screenshots';

const ONE_SPACE = 'Your access is limited to one space.';
const SIGN_IN = 'Sign in to edit.';
const UNLICENSED = "Your site's licence for this app is inactive.";

/**
 * The users apps forget (a single-space guest, an anonymous viewer of a public space, a user the app's licence is
 * inactive for), chosen in the emulator's "Acting user" select while the demo macro is on screen: each sees the
 * kit's own state for who they are, not a generic refusal, on Connect and on Forge.
 */
describe.skipIf(!hasChromium)('guest, anonymous and unlicensed users in the demo macro (real browser)', () => {
  let s: EmulatorSession;

  beforeAll(async () => {
    s = await startEmulatorSession();
  });
  afterAll(async () => {
    await s?.close();
  });

  /** Picks the acting user in the emulator's select and waits for the app iframe it remounts. */
  async function actAs(user: keyof typeof USERS, slot: string, app: FrameLocator): Promise<void> {
    const previous = await s.page.locator(slot).elementHandle();
    await s.page.getByTestId('acting-user').selectOption(USERS[user].accountId);
    await previous?.waitForElementState('hidden');
    await app.locator('[data-testid=demo-root]').waitFor();
  }

  /** Searches the space's pages from the demo's search form. */
  async function search(app: FrameLocator, term: string): Promise<void> {
    await app.getByLabel('Search pages').fill(term);
    await app.getByRole('button', { name: 'Search', exact: true }).click();
  }

  async function openFirstPage(app: FrameLocator): Promise<void> {
    await app.locator('[data-testid=page-list] li button').first().click();
    await app.getByTestId('page-title').waitFor();
  }

  for (const host of ['connect', 'forge'] as const) {
    const slot =
      host === 'connect'
        ? '[data-testid=macro-slot] iframe.ap-iframe'
        : '[data-testid=macro-slot] iframe[data-host=forge]';
    const appOf = () => (host === 'connect' ? s.app : s.forge.app);

    it(`${host}: an editor's search finds pages; a guest's search says their access is limited to one space`, async () => {
      if (host === 'connect') await s.open({ user: 'editor' });
      else await s.openForge({ user: 'editor' });
      let app = appOf();
      await search(app, 'Getting');
      await app.getByTestId('search-results').getByRole('button', { name: 'Getting started' }).waitFor();

      await actAs('guest', slot, app);
      app = appOf();
      // The guest reads their space's pages like anyone...
      await app.locator('[data-testid=page-list] li').first().waitFor();
      // ...but Confluence refuses them search (403): the demo says why, in the kit's words.
      await search(app, 'Getting');
      const state = app.locator('[data-kind=guest]');
      await state.waitFor();
      expect(await state.textContent()).toContain(ONE_SPACE);
      expect(await app.locator('[data-testid=page-list] li').count()).toBeGreaterThan(0);
      await screenshot(s.page, `${host}-guest-search`);
    });

    it(`${host}: an anonymous viewer reads the page and is asked to sign in to edit`, async () => {
      await actAs('anonymous', slot, appOf());
      const app = appOf();
      await openFirstPage(app);
      const state = app.locator('[data-kind=anonymous]');
      await state.waitFor();
      expect(await state.textContent()).toContain(SIGN_IN);
      expect(await app.getByRole('button', { name: 'Save title' }).count()).toBe(0);
      await screenshot(s.page, `${host}-anonymous`);
    });

    it(`${host}: an unlicensed user sees the licence state instead of the app`, async () => {
      await actAs('unlicensed', slot, appOf());
      const app = appOf();
      const state = app.locator('[data-kind=unlicensed]');
      await state.waitFor();
      expect(await state.textContent()).toContain(UNLICENSED);
      expect(await app.locator('[data-testid=page-list]').count()).toBe(0);
      await screenshot(s.page, `${host}-unlicensed`);

      // Back to a licensed user: the app is there again.
      await actAs('editor', slot, app);
      await appOf().locator('[data-testid=page-list] li').first().waitFor();
      expect(s.external).toEqual([]);
    });
  }
});
