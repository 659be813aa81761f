import type { ConnectHost, HostCallContext, HostCallback, HostMethod } from './connect-host-types';
import { ACCOUNT_ID_HEADER, type ConfluenceAnswer, type ConfluenceRequestInit } from '../../src/testing/core';
import {
  apRequestToConfluence,
  normaliseApRequestArgs,
  toXhr,
  type ApRequestOptions,
} from '../../src/testing/internals';
import type { HostFlag } from '../ui/flags';

/** What the emulated Confluence page knows: who is looking at which page, where the macro sits. */
export interface PageContext {
  accountId: string;
  pageId: string;
  pageVersion: number;
  spaceId: string;
  spaceKey: string;
  macroId: string;
  /** Who the app is told is looking: no accountId for an anonymous viewer; the app's licence for this user. */
  viewer?: { accountId?: string; licenceActive: boolean };
}

export interface RequestLogEntry {
  id: number;
  method: string;
  path: string;
  status: number | 'pending' | 'failed';
  ms?: number;
  /**
   * Who sent it: AP.request (Connect, the default), the Forge bridge's requestConfluence, or the bridge's
   * invokeRemote/requestRemote (a call to the app's own remote, not to Confluence). Ids count per host.
   */
  host?: 'connect' | 'forge' | 'remote';
  /** `requestRemote(remoteKey, …)`: the manifest remote it named (invokeRemote uses its module's and names none). */
  remoteKey?: string;
}

export interface HostEnvironment {
  appKey: string;
  context(): PageContext;
  /** Answers a product request (the testing kit's REST emulator); status 0 = never reached the product. */
  answer(request: ConfluenceRequestInit): Promise<ConfluenceAnswer>;
  contextToken(context: PageContext): Promise<string>;
  onRequest(entry: RequestLogEntry): void;
  macro: { parameters: Record<string, string>; body: string };
  onMacroSaved(parameters: Record<string, string>, body: string): void;
  /** The acting user's time zone (their profile's), which `AP.user.getTimeZone` answers. */
  timeZone(): string;
  /** `AP.confluence.closeMacroEditor()`: closes the custom editor's dialog, if one is open. */
  closeMacroEditor(): void;
  navigate(target: string, context: Record<string, unknown>): void;
  reload(): void;
  showFlag(flag: HostFlag): { close(): void };
}

/**
 * `AP.sizeToParent()`: as connect-host's own, only a general page (a full-page module) takes the rest of the window
 * below its top; a macro stays as it is.
 */
function sizeFrameToParent(context: HostCallContext | undefined): void {
  if (!context?.extension.options?.isFullPage) return;
  const frame = document.getElementById(context.extension_id);
  if (!frame) return;
  frame.style.width = '100%';
  frame.style.height = `${Math.max(window.innerHeight - frame.getBoundingClientRect().top - 1, 0)}px`;
}

/** Marks a host method as promise-returning for simple-xdm (connect-host has no helper for it). */
function promised<T extends HostMethod>(fn: T): T {
  fn.returnsPromise = true;
  return fn;
}

/**
 * Defines the Confluence product modules connect-host does not ship. Must run BEFORE `create()`:
 * the module list is snapshotted into the iframe's `window.name` at creation time.
 */
