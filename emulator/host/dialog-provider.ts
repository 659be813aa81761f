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
  /** Goes into `create()` as is: connect-host finds the dialog (and its customData) by `dialogId`. */
  extensionOptions: Record<string, unknown>;
}

export interface AppDialogUi {
  /** Shows the dialog; `onClosed` runs once, whoever closed it. */
  open(request: AppDialogRequest, onClosed: () => void): void;
  close(): void;
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
    { addonKey: string; opener: string; dialogId: string; closeOnEscape: boolean; closedByApp: boolean } | undefined;
  // Chrome buttons (Submit/Cancel, createButton) are not drawn; their state is kept so AP.dialog.getButton works.
  const buttons = new Map<string, { disabled: boolean; hidden: boolean }>();
  const button = (id: string) => buttons.get(id) ?? buttons.set(id, { disabled: false, hidden: false }).get(id)!;

  host.onIframeEstablished(({ extension }) => {
    if (!active || extension.options?.dialogId !== active.dialogId || !active.closeOnEscape) return;
    host.onKeyEvent(extension.id!, 27, [], () => ui.close());
  });

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
        };
        active = dialog;
        buttons.clear();
        const [width, height] = dialogDimensions(options);
        ui.open(
          {
            addonKey: extension.addon_key,
            key: extension.key,
            header: options.header ?? '',
            width,
            height,
            chrome: options.chrome !== false,
            closeOnEscape: dialog.closeOnEscape,
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
            if (!dialog.closedByApp)
              host.broadcastEvent('dialog.close', { addon_key: dialog.addonKey, id: dialog.opener }, undefined);
          },
        );
      },
      close() {
        if (active) active.closedByApp = true;
        ui.close();
      },
      isActiveDialog: (addonKey: string) => active?.addonKey === addonKey,
      setButtonDisabled: (id: string, disabled: boolean) => void (button(id).disabled = disabled),
      isButtonDisabled: (id: string) => button(id).disabled,
      toggleButton: (id: string) => void (button(id).disabled = !button(id).disabled),
      setButtonHidden: (id: string, hidden: boolean) => void (button(id).hidden = hidden),
      isButtonHidden: (id: string) => button(id).hidden,
      createButton: (created: { identifier: string; disabled?: boolean }) =>
        void buttons.set(created.identifier, { disabled: Boolean(created.disabled), hidden: false }),
    }),
  });
}
