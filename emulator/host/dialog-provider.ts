import type { ConnectHost } from './connect-host-types';

/** What connect-host's dialog module hands its provider (`dialogUtils.sanitizeOptions` of the create() options). */
interface SanitizedDialogOptions {
  id: string;
  size?: string;
  width?: string;
  height?: string;
  header?: string;
  chrome?: boolean;
  closeOnEscape?: boolean;
  /** Submit and Cancel (with `submitText`/`cancelText`), then the `buttons` of the call; `onClick` added by the module. */
  actions?: DialogAction[];
}

/** One button of `SanitizedDialogOptions.actions`: connect-host broadcasts its `dialog.*` events from `onClick`. */
interface DialogAction {
  identifier: string;
  text?: string;
  type?: string;
  disabled?: boolean;
  onClick?: () => void;
}

/** A button in the dialog's footer, as the page draws it. */
export interface DialogButton {
  identifier: string;
  text: string;
  primary: boolean;
  disabled: boolean;
  hidden: boolean;
  onClick(): void;
}

/** The dialog extension connect-host builds for `AP.dialog.create`: the app, the module key, and who opened it. */
interface DialogExtension {
  addon_key: string;
  key: string;
  callback_extension_id: string;
  options?: Record<string, unknown>;
}

/** One app dialog to show: the emulator page signs the module's URL and creates its iframe. */
export interface AppDialogRequest {
  addonKey: string;
  key: string;
  /** Its header; empty when neither the call nor the descriptor names one. */
  header: string;
  width: string;
  height: string;
  /** Connect's `chrome` (default true): without it Confluence draws no header bar or buttons around the iframe. */
  chrome: boolean;
  closeOnEscape: boolean;
  /** The footer's buttons (none without chrome): Submit and Cancel unless the call renamed them, then its own. */
  buttons: DialogButton[];
  /** Goes into `create()` as is: connect-host finds the dialog (and its customData) by `dialogId`. */
  extensionOptions: Record<string, unknown>;
}

export interface AppDialogUi {
  /** Shows the dialog; `onClosed` runs once, whoever closed it. */
  open(request: AppDialogRequest, onClosed: () => void): void;
  close(): void;
  /** Draws the open dialog's buttons again after the app changed one (`AP.dialog.getButton(…).disable()`…). */
  showButtons(buttons: DialogButton[]): void;
}

// Close to AUI's dialog2 sizes, which Confluence's dialogs follow.
const SIZES: Record<string, [string, string]> = {
  small: ['400px', '240px'],
  medium: ['600px', '360px'],
  large: ['800px', '480px'],
  xlarge: ['968px', '600px'],
  fullscreen: ['calc(100vw - 4rem)', 'calc(100vh - 8rem)'],
  maximum: ['calc(100vw - 4rem)', 'calc(100vh - 8rem)'],
};

/** A width or height the page's CSS may take: pixels, or a percentage of the window. */
function length(value: string | undefined, axis: 'vw' | 'vh', fallback: string): string {
  const match = value?.match(/^(\d{1,4})(px|%)?$/);
  if (!match) return fallback;
  return match[2] === '%' ? `${Math.min(Number(match[1]), 100)}${axis}` : `${match[1]}px`;
}

/** A dialog's width and height from its `size`, or else its own `width`/`height` (half the window by default). */
export function dialogDimensions(options: { size?: string; width?: string; height?: string }): [string, string] {
  const sized = options.size ? SIZES[options.size] : undefined;
  return sized ?? [length(options.width, 'vw', '50vw'), length(options.height, 'vh', '50vh')];
}

/**
 * Plugs the emulator's dialog into connect-host's own `dialog` module through the framework adaptor, as Confluence
 * does, instead of redefining `dialog`: all.js's real `AP.dialog` runs unchanged, and connect-host keeps doing its
 * part (the opener's `dialog.close` listeners, `getCustomData`, the `dialog.close` broadcast of `AP.dialog.close(data)`).
 *
 * connect-host calls the provider's `close()` right after it broadcast `AP.dialog.close(data)`, and also, if left to
 * register it, from its own Escape listener in the dialog frame, where nothing is broadcast. Those two cannot be told
 * apart, so the dialog frame is created with `preventDialogCloseOnEscape` and the Escape listener is registered here:
 * then `close()` always means "the app closed it", and a dismissal (Escape, the close button) is broadcast here as a
 * `dialog.close` without data to the frame that opened it, as connect-host's non-provider path does.
 */
