import jQuery from 'jquery';
import { signedModuleUrl, type EmulatedModuleConfig, type EmulatorConfig } from '../emulator-config';
import type { OpenModalRequest } from '../forge/forge-ops';
import { customUiUrl, type ForgeFrames } from '../forge/forge-frames';
import type { ForgeFrame } from '../forge/host-bridge';
import type { ConnectHost } from '../host/connect-host-types';
import type { PageContext } from '../host/define-modules';
import { dialogDimensions, registerDialogProvider, type AppDialogRequest } from '../host/dialog-provider';
import { createElement } from '../ui/dom';
import type { ModalDialog } from '../ui/modal-dialog';
import type { EmulatedHost } from './emulator-state';
import { MACRO_EDITOR_OPTION, type MacroEditor } from './macro-editor';

/** Forge Modal `size` → the dialog's body size (unknown sizes get medium). */
interface ModalSize {
  width: string;
  height: string;
}
const FORGE_MODAL_SIZES: Record<string, ModalSize> & { medium: ModalSize } = {
  small: { width: '400px', height: '300px' },
  medium: { width: '600px', height: '400px' },
  large: { width: '800px', height: '600px' },
  xlarge: { width: '968px', height: '700px' },
};

/** The app's own dialogs: Connect `dialogs` modules (`AP.dialog.create`) and Forge `Modal`s, in the page's dialog. */
/** How `new Modal({ resource })` opens a manifest resource chosen in the controls: its defaults, titled by name. */
export function modalRequestFor(module: EmulatedModuleConfig): OpenModalRequest {
  return { resource: module.key, title: module.name, size: undefined, context: undefined, closeOnEscape: true };
}

export interface AppDialogs {
  /** A dialog module chosen in the controls, opened as the app would open it by its key. */
  openModule(module: EmulatedModuleConfig): void;
  openForgeModal(request: OpenModalRequest): void;
  /** `view.close(payload)` inside a Forge modal: the opener's `onClose(payload)`, then the dialog goes. */
  closeForgeModal(frame: ForgeFrame, payload: unknown): void;
}

