import { requestError } from '../internal/classify.js';
import { toResponse } from '../internal/response.js';
import type { Transport } from '../types.js';

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

/**
 * What `createConnectTransport` needs of the Connect `AP` global: the promise form of `AP.request`. (The full `AP`
 * the React layer talks to is `./react`'s `ConnectAP`.)
 */
export interface ConnectRequestHost {
  request(options: ConnectRequestOptions): Promise<{ body: string | ArrayBuffer; xhr: ConnectXhr }> | unknown;
}

/** What AP.request settles with: `{ body, xhr }` for 2xx, a rejected `{ err, xhr }` for other statuses. */
interface ConnectAnswer {
  body?: string | ArrayBuffer;
  err?: string | ArrayBuffer;
  xhr?: Partial<ConnectXhr>;
}

/** AP.request's URL is relative to the context path, which already ends in /wiki. */
const WIKI_PREFIX_LENGTH = '/wiki'.length;

/**
 * "Name: value" lines of a raw `getAllResponseHeaders()` block as [name, value] pairs. Only all.js hands headers
 * over as one string, so this lives here: apps without the Connect transport do not ship it.
 */
function parseHeaderBlock(block: string): [string, string][] {
  const pairs: [string, string][] = [];
  for (const line of block.split(/\r?\n/)) {
    const separator = line.indexOf(':');
    if (separator < 0) continue;
    pairs.push([line.slice(0, separator), line.slice(separator + 1).replace(/^\s*/, '')]);
  }
  return pairs;
}

function isHttpAnswer(rejection: unknown): rejection is ConnectAnswer {
  const status = (rejection as ConnectAnswer | null)?.xhr?.status;
  return Boolean(Number(status));
}

/**
 * A transport over Connect's `AP.request`, looked up at send time (or the `AP` you pass). HTTP errors arrive from
 * AP.request as a rejected `{ err, xhr }` and are read like any answer; anything else that rejects (the string
 * all.js gives when the host threw an Error, a missing promise form) is a host fault, which the client reports as a
 * `network` error. Without `AP` the request fails with `host-unavailable`.
 *
 * @example
 * import { createConfluenceClient, createConnectTransport } from 'confluence-iframe-kit';
 *
 * // Inside a Connect iframe that loaded https://connect-cdn.atl-paas.net/all.js
 * const client = createConfluenceClient({ transport: createConnectTransport() });
 */
export function createConnectTransport(options: { AP?: ConnectRequestHost } = {}): Transport {
  return {
    kind: 'connect',
    async send(request) {
      const host = options.AP ?? (globalThis as { AP?: ConnectRequestHost }).AP;
      if (!host?.request) {
        throw requestError(
          'host-unavailable',
          request,
          'AP.request is missing (not in a Confluence iframe? or pass { AP })',
        );
      }
      // FormData cannot cross postMessage; the host's request module rebuilds it from a plain object.
      const isForm = request.body instanceof FormData;
      const pending = host.request({
        url: request.path.slice(WIKI_PREFIX_LENGTH),
        type: request.method,
        headers: request.headers,
        binaryAttachment: request.binary,
        experimental: request.experimental,
        data: isForm ? Object.fromEntries(request.body as FormData) : request.body,
        contentType: isForm ? 'multipart/form-data' : request.contentType,
      }) as Promise<ConnectAnswer | undefined>;
      const answer = await pending.catch((rejection: unknown) => {
        if (isHttpAnswer(rejection)) return rejection;
        throw rejection;
      });
      const xhr = answer?.xhr ?? {}; // no xhr: status 0, reported as a network failure
      const headers = xhr.headers ?? xhr.getAllResponseHeaders?.();
      return toResponse(
        xhr.status,
        xhr.statusText,
        typeof headers === 'string' ? parseHeaderBlock(headers) : headers,
        answer?.body ?? answer?.err ?? xhr.responseText ?? null,
      );
    },
  };
}
