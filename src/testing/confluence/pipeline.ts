import type { ConnectScope, EmulatedUser } from './model.js';
import { ACCOUNT_ID_HEADER, CALLER_HEADER, CLIENT_KEY_HEADER } from './headers.js';
import { hasScope } from '../internal/scopes.js';
import {
  connectScopeDenied,
  gatewayScopeDenied,
  productAccessDenied,
  unauthorized,
  v1Error,
  v2Error,
  xsrfFailed,
} from '../internal/responses.js';
import { EmulatorBadRequestError } from '../errors.js';
import { applyFaults } from './faults.js';
import { quotaMeter } from './quota.js';
import { findV1Removal, goneResponse, isRemoved, withDeprecationHeaders } from './v1-removals.js';
import { delay } from 'msw';
import type { ConfluenceWorld, Latency, RequestLogEntry } from './world.js';

/**
 * The one path every request to an emulated endpoint takes, in the order Confluence meets it:
 *
 *   faults → quota → caller → XSRF → scope → handler → meter → record
 *
 * 0. latency: the world's `latencyMs`, as a network would add it;
 * 1. faults: the world's injected slow / down / throttled answers (faults.ts);
 * 2. quota: a spent quota or a burst limit refuses before anything else (quota.ts); then a v1 operation Atlassian
 *    has removed answers 410 when the world enforces removals (v1-removals.ts);
 * 3. caller: who is asking (the acting user, or `X-Emulator-Account-Id`), and whether they may use Confluence;
 * 4. XSRF: form-like writes without `X-Atlassian-Token: no-check`;
 * 5. scope: the app's descriptor scopes, for app traffic only;
 * 6. handler: the endpoint itself (a module of `api/`); a bad request it throws becomes its family's 400;
 * 7. meter: the quota charges the answer and adds its headers (and a deprecated v1 operation's answer gets
 *    `Deprecation` / `Warning`);
 * 8. record: the answer goes into `world.requests`.
 *
 * The endpoints never repeat a stage; an answer that comes from elsewhere (an `extraHandlers` handler, the
 * not-emulated fallback) goes through `record` alone.
 */

/** `/wiki/rest/api/…` is v1 with v1 error bodies, `/wiki/api/v2/…` is v2 with v2 error bodies. */
export type ApiFamily = 'v1' | 'v2';

export type Params = Record<string, string | readonly string[] | undefined>;

/** What an endpoint gets: the request, who is calling, and the path parameters. */
export interface Ctx {
  request: Request;
  url: URL;
  user: EmulatedUser;
  /** `_links.base`: the site's `/wiki` URL, as seen by this request. */
  base: string;
  /** The `:id` path parameter, '' when the route has none. */
  id: string;
  params: Params;
}

export type Endpoint = (ctx: Ctx) => Response | Promise<Response>;

/** One emulated operation: its API family (for error bodies), the scope it needs, and what it answers. */
export interface Route {
  family: ApiFamily;
  scope: ConnectScope;
  run: Endpoint;
}

export interface RequestPipeline {
  /** Every stage, in order, for a request a route matched. */
  answer(request: Request, route: Route, params: Params): Promise<Response>;
  /** Confluence's 410 if the request names a v1 operation the world treats as removed now, else null. */
  removedOperation(request: Request): Response | null;
  /** The last stage alone, for an answer the pipeline did not produce. */
  record(request: Request, response: Response, details?: RecordDetails): void;
}

/** What the log adds to an answer's method, path, status and caller. */
export type RecordDetails = Pick<RequestLogEntry, 'points' | 'notEmulated'>;

const FORM_LIKE = /^(application\/x-www-form-urlencoded|multipart\/form-data|text\/plain)\b/i;
const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

type CallerResult = { response: Response } | { user: EmulatedUser };

function resolveCaller(world: ConfluenceWorld, request: Request): CallerResult {
  const override = request.headers.get(ACCOUNT_ID_HEADER);
  const user = world.user(override ?? world.actingAccountId);
  if (!user) return { response: unauthorized(`Unknown account "${override}" in ${ACCOUNT_ID_HEADER}.`) };
  if (!user.confluenceAccess) return { response: productAccessDenied() };
  return { user };
}

function checkXsrf(request: Request): Response | null {
  if (!UNSAFE_METHODS.has(request.method)) return null;
  const type = request.headers.get('content-type') ?? '';
  if (!FORM_LIKE.test(type)) return null;
  return request.headers.get('x-atlassian-token')?.toLowerCase() === 'no-check' ? null : xsrfFailed();
}

