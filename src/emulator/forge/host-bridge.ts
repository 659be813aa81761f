import { CALLBACK_KEY, CHANNEL, isCallbackRef, isProtocolMessage, type CallMessage, type HostMessage } from './protocol';

/** Which Custom UI surface a frame is: they answer `getContext`, `submit` and `close` differently. */
export type ForgeFrameKind = 'macro' | 'page' | 'config' | 'dialog';

export interface ForgeFrameInfo {
  kind: ForgeFrameKind;
  moduleKey: string;
  /** A dialog's opener data (`extension.modal`) and its `onClose`, from the opener's `openModal`. */
  modal?: { context: unknown; onClose?: (payload?: unknown) => void };
}

export interface ForgeFrame extends ForgeFrameInfo {
  readonly iframe: HTMLIFrameElement;
  /** A function that runs the iframe's own function behind `ref` (a CallbackRef), or undefined for anything else. */
  callback(ref: unknown): ((...args: unknown[]) => void) | undefined;
  post(message: DistributiveOmit<HostMessage, 'channel'>): void;
}

type DistributiveOmit<T, K extends keyof any> = T extends unknown ? Omit<T, K> : never;

/** An op's answer; throwing (or rejecting) answers the bridge call with that error's message. */
export type ForgeOp = (payload: any, frame: ForgeFrame) => unknown;

export interface ForgeCallRecord {
  op: string;
  payload: unknown;
  frame: ForgeFrameKind;
}

/**
 * The emulator page's end of protocol.ts: it answers `callBridge(op, payload)` from the Forge frames it attached,
 * and from nobody else. A message counts only if it comes from an attached iframe's window AND from the app origin.
 */
export function createForgeHostBridge(opts: { appOrigin: string; ops: Record<string, ForgeOp>; onCall?(record: ForgeCallRecord): void }) {
  const frames = new Map<Window, ForgeFrame>();

  function attach(iframe: HTMLIFrameElement, info: ForgeFrameInfo): ForgeFrame {
    const target = iframe.contentWindow;
    if (!target) throw new Error('attach the Forge iframe after it is in the document');
    const frame: ForgeFrame = {
      ...info,
      iframe,
      callback(ref) {
        if (!isCallbackRef(ref)) return undefined;
        const callbackId = ref[CALLBACK_KEY];
        return (...args: unknown[]) => frame.post({ kind: 'callback', callbackId, args });
      },
      post(message) {
        // Dropped once the frame is gone: a late answer has nobody to go to.
        if (frames.get(target) === frame) target.postMessage({ ...message, channel: CHANNEL }, opts.appOrigin);
      },
    };
    frames.set(target, frame);
    return frame;
  }

  function detach(frame: ForgeFrame): void {
    for (const [win, f] of frames) if (f === frame) frames.delete(win);
  }

  async function answer(frame: ForgeFrame, call: CallMessage): Promise<void> {
    opts.onCall?.({ op: call.op, payload: call.payload, frame: frame.kind });
    const op = Object.hasOwn(opts.ops, call.op) ? opts.ops[call.op] : undefined;
    try {
      if (!op) throw new Error(`The Confluence emulator does not support the Forge bridge call "${call.op}".`);
      const value = await op(call.payload, frame);
      frame.post({ kind: 'answer', id: call.id, ok: true, value });
    } catch (error) {
      frame.post({ kind: 'answer', id: call.id, ok: false, error: error instanceof Error ? error.message : String(error) });
    }
  }

  const onMessage = (event: MessageEvent) => {
    if (event.origin !== opts.appOrigin || !event.source) return;
    const frame = frames.get(event.source as Window);
    if (!frame || !isProtocolMessage(event.data)) return;
    const call = event.data as CallMessage;
    if (call.kind !== 'call' || typeof call.id !== 'number' || typeof call.op !== 'string') return;
    void answer(frame, call);
  };
  window.addEventListener('message', onMessage);

  return {
    attach,
    detach,
    frames: () => [...frames.values()],
  };
}

export type ForgeHostBridge = ReturnType<typeof createForgeHostBridge>;
