import { fault } from '../errors/classify.js';
import type { Transport } from '../types.js';
import { toResponse } from './headers.js';

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

/**
 * AP.request, looked up at send time. Its URL is relative to the context path, so `/wiki` is dropped.
 * HTTP errors arrive as a rejected `{ err, xhr }`; anything else that rejects (a string when the host threw an Error,
 * a missing promise form) is a host fault, which the client reports as a network error.
 */
export function createConnectTransport(o: { AP?: ConnectAP } = {}): Transport {
  return {
    kind: 'connect',
    async send(r) {
      const ap = o.AP ?? (globalThis as { AP?: ConnectAP }).AP;
      if (!ap?.request)
        throw fault('host-unavailable', r, 'AP.request is missing: not inside a Confluence iframe? (or pass { AP })');
      // FormData cannot cross postMessage; the host's request module rebuilds it from a plain object.
      const form = r.body instanceof FormData;
      const res = await (
        ap.request({
          url: r.path.slice(5),
          type: r.method,
          headers: r.headers,
          binaryAttachment: r.binary,
          experimental: r.experimental,
          data: form ? Object.fromEntries(r.body as FormData) : r.body,
          contentType: form ? 'multipart/form-data' : r.contentType,
        }) as Promise<any>
      ).catch((e) => {
        if (+e?.xhr?.status) return e; // an HTTP answer: { err: body, xhr }
        throw e;
      });
      const x = res?.xhr ?? {}; // no xhr: status 0, reported as a network failure
      return toResponse(
        x.status,
        x.statusText,
        x.headers ?? x.getAllResponseHeaders?.(),
        res?.body ?? res?.err ?? x.responseText ?? null,
      );
    },
  };
}
