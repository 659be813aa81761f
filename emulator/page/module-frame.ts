import jQuery from 'jquery';
import { signedModuleUrl, type EmulatedModuleConfig, type EmulatorConfig } from '../emulator-config';
import { customUiUrl, type ForgeFrames } from '../forge/forge-frames';
import type { ConnectHost } from '../host/connect-host-types';
import type { PageContext } from '../host/define-modules';
import type { EmulatedHost, StoredMacro } from './emulator-state';

const MACRO_HEIGHT = '120px';
const PAGE_HEIGHT = '600px';

/** The chosen module's iframe on the page: a macro (auto-resized) or a full page (general or admin page). */
export interface ModuleFrame {
  slot: HTMLElement;
  /** (Re)creates the iframe for the current state; a newer call wins over one still signing its URL. */
  mount(module: EmulatedModuleConfig | undefined): Promise<void>;
}

export function createModuleFrame(options: {
  host: ConnectHost;
  config: EmulatorConfig;
  slot: HTMLElement;
  forgeFrames: () => ForgeFrames;
  macro: StoredMacro;
  context: () => PageContext;
  emulatedHost: () => EmulatedHost;
}): ModuleFrame {
  const { host, config, slot } = options;
  let generation = 0;

  async function mount(module: EmulatedModuleConfig | undefined): Promise<void> {
    const mine = ++generation;
    if (!module) return;
    const isMacro = module.kind === 'macro';
    const context = options.context();
    document.body.dataset.module = module.kind;
    // A manifest's Forge module is Custom UI whatever the host switch says; in the example app's Forge mode every
    // module is.
    if ((module.forge || options.emulatedHost() === 'forge') && config.forge) {
      // jQuery's empty() lets connect-host clean up an extension it created here before.
      jQuery(slot).empty();
      options.forgeFrames().mount(slot, customUiUrl(config.forge.customUiBaseUrl, module.url), {
        kind: isMacro ? 'macro' : 'page',
        moduleKey: module.key,
        ...(module.forge ? { moduleType: module.forge.type } : {}),
        height: isMacro ? MACRO_HEIGHT : PAGE_HEIGHT,
        title: module.name,
      });
      return;
    }
    const url = await signedModuleUrl(module.key, context, { parameters: isMacro ? options.macro.parameters : {} });
    if (mine !== generation) return;
    options.forgeFrames().unmount(slot);
    const container = host.create({
      addon_key: config.addonKey,
      key: module.key,
      url,
      options: {
        autoresize: isMacro,
        width: '100%',
        height: isMacro ? MACRO_HEIGHT : PAGE_HEIGHT,
        moduleType: module.moduleType,
        isFullPage: !isMacro,
        productContext: { 'page.id': context.pageId, 'space.key': context.spaceKey },
      },
    });
    jQuery(slot).empty().append(container);
  }

  return { slot, mount };
}
