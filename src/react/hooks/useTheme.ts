import { useEffect } from '../deps.js';
import { useKit } from '../context.js';

/**
 * Turns on the host's design-token theming (light/dark) so `var(--ds-…)` follows Confluence.
 * Connect: `AP.theming.initializeTheming()` (needs `connect-cdn.atl-paas.net` in your CSP);
 * Forge: `view.theme.enable()`.
 */
export function useTheme(): void {
  const { ap, bridge } = useKit();
  useEffect(() => {
    ap?.theming?.initializeTheming();
    bridge?.view?.theme?.enable().catch(() => {});
  }, [ap, bridge]);
}
