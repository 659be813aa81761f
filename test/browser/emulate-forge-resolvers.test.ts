import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { readForgeManifest } from '../../emulator/node/forge-manifest';
import { startEmulator, type RunningEmulator } from '../../emulator/node/start-emulator';
import { PAGES, USERS } from '../../src/testing/core';
import { writeResolverApp } from '../emulator/support/resolver-app';
import { hasChromium, launchChromium } from './support/chromium';
import { screenshot } from './support/screenshots';

/**
 * A Forge app written in the test (test/emulator/support/resolver-app.ts): its Custom UI calls `invoke()`, its
 * resolver (TypeScript on @forge/resolver, @forge/api and @forge/kvs from npm) calls `asUser().requestConfluence`
 * and storage. In Chromium: the UI shows the resolver's data, the no-access user gets the refusal through the
 * resolver, a throwing resolver rejects the UI's invoke as Forge's does, and the request log has each invocation with
 * the Confluence calls it made, answered from the page's own site.
 */
describe.skipIf(!hasChromium)('emulate --forge: resolvers in Chromium', () => {
  let folder: string;
  let emulator: RunningEmulator;
  let browser: Awaited<ReturnType<typeof launchChromium>>;
  const errors: string[] = [];

  beforeAll(async () => {
    folder = await mkdtemp(path.join(tmpdir(), 'cik-forge-resolvers-ui-'));
    const forgeManifest = await readForgeManifest(await writeResolverApp(folder));
    emulator = await startEmulator({ forgeManifest, port: 0, output: { error: (line) => errors.push(line) } });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await emulator?.close();
    if (folder) await rm(folder, { recursive: true, force: true });
  });

  /** The resolver rows of the request log as `status method path`, without their times (ids end in digits). */
  const rowTexts = (page: Page) =>
    page.locator('[data-testid=request-log] li[data-host=resolver]').evaluateAll((rows) =>
      rows.map((row) =>
        [...row.children]
          // The text cells only: not the duration, nor the waterfall's bar (which has no text).
          .filter((cell) => !cell.classList.contains('emu-log-ms') && cell.textContent !== '')
          .map((cell) => cell.textContent)
          .join(' '),
      ),
    );

  it("shows the resolver's data as the acting user, and logs the invocation and its Confluence call", async () => {
    const page = await browser.context.newPage();
    await page.goto(`${emulator.emulatorUrl}?user=editor`);
    const macro = page.frameLocator('[data-testid=macro-slot] iframe[data-host=forge]');
    // The first invoke bundles the resolver (esbuild), as `forge tunnel` does before its first call.
    await expect.poll(() => macro.locator('#page').textContent(), { timeout: 30_000 }).toBe('Getting started (hi)');
    await expect
      .poll(() => macro.locator('#explode').textContent())
      .toBe('error: There was an error invoking the function - the resolver exploded');
    await expect
      .poll(() => rowTexts(page))
      .toEqual(
        expect.arrayContaining([
          '200 INVOKE resolver getPage',
          `200 GET resolver getPage /api/v2/pages/${PAGES.gettingStarted}`,
          'ERR INVOKE resolver explodethe resolver exploded',
        ]),
      );
    expect(errors.join('\n')).toContain('the resolver exploded');
    await screenshot(page, 'emulate-forge-resolvers');

    // The resolver's Confluence calls are answered from this page's site: a title changed here is what it reads.
    await page.evaluate((pageId) => {
      const emulated = (
        window as unknown as { __confluenceEmulator: { world: { pages: Map<string, { title: string }> } } }
      ).__confluenceEmulator;
      emulated.world.pages.get(pageId)!.title = 'Retitled on the page';
    }, PAGES.gettingStarted);
    await page.getByRole('button', { name: 'Reload app' }).click();
    await expect.poll(() => macro.locator('#page').textContent()).toBe('Retitled on the page (hi)');
    await page.close();
  });

  it('refuses the no-access user through the resolver', async () => {
    const page = await browser.context.newPage();
    await page.goto(`${emulator.emulatorUrl}?user=noAccess`);
    const macro = page.frameLocator('[data-testid=macro-slot] iframe[data-host=forge]');
    await expect.poll(() => macro.locator('#page').textContent(), { timeout: 30_000 }).toBe('refused 403');
    await expect.poll(() => rowTexts(page)).toContain(`403 GET resolver getPage /api/v2/pages/${PAGES.gettingStarted}`);
    expect(USERS.noAccess.confluenceAccess).toBe(false);
    await page.close();
  });
});