export function createAppDialogs(options: {
  host: ConnectHost;
  config: EmulatorConfig;
  dialog: ModalDialog;
  /** The macro editor's dialog, and the editor that fills it when connect-host opens it. */
  editorDialog: ModalDialog;
  macroEditor: () => MacroEditor;
  forgeFrames: () => ForgeFrames;
  context: () => PageContext;
  emulatedHost: () => EmulatedHost;
}): AppDialogs {
  const { host, config, dialog } = options;
  let generation = 0;
  let forgeSlot: HTMLElement | undefined;

  // connect-host takes the descriptor's dialog options from `_AP.dialogModules`, where Confluence puts them.
  const connectGlobals = window as unknown as { _AP?: Record<string, unknown> };
  connectGlobals._AP = {
    ...connectGlobals._AP,
    dialogModules: {
      [config.addonKey]: Object.fromEntries(
        config.modules
          .filter((module) => module.dialogOptions)
          .map((module) => [module.key, { options: module.dialogOptions }]),
      ),
    },
  };
  // connect-host has one dialog provider: the macro's custom editor (opened by the page as Confluence does) shows in
  // the editor's dialog, any other in the app dialog.
  let editorShowing = false;
  const showing = () => (editorShowing ? options.editorDialog : dialog);
  registerDialogProvider(host, {
    open(request, onClosed) {
      editorShowing = request.extensionOptions[MACRO_EDITOR_OPTION] === true;
      if (editorShowing) options.macroEditor().showConnectEditor(request, onClosed);
      else void openConnectDialog(request, onClosed);
    },
    close: () => showing().close(),
    showButtons: (buttons) => showing().setButtons(buttons),
  });

  /** A Connect dialog: its module's own signed URL, created with the options connect-host's dialog module chose. */
  async function openConnectDialog(request: AppDialogRequest, onClosed: () => void): Promise<void> {
    const module = config.modules.find((candidate) => candidate.key === request.key);
    const slot = dialog.open({
      title: request.header || module?.name || request.key,
      width: request.width,
      height: request.height,
      chrome: request.chrome,
      closeOnEscape: request.closeOnEscape,
      buttons: request.buttons,
      onClosed: () => {
        generation++;
        onClosed();
      },
    });
    // Counted after open(): opening finishes a dialog still showing, and its onClosed moves the generation on.
    const mine = ++generation;
    const fail = (message: string) =>
      slot.replaceChildren(
        createElement('p', { class: 'emu-banner', role: 'alert' }, `The dialog could not open: ${message}`),
      );
    if (!module) {
      fail(`the descriptor has no module ${request.key}`);
      return;
    }
    let url: string;
    try {
      url = await signedModuleUrl(module.key, options.context());
    } catch (error) {
      if (mine === generation) fail(error instanceof Error ? error.message : String(error));
      return;
    }
    if (mine !== generation) return;
    const container = host.create({
      addon_key: request.addonKey,
      key: request.key,
      url,
      options: { ...request.extensionOptions, width: '100%', height: '100%' },
    });
    jQuery(slot).append(container);
  }

  /** A Forge `Modal`: the resource in the page's dialog, its iframe answering getContext with the opener's data. */
  function openForgeModal(request: OpenModalRequest): void {
    const module = config.modules.find((candidate) => candidate.key === request.resource);
    if (!module) throw new Error(`openModal: the app has no resource "${request.resource}".`);
    if (!config.forge) throw new Error('openModal: the app has no Forge side.');
    generation++;
    const size = typeof request.size === 'string' ? FORGE_MODAL_SIZES[request.size] : undefined;
    const frames = options.forgeFrames();
    // The frame exists only once the dialog is open; its dismissal reads it from here.
    const opened: { frame?: ForgeFrame } = {};
    const slot = dialog.open({
      title: request.title || module.name,
      width: size?.width ?? FORGE_MODAL_SIZES.medium.width,
      height: size?.height ?? FORGE_MODAL_SIZES.medium.height,
      closeOnEscape: request.closeOnEscape,
      onClosed: () => {
        // Dismissed (× or Escape): the opener's onClose without a payload, as Forge does.
        const onClose = opened.frame?.modal?.onClose;
        frames.unmount(slot);
        onClose?.();
      },
    });
    forgeSlot = slot;
    opened.frame = frames.mount(slot, customUiUrl(config.forge.customUiBaseUrl, module.url), {
      kind: 'dialog',
      moduleKey: module.key,
      modal: { context: request.context, onClose: request.onClose, opener: request.opener },
      height: '100%',
      title: request.title || module.name,
    });
  }

  return {
    openModule(module) {
      if (options.emulatedHost() === 'forge') {
        openForgeModal(modalRequestFor(module));
        return;
      }
      const dialogOptions = module.dialogOptions ?? {};
      const header = dialogOptions.header as { value?: unknown } | undefined;
      const [width, height] = dialogDimensions({
        size: typeof dialogOptions.size === 'string' ? dialogOptions.size : undefined,
        width: typeof dialogOptions.width === 'string' ? dialogOptions.width : undefined,
        height: typeof dialogOptions.height === 'string' ? dialogOptions.height : undefined,
      });
      void openConnectDialog(
        {
          addonKey: config.addonKey,
          key: module.key,
          header: typeof header?.value === 'string' ? header.value : module.name,
          width,
          height,
          chrome: dialogOptions.chrome !== false,
          closeOnEscape: dialogOptions.closeOnEscape !== false,
          buttons: [],
          extensionOptions: { isDialog: true, moduleType: 'dialogs' },
        },
        () => {},
      );
    },
    openForgeModal,
    closeForgeModal(frame, payload) {
      if (!forgeSlot || options.forgeFrames().frameIn(forgeSlot) !== frame) return;
      frame.modal?.onClose?.(payload);
      // Closed by the app: the dismissal path must not call onClose a second time.
      frame.modal = undefined;
      dialog.close();
    },
  };
}