/**
 * Documented rule: an app's descriptor scopes bind only app traffic. A Connect request is
 * recognised by `AP-Client-Key` (answer: Connect's 403), a Forge bridge request by
 * `X-Emulator-Caller: forge` (answer: the gateway's 401). Anything else is a user's own
 * session, which has no app scopes.
 */
function checkScope(world: ConfluenceWorld, request: Request, required: ConnectScope): Response | null {
  const caller = appCaller(request);
  if (!caller) return null;
  if (hasScope(world.app.scopes, required)) return null;
  return caller === 'connect' ? connectScopeDenied() : gatewayScopeDenied();
}

/** Which app sent the request, or null for a user's own session (which no app scope or access rule binds). */
export function appCaller(request: Request): 'connect' | 'forge' | null {
  if (request.headers.has(CLIENT_KEY_HEADER)) return 'connect';
  return request.headers.get(CALLER_HEADER)?.toLowerCase() === 'forge' ? 'forge' : null;
}

/**
 * The accountId a request log entry names: the `X-Emulator-Account-Id` override as sent, else the acting user;
 * `null` for an anonymous viewer, who has none.
 */
export function loggedAccountId(world: ConfluenceWorld, request: Request): string | null {
  const override = request.headers.get(ACCOUNT_ID_HEADER);
  const user = world.user(override ?? world.actingAccountId);
  if (user?.anonymous) return null;
  return override ?? world.actingAccountId;
}

/** The handler stage: run the endpoint; a bad request becomes its family's 400, an emulator bug its family's 500. */
async function runEndpoint(route: Route, ctx: Ctx): Promise<Response> {
  try {
    return await route.run(ctx);
  } catch (error) {
    if (error instanceof EmulatorBadRequestError) {
      return route.family === 'v2'
        ? v2Error(400, 'INVALID_REQUEST_PARAMETER', error.message)
        : v1Error(400, error.message);
    }
    // An emulator bug must still answer (a hang or a thrown handler would look like a host fault).
    console.error('[confluence emulator]', error);
    return route.family === 'v2'
      ? v2Error(500, 'INTERNAL_SERVER_ERROR', 'Internal Server Error')
      : v1Error(500, 'Internal Server Error');
  }
}

/** Waits a fixed latency, or one drawn from `{ min, max }`. */
export async function waitLatency(latency: Latency): Promise<void> {
  const ms = typeof latency === 'number' ? latency : latency.min + Math.random() * (latency.max - latency.min);
  if (ms > 0) await delay(ms);
}

/** The request pipeline of one world. */
export function createPipeline(world: ConfluenceWorld): RequestPipeline {
  const meter = quotaMeter(world.quota);

  function removedOperation(request: Request): Response | null {
    const removal = findV1Removal(request.method, new URL(request.url).pathname);
    return removal && isRemoved(removal, world.v1Removals, world.now()) ? goneResponse() : null;
  }

  /** Stages 1 to 6: the first stage that answers decides. */
  async function decide(request: Request, url: URL, route: Route, params: Params): Promise<Response> {
    await waitLatency(world.latencyMs);
    const fault = await applyFaults(world);
    if (fault) return fault;
    const throttled = meter.refusal() ?? removedOperation(request);
    if (throttled) return throttled;
    const caller = resolveCaller(world, request);
    if ('response' in caller) return caller.response;
    const refused = checkXsrf(request) ?? checkScope(world, request, route.scope);
    if (refused) return refused;
    const base = `${url.origin}/wiki`;
    return runEndpoint(route, { request, url, user: caller.user, base, id: String(params.id ?? ''), params });
  }

  function record(request: Request, response: Response, details: RecordDetails = {}): void {
    const url = new URL(request.url);
    world.record({
      method: request.method,
      path: url.pathname + url.search,
      status: response.type === 'error' ? 0 : response.status,
      accountId: loggedAccountId(world, request),
      ...details,
    });
  }

  return {
    async answer(request, route, params) {
      const url = new URL(request.url);
      const decided = await decide(request, url, route, params);
      const { response, points } = await meter.meter(request.method, url.pathname, decided);
      const deprecated = findV1Removal(request.method, url.pathname);
      const answered = deprecated && response.status !== 410 ? withDeprecationHeaders(response, deprecated) : response;
      record(request, answered, { points });
      return answered;
    },
    removedOperation,
    record,
  };
}
