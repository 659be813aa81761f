import { fault } from '../errors/classify';
import type { Transport, TransportResponse } from '../types';
import { lowerHeaders } from './headers';

/** The xhr-like object all.js hands back. simple-xdm copies it through postMessage, so methods are usually gone. */
export interface ConnectXhr {
  status: number;
  statusText?: string;
  responseText?: string;
  headers?: Record<string, string> | string;
  getResponseHeader?(name: string): string | null;
  getAllResponseHeaders?(): string;
}

export interface ConnectRequestOptions {
  url: string;
  type: string;
  data?: unknown;
  contentType?: string;
  headers?: Record<string, string>;
  binaryAttachment?: boolean;
  experimental?: boolean;
}

/** The part of the Connect `AP` global this transport uses (promise form of AP.request). */
export interface ConnectAP {
  request(options: ConnectRequestOptions): Promise<{ body: string | ArrayBuffer; xhr: ConnectXhr }> | unknown;
}

const names = ['content-type', 'retry-after', 'x-ratelimit-reset', 'x-failure-category'];

function answer(x: ConnectXhr, body: unknown): TransportResponse {
  const h = lowerHeaders(x.headers ?? (typeof x.getAllResponseHeaders == 'function' ? x.getAllResponseHeaders() : ''));
  if (typeof x.getResponseHeader == 'function')
    for (const n of names) if (!(n in h)) { const v = x.getResponseHeader(n); if (v != null) h[n] = v; }
  const b = body ?? x.responseText;
  return { status: +x.status || 0, statusText: x.statusText ?? '', headers: h, body: typeof b == 'string' || b instanceof ArrayBuffer ? b : b == null ? null : JSON.stringify(b) };
}

/** AP.request: the URL is relative to the context path, so `/wiki` is dropped. AP is looked up at send time. */
export function createConnectTransport(o: { AP?: ConnectAP } = {}): Transport {
  return {
    kind: 'connect',
    async send(r) {
      const ap = o.AP ?? (globalThis as { AP?: ConnectAP }).AP;
      if (typeof ap?.request != 'function')
        throw fault('host-unavailable', r, 'AP.request is not available. Load all.js inside a Confluence iframe, or pass { AP } to createConnectTransport.');
      // FormData cannot cross postMessage; the host's request module rebuilds it from a plain object (and adds X-Atlassian-Token).
      const form = typeof FormData != 'undefined' && r.body instanceof FormData;
      let res: any;
      try {
        res = await ap.request({
          url: r.path.replace(/^\/wiki(?=\/)/, ''), type: r.method, headers: r.headers,
          data: form ? Object.fromEntries(r.body as FormData) : r.body,
          contentType: form ? 'multipart/form-data' : r.contentType,
          binaryAttachment: r.binary, experimental: r.experimental,
        });
      } catch (e: any) {
        // Promise form rejects { err, xhr } for HTTP errors; a string or Error means the host itself failed.
        if (e?.xhr && +e.xhr.status) return answer(e.xhr, e.err);
        throw fault('network', r, `the Connect host failed the request: ${typeof e == 'string' ? e : e?.message ?? 'no answer details'}`, e);
      }
      if (!res?.xhr) throw fault('network', r, 'AP.request answered without { body, xhr }; is this all.js with the promise form?', res);
      return answer(res.xhr, res.body);
    },
  };
}