export function registerDialogProvider(host: ConnectHost, ui: AppDialogUi): void {
  let active:
    | {
        addonKey: string;
        /** The frame that opened it; none for a dialog the page opened itself (a macro's custom editor). */
        opener: string | undefined;
        dialogId: string;
        closeOnEscape: boolean;
        closedByApp: boolean;
        /** all.js in its frame has connected: it hears the buttons' `dialog.*` events and closes itself. */
        established: boolean;
      }
    | undefined;
  // The footer's buttons by identifier, as the app left them: AP.dialog.getButton reads and changes them here.
  const buttons = new Map<string, DialogButton>();
  const button = (id: string) =>
    buttons.get(id) ??
    buttons.set(id, { identifier: id, text: id, primary: false, disabled: false, hidden: true, onClick() {} }).get(id)!;
  const changeButton = (id: string, change: Partial<DialogButton>) => {
    Object.assign(button(id), change);
    ui.showButtons([...buttons.values()]);
  };

  host.onIframeEstablished(({ extension }) => {
    if (!active || extension.options?.dialogId !== active.dialogId) return;
    active.established = true;
    if (active.closeOnEscape) host.onKeyEvent(extension.id!, 27, [], () => ui.close());
  });

  /** A footer button: its connect-host `dialog.*` events; Cancel also closes a dialog whose frame never connected. */
  function footerButton(action: DialogAction): DialogButton {
    return {
      identifier: action.identifier,
      text: action.text ?? action.identifier,
      primary: action.type === 'primary',
      disabled: Boolean(action.disabled),
      hidden: false,
      onClick() {
        if (button(action.identifier).disabled) return;
        action.onClick?.();
        if (action.identifier === 'cancel' && active && !active.established) ui.close();
      },
    };
  }

  host.getFrameworkAdaptor().registerModule({
    getModuleRegistrationName: () => 'dialog',
    isEnabled: () => true,
    getProvider: () => ({
      create(options: SanitizedDialogOptions, extension: DialogExtension) {
        // Confluence stacks a second dialog; here the first one is dismissed instead.
        if (active) ui.close();
        const dialog = {
          addonKey: extension.addon_key,
          opener: extension.callback_extension_id,
          dialogId: options.id,
          closeOnEscape: options.closeOnEscape !== false,
          closedByApp: false,
          established: false,
        };
        active = dialog;
        buttons.clear();
        // Confluence draws the buttons only on a dialog with chrome (its header and footer).
        const chrome = options.chrome !== false;
        if (chrome) for (const action of options.actions ?? []) buttons.set(action.identifier, footerButton(action));
        const [width, height] = dialogDimensions(options);
        ui.open(
          {
            addonKey: extension.addon_key,
            key: extension.key,
            header: options.header ?? '',
            width,
            height,
            chrome,
            closeOnEscape: dialog.closeOnEscape,
            buttons: [...buttons.values()],
            extensionOptions: {
              ...extension.options,
              isDialog: true,
              dialogId: options.id,
              callbackExtensionId: extension.callback_extension_id,
              preventDialogCloseOnEscape: true,
              moduleType: 'dialogs',
            },
          },
          () => {
            if (active === dialog) active = undefined;
            if (!dialog.closedByApp && dialog.opener)
              host.broadcastEvent('dialog.close', { addon_key: dialog.addonKey, id: dialog.opener }, undefined);
          },
        );
      },
      close() {
        if (active) active.closedByApp = true;
        ui.close();
      },
      isActiveDialog: (addonKey: string) => active?.addonKey === addonKey,
      setButtonDisabled: (id: string, disabled: boolean) => changeButton(id, { disabled }),
      isButtonDisabled: (id: string) => button(id).disabled,
      toggleButton: (id: string) => changeButton(id, { disabled: !button(id).disabled }),
      setButtonHidden: (id: string, hidden: boolean) => changeButton(id, { hidden }),
      isButtonHidden: (id: string) => button(id).hidden,
      createButton: (created: DialogAction) => {
        buttons.set(created.identifier, footerButton(created));
        ui.showButtons([...buttons.values()]);
      },
    }),
  });
}
