import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FrameLocator, Page } from 'playwright-core';
import { startEmulator, type RunningEmulator } from '../../emulator/node/start-emulator';
import { USERS } from '../../src/testing/core';
import { hasChromium, launchChromium } from './support/chromium';
import { screenshot } from './support/screenshots';

/**
 * A static Connect app written here (plain files on node:http, Atlassian's all.js from the emulator): no lifecycle
 * routes and `authentication: none`, a dynamic content macro with a custom editor that saves through the editor
 * dialog's own Save button, as such editors do in Confluence (`dialog.submit` → `AP.confluence.saveMacro`).
 */

const APP_KEY = 'com.example.static-colours';

/** The page the app's iframes load: all.js from the product, as `{xdm_e}{cp}/atlassian-connect/all.js`. */
function appPage(url: URL, body: string, script: string): string {
  const allJs = `${url.searchParams.get('xdm_e') ?? ''}${url.searchParams.get('cp') ?? ''}/atlassian-connect/all.js`;
  return `<!doctype html><html><head><meta charset="utf-8"><script src="${allJs}"></script></head>
<body><div class="ac-content">${body}</div>
<script>
  function show(id, text) { document.getElementById(id).textContent = String(text); }
  ${script}
</script></body></html>`;
}

/** The macro: shows its colour (URL and getMacroData) and what the documented top-level AP calls answer. */
function macroPage(url: URL): string {
  return appPage(
    url,
    `<p>colour: <span id="colour">none</span></p>
<p>macro data: <span id="data-colour">pending</span></p>
<p>signed: <span id="signed">${url.searchParams.has('jwt') ? 'yes' : 'no'}</span></p>
<p>location: <span id="location">pending</span></p>
<p>sizeToParent: <span id="size-to-parent">${'pending'}</span></p>
<p>time zone: <span id="zone">pending</span></p>`,
    `show('colour', new URLSearchParams(location.search).get('colour'));
  AP.confluence.getMacroData(function (data) { show('data-colour', data.colour); });
  show('size-to-parent', typeof AP.sizeToParent);
  if (typeof AP.getLocation === 'function') AP.getLocation(function (where) { show('location', where); });
  else show('location', 'not a function');
  AP.user.getTimeZone(function (zone) { show('zone', zone); });`,
  );
}

/**
 * The custom editor: reads the stored colour, and saves it when Confluence's Save button is pressed (`dialog.submit`).
 * With `?keepOpen=1` it asks the dialog to stay open on submit (`disableCloseOnSubmit`) and counts the submits.
 */
function editorPage(url: URL): string {
  return appPage(
    url,
    `<label>Colour <input id="colour-input"></label>
<button id="check" type="button">Check Save</button>
<p>save enabled: <span id="save-enabled">unknown</span></p>
<p>submits: <span id="submits">0</span></p>`,
    `var submits = 0;
  if (new URLSearchParams(location.search).get('keepOpen') === '1') AP.dialog.disableCloseOnSubmit();
  AP.confluence.getMacroData(function (data) { document.getElementById('colour-input').value = data.colour || ''; });
  document.getElementById('check').addEventListener('click', function () {
    AP.dialog.getButton('submit').isEnabled(function (enabled) { show('save-enabled', enabled); });
  });
  AP.events.on('dialog.submit', function () {
    show('submits', ++submits);
    AP.confluence.saveMacro({ colour: document.getElementById('colour-input').value });
  });`,
  );
}

interface StaticApp {
  descriptorUrl: string;
  /** Every request the app's server saw, as `METHOD /path`. */
  requests: string[];
  close(): Promise<void>;
}

