import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';
import { REPO_ROOT } from '../../emulator/node/emulator-server';
import { readForgeManifest } from '../../emulator/node/forge-manifest';
import { startEmulator, type RunningEmulator } from '../../emulator/node/start-emulator';
import { hasChromium, launchChromium } from './support/chromium';

/**
 * What Forge apps read from the bridge and the emulator did not give them (issue 17 items 3, 9, 10, 13), with a
 * Forge app written here on the npm @forge/bridge: a macro's `extension.isEditing`, the config view's
 * `extension.macro.isConfiguring` / `isInserting`, config values that keep their types, `new Modal()` without a
 * resource, and `router.open` of an external URL after Confluence's prompt.
 */

const MAIN_SCRIPT = `
import { Modal, router, view } from '@forge/bridge';

const show = (id, text) => { document.getElementById(id).textContent = text; };
view.getContext().then((context) => {
  if (context.extension.modal) {
    show('editing', 'modal ' + JSON.stringify(context.extension.modal));
    return;
  }
  // What an app does that crashed before: isEditing was missing.
  show('editing', context.extension.isEditing.toString());
  show('config', JSON.stringify(context.extension.config));
});
document.getElementById('open-modal').addEventListener('click', () => {
  new Modal({ size: 'small', context: { from: 'macro' } }).open().then(
    () => show('modal', 'opened'),
    (error) => show('modal', 'error: ' + error.message),
  );
});
document.getElementById('open-external').addEventListener('click', () => {
  router.open('https://example.com/docs?from=app').then(
    () => show('external', 'opened'),
    (error) => show('external', 'declined: ' + error.message),
  );
});
`;

const CONFIG_SCRIPT = `
import { view } from '@forge/bridge';

view.getContext().then((context) => {
  const { isConfig, isEditing, macro } = context.extension;
  document.getElementById('config-context').textContent = JSON.stringify({ isConfig, isEditing, macro });
});
document.getElementById('save').addEventListener('click', () =>
  view.submit({ config: { index: 0, shown: true, label: 'two', tags: ['a'] } }),
);
`;

const MANIFEST = `modules:
  macro:
    - key: typed-macro
      resource: main
      title: Typed macro
      config:
        resource: config
resources:
  - key: main
    path: static/main
  - key: config
    path: static/config
`;

async function writeApp(folder: string): Promise<string> {
  for (const [resource, script, body] of [
    [
      'main',
      MAIN_SCRIPT,
      '<p>editing: <span id="editing">pending</span></p><p>config: <span id="config">pending</span></p>' +
        '<p>modal: <span id="modal">none</span></p><p>external: <span id="external">none</span></p>' +
        '<button id="open-modal" type="button">Modal</button><button id="open-external" type="button">Docs</button>',
    ],
    ['config', CONFIG_SCRIPT, '<p id="config-context">pending</p><button id="save" type="button">Save</button>'],
  ] as const) {
    const folderOf = path.join(folder, 'static', resource);
    await mkdir(folderOf, { recursive: true });
    await build({
      stdin: { contents: script, resolveDir: REPO_ROOT, loader: 'js' },
      bundle: true,
      format: 'iife',
      target: 'es2020',
      outfile: path.join(folderOf, 'app.js'),
      logLevel: 'silent',
    });
    await writeFile(
      path.join(folderOf, 'index.html'),
      `<!doctype html><html><head><meta charset="utf-8"></head><body>${body}<script src="./app.js"></script></body></html>`,
    );
  }
  const manifestFile = path.join(folder, 'manifest.yml');
  await writeFile(manifestFile, MANIFEST);
  return manifestFile;
}

