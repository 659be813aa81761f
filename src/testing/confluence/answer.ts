import { handlersFor, respond, toRequest } from './respond.js';
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

/**
 * Answer one request from the world's emulator without any msw worker or interceptor: for a host page of your own,
 * or a test that wants the raw answer. Handlers a render added with `extraHandlers` answer first.
 *
 * @example
 * const world = createWorld({ actingUser: 'viewer' });
 * const answer = await answerConfluenceRequest(world, { path: '/wiki/api/v2/pages/65601' });
 * answer.status; // 200
 * JSON.parse(answer.body as string).title; // 'Getting started'
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
