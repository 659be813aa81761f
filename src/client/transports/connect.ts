import { fault } from '../errors/classify';
import type { Transport, TransportResponse } from '../types';
import { lowerHeaders } from './headers';

/** The xhr-like object all.js hands back. simple-xdm copies it through postMessage, so methods are usually gone. */
export interface ConnectXhr {
  status: number;
  statusText?: string;
  responseText?: string;
  headers?: Record<string, string> | string;
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

const answer = (x: ConnectXhr, b: any = x.responseText): TransportResponse => ({
  status: +x.status || 0, statusText: x.statusText ?? '', headers: lowerHeaders(x.headers ?? x.getAllResponseHeaders?.()), body: b ?? null,
});

/** AP.request: the URL is relative to the context path, so `/wiki` is dropped. AP is looked up at send time. */
export function createConnectTransport(o: { AP?: ConnectAP } = {}): Transport {
  return {
    kind: 'connect',
    async send(r) {
      const ap = o.AP ?? (globalThis as { AP?: ConnectAP }).AP;
      if (!ap?.request) throw fault('host-unavailable', r, 'AP.request is missing (not inside a Confluence iframe?); pass { AP }');
      // FormData cannot cross postMessage; the host's request module rebuilds it from a plain object.
      const form = r.body instanceof FormData;
      let res: any;
      try {
        res = await ap.request({
          url: r.path.replace(/^\/wiki\//, '/'), type: r.method, headers: r.headers,
          data: form ? Object.fromEntries(r.body as FormData) : r.body,
          contentType: form ? 'multipart/form-data' : r.contentType,
          binaryAttachment: r.binary, experimental: r.experimental,
        });
      } catch (e: any) {
        // Promise form rejects { err, xhr } for HTTP errors. A string (the host threw an Error) or anything else is a
        // host fault, which the client reports as a network error.
        if (+e?.xhr?.status) return answer(e.xhr, e.err);
        throw e;
      }
      if (!res?.xhr) throw 'AP.request answered without { body, xhr }';
      return answer(res.xhr, res.body);
    },
  };
}
