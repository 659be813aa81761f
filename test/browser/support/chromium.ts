import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';

/** Debian's Chromium (installed by `.ci/run` with apt); nothing here downloads a browser. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
export const hasChromium = existsSync(CHROMIUM_PATH);

if (!hasChromium) {
  const message = `Chromium not found at ${CHROMIUM_PATH}. Install it with: apt-get install -y chromium (or set CHROMIUM_PATH).`;
  // CI must never skip silently: a missing browser fails the run there.
  if (process.env.CI) throw new Error(message);
  console.warn(`\n\u001b[33m[browser tests SKIPPED] ${message}\u001b[0m\n`);
}

const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * A Chromium with a fresh profile directory, removed again on close. Every request that would leave loopback is
 * aborted and listed in `external`, so a test can assert the emulator is self-contained.
 */
export async function launchChromium(): Promise<{
  context: BrowserContext;
  external: string[];
  close(): Promise<void>;
}> {
  const userDataDir = await mkdtemp(path.join(tmpdir(), 'cik-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: ARGS,
    viewport: { width: 1400, height: 900 },
  });
  const external: string[] = [];
  await context.route(/^https?:\/\/(?!localhost[:/]|127\.0\.0\.1[:/])/, async (route) => {
    external.push(route.request().url());
    return route.abort();
  });
  return {
    context,
    external,
    async close() {
      await context.close();
      await rm(userDataDir, { recursive: true, force: true });
    },
  };
}
