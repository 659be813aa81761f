import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll } from 'vitest';
import type { ConnectRequestHost, ConnectRequestOptions, ConnectXhr } from '../../src/client';

export const SITE = 'https://example.atlassian.net';

/** One msw server per test file, failing on any request no handler answers. */
export function setupMsw() {
  const server = setupServer();
  beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
  afterEach(() => server.resetHandlers());
  afterAll(() => server.close());
  return server;
}

export interface HostAnswer {
  status: number;
  statusText?: string;
  body?: string | ArrayBuffer;
  headers?: Record<string, string>;
}

/**
 * A double of all.js's promise form of AP.request as simple-xdm delivers it: resolves `{ body, xhr }` for 2xx,
 * rejects with the plain object `{ err, xhr }` otherwise; `xhr` is plain data (no methods survive postMessage).
 */
export function connectDouble(answer: (o: ConnectRequestOptions) => HostAnswer | Promise<HostAnswer>) {
  const calls: ConnectRequestOptions[] = [];
  const AP: ConnectRequestHost = {
    async request(o: ConnectRequestOptions) {
      // structuredClone: what crosses postMessage (throws on functions, like the real bridge drops them)
      calls.push(structuredClone(o));
      const a = await answer(o);
      const xhr: ConnectXhr = {
        status: a.status,
        statusText: a.statusText ?? '',
        responseText: typeof a.body == 'string' ? a.body : '',
        headers: a.headers ?? {},
      };
      if (a.status >= 200 && a.status < 300) return { body: a.body ?? '', xhr };
      throw { err: a.body ?? '', xhr };
    },
  };
  return { AP, calls };
}

/** A double of @forge/bridge requestConfluence: resolves a real Response for every status, as the bridge does. */
export function forgeDouble(answer: (path: string, init: RequestInit) => HostAnswer) {
  const calls: { path: string; init: RequestInit }[] = [];
  const requestConfluence = async (path: string, init: RequestInit = {}) => {
    calls.push({ path, init });
    const a = answer(path, init);
    return new Response(a.body ?? null, { status: a.status, statusText: a.statusText, headers: a.headers });
  };
  return { requestConfluence, calls };
}

/** Collects unhandled rejections for the duration of a test. */
export function trackUnhandled() {
  const seen: unknown[] = [];
  const on = (r: unknown) => seen.push(r);
  process.on('unhandledRejection', on);
  return {
    seen,
    stop: () => process.off('unhandledRejection', on),
    /**
     * Resolves once Node has reported every rejection left unhandled so far: it reports them when the microtasks of
     * the turn that made them have run, before the next turn of the event loop.
     */
    reported: () => new Promise<void>((resolve) => setImmediate(resolve)),
  };
}

export const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json;charset=UTF-8', ...headers },
  });
