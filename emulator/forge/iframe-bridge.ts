/**
 * The emulator's stand-in for the bridge Forge injects into a Custom UI iframe. It is NEVER shipped: the dev app
 * origin serves it (`/forge-bridge-emulator.js`, built from this file) as the first script of the app's Forge
 * page, and only there. Real Forge connects `globalThis.__bridge` to Confluence in its own way; this one speaks
 * protocol.ts to the emulator page over postMessage, so the app above it runs the real, unmodified
 * `@forge/bridge` (which reads `__bridge` when its modules load: hence "first script").
 *
 * No timeouts here on purpose: a host that never answers must look broken to the app, and bounding waits is
 * the toolkit's job (`bounded` in the React layer), not the transport's.
 */
import {
  CALLBACK_KEY,
  CHANNEL,
  UNSUBSCRIBE_OP,
  isCallbackRef,
  isProtocolMessage,
  type CallMessage,
  type HostMessage,
  type SizeMessage,
  type SubscriptionAnswer,
} from './protocol';

/** Replaced when the app origin builds this file: the only origin allowed to answer (the emulator page). */
declare const __CIK_EMULATOR_ORIGIN__: string;
const HOST_ORIGIN = __CIK_EMULATOR_ORIGIN__;

type Callback = (...args: unknown[]) => unknown;

const pending = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
const callbacks = new Map<number, Callback>();
let nextCallId = 1;
let nextCallbackId = 1;
let themed = false;
/** Settles once the token stylesheets have loaded: `view.theme.enable()` resolves only then, as on Forge. */
let themeLoaded: Promise<unknown> = Promise.resolve();

/**
 * This document's session (protocol.ts): the window outlives a reload, our ids do not, so the host tells
 * documents apart by this and we ignore whatever it addressed to another one.
 */
const SESSION = Array.from(crypto.getRandomValues(new Uint8Array(16)), (byte) =>
  byte.toString(16).padStart(2, '0'),
).join('');

/** Functions become CallbackRefs (kept here); plain objects and arrays are walked; everything else is cloned as is. */
function marshal(value: unknown, depth = 0): unknown {
  if (typeof value === 'function') {
    const id = nextCallbackId++;
    callbacks.set(id, value as Callback);
    return { [CALLBACK_KEY]: id };
  }
  if (value === null || typeof value !== 'object' || depth > 16) return value;
  if (Array.isArray(value)) return value.map((item) => marshal(item, depth + 1));
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return value; // Blob, ArrayBuffer, Date…: structured clone copes
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, marshal(item, depth + 1)]));
}

function send(op: string, payload: unknown): Promise<unknown> {
  if (window.parent === window) {
    return Promise.reject(
      new Error('The Forge bridge emulator only works inside the Confluence emulator page (npm run dev).'),
    );
  }
  return new Promise((resolve, reject) => {
    const id = nextCallId++;
    const message: CallMessage = { channel: CHANNEL, kind: 'call', session: SESSION, id, op, payload };
    pending.set(id, { resolve, reject });
    try {
      window.parent.postMessage(message, HOST_ORIGIN);
    } catch (error) {
      // A payload postMessage cannot clone (DataCloneError): the bridge call fails, as a bad call would on Forge.
      pending.delete(id);
      reject(error instanceof Error ? error : new Error(String(error)));
    }
  });
}

function callBridge(op: string, payload?: unknown): Promise<unknown> {
  const wire = marshal(payload);
  const sent = send(op, wire);
  // The host posts the theme before its answer: the answer waits for the colours, or the app renders light first.
  if (op === 'enableTheming') return sent.then((answer) => themeLoaded.then(() => answer));
  if (op !== 'on' && op !== 'onPublic') return sent;
  // The bridge hands `on`'s Subscription to the app: unsubscribing drops the host's subscription and our callback.
  const ref = (wire as { callback?: unknown } | undefined)?.callback;
  const drop = () => {
    if (isCallbackRef(ref)) callbacks.delete(ref[CALLBACK_KEY]);
  };
  return sent.then(
    (answer) => ({
      unsubscribe() {
        drop();
        void send(UNSUBSCRIBE_OP, { subscription: (answer as SubscriptionAnswer).subscription }).catch(() => {});
      },
    }),
    (error: unknown) => {
      // Refused: the host never subscribed, so nothing will ever call it.
      drop();
      throw error;
    },
  );
}

/** The colour mode this document shows, once the host sent one. */
let appliedColorMode: 'light' | 'dark' | undefined;
/** Observers that were told the colour mode once already (their callback may observe again: no loop). */
const announcedTo = new WeakSet<MutationObserver>();

/** Sets the colour mode again, unchanged: every observer of `<html>` gets a mutation record and reads it. */
function announceColorMode(): void {
  if (appliedColorMode) document.documentElement.setAttribute('data-color-mode', appliedColorMode);
}

