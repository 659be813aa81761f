import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Frame, Page } from 'playwright-core';
import { startDevEnvironment, type DevEnvironment } from '../../src/emulator/node/dev-environment';
import { hasChromium, launchChromium } from './support/chromium';
import { screenshot } from './support/screenshots';

describe.skipIf(!hasChromium)('emulator bridge: connect-host hosts the app with the real all.js', () => {
  let env: DevEnvironment;
  let browser: Awaited<ReturnType<typeof launchChromium>>;
  let dataDir: string;
  let page: Page;

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'cik-emulator-'));
    env = await startDevEnvironment({ appPort: 0, emulatorPort: 0, dataDir });
    browser = await launchChromium();
    page = await browser.context.newPage();
  });
  afterAll(async () => {
    await browser?.close();
    await env?.close();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  async function appFrame(): Promise<Frame> {
    const appOrigin = new URL(env.appUrl).origin;
    await page.waitForSelector('iframe.ap-iframe');
    for (let i = 0; i < 100; i++) {
      const frame = page.frames().find((f) => f.url().startsWith(appOrigin));
      if (frame) return frame;
      await page.waitForTimeout(100);
    }
    throw new Error('the app iframe never loaded');
  }

  it('answers AP.request from inside a cross-origin iframe', async () => {
    await page.goto(env.emulatorUrl);
    const frame = await appFrame();
    await frame.waitForFunction(() => document.getElementById('root')?.textContent?.startsWith('bridge'));
    expect(await frame.textContent('#root')).toBe('bridge ok 200');
    expect(new URL(frame.url()).origin).not.toBe(new URL(page.url()).origin);
    await expect(page.locator('[data-testid=request-log] li').first().getAttribute('data-status')).resolves.toBe('200');
    await screenshot(page, '00-bridge');
  });
});
