import { createElement } from '../ui/dom';
import {
  createForgeHostBridge,
  type ForgeCallRecord,
  type ForgeFrame,
  type ForgeFrameInfo,
  type ForgeOp,
} from './host-bridge';

/**
 * Where the emulator finds a module's Custom UI: under the base URL the hosted app names for its Custom UI, at the
 * path of the module's Connect URL (`/macro` → `<base>/macro`). The URL carries nothing: Custom UI is static, with no
 * Connect JWT, and the app learns its context through the bridge.
 */
export function customUiUrl(customUiBaseUrl: string, connectModuleUrl: string): string {
  const base = customUiBaseUrl.replace(/\/+$/, '');
  const path = new URL(connectModuleUrl, 'http://module.invalid').pathname;
  return `${base}${path}`;
}

/** Creates the Forge iframes (no connect-host involved) and ties each to the host bridge for its lifetime. */
export function createForgeFrames(opts: {
  appBaseUrl: string;
  ops: Record<string, ForgeOp>;
  onCall?(record: ForgeCallRecord): void;
  onRemoved?(frame: ForgeFrame): void;
  /** The frame's document was replaced by a reload inside it (HMR): drop what the old document registered. */
  onReset?(frame: ForgeFrame): void;
}) {
  const appOrigin = new URL(opts.appBaseUrl).origin;
  const bridge = createForgeHostBridge({ appOrigin, ops: opts.ops, onCall: opts.onCall, onReset: opts.onReset });
  const bySlot = new Map<HTMLElement, ForgeFrame>();

  function unmount(slot: HTMLElement): void {
    const frame = bySlot.get(slot);
    if (!frame) return;
    bySlot.delete(slot);
    bridge.detach(frame);
    opts.onRemoved?.(frame);
    frame.iframe.remove();
  }

  return {
    /** Replaces whatever the slot holds with a Custom UI iframe at `url`. */
    mount(slot: HTMLElement, url: string, info: ForgeFrameInfo & { height: string; title: string }): ForgeFrame {
      unmount(slot);
      const iframe = createElement('iframe', {
        class: 'emu-forge-iframe',
        src: url,
        title: info.title,
        'data-host': 'forge',
        'data-testid': `forge-${info.kind}-iframe`,
      });
      iframe.style.width = '100%';
      iframe.style.height = info.height;
      iframe.style.border = '0';
      slot.replaceChildren(iframe);
      // contentWindow exists once the element is in the document; it stays the same across the frame's navigations
      // (the shim's per-document session tells the documents apart).
      const frame = bridge.attach(iframe, {
        kind: info.kind,
        moduleKey: info.moduleKey,
        modal: info.modal,
        ...(info.moduleType ? { moduleType: info.moduleType } : {}),
      });
      bySlot.set(slot, frame);
      return frame;
    },
    unmount,
    frameIn: (slot: HTMLElement) => bySlot.get(slot),
  };
}

export type ForgeFrames = ReturnType<typeof createForgeFrames>;
