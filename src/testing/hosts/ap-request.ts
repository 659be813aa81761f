import { EmulatorError } from '../errors.js';
import { answerConfluenceRequest, type ConfluenceAnswer, type ConfluenceRequestInit } from '../confluence/answer.js';
import { CLIENT_KEY_HEADER } from '../confluence/headers.js';
import type { ConfluenceWorld } from '../confluence/world.js';

/** The options object of `AP.request` (https://developer.atlassian.com/cloud/confluence/jsapi/request/). */
export interface ApRequestOptions {
  url?: string;
  type?: string;
  data?: unknown;
  contentType?: string;
  headers?: Record<string, string>;
  binaryAttachment?: boolean;
  experimental?: boolean;
  cache?: boolean;
  /** Legacy callbacks: the bridge strips functions before they reach a host, so they are never called. */
  success?: unknown;
  error?: unknown;
}

/** What the host hands back over the bridge: plain data only, because functions do not survive postMessage. */
export interface ApXhr {
  status: number;
  statusText: string;
  responseText: string;
  readyState: 4;
  headers: Record<string, string>;
}
export interface ApRequestResolution {
  body: string | ArrayBuffer;
  xhr: ApXhr;
}
export interface ApRequestRejection {
  err: string;
  xhr: ApXhr;
}

/** Normalise the two call forms `AP.request(url, opts)` / `AP.request({url, …})`. */
export function normaliseApRequestArgs(
  urlOrOptions: string | ApRequestOptions,
  options?: ApRequestOptions,
): ApRequestOptions & { url: string } {
  const merged = typeof urlOrOptions === 'string' ? { ...(options ?? {}), url: urlOrOptions } : { ...urlOrOptions };
  if (typeof merged.url !== 'string' || !merged.url)
    throw new EmulatorError('INVALID_AP_REQUEST', 'AP.request needs a url');
  return merged as ApRequestOptions & { url: string };
}

/** jQuery's `$.param` for the flat objects apps pass as `data`. */
function formEncode(data: object): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(data)) {
    if (Array.isArray(value)) for (const v of value) params.append(`${key}[]`, String(v));
    else if (value !== undefined) params.append(key, value === null ? '' : String(value));
  }
  return params.toString();
}

/**
 * Translate AP.request options to the HTTP request the Connect host makes:
 * - the url is relative to the product context path, so `/wiki` is prepended (a url that
 *   already starts with `/wiki` ends up at `/wiki/wiki/...`, as in Confluence);
 * - object `data` on GET becomes the query string, otherwise it is form-encoded like jQuery
 *   does (apps must `JSON.stringify` JSON bodies themselves);
 * - multipart sends FormData plus `X-Atlassian-Token: no-check`, like the request plugin;
 * - the host adds `AP-Client-Key`, which turns on the app-scope check, and `X-Atlassian-Token:
 *   no-check` (the product's own XHRs pass the XSRF check, so AP.request never meets it).
 */
export function apRequestToConfluence(
  appKey: string,
  opts: ApRequestOptions & { url: string },
  extraHeaders: Record<string, string> = {},
): ConfluenceRequestInit {
  const method = (opts.type ?? 'GET').toUpperCase();
  let path = '/wiki' + (opts.url.startsWith('/') ? '' : '/') + opts.url;
  const headers: Record<string, string> = {
    [CLIENT_KEY_HEADER]: appKey,
    'X-Atlassian-Token': 'no-check',
    ...extraHeaders,
  };
  for (const [name, value] of Object.entries(opts.headers ?? {})) headers[name] = value;
  if (opts.experimental) headers['X-ExperimentalApi'] = 'opt-in';
  let body: ConfluenceRequestInit['body'];
  const data = opts.data;
  if (data !== undefined && data !== null) {
    if (method === 'GET' || method === 'HEAD') {
      const query = typeof data === 'string' ? data : formEncode(data as object);
      if (query) path += (path.includes('?') ? '&' : '?') + query;
    } else if (opts.contentType?.startsWith('multipart/form-data')) {
      if (typeof data !== 'object')
        throw new EmulatorError('INVALID_AP_REQUEST', 'For a Multipart request, data must to be an Object');
      const form = new FormData();
      for (const [key, value] of Object.entries(data as object))
        form.append(key, value instanceof Blob ? value : String(value));
      body = form;
      headers['X-Atlassian-Token'] = 'no-check';
    } else {
      body = typeof data === 'string' ? data : formEncode(data as object);
      headers['Content-Type'] = opts.contentType ?? 'application/x-www-form-urlencoded; charset=UTF-8';
    }
  }
  if (body !== undefined && typeof body === 'string' && opts.contentType) headers['Content-Type'] = opts.contentType;
  return { method, path, headers, body, binary: !!opts.binaryAttachment };
}

export function toXhr(answer: ConfluenceAnswer): ApXhr {
  return {
    status: answer.status,
    statusText: answer.statusText,
    responseText: typeof answer.body === 'string' ? answer.body : '',
    readyState: 4,
    headers: answer.headers,
  };
}

/**
 * Answer an AP.request call from the world and settle exactly like all.js's promise form:
 * 2xx resolves `{body, xhr}`, anything else rejects `{err, xhr}` (plain objects, no
 * `getResponseHeader`: headers travel in `xhr.headers`).
 */
export async function settleApRequest(
  world: ConfluenceWorld,
  appKey: string,
  urlOrOptions: string | ApRequestOptions,
  options?: ApRequestOptions,
  extraHeaders: Record<string, string> = {},
): Promise<ApRequestResolution> {
  const opts = normaliseApRequestArgs(urlOrOptions, options);
  const answer = await answerConfluenceRequest(world, apRequestToConfluence(appKey, opts, extraHeaders));
  const xhr = toXhr(answer);
  if (answer.status >= 200 && answer.status < 300) return { body: answer.body, xhr };
  const rejection: ApRequestRejection = { err: answer.status === 0 ? 'error' : xhr.responseText, xhr };
  throw rejection;
}
