import { useEffect } from 'react';
import { useKit } from '../internal/kit-context.js';

/**
 * Turns on the host's design-token theming (light/dark) so `var(--ds-…)` follows Confluence.
 * Connect: `AP.theming.initializeTheming()` (needs `connect-cdn.atl-paas.net` in your CSP);
 * Forge: `view.theme.enable()`. It runs after the first render, so a dark page can show the app light for a moment:
 * `<ConfluenceProvider theme>` turns the theme on before the first render instead (then this hook is not needed).
 *
 * @example
 * function App() {
 *   useTheme();
 *   return <p style={{ color: 'var(--ds-text, #172B4D)' }}>Follows the page's theme</p>;
 * }
 */
export function useTheme(): void {
  const { ap, bridge } = useKit();
  useEffect(() => {
    ap?.theming?.initializeTheming();
    bridge?.view?.theme?.enable().catch(() => {});
  }, [ap, bridge]);
}
