import { useMemo } from 'react';
import type { ConnectAP } from '../host/ConnectAP.js';
import type { ForgeModalSize } from '../host/ForgeBridge.js';
import { bounded, fromCallback, notSupported } from '../internal/host-calls.js';
import { useKit, type KitValue } from '../internal/kit-context.js';
import { useHostQuery } from '../internal/useHostQuery.js';

/**
 * Dialog sizes in Forge's vocabulary (the host both kinds of app end up on; `@forge/bridge` Modal: small, medium,
 * large, xlarge, max, fullscreen). Connect spells two of them differently (`x-large`, `maximum`) and both spellings
 * are accepted: `xlarge` ↔ `x-large`, `max` ↔ `maximum`; the rest are the same on both hosts.
 */
export type DialogSize = 'small' | 'medium' | 'large' | 'xlarge' | 'x-large' | 'max' | 'maximum' | 'fullscreen';

export interface DialogOptions {
  /** Connect: the key of a `dialogs` module (or page) of the descriptor. Forge: the `resource` of the modal. */
  key: string;
  size?: DialogSize;
  /**
   * The dialog's title. Forge's Modal shows it. Connect draws a header only with its chrome, which `useDialog` turns
   * off (see `open`), so on Connect `header` is sent but not shown: draw the title inside your dialog.
   */
  title?: string;
  /** Handed to the dialog: `useDialogContext().data` inside it. Must survive structured cloning. */
  data?: unknown;
}

export interface DialogContext<D = unknown> {
  /** What the opener passed as `data`. */
  data: D | undefined;
  isPending: boolean;
  error: Error | null;
  /** Closes this dialog; the opener's `open()` resolves with `result`. */
  close(result?: unknown): Promise<void>;
}

// The host APIs this file needs, declared here rather than on the kit's shared host types.
interface ConnectDialogs {
  create(options: object): { on(event: 'close', listener: (data?: unknown) => void): void };
  close(data?: unknown): void;
  getCustomData(callback: (data: unknown) => void): void;
}

function connectDialogs({ ap }: KitValue): ConnectDialogs | undefined {
  return (ap as (ConnectAP & { dialog?: ConnectDialogs }) | undefined)?.dialog;
}

function forgeModal({ bridge }: KitValue) {
  return bridge?.Modal;
}

// Connect (all.js AP.dialog.create): small | medium | large | x-large | maximum | fullscreen.
const CONNECT_SIZE: Partial<Record<DialogSize, string>> = { xlarge: 'x-large', max: 'maximum' };
// Forge (@forge/bridge's Modal sizes): small | medium | large | xlarge | max | fullscreen | resizable.
const FORGE_SIZE: Partial<Record<DialogSize, ForgeModalSize>> = { 'x-large': 'xlarge', maximum: 'max' };
function connectSize(size: DialogSize): string {
  return CONNECT_SIZE[size] ?? size;
}

function forgeSize(size: DialogSize): ForgeModalSize {
  return FORGE_SIZE[size] ?? (size as ForgeModalSize);
}

function openDialog(kit: KitValue, { key, size, title, data }: DialogOptions): Promise<unknown> {
  const dialogs = connectDialogs(kit);
  if (dialogs) {
    return new Promise((resolve) => {
      // No chrome: Connect's chrome adds Submit/Cancel buttons that close the dialog without a result, so the
      // dialog draws its own buttons and closes through useDialogContext().close(result). Connect draws `header`
      // only with chrome, so the title is not shown there; it is still sent for hosts that may show it.
      const dialog = dialogs.create({
        key,
        chrome: false,
        customData: data,
        ...(size && { size: connectSize(size) }),
        ...(title && { header: title }),
      });
      // all.js calls a close listener once, with what AP.dialog.close(data) sent; a dismissal sends nothing (or null).
      dialog.on('close', (result) => resolve(result ?? undefined));
    });
  }
  const Modal = forgeModal(kit);
  if (Modal) {
    return new Promise((resolve, reject) => {
      const modal = new Modal({
        resource: key,
        context: data,
        onClose: (payload) => resolve(payload ?? undefined),
        ...(size && { size: forgeSize(size) }),
        ...(title && { title }),
      });
      modal.open().catch(reject);
    });
  }
  return notSupported('Dialogs');
}

/**
 * Opens an app dialog on either host: `AP.dialog.create` on Connect, the bridge's `Modal` on Forge. The promise
 * resolves with what the dialog closed with (`useDialogContext().close(result)`), or `undefined` when the user
 * dismissed it. Standalone pages have no host to open one: it rejects with `NOT_SUPPORTED`.
 * Connect dialogs open without chrome (no header or buttons of the host's): on Connect, `title` is not shown, so draw
 * the title and the buttons inside your dialog; Forge's Modal shows `title`.
 *
 * @example
 * const dialog = useDialog();
 * const result = await dialog.open({ key: 'review-dialog', size: 'medium', data: { pageId } });
 */
export function useDialog(): { open(options: DialogOptions): Promise<unknown> } {
  const kit = useKit();
  return useMemo(() => ({ open: (options: DialogOptions) => openDialog(kit, options) }), [kit]);
}

/** The opener's data, `null` when there is none (a query cannot hold `undefined`). */
function dialogData(kit: KitValue): Promise<unknown> {
  const dialogs = connectDialogs(kit);
  const view = kit.bridge?.view;
  let data: Promise<unknown>;
  if (dialogs) data = fromCallback<unknown>((resolve) => dialogs.getCustomData(resolve), kit.timeoutMs);
  else if (view) data = bounded(view.getContext(), kit.timeoutMs).then((context) => context?.extension?.modal);
  else data = notSupported('Dialogs');
  return data.then((value) => value ?? null);
}

function closeDialog(kit: KitValue, result?: unknown): Promise<void> {
  const dialogs = connectDialogs(kit);
  if (dialogs) return Promise.resolve().then(() => dialogs.close(result));
  return kit.bridge?.view?.close?.(result) ?? notSupported('Dialogs');
}

const DIALOG_KEY = ['confluence', 'dialog'];

/**
 * Inside a dialog opened with `useDialog`: the opener's `data` (Connect `AP.dialog.getCustomData`, bounded so a host
 * that never answers ends in `HOST_TIMEOUT`; Forge `view.getContext()` → `extension.modal`) and `close(result)`
 * (`AP.dialog.close(result)` / `view.close(result)`).
 *
 * @example
 * const { data, close } = useDialogContext<{ pageId: string }>();
 * <button onClick={() => close({ reviewed: true })}>Done</button>;
 */
export function useDialogContext<D = unknown>(): DialogContext<D> {
  const kit = useKit();
  const close = useMemo(() => (result?: unknown) => closeDialog(kit, result), [kit]);
  const { data, isPending, error } = useHostQuery(DIALOG_KEY, () => dialogData(kit) as Promise<D | null>);
  return { data: data ?? undefined, isPending, error, close };
}
