import { getResponse, type HttpHandler } from 'msw';
import { createConfluenceHandlers } from './handlers.js';
import type { ConfluenceWorld } from './world.js';

export interface ConfluenceRequestInit {
  method?: string;
  /** Site-relative, starting with `/wiki` (e.g. `/wiki/api/v2/pages?limit=5`). An absolute URL is used as is. */
  path: string;
  headers?: Record<string, string>;
  body?: string | FormData | ArrayBuffer | URLSearchParams | null;
  /** Return the body as an ArrayBuffer (AP.request `binaryAttachment`). */
  binary?: boolean;
}

export interface ConfluenceAnswer {
  /** 0 when the request never reached Confluence (the `hostDown: 'network'` fault). */
  status: number;
  statusText: string;
  /** Lower-cased names. */
  headers: Record<string, string>;
  body: string | ArrayBuffer;
}

const handlerCache = new WeakMap<ConfluenceWorld, HttpHandler[]>();

/** The world's handlers, created once per world so hosts and tests share them. */
export function handlersFor(world: ConfluenceWorld): HttpHandler[] {
  let handlers = handlerCache.get(world);
  if (!handlers) {
    handlers = createConfluenceHandlers(world);
    handlerCache.set(world, handlers);
  }
  return handlers;
}

export function toRequest(world: ConfluenceWorld, init: ConfluenceRequestInit): Request {
  const method = (init.method ?? 'GET').toUpperCase();
  const url = /^https?:\/\//.test(init.path)
    ? init.path
    : world.siteUrl + (init.path.startsWith('/') ? '' : '/') + init.path;
  const hasBody = init.body !== undefined && init.body !== null && method !== 'GET' && method !== 'HEAD';
  return new Request(url, { method, headers: init.headers, ...(hasBody ? { body: init.body } : {}) });
}

/**
 * Answer a request from the world's msw handlers without any worker or interceptor
 * (msw's `getResponse`). The emulator host page uses this for its `AP.request` module.
 */
export async function answerConfluenceRequest(
  world: ConfluenceWorld,
  init: ConfluenceRequestInit,
  handlers = handlersFor(world),
): Promise<ConfluenceAnswer> {
  const response = await respond(world, toRequest(world, init), handlers);
  if (response.type === 'error') return { status: 0, statusText: 'error', headers: {}, body: '' };
  const headers = Object.fromEntries(response.headers); // Headers iterate with lower-cased names
  const body = init.binary ? await response.arrayBuffer() : await response.text();
  return { status: response.status, statusText: response.statusText, headers, body };
}

/** A Response for any request; a request no handler claims gets Confluence's 404. */
export async function respond(
  world: ConfluenceWorld,
  request: Request,
  handlers = handlersFor(world),
): Promise<Response> {
  const response = await getResponse(handlers, request);
  return (
    response ??
    new Response('Not Found', {
      status: 404,
      statusText: 'Not Found',
      headers: { 'Content-Type': 'text/plain;charset=UTF-8' },
    })
  );
}
