import type { ConfluenceAnswer, ConfluenceRequestInit, ConfluenceWorld } from '../../src/testing/core';
import { createForgeFrames, type ForgeFrames } from '../forge/forge-frames';
import { createForgeOps, type OpenModalRequest } from '../forge/forge-ops';
import type { ForgeCallRecord, ForgeFrame } from '../forge/host-bridge';
import type { PageContext, RequestLogEntry } from '../host/define-modules';
import { createResolverInvoker } from '../forge/resolver-invoke';
import { answerResolverProductCall } from '../forge/resolver-product-call';
import { confirmExternalLink } from '../ui/external-link-dialog';
import type { HostFlag } from '../ui/flags';
import type { LogEntry } from '../ui/request-log';
import type { StoredMacro } from './emulator-state';

/** How many answered bridge calls the page keeps for the browser console and the tests. */
const FORGE_CALL_LIMIT = 200;

/**
 * Forge mode: the page answers @forge/bridge calls from its own Custom UI iframes (no connect-host involved), from the
 * same world, flags, navigation and macro as the Connect modules.
 */
export interface ForgeMode {
  frames: ForgeFrames;
  /** Every Forge bridge call the page answered, as it arrived (the most recent ones). */
  calls: ForgeCallRecord[];
  setColorMode(colorMode: 'light' | 'dark'): void;
}

export function createForgeMode(options: {
  world: ConfluenceWorld;
  /** requestConfluence's answer: the page's site (after `emulate --handlers`). */
  answer(init: ConfluenceRequestInit): Promise<ConfluenceAnswer>;
  /** Where the app serves its Custom UI (the app origin without a Forge side: nothing is ever mounted). */
  appBaseUrl: string;
  context: () => PageContext;
  macro: StoredMacro;
  onRequest(entry: RequestLogEntry | LogEntry): void;
  /**
   * The Forge side comes from a manifest (`emulate --forge`): `invoke()` reaches its functions, and its resources are
   * the folders under the Custom UI base URL.
   */
  manifest?: boolean;
  showFlag(flag: HostFlag): { close(): void };
  /** Show another page; false when the emulated site has no such page. */
  navigateTo(contentId: string | undefined): boolean;
  reload(): void;
  macroSaved(): void;
  closeMacroEditor(): void;
  openModal(request: OpenModalRequest): void;
  closeModal(frame: ForgeFrame, payload: unknown): void;
}): ForgeMode {
  const { world, macro } = options;
  const calls: ForgeCallRecord[] = [];
  // `macro.parameters` holds strings (Connect puts them into the macro URL); a Forge config keeps the types it was
  // submitted with, for as long as those parameters are still the ones it stored.
  let submitted: { config: Record<string, unknown>; parameters: Record<string, string> } | undefined;
  const macroConfig = (): Record<string, unknown> =>
    submitted && sameParameters(submitted.parameters, macro.parameters)
      ? structuredClone(submitted.config)
      : { ...macro.parameters };
  const forge = createForgeOps({
    context: options.context,
    siteUrl: world.siteUrl,
    macroConfig,
    colorMode: () => (document.documentElement.getAttribute('data-color-mode') === 'dark' ? 'dark' : 'light'),
    timezone: (accountId) => world.user(accountId)?.timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone,
    answer: options.answer,
    // requestConfluence's rows are the Forge host's; the remote calls say they went to the app's remote.
    onRequest: (entry) => options.onRequest({ host: 'forge', ...entry }),
    showFlag: options.showFlag,
    navigate: (target, contentId) =>
      ['contentview', 'contentedit'].includes(target.toLowerCase()) && options.navigateTo(contentId),
    reload: options.reload,
    submitConfig: (config) => {
      const parameters = asParameters(config);
      submitted = { config, parameters };
      macro.parameters = { ...parameters };
      options.macroSaved();
    },
    closeConfig: options.closeMacroEditor,
    openModal: options.openModal,
    closeModal: options.closeModal,
    resourceOf: (frame) => (options.manifest ? resourceOf(frame, options.appBaseUrl) : frame.moduleKey),
    confirmExternalLink,
    openTab: (url) => void window.open(url, '_blank', 'noopener,noreferrer'),
    ...(options.manifest && {
      invokeFunction: createResolverInvoker({
        answer: (call) => answerResolverProductCall(world, call),
        log: options.onRequest,
      }),
    }),
  });
  const frames = createForgeFrames({
    appBaseUrl: options.appBaseUrl,
    ops: forge.ops,
    onCall: (record) => {
      calls.push(record);
      if (calls.length > FORGE_CALL_LIMIT) calls.shift();
    },
    onRemoved: (frame) => forge.forget(frame),
    onReset: (frame) => forge.forget(frame),
  });
  return { frames, calls, setColorMode: (colorMode) => forge.setColorMode(colorMode) };
}

/** A config's values as macro parameters (strings): what Connect's macro URL and the page's storage hold. */
function asParameters(config: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(config).map(([name, value]) => [name, typeof value === 'string' ? value : JSON.stringify(value)]),
  );
}

function sameParameters(a: Record<string, string>, b: Record<string, string>): boolean {
  const names = Object.keys(a);
  return names.length === Object.keys(b).length && names.every((name) => a[name] === b[name]);
}

/** The resource a frame shows, from its URL: a manifest's resources are served at `/<resource key>/`. */
function resourceOf(frame: ForgeFrame, customUiBaseUrl: string): string {
  const base = new URL(customUiBaseUrl);
  const url = new URL(frame.iframe.src);
  if (url.origin !== base.origin) return frame.moduleKey;
  const rest = url.pathname.slice(base.pathname.replace(/\/+$/, '').length);
  return rest.split('/')[1] || frame.moduleKey;
}
