import {
  CALLBACK_KEY,
  CHANNEL,
  isCallbackRef,
  isProtocolMessage,
  type AnswerMessage,
  type CallMessage,
  type HostMessage,
  type SessionId,
  type SizeMessage,
} from './protocol';

/** Beyond any real document: a larger "height" from a frame is ignored rather than stretching the page. */
const MAX_FRAME_HEIGHT_PX = 100_000;

/** Which Custom UI surface a frame is: they answer `getContext`, `submit` and `close` differently. */
export type ForgeFrameKind = 'macro' | 'page' | 'config' | 'dialog';

export interface ForgeFrameInfo {
  kind: ForgeFrameKind;
  moduleKey: string;
  /** The manifest's module type (`confluence:globalPage`, …) when the module comes from a Forge manifest. */
  moduleType?: string;
  /**
   * A dialog's opener data (`extension.modal`), its `onClose`, and which module opened it (its getContext reports
   * the opener's extension type and place, as Forge's Modal does), from the opener's `openModal`.
   */
  modal?: { context: unknown; onClose?: (payload?: unknown) => void; opener?: ModalOpener };
}

/** The module a Modal was opened from: a modal opened from a modal keeps the first opener's. */
export interface ModalOpener {
  kind: Exclude<ForgeFrameKind, 'dialog'>;
  moduleType?: string;
  /** The opener's module: a modal's `invoke()` reaches that module's resolver, as on Forge. */
  moduleKey?: string;
}

export interface ForgeFrame extends ForgeFrameInfo {
  readonly iframe: HTMLIFrameElement;
  /**
   * The frame's document chose its macro height itself (`setMacroViewportHeight`): from then on the frame keeps
   * that height instead of following its content. A new document in the frame starts following again.
   */
  heightSetByApp: boolean;
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
      heightSetByApp: false,
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
    const message = event.data as CallMessage | SizeMessage;
    if (typeof message.session !== 'string' || !enterSession(frame, message.session)) return;
    if (message.kind === 'size') return resize(frame, message.height);
    if (message.kind !== 'call' || typeof message.id !== 'number' || typeof message.op !== 'string') return;
    void answer(frame, message);
  };

  /** Whether a message of this document counts; a new document in the frame resets what the old one registered. */
  function enterSession(frame: ForgeFrame, session: SessionId): boolean {
    const state = sessions.get(frame);
    if (!state || state.retired.has(session)) return false;
    if (state.current !== session) {
      // A new document in the same window: what the old one registered is meaningless now.
      if (state.current !== undefined) {
        state.retired.add(state.current);
        state.current = session;
        frame.heightSetByApp = false;
        opts.onReset?.(frame);
      } else {
        state.current = session;
      }
    }
    return true;
  }

  /** A macro's frame follows its document's height, as on Forge; pages and dialogs keep the size their place gives. */
  function resize(frame: ForgeFrame, height: unknown): void {
    if (frame.kind !== 'macro' || frame.heightSetByApp) return;
    if (typeof height !== 'number' || !Number.isFinite(height) || height <= 0 || height > MAX_FRAME_HEIGHT_PX) return;
    frame.iframe.style.height = `${Math.ceil(height)}px`;
  }
  window.addEventListener('message', onMessage);

  return {
    attach,
    detach,
    frames: () => [...frames.values()],
  };
}

export type ForgeHostBridge = ReturnType<typeof createForgeHostBridge>;
