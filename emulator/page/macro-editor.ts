import jQuery from 'jquery';
import { signedModuleUrl, type EmulatedModuleConfig, type EmulatorConfig } from '../emulator-config';
import { customUiUrl, type ForgeFrames } from '../forge/forge-frames';
import type { ConnectHost } from '../host/connect-host-types';
import type { AppDialogRequest } from '../host/dialog-provider';
import type { PageContext } from '../host/define-modules';
import { createElement } from '../ui/dom';
import type { ModalDialog } from '../ui/modal-dialog';
import type { EmulatedHost, StoredMacro } from './emulator-state';

/**
 * The macro's custom editor (descriptor `editor`; in Forge mode the config resource) in the page's editor dialog.
 * As in Confluence's editor, a save shows on the page once the editor has closed; a save without an open editor
 * (from the macro itself) re-renders right away.
 */
export interface MacroEditor {
  /** The toolbar above the macro, with its "Edit macro" button. */
  toolbar: HTMLElement;
  /** Shows the button for a module that has an editor. */
  showFor(module: EmulatedModuleConfig | undefined): void;
  open(): void;
  /**
   * Shows the Connect editor that connect-host's dialog module asked for (`open()` goes through it, as Confluence's
   * macro editor does, so the frame is a dialog: Save and Close, `AP.dialog.getButton`, `disableCloseOnSubmit`).
   */
  showConnectEditor(request: AppDialogRequest, onClosed: () => void): void;
  /** Either host's macro save (`AP.confluence.saveMacro`, Forge `view.submit`). */
  saved(): void;
  close(): void;
}

/** What `open()` marks the editor's dialog with, so the dialog provider shows it here and not as an app dialog. */
export const MACRO_EDITOR_OPTION = 'macroEditor';

export function createMacroEditor(options: {
  host: ConnectHost;
  config: EmulatorConfig;
  dialog: ModalDialog;
  forgeFrames: () => ForgeFrames;
  macro: StoredMacro;
  currentModule: () => EmulatedModuleConfig | undefined;
  context: () => PageContext;
  emulatedHost: () => EmulatedHost;
  /** Re-render the macro on the page with its new parameters. */
  rerender(): void;
}): MacroEditor {
  const { host, config, dialog } = options;
  const editButton = createElement('button', { class: 'emu-button', type: 'button', hidden: true }, 'Edit macro');
  const toolbar = createElement(
    'div',
    { class: 'emu-macro-toolbar', role: 'toolbar', 'aria-label': 'Macro' },
    editButton,
  );
  let savedInEditor = false;
  let generation = 0;
  // The open editor's content element: in Forge mode its iframe is a bridge frame to let go of on close.
  let slot: HTMLElement | undefined;

  function onClosed(): void {
    generation++;
    if (slot) options.forgeFrames().unmount(slot);
    if (!savedInEditor) return;
    savedInEditor = false;
    options.rerender();
  }

  function open(): void {
    const module = options.currentModule();
    const editor = module?.editor;
    if (!module || !editor || dialog.isOpen) return;
    if (options.emulatedHost() === 'forge' && config.forge) {
      generation++;
      slot = dialog.open({ title: editor.title, width: editor.width, height: editor.height, onClosed });
      // Forge's macro config: a Custom UI resource that saves with view.submit({ config }) and leaves with view.close().
      options.forgeFrames().mount(slot, customUiUrl(config.forge.customUiBaseUrl, editor.url), {
        kind: 'config',
        moduleKey: module.key,
        height: editor.height,
        title: editor.title,
      });
      return;
    }
    // Confluence opens a custom editor as a Connect dialog with chrome: its title, Save and Close.
    const context = options.context();
    host.dialog.create(
      {
        addon_key: config.addonKey,
        key: `${module.key}-editor`,
        options: {
          [MACRO_EDITOR_OPTION]: true,
          productContext: { 'page.id': context.pageId, 'space.key': context.spaceKey },
        },
      },
      {
        header: editor.title,
        chrome: true,
        submitText: 'Save',
        cancelText: 'Close',
        width: editor.width,
        height: editor.height,
      },
    );
  }

  async function showConnectEditor(request: AppDialogRequest, onDialogClosed: () => void): Promise<void> {
    const module = options.currentModule();
    const editorSlot = dialog.open({
      title: request.header,
      width: request.width,
      height: request.height,
      chrome: request.chrome,
      closeOnEscape: request.closeOnEscape,
      buttons: request.buttons,
      onClosed: () => {
        onClosed();
        onDialogClosed();
      },
    });
    slot = editorSlot;
    // Counted after open(): opening finishes a dialog still showing, and its onClosed moves the generation on.
    const mine = ++generation;
    if (!module?.editor) {
      editorSlot.replaceChildren(
        createElement('p', { class: 'emu-banner', role: 'alert' }, 'The editor could not open: the macro has none'),
      );
      return;
    }
    const context = options.context();
    let url: string;
    try {
      url = await signedModuleUrl(module.key, context, { editor: true, parameters: options.macro.parameters });
    } catch (error) {
      if (mine === generation) {
        const message = error instanceof Error ? error.message : String(error);
        editorSlot.replaceChildren(
          createElement('p', { class: 'emu-banner', role: 'alert' }, `The editor could not open: ${message}`),
        );
      }
      return;
    }
    // Closed (or closed and reopened) while the URL was being signed.
    if (mine !== generation) return;
    // The dialog's own options (isDialog, dialogId…): connect-host ties the frame to the open dialog by them.
    const container = host.create({
      addon_key: request.addonKey,
      key: request.key,
      url,
      options: { ...request.extensionOptions, width: '100%', height: '100%', moduleType: module.moduleType },
    });
    jQuery(editorSlot).append(container);
  }

  editButton.addEventListener('click', open);

  return {
    toolbar,
    showFor(module) {
      editButton.hidden = !module?.editor;
    },
    open,
    showConnectEditor: (request, onDialogClosed) => void showConnectEditor(request, onDialogClosed),
    saved() {
      if (dialog.isOpen) savedInEditor = true;
      else options.rerender();
    },
    close: () => dialog.close(),
  };
}
