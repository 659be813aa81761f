import {
  CALLBACK_KEY,
  CHANNEL,
  isCallbackRef,
  isProtocolMessage,
  type AnswerMessage,
  type CallMessage,
  type HostMessage,
  type SessionId,
} from './protocol';

/** Which Custom UI surface a frame is: they answer `getContext`, `submit` and `close` differently. */
export type ForgeFrameKind = 'macro' | 'page' | 'config' | 'dialog';

export interface ForgeFrameInfo {
  kind: ForgeFrameKind;
  moduleKey: string;
  /** The manifest's module type (`confluence:globalPage`, …) when the module comes from a Forge manifest. */
  moduleType?: string;
  /** A dialog's opener data (`extension.modal`) and its `onClose`, from the opener's `openModal`. */
  modal?: { context: unknown; onClose?: (payload?: unknown) => void };
}

export interface ForgeFrame extends ForgeFrameInfo {
  readonly iframe: HTMLIFrameElement;
  /**
   * A function that runs the iframe's own function behind `ref` (a CallbackRef), or undefined for anything else.
   * It belongs to the document that passed the ref: after a reload in the frame it reaches nobody.
   */
  callback(ref: unknown): ((...args: unknown[]) => void) | undefined;
  /** Tells the document that passed these refs that the host drops them (the shim forgets the functions). */
  releaser(refs: readonly unknown[]): () => void;
  /** A message for the frame's current document. */
  post(message: DistributiveOmit<HostMessage, 'channel' | 'session'>): void;
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** An op's answer; throwing (or rejecting) answers the bridge call with that error's message. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each op declares the payload shape it reads and checks it at run time
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
export function createForgeHostBridge(opts: {
  appOrigin: string;
  ops: Record<string, ForgeOp>;
  onCall?(record: ForgeCallRecord): void;
  /** A frame's document was replaced (a reload inside the iframe): its per-document state must go. */
  onReset?(frame: ForgeFrame): void;
}) {
  const frames = new Map<Window, ForgeFrame>();
  /** Each frame's current document session, and the sessions it had before (their late calls are ignored). */
  const sessions = new Map<ForgeFrame, { current?: SessionId; retired: Set<SessionId> }>();

  function attach(iframe: HTMLIFrameElement, info: ForgeFrameInfo): ForgeFrame {
    const target = iframe.contentWindow;
    if (!target) throw new Error('attach the Forge iframe after it is in the document');
    const state: { current?: SessionId; retired: Set<SessionId> } = { retired: new Set() };
    // Dropped once the frame is gone (a late answer has nobody to go to), and before its document said who it is.
    const send = (session: SessionId | undefined, message: DistributiveOmit<HostMessage, 'channel' | 'session'>) => {
      if (session !== undefined && frames.get(target) === frame)
        target.postMessage({ ...message, session, channel: CHANNEL }, opts.appOrigin);
    };
    const frame: ForgeFrame = {
      ...info,
      iframe,
      callback(ref) {
        if (!isCallbackRef(ref)) return undefined;
        const callbackId = ref[CALLBACK_KEY];
        const session = state.current;
        return (...args: unknown[]) => send(session, { kind: 'callback', callbackId, args });
      },
      releaser(refs) {
        const callbackIds = refs.filter(isCallbackRef).map((ref) => ref[CALLBACK_KEY]);
        const session = state.current;
        return () => {
          if (callbackIds.length > 0) send(session, { kind: 'release', callbackIds });
        };
      },
      post(message) {
        send(state.current, message);
      },
    };
    frames.set(target, frame);
    sessions.set(frame, state);
    return frame;
  }

  function detach(frame: ForgeFrame): void {
    for (const [win, f] of frames) if (f === frame) frames.delete(win);
    sessions.delete(frame);
  }

  async function answer(frame: ForgeFrame, call: CallMessage): Promise<void> {
    opts.onCall?.({ op: call.op, payload: call.payload, frame: frame.kind });
    const op = Object.hasOwn(opts.ops, call.op) ? opts.ops[call.op] : undefined;
    // The answer goes to the document that asked: after a reload it is ignored there, never settling a new call.
    const reply = (message: DistributiveOmit<AnswerMessage, 'channel' | 'session'>) => {
      if (frames.get(frame.iframe.contentWindow as Window) === frame) {
        frame.iframe.contentWindow?.postMessage(
          { ...message, session: call.session, channel: CHANNEL },
          opts.appOrigin,
        );
      }
    };
    try {
      if (!op) throw new Error(`The Confluence emulator does not support the Forge bridge call "${call.op}".`);
      const value = await op(call.payload, frame);
      reply({ kind: 'answer', id: call.id, ok: true, value });
    } catch (error) {
      reply({ kind: 'answer', id: call.id, ok: false, error: error instanceof Error ? error.message : String(error) });
    }
  }

  const onMessage = (event: MessageEvent) => {
    if (event.origin !== opts.appOrigin || !event.source) return;
    const frame = frames.get(event.source as Window);
    if (!frame || !isProtocolMessage(event.data)) return;
    const call = event.data as CallMessage;
    if (
      call.kind !== 'call' ||
      typeof call.id !== 'number' ||
      typeof call.op !== 'string' ||
      typeof call.session !== 'string'
    )
      return;
    const state = sessions.get(frame);
    if (!state || state.retired.has(call.session)) return;
    if (state.current !== call.session) {
      // A new document in the same window: what the old one registered is meaningless now.
      if (state.current !== undefined) {
        state.retired.add(state.current);
        state.current = call.session;
        opts.onReset?.(frame);
      } else {
        state.current = call.session;
      }
    }
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
