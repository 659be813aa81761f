import type { Frame } from 'playwright-core';
import { hasChromium } from './support/chromium';
import { startEmulatorSession, type EmulatorSession } from './support/emulator-session';
import { screenshot } from './support/screenshots';

interface ForgeCall {
  op: string;
  payload: any;
  frame: string;
}

/**
 * The demo as Forge Custom UI inside the emulator (`host=forge`), in Debian's Chromium: the app iframe loads the
 * real npm `@forge/bridge`, which talks to the emulator page through the emulator's `__bridge` shim.
 */
describe.skipIf(!hasChromium)('demo app as Forge Custom UI in the Confluence emulator (real browser)', () => {
  let s: EmulatorSession;
  const EDITOR = '5f8e2b7c9d1a4e0069f3edit';

  beforeAll(async () => {
    s = await startEmulatorSession();
    await s.openForge({ user: 'editor' });
  });
  afterAll(async () => {
    await s?.close();
  });

  /** The macro's Custom UI frame (the element's frame: /forge/macro-editor would match a URL prefix too). */
  const macroFrame = async (): Promise<Frame> => {
    const frame = await (await s.page.locator('[data-testid=macro-slot] iframe[data-host=forge]').elementHandle())?.contentFrame();
    if (!frame) throw new Error('no Forge macro frame');
    return frame;
  };

  const forgeCalls = (): Promise<ForgeCall[]> =>
    s.page.evaluate(() => (window as unknown as { __confluenceEmulator: { forgeCalls: ForgeCall[] } }).__confluenceEmulator.forgeCalls);

  it('lists the pages through the real @forge/bridge, over the emulator shim, from a cross-origin static iframe', async () => {
    const items = s.forge.app.locator('[data-testid=page-list] li');
    await items.first().waitFor();
    expect(await items.count()).toBe(10);
    expect(await s.forge.app.locator('h2').textContent()).toBe('Pages in this space'); // extension.config, the macro's parameters

    // No connect-host iframe and no Connect JWT: Custom UI is served as a static page.
    expect(await s.page.locator('iframe.ap-iframe').count()).toBe(0);
    const src = new URL((await s.page.locator('[data-testid=macro-slot] iframe[data-host=forge]').getAttribute('src'))!);
    expect(src.pathname).toBe('/forge/macro');
    expect(src.search).toBe('');
    const frame = s.page.frames().find((f) => f.url().startsWith(`${s.env.appUrl}/forge/macro`))!;
    expect(await frame.evaluate(() => location.origin)).not.toBe(await s.page.evaluate(() => location.origin));
    // window.__bridge is the emulator's shim (the first script), and there is no all.js in the frame.
    expect(await frame.evaluate(() => document.head.querySelector('script')?.getAttribute('src'))).toBe('/forge-bridge-emulator.js');
    expect(await frame.evaluate(() => typeof (window as any).__bridge?.callBridge)).toBe('function');
    expect(await frame.evaluate(() => 'AP' in window)).toBe(false);

    // @forge/bridge's own code shaped the calls: requestConfluence's fetchProduct payload, with the
    // X-Atlassian-Token header the real bridge adds (the toolkit's Forge transport does not).
    const calls = await forgeCalls();
    const fetches = calls.filter((c) => c.op === 'fetchProduct');
    expect(fetches.length).toBeGreaterThan(0);
    expect(fetches[0]!.payload).toMatchObject({ product: 'confluence', isMultipartFormData: false });
    expect(fetches[0]!.payload.restPath).toMatch(/^\/wiki\/api\/v2\//);
    expect(fetches[0]!.payload.fetchRequestInit.headers).toContainEqual(['x-atlassian-token', 'no-check']);
    expect(calls.some((c) => c.op === 'getContext')).toBe(true);
    // The host's request log shows them, as it shows AP.request in Connect mode.
    expect(await s.page.locator('[data-testid=request-log] li[data-host=forge][data-status="200"]').count()).toBeGreaterThan(0);
    await screenshot(s.page, 'forge-01-page-list');
  });

  it('verifies the identity on the app backend through invokeRemote with a Forge Invocation Token (useAppFetch)', async () => {
    const identity = s.forge.app.locator('[data-testid=verified-identity]');
    await expect.poll(() => identity.getAttribute('data-verified')).toBe('true');
    expect(await identity.textContent()).toContain(EDITOR);
    const invoke = (await forgeCalls()).find((c) => c.op === 'invoke');
    expect(invoke?.payload).toMatchObject({ invokeType: 'ui-remote-fetch', path: '/api/verify', method: 'GET' });
  });

  it('shows the forbidden state with its reason for a user without Confluence access', async () => {
    await s.page.getByLabel('Acting user', { exact: true }).selectOption({ label: 'Nico No-Access (no Confluence access)' });
    const refusal = s.forge.app.locator('[data-kind=forbidden]');
    await refusal.waitFor();
    expect(await refusal.getAttribute('data-reason')).toBe('product-access');
    expect(await s.forge.app.locator('[data-testid=page-list]').count()).toBe(0);
    // The next FIT names the other user.
    await expect.poll(() => s.forge.app.locator('[data-testid=verified-identity]').textContent()).toContain('62a9e1f4b7c3d80068noacc');
    expect(await s.page.locator('[data-testid=request-log] li[data-host=forge][data-status="403"]').count()).toBeGreaterThan(0);
    await screenshot(s.page, 'forge-02-forbidden');
    await s.page.getByLabel('Acting user', { exact: true }).selectOption({ label: 'Eddie Editor (editor)' });
    await s.forge.app.locator('[data-testid=page-list] li').first().waitFor();
  });

  it("saves a title: showFlag shows the host flag, and its action's router.navigate moves Confluence to the page", async () => {
    await s.forge.app.getByRole('button', { name: 'Glossary' }).click();
    const input = s.forge.app.getByLabel('Title');
    await input.waitFor();
    await input.fill('Glossary (reviewed on Forge)');
    await s.forge.app.getByRole('button', { name: 'Save title' }).click();
    const flag = s.page.locator('.emu-flag.success', { hasText: 'Title saved' });
    await flag.waitFor();
    expect(await flag.textContent()).toMatch(/"Glossary \(reviewed on Forge\)" is now version \d+/);
    await expect.poll(() => s.forge.app.locator('[data-testid=saved]').textContent()).toMatch(/^Saved as version \d+\.$/);
    await screenshot(s.page, 'forge-03-flag');
    // The action's onClick runs in the iframe (a callback across postMessage) and navigates through the bridge.
    await flag.getByRole('button', { name: 'Open the page' }).click();
    await expect.poll(() => s.page.getByTestId('host-page-title').textContent()).toBe('Glossary (reviewed on Forge)');
    const navigate = (await forgeCalls()).find((c) => c.op === 'navigate');
    expect(navigate?.payload).toMatchObject({ target: 'contentView', type: 'same-tab' });
  });

  it('saves the macro config from a Forge config view (view.submit / view.close) and re-renders the macro', async () => {
    await s.openForge({ user: 'editor' });
    const items = s.forge.app.locator('[data-testid=page-list] li');
    await items.first().waitFor();
    await s.page.getByRole('button', { name: 'Edit macro' }).click();
    const dialog = s.page.getByRole('dialog', { name: 'Edit page list' });
    await dialog.waitFor();
    // The config view reads the stored parameters from getContext's extension.config.
    await expect.poll(() => s.forge.editor.getByLabel('Title').inputValue()).toBe('Pages in this space');
    await s.forge.editor.getByLabel('Title').fill('Five pages');
    await s.forge.editor.getByLabel('Number of pages').fill('5');
    await s.forge.editor.getByRole('button', { name: 'Save', exact: true }).click();
    await dialog.waitFor({ state: 'hidden' });
    await expect.poll(() => s.forge.app.locator('h2').textContent()).toBe('Five pages');
    await expect.poll(() => items.count()).toBe(5);
    const submit = (await forgeCalls()).find((c) => c.op === 'submit');
    expect(submit).toMatchObject({ frame: 'config', payload: { config: { title: 'Five pages', limit: '5' } } });
  });

  it('opens the review dialog as a Forge Modal: opener data in, the choice back through onClose, × dismisses', async () => {
    await s.forge.app.locator('[data-testid=page-list] li button').first().click();
    const pageTitle = s.forge.app.locator('[data-testid=page-title]');
    await pageTitle.waitFor();
    const title = (await pageTitle.textContent())!;
    const outcome = s.forge.app.locator('[data-testid=review-outcome]');
    const dialog = s.page.getByRole('dialog', { name: `Review “${title}”` });
    const review = s.forge.app.getByRole('button', { name: 'Review…' });
    await review.click();
    await dialog.waitFor();
    // extension.modal carries what the opener passed to new Modal({ context }).
    await expect.poll(() => s.forge.dialog.locator('[data-testid=review-title]').textContent()).toBe(title);
    await screenshot(s.page, 'forge-04-modal');
    await s.forge.dialog.getByRole('button', { name: 'Needs changes' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await expect.poll(() => outcome.textContent()).toBe('Review: Needs changes');

    await review.click();
    await s.forge.dialog.getByRole('button', { name: 'Looks good' }).waitFor();
    await dialog.getByRole('button', { name: 'Close' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await expect.poll(() => outcome.textContent()).toBe('Review dismissed');
  });

  it("a second openModal while one is open finishes the first: the first opener's onClose runs (no result)", async () => {
    const macro = await macroFrame();
    const closes = () => macro.evaluate(() => (window as any).__closes as [string, unknown][]);
    for (const name of ['first', 'second']) {
      await macro.evaluate(
        (n) =>
          (window as any).__bridge.callBridge('openModal', {
            resource: 'page-review-dialog',
            title: `Modal ${n}`,
            context: {},
            onClose: (result: unknown) => ((window as any).__closes ??= []).push([n, result ?? null]),
          }),
        name,
      );
    }
    const dialog = s.page.getByRole('dialog', { name: 'Modal second' });
    await dialog.waitFor();
    await expect.poll(closes, { timeout: 10_000 }).toEqual([['first', null]]);
    await dialog.getByRole('button', { name: 'Close' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await expect.poll(closes, { timeout: 10_000 }).toEqual([['first', null], ['second', null]]);
  });

  it('follows the host theme after view.theme.enable()', async () => {
    await s.page.getByLabel('Theme').selectOption('dark');
    const frame = s.page.frames().find((f) => f.url().startsWith(`${s.env.appUrl}/forge/macro`))!;
    await expect.poll(() => frame.evaluate(() => document.documentElement.getAttribute('data-color-mode'))).toBe('dark');
    await s.page.getByLabel('Theme').selectOption('light');
    await expect.poll(() => frame.evaluate(() => document.documentElement.getAttribute('data-color-mode'))).toBe('light');
  });

  it('sends nothing past loopback', () => {
    expect(s.external).toEqual([]);
  });
});
