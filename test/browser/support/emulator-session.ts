import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FrameLocator, Page } from 'playwright-core';
import { pageListMacro } from '../../../examples/page-list-macro/dev-app';
import { startDevEnvironment, type DevEnvironment } from '../../../emulator/node/dev-environment';
import { launchChromium } from './chromium';

/** One dev environment (free ports, temp data dir) and one Chromium, exactly as `npm run dev` starts them. */
export interface EmulatorSession {
  env: DevEnvironment;
  page: Page;
  /** The app iframe's content (re-resolved whenever the emulator recreates the iframe). */
  app: FrameLocator;
  /** The custom macro editor's iframe, inside the editor dialog. */
  editor: FrameLocator;
  /** The iframe of a dialog the app opened (`AP.dialog.create`). */
  dialog: FrameLocator;
  /** Forge mode (`host=forge`): the Custom UI iframes the emulator page creates itself (macro, config, modal). */
  forge: { app: FrameLocator; editor: FrameLocator; dialog: FrameLocator };
  /** Load the emulator page in Forge mode and wait for the app inside the Custom UI iframe. */
  openForge(params?: Record<string, string>): Promise<void>;
  /** Requests that tried to leave loopback (aborted). */
  external: string[];
  /** Load the emulator page, optionally with query params (`user`, `module`, `pageId`), and wait for the app. */
  open(params?: Record<string, string>): Promise<void>;
  iframeHeight(): Promise<number>;
  close(): Promise<void>;
}

export async function startEmulatorSession(): Promise<EmulatorSession> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'cik-emulator-'));
  const env = await startDevEnvironment({
    app: pageListMacro,
    appPort: 0,
    emulatorPort: 0,
    dataDir,
    watch: false,
    log: () => {},
  });
  const browser = await launchChromium();
  const page = await browser.context.newPage();
  // Scoped to the page's macro slot: while the editor dialog is open there is a second app iframe.
  const app = page.frameLocator('[data-testid=macro-slot] iframe.ap-iframe');
  const editor = page.frameLocator('[data-testid=macro-editor-dialog] iframe.ap-iframe');
  const dialog = page.frameLocator('[data-testid=app-dialog] iframe.ap-iframe');
  return {
    env,
    page,
    app,
    editor,
    dialog,
    forge: {
      app: page.frameLocator('[data-testid=macro-slot] iframe[data-host=forge]'),
      editor: page.frameLocator('[data-testid=macro-editor-dialog] iframe[data-host=forge]'),
      dialog: page.frameLocator('[data-testid=app-dialog] iframe[data-host=forge]'),
    },
    async openForge(params = {}) {
      await page.goto(`${env.emulatorUrl}?${new URLSearchParams({ ...params, host: 'forge' })}`);
      await page
        .frameLocator('[data-testid=macro-slot] iframe[data-host=forge]')
        .locator('[data-testid=demo-root]')
        .waitFor();
    },
    external: browser.external,
    async open(params = {}) {
      await page.goto(`${env.emulatorUrl}?${new URLSearchParams(params)}`);
      await app.locator('[data-testid=demo-root]').waitFor();
    },
    async iframeHeight() {
      const box = await page.locator('[data-testid=macro-slot] iframe.ap-iframe').boundingBox();
      if (!box) throw new Error('the app iframe is not on screen');
      return Math.round(box.height);
    },
    async close() {
      await browser.close();
      await env.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
