import path from 'node:path';
import { REPO_ROOT } from '../../emulator/node/dev-environment';
import { hasChromium } from './support/chromium';
import { startEmulatorSession, type EmulatorSession } from './support/emulator-session';
import { screenshot } from './support/screenshots';

const ONE_MINUTE_MS = 60 * 1000;
const LATEST_START_IN_MINUTE_MS = 35 * 1000;

/** The page's handle on its testing-kit world (see start-emulator-page.ts). */
interface EmulatorHandle {
  world: {
    requests: { status: number; points?: number }[];
    quota: { resetAt: number; used: number; burstLimited: boolean; exhausted: boolean };
  };
}

/**
 * The emulator's points meter (`world.quota` in the page) with the demo app in Chromium: every call costs points,
 * the quota toggles refuse as Confluence does, and the kit's client pauses itself on a spent quota.
 */
describe.skipIf(!hasChromium)('points quota in the Confluence emulator (real browser)', () => {
  let s: EmulatorSession;

  /** Host calls the emulated site has answered so far (every AP.request reaches it). */
  const hostCalls = () =>
    s.page.evaluate(
      () => (window as unknown as { __confluenceEmulator: EmulatorHandle }).__confluenceEmulator.world.requests.length,
    );

  beforeAll(async () => {
    s = await startEmulatorSession();
  });
  afterAll(async () => {
    await s?.close();
  });

  it('charges every call its points and shows what is left; "near limit" under 20 %', async () => {
    await s.open({ user: 'editor' });
    await s.app.locator('[data-testid=page-list] li').first().waitFor();
    const remaining = s.page.getByTestId('quota-remaining');
    await expect.poll(async () => Number(await remaining.getAttribute('data-remaining'))).toBeLessThan(65_000);
    const charged = await s.page.evaluate(() => {
      const { world } = (window as unknown as { __confluenceEmulator: EmulatorHandle }).__confluenceEmulator;
      return { used: world.quota.used, points: world.requests.map((entry) => entry.points ?? 0) };
    });
    expect(charged.points.some((points) => points > 0)).toBe(true);
    expect(charged.used).toBe(charged.points.reduce((sum, points) => sum + points, 0));
    expect(await remaining.textContent()).toContain(`${(65_000 - charged.used).toLocaleString('en')} of 65,000`);
    expect(await s.page.getByTestId('quota-last-call').textContent()).toMatch(/Last call: GET \/.* · \d+ points/);
    expect(await s.page.getByTestId('quota-near-limit').isVisible()).toBe(false);

    await s.page.getByTestId('quota-spend').click();
    await s.page.getByTestId('quota-near-limit').waitFor();
    expect(await s.page.getByTestId('quota-meter').getAttribute('data-near-limit')).toBe('true');
  });

  it("charges the Forge bridge's requestConfluence calls the same way", async () => {
    await s.openForge({ user: 'editor' });
    await s.forge.app.locator('[data-testid=page-list] li').first().waitFor();
    const remaining = s.page.getByTestId('quota-remaining');
    await expect.poll(async () => Number(await remaining.getAttribute('data-remaining'))).toBeLessThan(65_000);
    const before = Number(await remaining.getAttribute('data-remaining'));
    await s.forge.app.getByRole('button', { name: 'Load more' }).click();
    await expect.poll(() => s.forge.app.locator('[data-testid=page-list] li').count()).toBe(20);
    // A list of 10 pages: 1 point + 1 per page.
    await expect.poll(async () => Number(await remaining.getAttribute('data-remaining'))).toBe(before - 11);
  });

  it('"Quota exhausted": the macro shows the quota state with its reset time, and no host call goes out while paused', async () => {
    await s.open({ user: 'editor' });
    await s.app.locator('[data-testid=page-list] li').first().waitFor();
    await s.page.getByLabel(/Quota exhausted/).check();

    await s.app.getByRole('button', { name: 'Load more' }).click();
    const quotaState = s.app.locator('[data-kind=quota]');
    await quotaState.first().waitFor();
    // The reset is the next UTC hour, shown in the browser's local time.
    const resetTime = await s.page.evaluate(() => {
      const { world } = (window as unknown as { __confluenceEmulator: EmulatorHandle }).__confluenceEmulator;
      const reset = new Date(world.quota.resetAt);
      return `${String(reset.getHours()).padStart(2, '0')}:${String(reset.getMinutes()).padStart(2, '0')}`;
    });
    expect(await quotaState.first().textContent()).toContain(
      `This app has used its Confluence quota for this hour. It resumes at ${resetTime}.`,
    );
    const refusal = s.page.locator('[data-testid=request-log] li').first();
    expect(await refusal.getAttribute('data-status')).toBe('429');
    // UPDATE_DOCS_SCREENSHOTS=1 refreshes the README's picture; a normal run leaves the tracked file alone.
    const docsCopy = process.env.UPDATE_DOCS_SCREENSHOTS
      ? path.join(REPO_ROOT, 'docs', 'emulator-quota.png')
      : undefined;
    await screenshot(s.page, 'quota-exhausted', docsCopy);

    // Paused: opening a page needs a read, which the client refuses itself. The host sees nothing.
    const callsWhenPaused = await hostCalls();
    const logRowsWhenPaused = await s.page.locator('[data-testid=request-log] li').count();
    await s.app.locator('[data-testid=page-list] li button').first().click();
    // The page's read settles as the quota state. Had it gone out, the host would have logged it before the answer
    // could reach the app, so once the detail shows the state, a call the client failed to hold back is counted.
    await s.app.locator('[data-testid=page-detail] [data-kind=quota]').waitFor();
    expect(await hostCalls()).toBe(callsWhenPaused);
    expect(await s.page.locator('[data-testid=request-log] li').count()).toBe(logRowsWhenPaused);
  });

  it('"Quota exhausted" in Forge mode: requestConfluence keeps the rate-limit headers, so the client pauses', async () => {
    await s.openForge({ user: 'editor' });
    await s.forge.app.locator('[data-testid=page-list] li').first().waitFor();
    await s.page.getByLabel(/Quota exhausted/).check();

    await s.forge.app.getByRole('button', { name: 'Load more' }).click();
    const quotaState = s.forge.app.locator('[data-kind=quota]');
    await quotaState.first().waitFor();
    expect(await quotaState.first().textContent()).toMatch(/It resumes at \d{2}:\d{2}\./);
    expect(await s.forge.app.getByText(/Confluence is busy/).count()).toBe(0);

    const callsWhenPaused = await hostCalls();
    const logRowsWhenPaused = await s.page.locator('[data-testid=request-log] li').count();
    await s.forge.app.locator('[data-testid=page-list] li button').first().click();
    // The page's read settles as the quota state. Had it gone out, the host would have logged it before the answer
    // could reach the app, so once the detail shows the state, a call the client failed to hold back is counted.
    await s.forge.app.locator('[data-testid=page-detail] [data-kind=quota]').waitFor();
    expect(await hostCalls()).toBe(callsWhenPaused);
    expect(await s.page.locator('[data-testid=request-log] li').count()).toBe(logRowsWhenPaused);
  });

  it('"Burst limit": the app counts down and retries by itself; the quota is untouched', async () => {
    await s.open({ user: 'editor' });
    await s.app.locator('[data-testid=page-list] li').first().waitFor();
    const usedBefore = await s.page.evaluate(
      () => (window as unknown as { __confluenceEmulator: EmulatorHandle }).__confluenceEmulator.world.quota.used,
    );
    await s.page.getByLabel(/Burst limit/).check();
    await s.page.getByRole('button', { name: 'Reload app' }).click();
    // The first load waits out Retry-After: the loading view says so, counting down.
    await s.app.getByText(/Confluence is busy\. Retrying in \d+ s\./).waitFor();
    expect(await s.page.locator('[data-testid=request-log] li[data-status="429"]').count()).toBeGreaterThan(0);
    expect(await s.app.locator('[data-kind=quota]').count()).toBe(0);
    await screenshot(s.page, 'quota-burst-countdown');
    expect(
      await s.page.evaluate(
        () => (window as unknown as { __confluenceEmulator: EmulatorHandle }).__confluenceEmulator.world.quota.used,
      ),
    ).toBe(usedBefore);

    await s.page.getByLabel(/Burst limit/).uncheck();
    await s.app.locator('[data-testid=page-list] li').first().waitFor({ timeout: 30_000 });
  });

  it('"Fast clock": the quota window lasts a minute, so the app is seen to resume by itself at the reset', async () => {
    await s.open({ user: 'editor' });
    await s.app.locator('[data-testid=page-list] li').first().waitFor();
    // Start early in a minute, so the quota state is on screen before the one-minute window ends.
    while (Date.now() % ONE_MINUTE_MS > LATEST_START_IN_MINUTE_MS) await s.page.waitForTimeout(1000);
    await s.page.getByLabel(/Fast clock/).check();
    expect(await s.page.getByTestId('quota-reset').textContent()).toMatch(/This 60 s window resets at/);
    await s.page.getByLabel(/Quota exhausted/).check();
    await s.page.getByRole('button', { name: 'Reload app' }).click();
    await s.app.locator('[data-kind=quota]').first().waitFor();
    // At the end of the window the quota is back: the toggle follows, and the app's quota view retries by itself.
    await s.app.locator('[data-testid=page-list] li').first().waitFor({ timeout: 75_000 });
    expect(await s.page.getByLabel(/Quota exhausted/).isChecked()).toBe(false);
  }, 120_000);
});
