import { hasChromium } from './support/chromium';
import { startEmulatorSession, type EmulatorSession } from './support/emulator-session';

/** One painted frame of the app's document, as the recorder saw it. */
interface PaintedFrame {
  /** `getComputedStyle(body).backgroundColor`: what the iframe shows behind the app. */
  background: string;
  /** Whether the React root had content yet. */
  content: boolean;
  /** Whether the design tokens were in force (`--ds-surface` resolves): the host's theme is on. */
  themed: boolean;
}

/**
 * Injected into every document before its own scripts: in the app's frames (path given), it samples the body's
 * computed background on every animation frame from the very first one, so a single light frame is seen.
 */
function recordPaintedBackgrounds(appPath: string): void {
  if (window.location.pathname !== appPath) return;
  const painted: PaintedFrame[] = [];
  (window as unknown as { __paintedFrames: PaintedFrame[] }).__paintedFrames = painted;
  const sample = () => {
    if (document.body) {
      painted.push({
        background: getComputedStyle(document.body).backgroundColor,
        content: Boolean(document.getElementById('root')?.firstElementChild),
        themed: getComputedStyle(document.body).getPropertyValue('--ds-surface').trim() !== '',
      });
    }
    requestAnimationFrame(sample);
  };
  requestAnimationFrame(sample);
}

/** rgb()/rgba() → relative luminance (0 black … 1 white), or `undefined` for a transparent colour (nothing painted). */
function luminance(color: string): number | undefined {
  const channels = color.match(/[\d.]+/g)?.map(Number);
  if (!channels || channels.length < 3) throw new Error(`unexpected colour ${color}`);
  const [red = 0, green = 0, blue = 0, alpha = 1] = channels;
  if (alpha === 0) return undefined;
  return (0.2126 * red + 0.7152 * green + 0.0722 * blue) / 255;
}

/** Above this a background reads as light (Atlassian's dark surface is about 0.12, its light one 1). */
const LIGHT_LUMINANCE = 0.5;

/**
 * A dark Confluence page must never show the app light first. In Forge mode the demo hands `theme` to
 * `<ConfluenceProvider>`, which awaits `view.theme.enable()` before the first render; the recorder proves no
 * painted frame of the Custom UI iframe, from the first one on, had a light background.
 */
describe.skipIf(!hasChromium)('no light flash on a dark page (real browser)', () => {
  let s: EmulatorSession;

  beforeAll(async () => {
    s = await startEmulatorSession();
    await s.page.context().addInitScript(recordPaintedBackgrounds, '/forge/macro');
  });
  afterAll(async () => {
    await s?.close();
  });

  it('Forge: the Custom UI iframe is dark from its first painted frame', async () => {
    await s.openForge({ user: 'editor' });
    await s.page.getByTestId('theme').selectOption('dark');
    // A fresh iframe on the now dark page: what a user opening a dark Confluence page gets.
    const reloaded = s.page.waitForEvent('framenavigated', (frame) =>
      frame.url().startsWith(`${s.env.appUrl}/forge/macro`),
    );
    await s.page.getByRole('button', { name: 'Reload app' }).click();
    // The new frame's own record, never the old frame's (which was light before the switch).
    const appFrame = await reloaded;
    await appFrame.locator('[data-testid=page-list] li').first().waitFor();
    const painted = await appFrame.evaluate(
      () => (window as unknown as { __paintedFrames: PaintedFrame[] }).__paintedFrames,
    );
    const withContent = painted.filter((frame) => frame.content);
    expect(withContent.length).toBeGreaterThan(0);
    // The app ends up dark (the theme really is applied)…
    expect(luminance(painted.at(-1)!.background)).toBeLessThan(LIGHT_LUMINANCE);
    // …no frame before that was light: not with content, and not an empty white iframe either…
    const light = painted.filter((frame) => (luminance(frame.background) ?? 0) >= LIGHT_LUMINANCE);
    expect(light, `${light.length} light frames of ${painted.length}`).toEqual([]);
    // …and no content was ever painted before the theme was on (dark text on a see-through frame is a flash too).
    const unthemed = withContent.filter((frame) => !frame.themed);
    expect(unthemed, `${unthemed.length} unthemed frames with content`).toEqual([]);
  });
});
