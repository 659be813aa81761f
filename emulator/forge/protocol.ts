/**
 * The wire format between the Forge bridge shim in the app iframe (iframe-bridge.ts) and the emulator page
 * (host-bridge.ts). It is the emulator's own: real Forge connects `@forge/bridge` to Confluence differently, and
 * nothing of this protocol is part of the toolkit or of an app's build.
 */

/** Every message carries this, so the two sides ignore all other postMessage traffic (vite, devtools, …). */
export const CHANNEL = 'cik-forge-emulator/1';

/**
 * Functions cannot cross postMessage, yet the bridge passes some (`on`'s callback, `showFlag` actions' `onClick`,
 * `openModal`'s `onClose`). The shim keeps them and sends this marker; the host calls back through it.
 */
export const CALLBACK_KEY = '__cikCallback';
export type CallbackRef = { [CALLBACK_KEY]: number };

/** The shim's own op (never sent by @forge/bridge): drops an `on`/`onPublic` subscription on the host. */
export const UNSUBSCRIBE_OP = '__cik.unsubscribe';

/**
 * Every message carries the session of the iframe document it belongs to: a random id the shim makes per
 * document. The host keys frames by their window, which stays the same when the Custom UI document reloads (HMR),
 * while the shim's call and callback ids restart at 1; a new session from a known window makes the host forget
 * that frame's state (subscriptions, theming), and the shim ignores anything addressed to another session.
 */
export type SessionId = string;

/** iframe → host: one `callBridge(op, payload)`. */
export interface CallMessage {
  channel: typeof CHANNEL;
  kind: 'call';
  session: SessionId;
  id: number;
  op: string;
  payload: unknown;
}

/**
 * iframe → host: the height of the frame's document, in CSS pixels, whenever it changes. Forge sizes a macro's
 * Custom UI frame to its content by itself (no bridge call from the app): its hosting measures the document inside
 * the frame, as iframe-resizer does (the library `@forge/bridge` uses for its own ADF renderer frames). The shim
 * does the measuring here.
 */
export interface SizeMessage {
  channel: typeof CHANNEL;
  kind: 'size';
  session: SessionId;
  height: number;
}

/** host → iframe: the answer to call `id`. A failed op carries the message the bridge's promise rejects with. */
export type AnswerMessage =
  | { channel: typeof CHANNEL; kind: 'answer'; session: SessionId; id: number; ok: true; value: unknown }
  | { channel: typeof CHANNEL; kind: 'answer'; session: SessionId; id: number; ok: false; error: string };

/** host → iframe: run a function the iframe passed earlier (an event delivery, a flag action, a modal's onClose). */
export interface CallbackMessage {
  channel: typeof CHANNEL;
  kind: 'callback';
  session: SessionId;
  callbackId: number;
  args: unknown[];
}

/** host → iframe: the page's colour mode, for a frame that enabled theming (Forge applies it inside the frame). */
export interface ThemeMessage {
  channel: typeof CHANNEL;
  kind: 'theme';
  session: SessionId;
  colorMode: 'light' | 'dark';
}

/**
 * host → iframe: functions the host will never call again (a closed flag's actions, a modal's onClose once it ran),
 * so the shim can drop them.
 */
export interface ReleaseMessage {
  channel: typeof CHANNEL;
  kind: 'release';
  session: SessionId;
  callbackIds: number[];
}

export type HostMessage = AnswerMessage | CallbackMessage | ThemeMessage | ReleaseMessage;

/** An `on`/`onPublic` answer: the host's id of the subscription, for the shim's `unsubscribe()`. */
export interface SubscriptionAnswer {
  subscription: number;
}

export function isCallbackRef(value: unknown): value is CallbackRef {
  return typeof value === 'object' && value !== null && typeof (value as CallbackRef)[CALLBACK_KEY] === 'number';
}

export function isProtocolMessage(data: unknown): data is { channel: typeof CHANNEL; kind: string } {
  return typeof data === 'object' && data !== null && (data as { channel?: unknown }).channel === CHANNEL;
}