export function defineConfluenceModules(host: ConnectHost, env: HostEnvironment): void {
  let nextId = 1;

  // AP.request(url[, options]) / AP.request(options): promise form resolves {body, xhr}, rejects {err, xhr} (plain
  // objects). The translation to HTTP (context path, data encoding, AP-Client-Key) is the testing kit's, shared with
  // its fake AP, so unit tests and this page see the same Confluence.
  const request = promised(function request(urlOrOptions: unknown, options: unknown, _callback: HostCallback) {
    let opts: ReturnType<typeof normaliseApRequestArgs>;
    try {
      opts = normaliseApRequestArgs(urlOrOptions as string | ApRequestOptions, options as ApRequestOptions | undefined);
    } catch (error) {
      return Promise.reject(error instanceof Error ? error.message : 'bad AP.request arguments');
    }
    const init = apRequestToConfluence(env.appKey, opts, { [ACCOUNT_ID_HEADER]: env.context().accountId });
    const entry: RequestLogEntry = { id: nextId++, method: init.method ?? 'GET', path: init.path, status: 'pending' };
    const started = performance.now();
    env.onRequest({ ...entry });
    return env.answer(init).then((answer) => {
      env.onRequest({
        ...entry,
        status: answer.status === 0 ? 'failed' : answer.status,
        ms: Math.round(performance.now() - started),
      });
      const xhr = toXhr(answer);
      if (answer.status >= 200 && answer.status < 300) return { body: answer.body, xhr };
      // Status 0: the request never reached the product, as an XHR reports a network failure.
      throw { err: answer.status === 0 ? 'error' : xhr.responseText, xhr };
    });
  });
  // AP.getLocation and AP.sizeToParent are documented at the top of AP, but connect-host defines them only in its
  // `env` module (AP.env.*); all.js copies `_globals` to the top of AP, so they are defined here too.
  const getLocation = function getLocation(callback: HostCallback) {
    callback(window.location.href);
  };
  // The footer is the product's; the emulator page has none to hide.
  const sizeToParent = function sizeToParent(hideFooter: unknown, callback?: HostCallback) {
    // The callback comes last: first when the app passed no hideFooter.
    const last = (typeof callback === 'function' ? callback : hideFooter) as HostCallback | undefined;
    sizeFrameToParent(last?._context);
  };
  host.defineModule({ request, getLocation, sizeToParent });

  host.defineModule('context', {
    getToken: promised(function getToken(_callback: HostCallback) {
      return env.contextToken(env.context());
    }),
    getContext: promised(function getContext(_callback: HostCallback) {
      const page = env.context();
      return Promise.resolve({
        license: { active: page.viewer?.licenceActive ?? true },
        confluence: {
          content: { id: page.pageId, type: 'page', version: String(page.pageVersion) },
          space: { id: page.spaceId, key: page.spaceKey },
          macro: { id: page.macroId, hash: page.macroId, outputType: 'display' },
        },
      });
    }),
  });

  host.defineModule('confluence', {
    getMacroData(callback: HostCallback) {
      callback({ ...env.macro.parameters });
    },
    getMacroBody(callback: HostCallback) {
      callback(env.macro.body);
    },
    saveMacro(parameters: unknown, body: unknown, _callback: HostCallback) {
      const params = parameters && typeof parameters === 'object' ? (parameters as Record<string, unknown>) : {};
      env.macro.parameters = Object.fromEntries(Object.entries(params).map(([name, value]) => [name, String(value)]));
      if (typeof body === 'string') env.macro.body = body;
      env.onMacroSaved(env.macro.parameters, env.macro.body);
    },
    closeMacroEditor(_callback: HostCallback) {
      env.closeMacroEditor();
    },
  });

  host.defineModule('user', {
    getCurrentUser(callback: HostCallback) {
      const { accountId, viewer } = env.context();
      // all.js hands an anonymous viewer no accountId.
      callback({ atlassianAccountId: viewer ? viewer.accountId : accountId });
    },
    getTimeZone(callback: HostCallback) {
      callback(env.timeZone());
    },
    getLocale(callback: HostCallback) {
      callback(navigator.language.replace('-', '_'));
    },
  });

  host.defineModule('navigator', {
    getLocation(callback: HostCallback) {
      const page = env.context();
      callback({
        target: 'contentview',
        context: { contentId: page.pageId, contentType: 'page', spaceKey: page.spaceKey, spaceId: page.spaceId },
      });
    },
    go(target: unknown, context: unknown, _callback: HostCallback) {
      env.navigate(String(target), context && typeof context === 'object' ? (context as Record<string, unknown>) : {});
    },
    reload(_callback: HostCallback) {
      env.reload();
    },
  });

  // Flags render in the emulator's own flag group (AUI is not loaded, see load-connect-host.ts).
  host.getFrameworkAdaptor().registerModule({
    getModuleRegistrationName: () => 'flag',
    isEnabled: () => true,
    getProvider: () => ({
      create: (opts: HostFlag) => env.showFlag(opts),
    }),
  });
}
