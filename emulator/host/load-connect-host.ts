import jQuery from 'jquery';
import 'atlassian-connect-js/dist/connect-host.css';
import type { ConnectHost } from './connect-host-types';

/**
 * Loads Atlassian's connect-host.js (from node_modules, through vite) with the Confluence page globals it reads.
 * Shims, all set BEFORE the library evaluates because it reads them once at load:
 *  - `AJS.$` = jQuery: the only one `create()` needs (it builds the iframe container with it).
 *  - `AJS.LayerManager`: connect-host's own Escape listener on the host window asks AUI for the top layer to close
 *    (`getActiveDialog`); without AUI that is a TypeError on every Escape. No AUI layer is ever open here: the
 *    emulator's dialogs come through the dialog provider and close themselves on Escape.
 *  - `__FEATUREGATES_JS__`: a stub feature-gate client, so every ACJS gate check is answered (all off) instead of logging.
 *  - `Confluence = {}`: stops the GasV3 analytics fallback from logging.
 * AUI (AJS.flag/dialog2/escapeHtml) is NOT loaded; the flag and dialog UI are provided through the framework adaptor instead.
 */
export async function loadConnectHost(): Promise<ConnectHost> {
  const pageGlobals = window as unknown as Record<string, unknown>;
  pageGlobals.AJS = { $: jQuery, LayerManager: { global: { getTopLayer: () => undefined } } };
  pageGlobals.__FEATUREGATES_JS__ = {
    initializeCompleted: () => true,
    checkGate: () => false,
    getPackageVersion: () => '4.23.4',
  };
  pageGlobals.Confluence = {};
  const mod = (await import('atlassian-connect-js/dist/connect-host.js')) as { default?: ConnectHost };
  const host = mod.default ?? (pageGlobals.connectHost as ConnectHost | undefined);
  if (!host || typeof host.create !== 'function') throw new Error('connect-host.js did not load');
  return host;
}