/**
 * Atlaskit's `useThemeObserver` reads `<html>`'s colour mode at its first render and subscribes (a MutationObserver on
 * `data-theme` / `data-color-mode`) only in an effect, later. A colour mode the host applied in between is never
 * reported to it, so an app that waits for the colour mode renders nothing until the theme changes. Forge's frame
 * announces the theme to a late subscriber; so does this shim: an observer that starts watching `<html>`'s colour
 * mode after it was applied gets one record right away (the same value set again).
 */
function announceToLateObservers(): void {
  const observe = MutationObserver.prototype.observe;
  MutationObserver.prototype.observe = function observeAndAnnounce(
    this: MutationObserver,
    target: Node,
    options?: MutationObserverInit,
  ): void {
    observe.call(this, target, options);
    const watchesColorMode = options?.attributeFilter
      ? options.attributeFilter.includes('data-color-mode')
      : options?.attributes === true;
    if (appliedColorMode && target === document.documentElement && watchesColorMode && !announcedTo.has(this)) {
      announcedTo.add(this);
      queueMicrotask(announceColorMode);
    }
  };
}
announceToLateObservers();

/** What Forge does for `view.theme.enable()`: the design tokens and the page's colour mode inside the frame. */
function applyTheme(colorMode: 'light' | 'dark'): void {
  const root = document.documentElement;
  if (!themed) {
    themed = true;
    root.setAttribute('data-theme', 'light:light dark:dark');
    // The same Atlassian token stylesheets connect-host uses, served by the dev app origin (no CDN).
    const loads = ['light', 'dark'].map((mode) => {
      const link = document.createElement('link');
      link.rel = 'stylesheet';
      link.href = `/atlassian-connect/themes/atlaskit-tokens_${mode}.css`;
      // A stylesheet that fails to load settles too: the app then renders with the default colours.
      const loaded = new Promise((settle) => {
        link.addEventListener('load', settle);
        link.addEventListener('error', settle);
      });
      document.head.append(link);
      return loaded;
    });
    themeLoaded = Promise.all(loads);
  }
  appliedColorMode = colorMode;
  root.setAttribute('data-color-mode', colorMode);
}

window.addEventListener('message', (event: MessageEvent) => {
  // Only the page that embeds this frame, and only from the emulator's origin.
  if (event.source !== window.parent || event.origin !== HOST_ORIGIN || !isProtocolMessage(event.data)) return;
  const message = event.data as HostMessage;
  if (message.session !== SESSION) return; // for the document this window held before a reload
  if (message.kind === 'answer') {
    const call = pending.get(message.id);
    if (!call) return;
    pending.delete(message.id);
    if (message.ok) call.resolve(message.value);
    else call.reject(new Error(message.error));
  } else if (message.kind === 'callback') {
    const callback = callbacks.get(message.callbackId);
    if (callback) void Promise.resolve().then(() => callback(...(Array.isArray(message.args) ? message.args : [])));
  } else if (message.kind === 'theme') {
    applyTheme(message.colorMode === 'dark' ? 'dark' : 'light');
  } else if (message.kind === 'release') {
    for (const id of Array.isArray(message.callbackIds) ? message.callbackIds : []) callbacks.delete(id);
  }
});

/**
 * The document's height as a frame sized to it needs: the body's content (its scroll height covers content that
 * overflows a body with a fixed height) plus the body's margins, which sit outside it.
 */
function documentHeight(): number {
  const body = document.body;
  const style = getComputedStyle(body);
  const margins = parseFloat(style.marginTop) + parseFloat(style.marginBottom);
  return Math.ceil(Math.max(body.scrollHeight, body.offsetHeight) + (Number.isFinite(margins) ? margins : 0));
}

/** Tells the host the document's height each time it changes (content, fonts, images, the frame's width). */
function reportSize(): void {
  if (window.parent === window) return;
  let reported = -1;
  let scheduled = false;
  // Once per frame at most: a burst of DOM changes is measured (a layout) once.
  const report = () => {
    if (scheduled) return;
    scheduled = true;
    requestAnimationFrame(measure);
  };
  const measure = () => {
    scheduled = false;
    const height = documentHeight();
    if (height === reported) return;
    reported = height;
    const message: SizeMessage = { channel: CHANNEL, kind: 'size', session: SESSION, height };
    window.parent.postMessage(message, HOST_ORIGIN);
  };
  const observer = new ResizeObserver(report);
  observer.observe(document.documentElement);
  observer.observe(document.body);
  // Content that overflows a body of fixed height changes no box the observer watches: a DOM change re-measures.
  new MutationObserver(report).observe(document.body, { childList: true, subtree: true, attributes: true });
  window.addEventListener('load', report);
  measure();
}

if (document.body) reportSize();
else document.addEventListener('DOMContentLoaded', reportSize, { once: true });

(globalThis as unknown as { __bridge: { callBridge: typeof callBridge } }).__bridge = { callBridge };
