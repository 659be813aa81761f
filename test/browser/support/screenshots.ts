import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { REPO_ROOT } from '../../../emulator/node/dev-environment';

export const SCREENSHOT_DIR = path.join(REPO_ROOT, 'test-artifacts', 'screenshots');

export async function screenshot(page: Page, name: string, extraPath?: string): Promise<string> {
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  // Let a pending AP.resize (debounced in useAutoResize, then a postMessage round trip) land before capturing.
  await page.waitForTimeout(300);
  const file = path.join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  if (extraPath) {
    await mkdir(path.dirname(extraPath), { recursive: true });
    await page.screenshot({ path: extraPath, fullPage: false });
  }
  return file;
}
