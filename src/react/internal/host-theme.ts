import { useLayoutEffect, useState } from 'react';
import { bounded } from './host-calls.js';
import type { HostState } from './kit-context.js';

/**
 * How long the app waits for Forge's `view.theme.enable()` before rendering anyway: long enough for a bridge that
 * answers, short enough that a bridge that never does costs one second, not the app.
 */
export const THEME_WAIT_MS = 1000;

/**
 * Turns the host's theme on before the app is first painted, so a dark page never shows the app light first.
 * Forge: awaits `view.theme.enable()` (at most `THEME_WAIT_MS`) before the children render. Connect: calls
 * `AP.theming.initializeTheming()` in a layout effect, which runs before the browser paints the first render.
 * Returns whether the children may render.
 */
export function useThemeBeforeFirstPaint(wanted: boolean, { status, host, ap, bridge }: HostState): boolean {
  const [enabled, setEnabled] = useState(false);
  const active = wanted && status === 'ready';
  const waitsForBridge = active && host === 'forge' && bridge?.view?.theme !== undefined;
  useLayoutEffect(() => {
    if (!active) return;
    if (host === 'connect') ap?.theming?.initializeTheming();
    const theme = bridge?.view?.theme;
    if (host !== 'forge' || !theme) return;
    // Rendered either way once it settles or the wait is over: a failed enable leaves the default theme.
    const render = () => setEnabled(true);
    bounded(theme.enable(), THEME_WAIT_MS).then(render, render);
  }, [active, host, ap, bridge]);
  return enabled || !waitsForBridge;
}