async function startStaticApp(): Promise<StaticApp> {
  const requests: string[] = [];
  let baseUrl = '';
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', baseUrl);
    requests.push(`${req.method} ${url.pathname}`);
    const html = (text: string) => res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(text);
    if (url.pathname === '/atlassian-connect.json') {
      const macro = (key: string, editor: Record<string, unknown>) => ({
        key,
        name: { value: key },
        url: '/macro.html?colour={colour}',
        outputType: 'block',
        parameters: [{ identifier: 'colour', name: { value: 'Colour' }, type: 'string', defaultValue: 'red' }],
        editor,
      });
      res.writeHead(200, { 'content-type': 'application/json' }).end(
        JSON.stringify({
          key: APP_KEY,
          name: 'Static colours',
          baseUrl,
          authentication: { type: 'none' },
          scopes: ['read'],
          modules: {
            dynamicContentMacros: [
              macro('colour', {
                url: '/editor.html',
                editTitle: { value: 'Edit colour' },
                width: '95%',
                height: '95%',
              }),
              macro('kept-colour', {
                url: '/editor.html?keepOpen=1',
                editTitle: { value: 'Edit kept colour' },
                width: '400px',
                height: '300px',
              }),
            ],
          },
        }),
      );
      return;
    }
    if (url.pathname === '/macro.html') return html(macroPage(url));
    if (url.pathname === '/editor.html') return html(editorPage(url));
    // A static file server answers anything else, lifecycle POSTs included, with 405 or 404.
    res.writeHead(req.method === 'GET' ? 404 : 405).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    descriptorUrl: `${baseUrl}/atlassian-connect.json`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

describe.skipIf(!hasChromium)('a static Connect app with a custom macro editor in the emulator (real browser)', () => {
  let app: StaticApp;
  let emulator: RunningEmulator;
  let browser: Awaited<ReturnType<typeof launchChromium>>;
  let page: Page;
  let pageErrors: string[];
  const macro = () => page.frameLocator('[data-testid=macro-slot] iframe.ap-iframe');
  const editorDialog = () => page.locator('[data-testid=macro-editor-dialog]');
  const editor = (): FrameLocator => page.frameLocator('[data-testid=macro-editor-dialog] iframe.ap-iframe');

  beforeAll(async () => {
    app = await startStaticApp();
    emulator = await startEmulator({ descriptorUrl: app.descriptorUrl, port: 0, host: '127.0.0.1' });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await emulator?.close();
    await app?.close();
  });
  beforeEach(async () => {
    page = await browser.context.newPage();
    pageErrors = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
  });
  afterEach(async () => {
    await page.close();
  });

  async function openMacro(module = 'colour'): Promise<void> {
    await page.goto(`${emulator.emulatorUrl}?${new URLSearchParams({ user: 'editor', module })}`);
    await expect.poll(() => macro().locator('#colour').textContent()).toBe('red');
  }

  it('hosts the app without installing it: no lifecycle call, no JWT on its iframe URL', async () => {
    expect(emulator.install.ok).toBe(true);
    await openMacro();
    expect(await macro().locator('#signed').textContent()).toBe('no');
    const src = new URL((await page.locator('[data-testid=macro-slot] iframe.ap-iframe').getAttribute('src'))!);
    expect(src.searchParams.has('jwt')).toBe(false);
    expect(app.requests.filter((request) => !request.startsWith('GET '))).toEqual([]);
    expect(await page.locator('.emu-banner').filter({ hasText: 'refused' }).isVisible()).toBe(false);
  });

  it('offers AP.getLocation and AP.sizeToParent at the top of AP, as Connect documents them', async () => {
    await openMacro();
    await expect.poll(() => macro().locator('#location').textContent()).toBe(page.url());
    expect(await macro().locator('#size-to-parent').textContent()).toBe('function');
  });

  it("answers AP.user.getTimeZone with the acting user's time zone, not the browser's", async () => {
    await openMacro();
    await expect.poll(() => macro().locator('#zone').textContent()).toBe(USERS.editor.timeZone);
    // Another acting user, another zone.
    await page.getByLabel('Acting user', { exact: true }).selectOption({ value: USERS.viewer.accountId });
    await expect.poll(() => macro().locator('#zone').textContent()).toBe(USERS.viewer.timeZone);
  });

  it('saves through the editor dialog\u2019s Save button, and the page re-renders the macro with the new colour', async () => {
    await openMacro();
    await page.getByRole('button', { name: 'Edit macro' }).click();
    const dialog = page.getByRole('dialog', { name: 'Edit colour' });
    await dialog.waitFor();
    const input = editor().locator('#colour-input');
    await expect.poll(() => input.inputValue()).toBe('red');
    // The descriptor's 95 % × 95 % is a share of the window (1400 × 900), not of a shrink-wrapped box.
    const frame = await dialog.locator('iframe.ap-iframe').boundingBox();
    expect(frame!.width).toBeGreaterThan(1200);
    expect(frame!.height).toBeGreaterThan(650);
    // AP.dialog.getButton works in the editor (the host knows its dialog), and Save is enabled once it loaded.
    const save = dialog.getByRole('button', { name: 'Save', exact: true });
    await expect.poll(() => save.isEnabled()).toBe(true);
    await editor().locator('#check').click();
    await expect.poll(() => editor().locator('#save-enabled').textContent()).toBe('true');
    await screenshot(page, 'static-app-macro-editor');

    await input.fill('green');
    await save.click();
    await dialog.waitFor({ state: 'hidden' });
    await expect.poll(() => macro().locator('#colour').textContent()).toBe('green');
    await expect.poll(() => macro().locator('#data-colour').textContent()).toBe('green');
    expect(pageErrors).toEqual([]);
  });

  it('keeps the editor open on Save when it asked to (disableCloseOnSubmit); Close leaves, and the save shows', async () => {
    await openMacro('kept-colour');
    await page.getByRole('button', { name: 'Edit macro' }).click();
    const dialog = page.getByRole('dialog', { name: 'Edit kept colour' });
    await dialog.waitFor();
    const frame = await dialog.locator('iframe.ap-iframe').boundingBox();
    expect(Math.round(frame!.width)).toBe(400);
    expect(Math.round(frame!.height)).toBe(300);
    const input = editor().locator('#colour-input');
    await expect.poll(() => input.inputValue()).toBe('red');
    await input.fill('blue');
    const save = dialog.getByRole('button', { name: 'Save', exact: true });
    await expect.poll(() => save.isEnabled()).toBe(true);
    await save.click();
    await expect.poll(() => editor().locator('#submits').textContent()).toBe('1');
    expect(await editorDialog().evaluate((element) => (element as HTMLDialogElement).open)).toBe(true);
    await dialog.getByRole('button', { name: 'Close', exact: true }).click();
    await dialog.waitFor({ state: 'hidden' });
    await expect.poll(() => macro().locator('#colour').textContent()).toBe('blue');
    expect(pageErrors).toEqual([]);
  });

  it('lets Escape on the page pass when no dialog is open, without an error in connect-host', async () => {
    await openMacro();
    await page.locator('h1').first().click();
    await page.keyboard.press('Escape');
    // The page still works after the key: the acting user switch re-renders the macro.
    await page.getByLabel('Acting user', { exact: true }).selectOption({ value: USERS.viewer.accountId });
    await expect.poll(() => macro().locator('#zone').textContent()).toBe(USERS.viewer.timeZone);
    expect(pageErrors).toEqual([]);
  });
});
