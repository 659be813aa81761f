import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Page } from 'playwright-core';
import { startEmulator, type RunningEmulator } from '../../emulator/node/start-emulator';
import { hasChromium, launchChromium } from './support/chromium';
import { screenshot } from './support/screenshots';

/**
 * `emulate --latency` in the page (issue 21): each AP.request is answered after the latency, and the request log
 * shows each call's start and end, so two calls made together overlap and a call made after an answer follows it.
 */

const LATENCY_MS = 200;

/** A static Connect app (no lifecycle, authentication none) whose macro reads two things at once, then a third. */
async function startWaterfallApp(): Promise<{ descriptorUrl: string; close(): Promise<void> }> {
  let baseUrl = '';
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', baseUrl);
    if (url.pathname === '/atlassian-connect.json') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(
        JSON.stringify({
          key: 'com.example.waterfall',
          name: 'Waterfall',
          baseUrl,
          authentication: { type: 'none' },
          scopes: ['read'],
          modules: { dynamicContentMacros: [{ key: 'waterfall', name: { value: 'Waterfall' }, url: '/macro.html' }] },
        }),
      );
      return;
    }
    if (url.pathname !== '/macro.html') return void res.writeHead(404).end();
    const allJs = `${url.searchParams.get('xdm_e') ?? ''}${url.searchParams.get('cp') ?? ''}/atlassian-connect/all.js`;
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(`<!doctype html><html><head>
<script src="${allJs}"></script></head><body><p id="done">waiting</p><script>
  Promise.all([AP.request('/api/v2/pages/65601'), AP.request('/rest/api/user/current')])
    .then(function () { return AP.request('/api/v2/spaces'); })
    .then(function () { document.getElementById('done').textContent = 'done'; });
</script></body></html>`);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    descriptorUrl: `${baseUrl}/atlassian-connect.json`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

interface LoggedCall {
  path: string;
  start: number;
  end: number;
}

async function loggedCalls(page: Page): Promise<LoggedCall[]> {
  return page.$$eval('[data-testid="request-log"] > li[data-end-ms]', (rows) =>
    rows.map((row) => ({
      path: row.querySelector('.emu-log-path')?.textContent ?? '',
      start: Number((row as HTMLElement).dataset.startMs),
      end: Number((row as HTMLElement).dataset.endMs),
    })),
  );
}

describe.skipIf(!hasChromium)('emulate --latency in Chromium: the request log as a waterfall', () => {
  let app: Awaited<ReturnType<typeof startWaterfallApp>>;
  let emulator: RunningEmulator;
  let browser: Awaited<ReturnType<typeof launchChromium>>;

  beforeAll(async () => {
    app = await startWaterfallApp();
    emulator = await startEmulator({ descriptorUrl: app.descriptorUrl, port: 0, latencyMs: LATENCY_MS });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await emulator?.close();
    await app?.close();
  });

  it('answers each AP.request after the latency; calls made together overlap, a call after an answer follows it', async () => {
    const page = await browser.context.newPage();
    await page.goto(`${emulator.emulatorUrl}?module=waterfall`);
    await page
      .frameLocator('[data-testid=macro-slot] iframe.ap-iframe')
      .locator('#done', { hasText: 'done' })
      .waitFor();
    await expect.poll(async () => (await loggedCalls(page)).length).toBe(3);
    const calls = await loggedCalls(page);
    const call = (path: string) => calls.find((logged) => logged.path.includes(path))!;
    for (const logged of calls) expect(logged.end - logged.start, logged.path).toBeGreaterThanOrEqual(LATENCY_MS);
    const [pageRead, userRead, spaces] = [call('/api/v2/pages/65601'), call('/user/current'), call('/api/v2/spaces')];
    expect(userRead.start).toBeLessThan(pageRead.end);
    expect(pageRead.start).toBeLessThan(userRead.end);
    expect(spaces.start).toBeGreaterThanOrEqual(Math.max(pageRead.end, userRead.end));
    await expect.poll(() => page.locator('[data-testid="log-bar"]').count()).toBe(3);
    await screenshot(page, 'emulator-latency-waterfall');
    await page.close();
  });
});
