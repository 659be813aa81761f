import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';
import { REPO_ROOT } from '../../emulator/node/emulator-server';
import { readForgeManifest } from '../../emulator/node/forge-manifest';
import { startEmulator, type RunningEmulator } from '../../emulator/node/start-emulator';
import { hasChromium, launchChromium } from './support/chromium';

/**
 * Issue 17 item 4: an app that learns the colour mode the way Atlaskit's `useThemeObserver` does (it subscribes to
 * `<html>`'s `data-color-mode` with a MutationObserver only after its first render, here once `view.theme.enable()`
 * resolved, when the colour mode is already applied) must still see it, not render nothing until the theme changes.
 */
const APP_SCRIPT = `
import { view } from '@forge/bridge';

view.theme.enable().then(() => {
  new MutationObserver(() => {
    document.getElementById('mode').textContent = document.documentElement.getAttribute('data-color-mode');
  }).observe(document.documentElement, { attributeFilter: ['data-theme', 'data-color-mode'] });
});
`;

const MANIFEST = `modules:
  macro:
    - key: themed-macro
      resource: main
      title: Themed macro
resources:
  - key: main
    path: static/main
`;

describe.skipIf(!hasChromium)('emulate --forge: the colour mode reaches an observer that subscribes late', () => {
  let folder: string;
  let emulator: RunningEmulator;
  let browser: Awaited<ReturnType<typeof launchChromium>>;

  beforeAll(async () => {
    folder = await mkdtemp(path.join(tmpdir(), 'cik-forge-theme-'));
    const resource = path.join(folder, 'static', 'main');
    await mkdir(resource, { recursive: true });
    await build({
      stdin: { contents: APP_SCRIPT, resolveDir: REPO_ROOT, loader: 'js' },
      bundle: true,
      format: 'iife',
      target: 'es2020',
      outfile: path.join(resource, 'app.js'),
      logLevel: 'silent',
    });
    await writeFile(
      path.join(resource, 'index.html'),
      '<!doctype html><html><head></head><body><p id="mode">waiting</p><script src="./app.js"></script></body></html>',
    );
    await writeFile(path.join(folder, 'manifest.yml'), MANIFEST);
    emulator = await startEmulator({
      forgeManifest: await readForgeManifest(path.join(folder, 'manifest.yml')),
      port: 0,
    });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await emulator?.close();
    if (folder) await rm(folder, { recursive: true, force: true });
  });

  it('announces the applied colour mode to the new observer, and follows the page theme afterwards', async () => {
    const page = await browser.context.newPage();
    await page.goto(`${emulator.emulatorUrl}?user=editor`);
    const macro = page.frameLocator('[data-testid=macro-slot] iframe[data-host=forge]');
    await expect.poll(() => macro.locator('#mode').textContent(), { timeout: 20_000 }).toBe('light');
    await page.getByLabel('Theme', { exact: true }).selectOption('dark');
    await expect.poll(() => macro.locator('#mode').textContent()).toBe('dark');
    await page.close();
  });
});
