import type { Frame } from 'playwright-core';
import { hasChromium } from './support/chromium';
import { startEmulatorSession, type EmulatorSession } from './support/emulator-session';
import { screenshot } from './support/screenshots';

interface ForgeCall {
  op: string;
  payload: any;
  frame: string;
}

/**
 * The demo as Forge Custom UI inside the emulator (`host=forge`), in Debian's Chromium: the app iframe loads the
 * real npm `@forge/bridge`, which talks to the emulator page through the emulator's `__bridge` shim.
 */
describe.skipIf(!hasChromium)('demo app as Forge Custom UI in the Confluence emulator (real browser)', () => {
  let s: EmulatorSession;
  const EDITOR = '5f8e2b7c9d1a4e0069f3edit';

  beforeAll(async () => {
    s = await startEmulatorSession();
    await s.openForge({ user: 'editor' });
  });
  afterAll(async () => {
    await s?.close();
  });

  /** The macro's Custom UI frame (the element's frame: /forge/macro-editor would match a URL prefix too). */
  const macroFrame = async (): Promise<Frame> => {
    const frame = await (
      await s.page.locator('[data-testid=macro-slot] iframe[data-host=forge]').elementHandle()
    )?.contentFrame();
    if (!frame) throw new Error('no Forge macro frame');
    return frame;
  };

  const forgeCalls = (): Promise<ForgeCall[]> =>
    s.page.evaluate(
      () =>
        (window as unknown as { __confluenceEmulator: { forgeCalls: ForgeCall[] } }).__confluenceEmulator.forgeCalls,
    );

  it('lists the pages through the real @forge/bridge, over the emulator shim, from a cross-origin static iframe', async () => {
    const items = s.forge.app.locator('[data-testid=page-list] li');
    await items.first().waitFor();
    expect(await items.count()).toBe(10);
    expect(await s.forge.app.locator('h2').textContent()).toBe('Pages in this space'); // extension.config, the macro's parameters

    // No connect-host iframe and no Connect JWT: Custom UI is served as a static page.
    expect(await s.page.locator('iframe.ap-iframe').count()).toBe(0);
    const src = new URL(
      (await s.page.locator('[data-testid=macro-slot] iframe[data-host=forge]').getAttribute('src'))!,
    );
    expect(src.pathname).toBe('/forge/macro');
    expect(src.search).toBe('');
    const frame = s.page.frames().find((f) => f.url().startsWith(`${s.env.appUrl}/forge/macro`))!;
    expect(await frame.evaluate(() => location.origin)).not.toBe(await s.page.evaluate(() => location.origin));
    // window.__bridge is the emulator's shim (the first script), and there is no all.js in the frame.
    expect(await frame.evaluate(() => document.head.querySelector('script')?.getAttribute('src'))).toBe(
      '/forge-bridge-emulator.js',
    );
    expect(await frame.evaluate(() => typeof (window as any).__bridge?.callBridge)).toBe('function');
    expect(await frame.evaluate(() => 'AP' in window)).toBe(false);

    // @forge/bridge's own code shaped the calls: requestConfluence's fetchProduct payload, with the
    // X-Atlassian-Token header the real bridge adds (the toolkit's Forge transport does not).
    const calls = await forgeCalls();
    const fetches = calls.filter((c) => c.op === 'fetchProduct');
    expect(fetches.length).toBeGreaterThan(0);
    expect(fetches[0]!.payload).toMatchObject({ product: 'confluence', isMultipartFormData: false });
    expect(fetches[0]!.payload.restPath).toMatch(/^\/wiki\/api\/v2\//);
    expect(fetches[0]!.payload.fetchRequestInit.headers).toContainEqual(['x-atlassian-token', 'no-check']);
    expect(calls.some((c) => c.op === 'getContext')).toBe(true);
    // The host's request log shows them, as it shows AP.request in Connect mode.
    expect(
      await s.page.locator('[data-testid=request-log] li[data-host=forge][data-status="200"]').count(),
    ).toBeGreaterThan(0);
    await screenshot(s.page, 'forge-01-page-list');
  });

  it('verifies the identity on the app backend through invokeRemote with a Forge Invocation Token (useAppFetch)', async () => {
    const identity = s.forge.app.locator('[data-testid=verified-identity]');
    await expect.poll(() => identity.getAttribute('data-verified')).toBe('true');
    expect(await identity.textContent()).toContain(EDITOR);
    const invoke = (await forgeCalls()).find((c) => c.op === 'invoke');
    expect(invoke?.payload).toMatchObject({ invokeType: 'ui-remote-fetch', path: '/api/verify', method: 'GET' });
  });

  it('shows the forbidden state with its reason for a user without Confluence access', async () => {
    await s.page
      .getByLabel('Acting user', { exact: true })
      .selectOption({ label: 'Nico No-Access (no Confluence access)' });
    const refusal = s.forge.app.locator('[data-kind=forbidden]');
    await refusal.waitFor();
    expect(await refusal.getAttribute('data-reason')).toBe('product-access');
    expect(await s.forge.app.locator('[data-testid=page-list]').count()).toBe(0);
    // The next FIT names the other user.
    await expect
      .poll(() => s.forge.app.locator('[data-testid=verified-identity]').textContent())
      .toContain('62a9e1f4b7c3d80068noacc');
    expect(
      await s.page.locator('[data-testid=request-log] li[data-host=forge][data-status="403"]').count(),
    ).toBeGreaterThan(0);
    await screenshot(s.page, 'forge-02-forbidden');
    await s.page.getByLabel('Acting user', { exact: true }).selectOption({ label: 'Eddie Editor (editor)' });
    await s.forge.app.locator('[data-testid=page-list] li').first().waitFor();
  });

  it("saves a title: showFlag shows the host flag, and its action's router.navigate moves Confluence to the page", async () => {
    await s.forge.app.getByRole('button', { name: 'Glossary' }).click();
    const input = s.forge.app.getByLabel('Title');
    await input.waitFor();
    await input.fill('Glossary (reviewed on Forge)');
    await s.forge.app.getByRole('button', { name: 'Save title' }).click();
    const flag = s.page.locator('.emu-flag.success', { hasText: 'Title saved' });
    await flag.waitFor();
    expect(await flag.textContent()).toMatch(/"Glossary \(reviewed on Forge\)" is now version \d+/);
    await expect
      .poll(() => s.forge.app.locator('[data-testid=saved]').textContent())
      .toMatch(/^Saved as version \d+\.$/);
    await screenshot(s.page, 'forge-03-flag');
    // The action's onClick runs in the iframe (a callback across postMessage) and navigates through the bridge.
    await flag.getByRole('button', { name: 'Open the page' }).click();
    await expect.poll(() => s.page.getByTestId('host-page-title').textContent()).toBe('Glossary (reviewed on Forge)');
    const navigate = (await forgeCalls()).find((c) => c.op === 'navigate');
    expect(navigate?.payload).toMatchObject({ target: 'contentView', type: 'same-tab' });
  });

  it('saves the macro config from a Forge config view (view.submit / view.close) and re-renders the macro', async () => {
    await s.openForge({ user: 'editor' });
    const items = s.forge.app.locator('[data-testid=page-list] li');
    await items.first().waitFor();
    await s.page.getByRole('button', { name: 'Edit macro' }).click();
    const dialog = s.page.getByRole('dialog', { name: 'Edit page list' });
    await dialog.waitFor();
    // The config view reads the stored parameters from getContext's extension.config.
    await expect.poll(() => s.forge.editor.getByLabel('Title').inputValue()).toBe('Pages in this space');
    await s.forge.editor.getByLabel('Title').fill('Five pages');
    await s.forge.editor.getByLabel('Number of pages').fill('5');
    await s.forge.editor.getByRole('button', { name: 'Save', exact: true }).click();
    await dialog.waitFor({ state: 'hidden' });
    await expect.poll(() => s.forge.app.locator('h2').textContent()).toBe('Five pages');
    await expect.poll(() => items.count()).toBe(5);
    const submit = (await forgeCalls()).find((c) => c.op === 'submit');
    expect(submit).toMatchObject({ frame: 'config', payload: { config: { title: 'Five pages', limit: '5' } } });
  });

  it('opens the review dialog as a Forge Modal: opener data in, the choice back through onClose, × dismisses', async () => {
    await s.forge.app.locator('[data-testid=page-list] li button').first().click();
    const pageTitle = s.forge.app.locator('[data-testid=page-title]');
    await pageTitle.waitFor();
    const title = (await pageTitle.textContent())!;
    const outcome = s.forge.app.locator('[data-testid=review-outcome]');
    const dialog = s.page.getByRole('dialog', { name: `Review “${title}”` });
    const review = s.forge.app.getByRole('button', { name: 'Review…' });
    await review.click();
    await dialog.waitFor();
    // extension.modal carries what the opener passed to new Modal({ context }).
    await expect.poll(() => s.forge.dialog.locator('[data-testid=review-title]').textContent()).toBe(title);
    await screenshot(s.page, 'forge-04-modal');
    await s.forge.dialog.getByRole('button', { name: 'Needs changes' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await expect.poll(() => outcome.textContent()).toBe('Review: Needs changes');

    await review.click();
    await s.forge.dialog.getByRole('button', { name: 'Looks good' }).waitFor();
    await dialog.getByRole('button', { name: 'Close' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await expect.poll(() => outcome.textContent()).toBe('Review dismissed');
  });

  it("a second openModal while one is open finishes the first: the first opener's onClose runs (no result)", async () => {
    const macro = await macroFrame();
    const closes = () => macro.evaluate(() => (window as any).__closes as [string, unknown][]);
    for (const name of ['first', 'second']) {
      await macro.evaluate(
        (n) =>
          (window as any).__bridge.callBridge('openModal', {
            resource: 'page-review-dialog',
            title: `Modal ${n}`,
            context: {},
            onClose: (result: unknown) => ((window as any).__closes ??= []).push([n, result ?? null]),
          }),
        name,
      );
    }
    const dialog = s.page.getByRole('dialog', { name: 'Modal second' });
    await dialog.waitFor();
    await expect.poll(closes, { timeout: 10_000 }).toEqual([['first', null]]);
    await dialog.getByRole('button', { name: 'Close' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await expect.poll(closes, { timeout: 10_000 }).toEqual([
      ['first', null],
      ['second', null],
    ]);
  });

  it('follows the host theme after view.theme.enable()', async () => {
    await s.page.getByLabel('Theme').selectOption('dark');
    const frame = s.page.frames().find((f) => f.url().startsWith(`${s.env.appUrl}/forge/macro`))!;
    await expect
      .poll(() => frame.evaluate(() => document.documentElement.getAttribute('data-color-mode')))
      .toBe('dark');
    await s.page.getByLabel('Theme').selectOption('light');
    await expect
      .poll(() => frame.evaluate(() => document.documentElement.getAttribute('data-color-mode')))
      .toBe('light');
  });

  /** The callback id the shim put into a logged call's payload at `pick`. */
  const callbackIdOf = async (op: string, pick: (payload: any) => unknown): Promise<number> => {
    const call = (await forgeCalls()).filter((c) => c.op === op && pick(c.payload) !== undefined).at(-1);
    const id = (pick(call?.payload) as { __cikCallback?: unknown } | undefined)?.__cikCallback;
    if (typeof id !== 'number') throw new Error(`no ${op} call with a callback in the log`);
    return id;
  };

  /** Reloads the document inside the macro's Custom UI iframe (what an HMR full reload does) and waits for the app. */
  const reloadMacroDocument = async (frame: Frame): Promise<void> => {
    const navigated = s.page.waitForEvent('framenavigated', { predicate: (f) => f === frame });
    await frame.evaluate(() => location.reload());
    await navigated;
    await s.forge.app.locator('[data-testid=demo-root]').waitFor();
  };

  it('forgets what a Custom UI document registered when it reloads: stale events and flag actions reach nobody in the new one', async () => {
    await s.openForge({ user: 'editor' });
    const frame = await macroFrame();
    // Document A: 300 placeholder functions first, so A's subscription and flag action get ids far above anything
    // document B's app registers on its own; B then fills those ids with functions of its own.
    await frame.evaluate(async () => {
      const bridge = (window as any).__bridge;
      await bridge.callBridge('emitReadyEvent', { fill: Array.from({ length: 300 }, () => () => {}) });
      await bridge.callBridge('on', { event: 'cik-reload', callback: () => {} });
      await bridge.callBridge('showFlag', {
        id: 'cik-reload',
        title: 'Stale flag',
        actions: [{ text: 'Stale action', onClick: () => {} }],
      });
    });
    const stale = [
      await callbackIdOf('on', (p) => (p?.event === 'cik-reload' ? p.callback : undefined)),
      await callbackIdOf('showFlag', (p) => (p?.id === 'cik-reload' ? p.actions?.[0]?.onClick : undefined)),
    ];
    expect(Math.min(...stale)).toBeGreaterThan(300);

    await reloadMacroDocument(frame);
    await frame.evaluate(
      async (max) => {
        const w = window as any;
        w.__hits = [];
        w.__errors = [];
        addEventListener('error', (e) => w.__errors.push(String(e.message)));
        addEventListener('unhandledrejection', (e) => w.__errors.push(String(e.reason)));
        // Ids 1…max+5 in this document now all run something that records "B-filler" (or the app's own functions).
        await w.__bridge.callBridge('emitReadyEvent', {
          fill: Array.from({ length: max + 5 }, () => () => w.__hits.push('B-filler')),
        });
        await w.__bridge.callBridge('on', { event: 'cik-reload', callback: () => w.__hits.push('B-event') });
        await w.__bridge.callBridge('emit', { event: 'cik-reload' });
      },
      Math.max(...stale),
    );
    const hits = () => frame.evaluate(() => (window as any).__hits as string[]);
    // Deliveries go out in subscription order: had A's subscription survived, its callback would have run first.
    await expect.poll(hits, { timeout: 10_000 }).toContain('B-event');
    expect(await hits()).toEqual(['B-event']);

    // A's flag is still on the page; its action belongs to a document that is gone.
    await s.page.locator('.emu-flag', { hasText: 'Stale flag' }).getByRole('button', { name: 'Stale action' }).click();
    // A round trip after the click: a callback message posted by the click would have been handled before its answer.
    await frame.evaluate(() => (window as any).__bridge.callBridge('getContext'));
    expect(await hits()).toEqual(['B-event']);
    expect(await frame.evaluate(() => (window as any).__errors)).toEqual([]);
  });

  it("releases callbacks the host is done with: a closed flag's actions, a Modal's onClose once it ran", async () => {
    const frame = await macroFrame();
    await frame.evaluate(() => {
      const w = window as any;
      w.__released = [];
      addEventListener('message', (e) => {
        if (e.data?.channel === 'cik-forge-emulator/1' && e.data.kind === 'release')
          w.__released.push(...e.data.callbackIds);
      });
    });
    const released = () => frame.evaluate(() => (window as any).__released as number[]);

    await frame.evaluate(() =>
      (window as any).__bridge.callBridge('showFlag', {
        id: 'cik-release',
        title: 'Release me',
        actions: [
          { text: 'A', onClick: () => {} },
          { text: 'B', onClick: () => {} },
        ],
      }),
    );
    const actions = [0, 1].map((i) =>
      callbackIdOf('showFlag', (p) => (p?.id === 'cik-release' ? p.actions?.[i]?.onClick : undefined)),
    );
    const actionIds = await Promise.all(actions);
    expect(await released()).toEqual([]);
    await frame.evaluate(() => (window as any).__bridge.callBridge('closeFlag', { id: 'cik-release' }));
    await expect.poll(released, { timeout: 10_000 }).toEqual(actionIds);

    await frame.evaluate(() =>
      (window as any).__bridge.callBridge('openModal', {
        resource: 'page-review-dialog',
        title: 'Release modal',
        context: {},
        onClose: () => {},
      }),
    );
    const onCloseId = await callbackIdOf('openModal', (p) => (p?.title === 'Release modal' ? p.onClose : undefined));
    const dialog = s.page.getByRole('dialog', { name: 'Release modal' });
    await dialog.getByRole('button', { name: 'Close' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await expect.poll(released, { timeout: 10_000 }).toEqual([...actionIds, onCloseId]);
  });

  it('answers only its own frames: a call posted by a nested frame or another origin never reaches an op', async () => {
    const frame = await macroFrame();
    const call = (marker: string) => ({
      channel: 'cik-forge-emulator/1',
      kind: 'call',
      session: 'forged',
      id: 1,
      op: 'fetchProduct',
      payload: {
        product: 'confluence',
        restPath: `/wiki/api/v2/pages?limit=1&cik=${marker}`,
        fetchRequestInit: { method: 'GET', headers: [] },
        isMultipartFormData: false,
      },
    });
    // A frame nested in the Custom UI (the app's origin, but not an attached window) posts to the emulator page.
    await frame.evaluate((message) => {
      const nested = document.createElement('iframe');
      nested.srcdoc = `<script>parent.parent.postMessage(${JSON.stringify(message)}, '*')</script>`;
      return new Promise<void>((done) => {
        nested.onload = () => done();
        document.body.append(nested);
      });
    }, call('nested'));
    // A frame of another origin (the emulator's own) and the page itself post the same.
    await s.page.evaluate((message) => {
      window.postMessage(message, '*');
      const other = document.createElement('iframe');
      other.srcdoc = `<script>parent.postMessage(${JSON.stringify(message)}, '*')</script>`;
      return new Promise<void>((done) => {
        other.onload = () => {
          other.remove();
          done();
        };
        document.body.append(other);
      });
    }, call('other-origin'));
    // The frame's own call, after them: once it is logged, the forged ones would have been too.
    await frame.evaluate((message) => (window as any).__bridge.callBridge(message.op, message.payload), call('own'));
    const paths = (await forgeCalls()).filter((c) => c.op === 'fetchProduct').map((c) => String(c.payload?.restPath));
    expect(paths.filter((p) => p.includes('cik='))).toEqual(['/wiki/api/v2/pages?limit=1&cik=own']);
  });

  it('the shim answers only its parent at the emulator origin: forged host messages from elsewhere run nothing', async () => {
    const frame = await macroFrame();
    // The session the frame's document uses, as the page sees it on its calls.
    await s.page.evaluate(() => {
      addEventListener('message', (e) => {
        if (e.data?.channel === 'cik-forge-emulator/1' && e.data.kind === 'call')
          (window as any).__cikSession = e.data.session;
      });
    });
    await frame.evaluate(async () => {
      const w = window as any;
      w.__forgedHits = [];
      await w.__bridge.callBridge('on', { event: 'cik-forged', callback: (arg: unknown) => w.__forgedHits.push(arg) });
    });
    const session = await s.page.evaluate(() => (window as any).__cikSession as string);
    const callbackId = await callbackIdOf('on', (p) => (p?.event === 'cik-forged' ? p.callback : undefined));
    const forged = { channel: 'cik-forge-emulator/1', kind: 'callback', session, callbackId, args: ['forged'] };
    // From a frame nested in the Custom UI (app origin, not its parent) …
    await frame.evaluate((message) => {
      const nested = document.createElement('iframe');
      nested.srcdoc = `<script>parent.postMessage(${JSON.stringify(message)}, '*')</script>`;
      return new Promise<void>((done) => {
        nested.onload = () => done();
        document.body.append(nested);
      });
    }, forged);
    // … and from a sibling frame at the emulator's origin (right origin, not its parent).
    await s.page.evaluate((message) => {
      const sibling = document.createElement('iframe');
      const target = [...document.querySelectorAll('iframe')].findIndex((f) => f.closest('[data-testid=macro-slot]'));
      sibling.srcdoc = `<script>parent.frames[${target}].postMessage(${JSON.stringify(message)}, '*')</script>`;
      return new Promise<void>((done) => {
        sibling.onload = () => {
          sibling.remove();
          done();
        };
        document.body.append(sibling);
      });
    }, forged);
    await frame.evaluate(() => (window as any).__bridge.callBridge('emit', { event: 'cik-forged', payload: 'real' }));
    await expect.poll(() => frame.evaluate(() => (window as any).__forgedHits), { timeout: 10_000 }).toContain('real');
    expect(await frame.evaluate(() => (window as any).__forgedHits)).toEqual(['real']);
  });

  it('sends nothing past loopback', () => {
    expect(s.external).toEqual([]);
  });
});
