import { http, type HttpHandler } from 'msw';
import { notEmulated, text } from '../internal/responses.js';
import { contentPropertiesApi } from './api/content-properties.js';
import { contentV1Api } from './api/content-v1.js';
import { pagesV2Api } from './api/pages-v2.js';
import { searchApi } from './api/search.js';
import { spacesV1Api } from './api/spaces-v1.js';
import { spacesV2Api } from './api/spaces-v2.js';
import { userPropertiesApi } from './api/user-properties.js';
import { usersApi } from './api/users.js';
import { createPipeline, waitLatency } from './pipeline.js';
import { extraHandlersFirst } from './respond.js';
import { createApi, type ApiModule } from './routes.js';
import type { ConfluenceWorld } from './world.js';

export interface ConfluenceHandlerOptions {
  /**
   * What to do with a `/wiki/...` request no endpoint matches: answer 501 naming the method and path, recorded in
   * `world.requests` with `notEmulated: true` (default; never Confluence's 404, which would read as "not found, or
   * no access"), or let it pass to the next handler / the network.
   */
  unhandled?: 'not-emulated' | 'passthrough';
  /**
   * msw handlers for endpoints the emulator lacks (or to override one of its answers). They are asked first, before
   * any fault, permission or scope check, and their answers are recorded in `world.requests` like the emulator's.
   * A handler that returns nothing passes the request on to the emulator.
   */
  extraHandlers?: readonly HttpHandler[];
}

/** The emulated API families, one module each (`api/`). */
const API_MODULES: readonly ApiModule[] = [
  usersApi,
  userPropertiesApi,
  contentV1Api,
  searchApi,
  spacesV1Api,
  pagesV2Api,
  contentPropertiesApi,
  spacesV2Api,
];

/**
 * The Confluence REST emulator as msw handlers, mounted on any origin (`*\/wiki/...`).
 * Semantics follow Confluence Cloud: v2 hides what you may not see behind 404 and drops
 * it from lists; v1 answers 403; product access, XSRF, app scopes and app access rules
 * each have their own 403 (or 401 for Forge scopes).
 *
 * @example
 * import { setupServer } from 'msw/node';
 * import { http, HttpResponse } from 'msw';
 *
 * const world = createWorld({ actingUser: 'viewer' });
 * const server = setupServer(
 *   ...createConfluenceHandlers(world, {
 *     // an endpoint the emulator lacks; asked before the built-in ones
 *     extraHandlers: [http.get('*\/wiki/api/v2/pages/:id/likes/count', () => HttpResponse.json({ count: 3 }))],
 *   }),
 * );
 * server.listen();
 * await fetch('https://emulated.atlassian.net/wiki/api/v2/pages/65601'); // 200, as the viewer
 */
export function createConfluenceHandlers(
  world: ConfluenceWorld,
  options: ConfluenceHandlerOptions = {},
): HttpHandler[] {
  const pipeline = createPipeline(world);
  const api = createApi(world, pipeline);
  const handlers: HttpHandler[] = [];
  const extraHandlers = options.extraHandlers ?? [];
  if (extraHandlers.length > 0) handlers.push(extraHandlersFirst(pipeline, () => extraHandlers));
  for (const module of API_MODULES) handlers.push(...module(api));
  if (options.unhandled !== 'passthrough') {
    handlers.push(
      http.all('*/wiki/*', async ({ request }) => {
        const url = new URL(request.url);
        // `*` also matches prefixes: `/x/wiki/…` is not Confluence at all.
        if (!url.pathname.startsWith('/wiki/')) return text(404, 'Not Found');
        await waitLatency(world.latencyMs);
        // A removed v1 operation is gone, emulated or not.
        const gone = pipeline.removedOperation(request);
        if (gone) {
          pipeline.record(request, gone);
          return gone;
        }
        const response = notEmulated(request.method, url.pathname);
        pipeline.record(request, response, { notEmulated: true });
        return response;
      }),
    );
  }
  return handlers;
}
