import jQuery from 'jquery';
import { signedModuleUrl, type EmulatedModuleConfig, type EmulatorConfig } from '../emulator-config';
import { customUiUrl, type ForgeFrames } from '../forge/forge-frames';
import type { ConnectHost } from '../host/connect-host-types';
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
  open(): Promise<void>;
  /** Either host's macro save (`AP.confluence.saveMacro`, Forge `view.submit`). */
  saved(): void;
  close(): void;
}

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

  async function open(): Promise<void> {
    const module = options.currentModule();
    const editor = module?.editor;
    if (!module || !editor || dialog.isOpen) return;
    const mine = ++generation;
    const editorSlot = dialog.open({ title: editor.title, width: editor.width, height: editor.height, onClosed });
    slot = editorSlot;
    if (options.emulatedHost() === 'forge' && config.forge) {
      // Forge's macro config: a Custom UI resource that saves with view.submit({ config }) and leaves with view.close().
      options.forgeFrames().mount(editorSlot, customUiUrl(config.forge.customUiBaseUrl, editor.url), {
        kind: 'config',
        moduleKey: module.key,
        height: editor.height,
        title: editor.title,
      });
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
    const container = host.create({
      addon_key: config.addonKey,
      key: `${module.key}-editor`,
      url,
      options: {
        width: '100%',
        height: editor.height,
        moduleType: module.moduleType,
        productContext: { 'page.id': context.pageId, 'space.key': context.spaceKey },
      },
    });
    jQuery(editorSlot).append(container);
  }

  editButton.addEventListener('click', () => void open());

  return {
    toolbar,
    showFor(module) {
      editButton.hidden = !module?.editor;
    },
    open,
    saved() {
      if (dialog.isOpen) savedInEditor = true;
      else options.rerender();
    },
    close: () => dialog.close(),
  };
}
