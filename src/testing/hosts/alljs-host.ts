import type { ConfluenceWorld } from '../confluence/world.js';
import { createFakeAP, type FakeAP, type FakeAPOptions } from './fake-ap.js';

/**
 * A host for the REAL all.js (`atlassian-connect-js/dist/iframe.js`) running in the same window,
 * e.g. under jsdom: it writes the bootstrap into `window.name`, answers the plugin's simple-xdm
 * `req` messages from a fake AP backed by the world, and replies with `resp` messages shaped
 * exactly as connect-host sends them. Use it to test code that talks to all.js itself.
 *
 * jsdom's postMessage sets neither `origin` nor `source`, which all.js checks, so replies are
 * dispatched as MessageEvents that carry both.
 */
export interface AllJsHostOptions extends FakeAPOptions {
  /** Extension id sent in `window.name` (`addon_key__module_key__random`). */
  extensionId?: string;
  /** Options all.js reads from the bootstrap (autoresize, hostFrameOffset, …). */
  options?: Record<string, unknown>;
}

export interface AllJsHost {
  /** The fake AP that answers (its `fakeHost` records resizes, flags, saved macros…). */
  readonly backing: FakeAP;
  /** Every `req` the plugin sent, in order. */
  readonly messages: { mod: string; fn: string; args: unknown[] }[];
  /** Remove the listener and restore `window.name`. */
  stop(): void;
}

type Method = { args?: string[]; returnsPromise?: boolean };
const promise: Method = { returnsPromise: true };

/** The modules advertised to all.js; `_globals.request` becomes `AP.request`. */
const API: Record<string, Record<string, Method>> = {
  _globals: { request: { args: ['url', 'options'], returnsPromise: true } },
  context: { getToken: promise, getContext: promise },
  confluence: { getMacroData: {}, getMacroBody: {}, saveMacro: {}, closeMacroEditor: {} },
  env: { resize: {}, sizeToParent: {}, hideFooter: {}, getLocation: {} }, // all.js calls env.hideFooter itself on load
  flag: { create: {} },
  navigator: { go: {}, reload: {}, getLocation: {} },
  user: { getCurrentUser: {} },
};

interface Req {
  eid?: string;
  type?: string;
  mod?: string;
  fn?: string;
  mid?: string;
  args?: unknown[];
}

export function startAllJsHost(world: ConfluenceWorld, options: AllJsHostOptions = {}): AllJsHost {
  const backing = createFakeAP(world, options);
  const extensionId = options.extensionId ?? `${world.app.key}__macro__${Math.random().toString(16).slice(2, 8)}`;
  const origin = window.location.origin;
  const previousName = window.name;
  window.name = JSON.stringify({
    extension_id: extensionId,
    api: API,
    origin,
    options: { globalOptions: {}, ...options.options },
  }); // connect-host always adds globalOptions
  const messages: AllJsHost['messages'] = [];

  const reply = (mid: string, args: unknown[]) =>
    window.dispatchEvent(
      new MessageEvent('message', {
        data: { eid: extensionId, mid, type: 'resp', forPlugin: true, args },
        origin,
        source: window,
      }),
    );

  function target(mod: string, fn: string): ((...a: unknown[]) => unknown) | undefined {
    if (mod === '_globals' && fn === 'request') return backing.request as (...a: unknown[]) => unknown;
    if (mod === 'env') {
      if (fn === 'hideFooter') return () => undefined;
      if (fn === 'getLocation')
        return (callback: unknown) => (callback as (href: string) => void)(window.location.href);
      return (fn === 'resize' ? backing.resize : backing.sizeToParent) as (...a: unknown[]) => unknown;
    }
    const module = (backing as unknown as Record<string, Record<string, (...a: unknown[]) => unknown>>)[mod];
    return module?.[fn]?.bind(module);
  }

  async function handle(req: Req) {
    const { mod = '', fn = '', mid } = req;
    const args = [...(req.args ?? [])];
    messages.push({ mod, fn, args });
    const method = API[mod]?.[fn];
    const impl = target(mod, fn);
    if (!method || !impl) return;
    if (method.returnsPromise) {
      // simple-xdm: resolve → [null, value]; reject → [reason] (an Error travels as its message).
      try {
        const value = await impl(...args.filter((a) => a !== undefined && a !== null));
        if (mid) reply(mid, [null, value]);
      } catch (reason) {
        if (mid) reply(mid, [reason instanceof Error ? reason.message : reason]);
      }
    } else if (mid) {
      impl(...args, (...result: unknown[]) => reply(mid, result)); // callback methods answer through their callback
    } else {
      impl(...args);
    }
  }

  const listener = (event: MessageEvent) => {
    const data = event.data as Req | undefined;
    if (data && data.type === 'init' && data.eid === extensionId) {
      window.dispatchEvent(new MessageEvent('message', { data: { type: 'init_received' }, origin, source: window }));
    } else if (data && data.type === 'req' && data.eid === extensionId) {
      void handle(data);
    }
  };
  window.addEventListener('message', listener);

  return {
    backing,
    messages,
    stop() {
      window.removeEventListener('message', listener);
      window.name = previousName;
    },
  };
}
