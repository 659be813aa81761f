import type { ConfluenceAnswer, ConfluenceRequestInit, ConfluenceWorld } from '../../src/testing/core';
import { createForgeFrames, type ForgeFrames } from '../forge/forge-frames';
import { createForgeOps, type OpenModalRequest } from '../forge/forge-ops';
import type { ForgeCallRecord, ForgeFrame } from '../forge/host-bridge';
import type { PageContext, RequestLogEntry } from '../host/define-modules';
import type { HostFlag } from '../ui/flags';
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
  onRequest(entry: RequestLogEntry): void;
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
  const forge = createForgeOps({
    context: options.context,
    siteUrl: world.siteUrl,
    macroConfig: () => ({ ...macro.parameters }),
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
      macro.parameters = config;
      options.macroSaved();
    },
    closeConfig: options.closeMacroEditor,
    openModal: options.openModal,
    closeModal: options.closeModal,
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
