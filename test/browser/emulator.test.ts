import path from 'node:path';
import { decodeJwt } from 'jose';
import { REPO_ROOT } from '../../emulator/node/dev-environment';
import { hasChromium } from './support/chromium';
import { startEmulatorSession, type EmulatorSession } from './support/emulator-session';
import { screenshot } from './support/screenshots';

/**
 * The demo app inside the local Confluence emulator, in Debian's Chromium: Atlassian's connect-host.js on the
 * emulator origin hosts the app iframe (reference server origin) running the real all.js.
 */
describe.skipIf(!hasChromium)('demo app in the Confluence emulator (real browser)', () => {
  let s: EmulatorSession;

  beforeAll(async () => {
    s = await startEmulatorSession();
  });
  afterAll(async () => {
    await s?.close();
  });

  it('shows an editor the page list of the space inside the iframe, with the identity the backend verified', async () => {
    await s.open({ user: 'editor' });
    const items = s.app.locator('[data-testid=page-list] li');
    await items.first().waitFor();
    expect(await items.count()).toBe(10);
    expect(await items.first().textContent()).toContain('Engineering Handbook');
    // /api/verify checked the context JWT from AP.context.getToken(): sub is the acting user.
    const identity = s.app.locator('[data-testid=verified-identity]');
    await expect.poll(() => identity.getAttribute('data-verified')).toBe('true');
    expect(await identity.textContent()).toContain('5f8e2b7c9d1a4e0069f3edit');
    // Each AP.request reached the emulated product and is in the host's request log.
    expect(await s.page.locator('[data-testid=request-log] li[data-status="200"]').count()).toBeGreaterThan(0);
    await screenshot(s.page, '01-editor-page-list');
  });

  it('runs the app on another origin than the host page, and nothing leaves loopback', async () => {
    await s.open({ user: 'editor' });
    const frame = s.page.frames().find((f) => f.url().startsWith(s.env.appUrl));
    expect(frame).toBeDefined();
    const appOrigin = await frame!.evaluate(() => location.origin);
    const hostOrigin = await s.page.evaluate(() => location.origin);
    expect(appOrigin).not.toBe(hostOrigin);
    // Cross-origin for real: the host cannot reach into the iframe's document.
    const reachable = await s.page.evaluate(() => {
      try {
        return Boolean(document.querySelector<HTMLIFrameElement>('iframe.ap-iframe')?.contentWindow?.document.body);
      } catch {
        return false;
      }
    });
    expect(reachable).toBe(false);
    expect(s.external).toEqual([]);
  });

  it('shows the forbidden state with its reason when "Acting user" switches to a user without Confluence access', async () => {
    await s.open({ user: 'editor' });
    await s.app.locator('[data-testid=page-list] li').first().waitFor();
    await s.page
      .getByLabel('Acting user', { exact: true })
      .selectOption({ label: 'Nico No-Access (no Confluence access)' });
    const refusal = s.app.locator('[data-kind=forbidden]');
    await refusal.waitFor();
    expect(await refusal.getAttribute('data-reason')).toBe('product-access');
    expect(await refusal.textContent()).toContain("You don't have access to Confluence.");
    expect(await s.app.locator('[data-testid=page-list]').count()).toBe(0);
    // The reloaded iframe carries a new JWT: the backend now verifies the other user.
    await expect
      .poll(() => s.app.locator('[data-testid=verified-identity]').textContent())
      .toContain('62a9e1f4b7c3d80068noacc');
    // UPDATE_DOCS_SCREENSHOTS=1 refreshes the README's screenshot; a normal run leaves the tracked file alone.
    const docsCopy = process.env.UPDATE_DOCS_SCREENSHOTS
      ? path.join(REPO_ROOT, 'docs', 'emulator-forbidden.png')
      : undefined;
    await screenshot(s.page, '02-forbidden-product-access', docsCopy);
  });

  it('shows the app-access-rule reason when the macro sits in a space the app is blocked from', async () => {
    await s.page.goto(`${s.env.emulatorUrl}?user=editor&pageId=131201`);
    const refusal = s.app.locator('[data-kind=forbidden]');
    await refusal.waitFor();
    expect(await refusal.getAttribute('data-reason')).toBe('app-access-rule');
    await screenshot(s.page, '03-forbidden-app-access-rule');
  });

  it('counts down on a rate limit and then recovers by itself', async () => {
    await s.open({ user: 'editor' });
    await s.app.locator('[data-testid=page-list] li').first().waitFor();
    await s.page.getByLabel(/Rate limit/).check();
    await s.page.getByRole('button', { name: 'Reload app' }).click();
    const limited = s.app.locator('[data-kind=rate-limited]');
    await limited.waitFor();
    expect(await limited.textContent()).toMatch(/in \d+ s/);
    expect(await s.page.locator('[data-testid=request-log] li[data-status="429"]').count()).toBeGreaterThan(0);
    await screenshot(s.page, '04-rate-limited-countdown');
    // The countdown reaches zero, the retry runs after the window, the list is back.
    await s.app.locator('[data-testid=page-list] li').first().waitFor({ timeout: 20_000 });
    expect(await limited.count()).toBe(0);
  });

  it('shows the conflict state on a 409 save and does not overwrite the page', async () => {
    await s.open({ user: 'editor' });
    await s.app.getByRole('button', { name: 'Onboarding' }).click();
    const input = s.app.getByLabel('Title');
    await input.waitFor();
    const versionBefore = await s.app.locator('[data-testid=page-version]').textContent();

    await s.page.getByLabel('Next save conflicts (409)').check();
    await input.fill('Onboarding (edited in the emulator)');
    await s.app.getByRole('button', { name: 'Save title' }).click();

    const conflict = s.app.locator('[data-kind=conflict]');
    await conflict.waitFor();
    expect(await conflict.textContent()).toMatch(/Someone else saved version \d+/);
    expect(await s.page.locator('[data-testid=request-log] li[data-status="409"]').count()).toBe(1);
    await screenshot(s.page, '05-conflict');

    // The emulated site still has the other person's save, not ours.
    const stored = await s.page.evaluate(() => {
      const { world } = (
        window as unknown as {
          __confluenceEmulator: { world: { pages: Map<string, { title: string; version: { number: number } }> } };
        }
      ).__confluenceEmulator;
      const page = [...world.pages.values()].find((p) => p.title.startsWith('Onboarding'));
      return page && { title: page.title, version: page.version.number };
    });
    expect(stored?.title).toBe('Onboarding');
    expect(`Version ${stored!.version - 1}`).toBe(versionBefore);

    // "Reload latest" shows the other version; nothing of ours was saved.
    await conflict.getByRole('button', { name: 'Reload latest' }).click();
    await expect
      .poll(() => s.app.locator('[data-testid=page-version]').textContent())
      .toBe(`Version ${stored!.version}`);
    expect(await s.app.locator('[data-testid=page-title]').textContent()).toBe('Onboarding');
  });

  it("saves a title: a host flag (useFlag → AP.flag) confirms it, and the flag's action (useNavigation) takes Confluence to the page", async () => {
    await s.open({ user: 'editor' });
    await s.app.getByRole('button', { name: 'Glossary' }).click();
    const input = s.app.getByLabel('Title');
    await input.waitFor();
    await input.fill('Glossary (reviewed)');
    await s.app.getByRole('button', { name: 'Save title' }).click();
    const flag = s.page.locator('.emu-flag.success', { hasText: 'Title saved' });
    await flag.waitFor();
    expect(await flag.textContent()).toMatch(/"Glossary \(reviewed\)" is now version \d+/);
    await expect.poll(() => s.app.locator('[data-testid=saved]').textContent()).toMatch(/^Saved as version \d+\.$/);
    expect(await s.app.getByLabel('Title').inputValue()).toBe('Glossary (reviewed)');
    expect(await s.page.getByTestId('host-page-title').textContent()).not.toBe('Glossary (reviewed)');
    // The click goes back into the iframe as flag.action; the app answers with AP.navigator.go('contentview').
    await flag.getByRole('button', { name: 'Open the page' }).click();
    await expect.poll(() => s.page.getByTestId('host-page-title').textContent()).toBe('Glossary (reviewed)');
  });

  it('refuses a save with the app-scope reason when the descriptor scopes are READ only', async () => {
    await s.open({ user: 'editor' });
    await s.app.getByRole('button', { name: 'Glossary' }).click();
    const input = s.app.getByLabel('Title');
    await input.waitFor();
    await s.page.getByLabel('Descriptor scopes: READ only').check();
    await input.fill('Glossary (renamed)');
    await s.app.getByRole('button', { name: 'Save title' }).click();
    const refusal = s.app.locator('[data-kind=forbidden]');
    await refusal.waitFor();
    expect(await refusal.getAttribute('data-reason')).toBe('app-scope');
    await screenshot(s.page, '06-forbidden-app-scope');
    await s.page.getByLabel('Descriptor scopes: READ only').uncheck();
  });

  it('shows "unavailable" when the host is down, and again when it answers too slowly', async () => {
    await s.open({ user: 'editor' });
    await s.app.locator('[data-testid=page-list] li').first().waitFor();
    await s.page.getByLabel('Host down').check();
    await s.app.getByRole('button', { name: 'Load more' }).click();
    const down = s.app.locator('[data-kind=unavailable]');
    // A GET is retried 4 times on network failures (1+2+4+8 s, each ×0.7–1.3: up to ~20 s) before it gives up.
    await down.waitFor({ timeout: 40_000 });
    expect(await s.page.locator('[data-testid=request-log] li[data-status="failed"]').count()).toBeGreaterThan(0);
    await screenshot(s.page, '07-host-down');
    await s.page.getByLabel('Host down').uncheck();

    // Slow host: the answer would come after 45 s; the client gives up at its 15 s timeout (never retried).
    await s.page.getByLabel(/Slow host/).check();
    await s.app.getByRole('button', { name: 'Try again' }).click();
    await down.waitFor({ state: 'detached' });
    await down.waitFor({ timeout: 25_000 });
    // The client gave up while the host was still working on it: the host's log row is still pending.
    expect(await s.page.locator('[data-testid=request-log] li').first().getAttribute('data-status')).toBe('pending');
    await s.page.getByLabel(/Slow host/).uncheck();
  }, 120_000);

  it('resizes the macro iframe when its content grows and shrinks', async () => {
    await s.open({ user: 'editor' });
    await s.app.locator('[data-testid=page-list] li').first().waitFor();
    await expect.poll(() => s.iframeHeight()).toBeGreaterThan(300);
    const listHeight = await s.iframeHeight();

    await s.app.getByRole('button', { name: 'Load more' }).click();
    await expect.poll(() => s.app.locator('[data-testid=page-list] li').count()).toBe(20);
    await expect.poll(() => s.iframeHeight()).toBeGreaterThan(listHeight + 150);
    const grown = await s.iframeHeight();
    await screenshot(s.page, '08-resized-grown');

    await s.app.getByRole('button', { name: 'Getting started' }).click();
    await s.app.getByLabel('Title').waitFor();
    await expect.poll(() => s.iframeHeight()).toBeLessThan(listHeight);
    expect(await s.iframeHeight()).toBeLessThan(grown);
    await screenshot(s.page, '09-resized-shrunk');
  });

  it('follows the host theme (dark) through all.js theming', async () => {
    await s.open({ user: 'editor' });
    await s.app.locator('[data-testid=page-list] li').first().waitFor();
    await s.page.getByLabel('Theme').selectOption('dark');
    const frame = s.page.frames().find((f) => f.url().startsWith(s.env.appUrl))!;
    await expect
      .poll(() => frame.evaluate(() => document.documentElement.getAttribute('data-color-mode')))
      .toBe('dark');
    // The dark token stylesheet loads after the attribute flips: wait for the surface colour to follow.
    await expect
      .poll(() => frame.evaluate(() => getComputedStyle(document.body).backgroundColor))
      .not.toBe('rgb(255, 255, 255)');
    // The token stylesheets all.js links came from the app origin, not Atlassian's CDN.
    expect(s.external).toEqual([]);
    await screenshot(s.page, '10-dark-theme');
  });

  it('answers the other host modules the toolkit uses (context, confluence, user, navigator, flag, events)', async () => {
    await s.open({ user: 'admin' });
    const frame = s.page.frames().find((f) => f.url().startsWith(s.env.appUrl))!;
    const results = await frame.evaluate(async () => {
      type Cb<T> = (cb: (v: T) => void) => void;
      const AP = (window as unknown as { AP: Record<string, any> }).AP;
      const viaCallback = <T>(fn: Cb<T>) => new Promise<T>((resolve) => fn(resolve));
      const context = await AP.context.getContext();
      const macroData = await viaCallback<Record<string, string>>((cb) => AP.confluence.getMacroData(cb));
      const user = await viaCallback<{ atlassianAccountId: string }>((cb) => AP.user.getCurrentUser(cb));
      const location = await viaCallback<{ target: string; context: { contentId: string } }>((cb) =>
        AP.navigator.getLocation(cb),
      );
      AP.flag.create({ title: 'Saved', body: 'Flag from the app', type: 'success' });
      return { context, macroData, user, location, hasEvents: typeof AP.events?.on === 'function' };
    });
    expect(results.context.confluence).toMatchObject({ content: { id: '65601' }, space: { id: '98305', key: 'ENG' } });
    expect(results.macroData).toMatchObject({ limit: '10' });
    expect(results.user.atlassianAccountId).toBe('557058:3f1c9a52-7a43-4c61-9d0b-admin000001');
    expect(results.location).toMatchObject({ target: 'contentview', context: { contentId: '65601' } });
    expect(results.hasEvents).toBe(true);
    const flag = s.page.locator('.emu-flag.success');
    await flag.waitFor();
    expect(await flag.textContent()).toContain('Flag from the app');
  });

  it('edits the macro in its custom editor: the editor sees the stored parameters, a save re-renders the macro from a new signed URL', async () => {
    await s.open({ user: 'editor' });
    const items = s.app.locator('[data-testid=page-list] li');
    await expect.poll(() => items.count()).toBe(10);
    const macroIframe = s.page.locator('[data-testid=macro-slot] iframe.ap-iframe');
    const urlBefore = new URL((await macroIframe.getAttribute('src'))!);

    const editButton = s.page.getByRole('button', { name: 'Edit macro' });
    await editButton.click();
    const dialog = s.page.getByRole('dialog', { name: 'Edit page list' });
    await dialog.waitFor();
    expect(await dialog.getAttribute('aria-modal')).toBe('true');
    expect(await dialog.evaluate((d) => d.contains(document.activeElement))).toBe(true);

    // The editor asked the host for the stored parameters (getMacroData); its own signed URL carries them too.
    const limit = s.editor.getByLabel('Number of pages');
    await expect.poll(() => limit.inputValue()).toBe('10');
    expect(await s.editor.getByLabel('Title').inputValue()).toBe('Pages in this space');
    const editorUrl = new URL((await dialog.locator('iframe.ap-iframe').getAttribute('src'))!);
    expect(editorUrl.pathname).toBe('/macro-editor');
    expect(editorUrl.searchParams.get('limit')).toBe('10');
    await screenshot(s.page, '12-macro-editor');

    await limit.fill('5');
    await s.editor.getByLabel('Title').fill('Five pages');
    const served = s.page.waitForResponse((r) => {
      const url = new URL(r.url());
      return url.pathname === '/macro' && url.searchParams.get('limit') === '5';
    });
    await s.editor.getByRole('button', { name: 'Save', exact: true }).click();
    await dialog.waitFor({ state: 'hidden' });

    // The macro iframe came back from a new URL whose JWT the app server verified (200, not the 401 page).
    expect((await served).status()).toBe(200);
    // The new iframe boots the app (vite dev modules) and lists again: more than poll's default second on a busy machine.
    await expect.poll(() => items.count(), { timeout: 15_000 }).toBe(5);
    expect(await s.app.locator('h2').textContent()).toBe('Five pages');
    const urlAfter = new URL((await macroIframe.getAttribute('src'))!);
    expect(urlAfter.searchParams.get('limit')).toBe('5');
    expect(urlAfter.searchParams.get('title')).toBe('Five pages');
    expect(decodeJwt(urlAfter.searchParams.get('jwt')!).qsh).not.toBe(
      decodeJwt(urlBefore.searchParams.get('jwt')!).qsh,
    );
    await expect
      .poll(() => s.app.locator('[data-testid=verified-identity]').getAttribute('data-verified'))
      .toBe('true');
    expect(await storedMacroParams()).toEqual({ title: 'Five pages', limit: '5' });
    // Focus is back where the dialog was opened from.
    expect(await editButton.evaluate((b) => b === document.activeElement)).toBe(true);
    await screenshot(s.page, '13-macro-after-save');

    // Opened again, the editor shows what was saved.
    await editButton.click();
    await expect.poll(() => s.editor.getByLabel('Number of pages').inputValue()).toBe('5');
    await s.editor.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'hidden' });
  });

  it('leaves the macro as it was when the editor is cancelled, or dismissed with Escape in the editor or on the page', async () => {
    await s.open({ user: 'editor' });
    const items = s.app.locator('[data-testid=page-list] li');
    await expect.poll(() => items.count()).toBe(10);
    const macroIframe = s.page.locator('[data-testid=macro-slot] iframe.ap-iframe');
    const iframeId = await macroIframe.getAttribute('id');
    const dialog = s.page.getByRole('dialog', { name: 'Edit page list' });
    const limit = s.editor.getByLabel('Number of pages');
    const openEditor = async () => {
      await s.page.getByRole('button', { name: 'Edit macro' }).click();
      await expect.poll(() => limit.inputValue()).toBe('10');
    };

    await openEditor();
    await limit.fill('3');
    await s.editor.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'hidden' });

    // Escape while typing in the editor: the editor closes itself (the host page never sees that key).
    await openEditor();
    await limit.fill('3');
    await limit.press('Escape');
    await dialog.waitFor({ state: 'hidden' });

    // Escape with focus on the host dialog (its close button has it on open).
    await openEditor();
    await s.page.getByRole('button', { name: 'Close' }).focus();
    await s.page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });

    expect(await storedMacroParams()).toEqual({ title: 'Pages in this space', limit: '10' });
    // The macro was not re-rendered: the same iframe, the same list.
    expect(await macroIframe.getAttribute('id')).toBe(iframeId);
    expect(await items.count()).toBe(10);
  });

  it("opens the app's dialog (AP.dialog.create): it shows the data passed in, its choice comes back to the opener, Escape dismisses", async () => {
    await s.open({ user: 'editor' });
    await s.app.locator('[data-testid=page-list] li button').first().click();
    const pageTitle = s.app.locator('[data-testid=page-title]');
    await pageTitle.waitFor();
    const title = (await pageTitle.textContent())!;
    const outcome = s.app.locator('[data-testid=review-outcome]');
    const dialog = s.page.getByRole('dialog', { name: `Review “${title}”` });
    const review = s.app.getByRole('button', { name: 'Review…' });
    const served = s.page.waitForResponse((r) => new URL(r.url()).pathname === '/dialog');

    await review.click();
    await dialog.waitFor();
    // The dialog module's own signed URL, verified by the app server, with the page it opened on.
    expect((await served).status()).toBe(200);
    const dialogUrl = new URL((await dialog.locator('iframe.ap-iframe').getAttribute('src'))!);
    expect(dialogUrl.pathname).toBe('/dialog');
    expect(dialogUrl.searchParams.get('pageId')).toBe('65601'); // the host page, Getting started
    expect(decodeJwt(dialogUrl.searchParams.get('jwt')!).sub).toBe('5f8e2b7c9d1a4e0069f3edit');
    // AP.dialog.getCustomData answered what the opener passed to AP.dialog.create.
    await expect.poll(() => s.dialog.locator('[data-testid=review-title]').textContent()).toBe(title);
    expect(await s.dialog.locator('[data-testid=review-version]').textContent()).toBe(
      (await s.app.locator('[data-testid=page-version]').textContent())!.replace('Version ', ''),
    );
    await screenshot(s.page, '14-app-dialog');

    // AP.dialog.close({ choice }) reaches the opener's close listener.
    await s.dialog.getByRole('button', { name: 'Needs changes' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await expect.poll(() => outcome.textContent()).toBe('Review: Needs changes');

    // Escape inside the dialog frame: all.js forwards it to the host, which dismisses the dialog without data.
    await review.click();
    const approve = s.dialog.getByRole('button', { name: 'Looks good' });
    await expect.poll(() => approve.evaluate((b) => b === document.activeElement)).toBe(true);
    expect(await outcome.textContent()).toBe('');
    await approve.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    await expect.poll(() => outcome.textContent()).toBe('Review dismissed');

    // useDialog asks for a chromeless dialog, so, as in Confluence, the host draws no header or × around it;
    // Escape on the host page still dismisses it.
    await review.click();
    await approve.waitFor();
    expect(await outcome.textContent()).toBe('');
    expect(await dialog.getByRole('button', { name: 'Close' }).isVisible()).toBe(false);
    await dialog.evaluate((d) => (d as HTMLElement).focus());
    await s.page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    await expect.poll(() => outcome.textContent()).toBe('Review dismissed');
    // And a choice still comes back after dismissals.
    await review.click();
    await approve.click();
    await expect.poll(() => outcome.textContent()).toBe('Review: Looks good');
  });

  it('hosts the general page module from the descriptor as well', async () => {
    await s.open({ user: 'viewer', module: 'page-browser' });
    await s.app.locator('[data-testid=page-list] li').first().waitFor();
    expect(await s.app.locator('h2').textContent()).toBe('Page browser');
    // A viewer may open a page but the title editor stays behind the PermissionGate.
    await s.app.getByRole('button', { name: 'Getting started' }).click();
    await s.app.locator('[data-testid=read-only]').waitFor();
    expect(await s.app.getByLabel('Title').count()).toBe(0);
    await screenshot(s.page, '11-general-page-viewer');
    // A general page has no macro to edit.
    expect(await s.page.getByRole('button', { name: 'Edit macro' }).isVisible()).toBe(false);
  });

  function storedMacroParams(): Promise<Record<string, string>> {
    return s.page.evaluate(
      () =>
        (window as unknown as { __confluenceEmulator: { macro: { parameters: Record<string, string> } } })
          .__confluenceEmulator.macro.parameters,
    );
  }
});
