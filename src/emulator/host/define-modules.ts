import type { ConnectHost, HostCallback, HostMethod } from './connect-host-types';
import type { ProductBackend, ProductRequest, ProductResponse } from './product-backend';

/** What the emulated Confluence page knows: who is looking at which page, where the macro sits. */
export interface PageContext {
  accountId: string;
  pageId: string;
  pageVersion: number;
  spaceId: string;
  spaceKey: string;
  macroId: string;
}

export interface RequestLogEntry {
  id: number;
  method: string;
  path: string;
  status: number | 'pending' | 'failed';
  ms?: number;
}

export interface HostEnvironment {
  context(): PageContext;
  backend: ProductBackend;
  contextToken(context: PageContext): Promise<string>;
  onRequest(entry: RequestLogEntry): void;
  macro: { parameters: Record<string, string>; body: string };
  onMacroSaved(parameters: Record<string, string>, body: string): void;
  navigate(target: string, context: Record<string, unknown>): void;
  reload(): void;
  showFlag(flag: { id: string; title?: string; body?: string; type: string; close?: string; onClose: (id: string) => void }): { close(): void };
}

interface APRequestOptions {
  url?: string;
  type?: string;
  data?: unknown;
  contentType?: string;
  headers?: Record<string, string>;
}

/** Marks a host method as promise-returning for simple-xdm (connect-host has no helper for it). */
function promised<T extends HostMethod>(fn: T): T {
  fn.returnsPromise = true;
  return fn;
}

function toProductRequest(o: APRequestOptions): ProductRequest {
  const url = String(o.url ?? '');
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(o.headers ?? {})) headers[k.toLowerCase()] = String(v);
  if (o.contentType) headers['content-type'] = o.contentType;
  const body = o.data === undefined || o.data === null ? undefined : typeof o.data === 'string' ? o.data : JSON.stringify(o.data);
  return {
    method: (o.type ?? 'GET').toUpperCase(),
    // AP.request URLs are relative to the context path; the product sees them under /wiki.
    path: url.startsWith('/wiki/') ? url : `/wiki${url.startsWith('/') ? '' : '/'}${url}`,
    headers,
    ...(body === undefined ? {} : { body }),
  };
}

function xhrOf(res: Pick<ProductResponse, 'status' | 'statusText' | 'headers' | 'body'>) {
  return { status: res.status, statusText: res.statusText, responseText: res.body, readyState: 4, headers: res.headers };
}

/**
 * Defines the Confluence product modules connect-host does not ship. Must run BEFORE `create()`:
 * the module list is snapshotted into the iframe's `window.name` at creation time.
 */
export function defineConfluenceModules(host: ConnectHost, env: HostEnvironment): void {
  let nextId = 1;

  // AP.request(url[, options]) / AP.request(options): promise form resolves {body, xhr}, rejects {err, xhr} (plain objects).
  const request = promised(function request(urlOrOptions: unknown, options: unknown, _callback: HostCallback) {
    const o: APRequestOptions =
      typeof urlOrOptions === 'string' ? { ...((options as APRequestOptions) ?? {}), url: urlOrOptions } : { ...(urlOrOptions as APRequestOptions) };
    const req = toProductRequest(o);
    const entry: RequestLogEntry = { id: nextId++, method: req.method, path: req.path, status: 'pending' };
    const started = performance.now();
    env.onRequest({ ...entry });
    return env.backend(req, env.context().accountId).then(
      (res) => {
        env.onRequest({ ...entry, status: res.status, ms: Math.round(performance.now() - started) });
        const xhr = xhrOf(res);
        if (res.status >= 200 && res.status < 300) return { body: res.body, xhr };
        throw { err: res.body, xhr };
      },
      (e: unknown) => {
        env.onRequest({ ...entry, status: 'failed', ms: Math.round(performance.now() - started) });
        // Status 0: the request never reached the product, as an XHR reports a network failure.
        throw { err: e instanceof Error ? e.message : 'host unavailable', xhr: xhrOf({ status: 0, statusText: '', headers: {}, body: '' }) };
      },
    );
  });
  host.defineModule({ request });

  host.defineModule('context', {
    getToken: promised(function getToken(_callback: HostCallback) {
      return env.contextToken(env.context());
    }),
    getContext: promised(function getContext(_callback: HostCallback) {
      const c = env.context();
      return Promise.resolve({
        license: { active: true },
        confluence: {
          content: { id: c.pageId, type: 'page', version: String(c.pageVersion) },
          space: { id: c.spaceId, key: c.spaceKey },
          macro: { id: c.macroId, hash: c.macroId, outputType: 'display' },
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
      env.macro.parameters = Object.fromEntries(Object.entries(params).map(([k, v]) => [k, String(v)]));
      if (typeof body === 'string') env.macro.body = body;
      env.onMacroSaved(env.macro.parameters, env.macro.body);
    },
    closeMacroEditor(_callback: HostCallback) {},
  });

  host.defineModule('user', {
    getCurrentUser(callback: HostCallback) {
      callback({ atlassianAccountId: env.context().accountId });
    },
    getTimeZone(callback: HostCallback) {
      callback(Intl.DateTimeFormat().resolvedOptions().timeZone);
    },
    getLocale(callback: HostCallback) {
      callback(navigator.language.replace('-', '_'));
    },
  });

  host.defineModule('navigator', {
    getLocation(callback: HostCallback) {
      const c = env.context();
      callback({ target: 'contentview', context: { contentId: c.pageId, contentType: 'page', spaceKey: c.spaceKey, spaceId: c.spaceId } });
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
      create: (opts: { id: string; title?: string; body?: string; type: string; close?: string; onClose: (id: string) => void }) =>
        env.showFlag(opts),
    }),
  });
}
