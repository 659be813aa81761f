import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { readForgeManifest } from '../../emulator/node/forge-manifest';
import { startEmulator, type RunningEmulator } from '../../emulator/node/start-emulator';
import { hasChromium, launchChromium } from './support/chromium';

/** Taller than the frame the emulator starts a macro with, so a frame that does not grow cuts it off. */
const TALL_PX = 900;

/**
 * A Custom UI macro that never asks for a size (no bridge call at all): tall content, a button that makes it short.
 * Forge sizes a macro's frame to its document by itself; so must the emulator.
 */
const TALL_MACRO_HTML = `<!doctype html><html><head><meta charset="utf-8"></head>
<body style="margin: 8px">
<div id="tall" style="height: ${TALL_PX}px; background: #eee">tall content</div>
<p id="end">the end</p>
<button id="shrink" type="button" onclick="document.getElementById('tall').remove()">Shrink</button>
</body></html>`;

const MANIFEST = `modules:
  macro:
    - key: tall-macro
      resource: main
      title: Tall macro
resources:
  - key: main
    path: static/main/build
`;

describe.skipIf(!hasChromium)('emulate --forge: a Custom UI macro frame follows its content (real browser)', () => {
  let folder: string;
  let emulator: RunningEmulator;
  let browser: Awaited<ReturnType<typeof launchChromium>>;

  beforeAll(async () => {
    folder = await mkdtemp(path.join(tmpdir(), 'cik-forge-resize-'));
    const build = path.join(folder, 'static', 'main', 'build');
    await mkdir(build, { recursive: true });
    await writeFile(path.join(build, 'index.html'), TALL_MACRO_HTML);
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

  it('grows the frame to the whole macro, and shrinks it when the content does', async () => {
    const page = await browser.context.newPage();
    await page.goto(`${emulator.emulatorUrl}?user=editor&module=tall-macro`);
    const frameElement = page.locator('[data-testid=macro-slot] iframe[data-host=forge]');
    const macro = page.frameLocator('[data-testid=macro-slot] iframe[data-host=forge]');
    await macro.locator('#end').waitFor();
    const frameHeight = async () => Math.round((await frameElement.boundingBox())?.height ?? 0);

    // The whole document fits: the last element's bottom is inside the frame, with nothing to scroll.
    await expect.poll(frameHeight).toBeGreaterThan(TALL_PX);
    const fits = await macro.locator('body').evaluate(() => {
      const end = document.getElementById('shrink')!.getBoundingClientRect().bottom;
      return { end, viewport: window.innerHeight, scrolls: document.documentElement.scrollHeight > window.innerHeight };
    });
    expect(fits.end).toBeLessThanOrEqual(fits.viewport);
    expect(fits.scrolls).toBe(false);

    await macro.locator('#shrink').click();
    await expect.poll(frameHeight).toBeLessThan(200);
    expect(await macro.locator('#end').isVisible()).toBe(true);
    await page.close();
  });
});
