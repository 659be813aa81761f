import { http, type HttpHandler } from 'msw';
import type { ConnectScope } from './model.js';
import { text } from '../internal/responses.js';
import type { ApiFamily, Endpoint, RequestPipeline } from './pipeline.js';
import type { ConfluenceWorld } from './world.js';

/**
 * How an API module declares its operations: `get('/rest/api/user/current', 'READ', (ctx) => …)`, with the path as
 * Confluence documents it (under `/wiki`) and the Connect scope it needs. Each declaration is an msw handler that
 * runs the request pipeline (pipeline.ts) around the endpoint, so a module holds only what its API answers.
 */

type Declare = (path: string, scope: ConnectScope, run: Endpoint) => HttpHandler;

/** What every API module (`api/*.ts`) is given. */
export interface Api {
  world: ConfluenceWorld;
  get: Declare;
  post: Declare;
  put: Declare;
  delete: Declare;
}

/** An API module: the msw handlers of one API family. */
export type ApiModule = (api: Api) => HttpHandler[];

/** Confluence lives at exactly `/wiki`: `*` in an msw path also matches prefixes, so `/x/wiki/…` is checked here. */
const CONFLUENCE_PATH = /^\/wiki\/(rest\/api|api\/v2)\//;

function familyOf(path: string): ApiFamily {
  return path.startsWith('/api/v2/') ? 'v2' : 'v1';
}

export function createApi(world: ConfluenceWorld, pipeline: RequestPipeline): Api {
  function declare(method: typeof http.get): Declare {
    return (path, scope, run) => {
      const route = { family: familyOf(path), scope, run };
      return method(`*/wiki${path}`, ({ request, params }) => {
        // `/wiki/wiki/...` and other prefixed paths are not Confluence: a plain 404, unrecorded.
        if (!CONFLUENCE_PATH.test(new URL(request.url).pathname)) return text(404, 'Not Found');
        return pipeline.answer(request, route, params);
      });
    };
  }
  return {
    world,
    get: declare(http.get),
    post: declare(http.post),
    put: declare(http.put),
    delete: declare(http.delete),
  };
}