describe.skipIf(!hasChromium)('emulate --forge: the macro context, typed config, Modal and router.open', () => {
  let folder: string;
  let emulator: RunningEmulator;
  let browser: Awaited<ReturnType<typeof launchChromium>>;

  beforeAll(async () => {
    folder = await mkdtemp(path.join(tmpdir(), 'cik-forge-context-'));
    emulator = await startEmulator({ forgeManifest: await readForgeManifest(await writeApp(folder)), port: 0 });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await emulator?.close();
    if (folder) await rm(folder, { recursive: true, force: true });
  });

  it('gives isEditing, the config view its isConfiguring / isInserting, and keeps the config types', async () => {
    const page = await browser.context.newPage();
    await page.goto(`${emulator.emulatorUrl}?user=editor`);
    const macro = page.frameLocator('[data-testid=macro-slot] iframe[data-host=forge]');
    await expect.poll(() => macro.locator('#editing').textContent(), { timeout: 20_000 }).toBe('false');
    await expect.poll(() => macro.locator('#config').textContent()).toBe('{}');

    await page.getByRole('button', { name: 'Edit macro' }).click();
    const configFrame = page.frameLocator('[data-testid=macro-editor-dialog] iframe[data-host=forge]');
    await expect
      .poll(async () => JSON.parse((await configFrame.locator('#config-context').textContent()) ?? 'null'))
      .toEqual({ isConfig: true, isEditing: true, macro: { isConfiguring: true, isInserting: true } });
    await configFrame.locator('#save').click();
    await expect
      .poll(() =>
        page.evaluate(
          () =>
            (window as unknown as { __confluenceEmulator: { macro: { parameters: Record<string, string> } } })
              .__confluenceEmulator.macro.parameters.index,
        ),
      )
      .toBe('0');
    await page.getByTestId('macro-editor-dialog').getByRole('button', { name: 'Close' }).click();
    await expect
      .poll(async () => JSON.parse((await macro.locator('#config').textContent()) ?? 'null'))
      .toEqual({ index: 0, shown: true, label: 'two', tags: ['a'] });

    // Opened again, the macro has a config: it is edited, not inserted.
    await page.getByRole('button', { name: 'Edit macro' }).click();
    await expect
      .poll(async () => JSON.parse((await configFrame.locator('#config-context').textContent()) ?? 'null'))
      .toMatchObject({ macro: { isConfiguring: true, isInserting: false } });
    await page.keyboard.press('Escape');
    await page.close();
  });

  it('opens new Modal() without a resource on the resource of the frame that opened it', async () => {
    const page = await browser.context.newPage();
    await page.goto(`${emulator.emulatorUrl}?user=editor`);
    const macro = page.frameLocator('[data-testid=macro-slot] iframe[data-host=forge]');
    await expect.poll(() => macro.locator('#editing').textContent(), { timeout: 20_000 }).toBe('false');
    await macro.locator('#open-modal').click();
    await expect.poll(() => macro.locator('#modal').textContent()).toBe('opened');
    const dialog = page.frameLocator('[data-testid=app-dialog] iframe[data-host=forge]');
    await expect.poll(() => dialog.locator('#editing').textContent()).toBe('modal {"from":"macro"}');
    await page.close();
  });

  it("opens an external URL in a new tab after Confluence's prompt, and rejects when the user declines", async () => {
    const page = await browser.context.newPage();
    await page.goto(`${emulator.emulatorUrl}?user=editor`);
    const macro = page.frameLocator('[data-testid=macro-slot] iframe[data-host=forge]');
    await expect.poll(() => macro.locator('#editing').textContent(), { timeout: 20_000 }).toBe('false');

    await macro.locator('#open-external').click();
    const prompt = page.getByTestId('external-link-dialog');
    await expect.poll(() => prompt.isVisible()).toBe(true);
    expect(await prompt.getByTestId('external-link-url').textContent()).toBe('https://example.com/docs?from=app');
    const tab = browser.context.waitForEvent('page');
    await prompt.getByRole('button', { name: 'Continue' }).click();
    await tab;
    // The tab asks for the URL (the test browser stops every request that would leave this machine).
    await expect.poll(() => browser.external).toContain('https://example.com/docs?from=app');
    await expect.poll(() => macro.locator('#external').textContent()).toBe('opened');

    await macro.locator('#open-external').click();
    await prompt.getByRole('button', { name: 'Cancel' }).click();
    await expect.poll(() => macro.locator('#external').textContent()).toMatch(/^declined: /);
    expect(await prompt.count()).toBe(0);
    await page.close();
  });
});
