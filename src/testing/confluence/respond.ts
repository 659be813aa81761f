import { getResponse, http, type HttpHandler } from 'msw';
import { createConfluenceHandlers } from './handlers.js';
import type { ConfluenceRequestInit } from './answer.js';
import { createPipeline, type RequestPipeline } from './pipeline.js';
import type { ConfluenceWorld } from './world.js';

/**
 * How the fake hosts reach the emulator: one handler list per world (built once, so every host and test shares
 * it), answered in-process with msw's `getResponse`, no worker or interceptor involved.
 */

const handlerCache = new WeakMap<ConfluenceWorld, HttpHandler[]>();
/** Extra handlers a render added to a world for its lifetime (see `addWorldHandlers`). */
const addedHandlers = new WeakMap<ConfluenceWorld, HttpHandler[][]>();

/**
 * A handler that asks `extraHandlers()` first and records what they answer in the world's request log, like the
 * built-in endpoints do; when none of them answers, the request falls through to the next handler.
 */
export function extraHandlersFirst(
  pipeline: RequestPipeline,
  extraHandlers: () => readonly HttpHandler[],
): HttpHandler {
  return http.all('*', async ({ request }) => {
    const handlers = extraHandlers();
    if (handlers.length === 0) return undefined;
    // A clone, so an extra handler that reads the body and then passes never leaves the built-in one without it.
    const response = await getResponse([...handlers], request.clone());
    if (!response) return undefined;
    pipeline.record(request, response);
    return response;
  });
}

/** The world's handlers for the fake hosts: handlers added with `addWorldHandlers` first, then the emulator's. */
export function handlersFor(world: ConfluenceWorld): HttpHandler[] {
  let handlers = handlerCache.get(world);
  if (!handlers) {
    const added = () => (addedHandlers.get(world) ?? []).flat();
    handlers = [extraHandlersFirst(createPipeline(world), added), ...createConfluenceHandlers(world)];
    handlerCache.set(world, handlers);
  }
  return handlers;
}

/**
 * Let `handlers` answer before the emulator's for every host of this world, until the returned function is
 * called. Later additions do not shadow earlier ones: within the added handlers, msw's order applies.
 */
export function addWorldHandlers(world: ConfluenceWorld, handlers: readonly HttpHandler[]): () => void {
  const group = [...handlers];
  const groups = addedHandlers.get(world) ?? [];
  groups.push(group);
  addedHandlers.set(world, groups);
  return () => {
    const index = groups.indexOf(group);
    if (index >= 0) groups.splice(index, 1);
  };
}

export function toRequest(world: ConfluenceWorld, init: ConfluenceRequestInit): Request {
  const method = (init.method ?? 'GET').toUpperCase();
  let url = init.path;
  if (!/^https?:\/\//.test(init.path)) {
    const separator = init.path.startsWith('/') ? '' : '/';
    url = world.siteUrl + separator + init.path;
  }
  const hasBody = init.body !== undefined && init.body !== null && method !== 'GET' && method !== 'HEAD';
  if (!hasBody) return new Request(url, { method, headers: init.headers });
  return new Request(url, { method, headers: init.headers, body: init.body });
}

/** A Response for any request; a request no handler claims gets Confluence's 404. */
export async function respond(
  world: ConfluenceWorld,
  request: Request,
  handlers = handlersFor(world),
): Promise<Response> {
  const response = await getResponse(handlers, request);
  if (response) return response;
  return new Response('Not Found', {
    status: 404,
    statusText: 'Not Found',
    headers: { 'Content-Type': 'text/plain;charset=UTF-8' },
  });
}
