import { HttpResponse, delay } from 'msw';
import type { ConnectScope, EmulatedUser } from '../confluence/model.js';
import { ACCOUNT_ID_HEADER } from '../confluence/headers.js';
import { hasScope } from './scopes.js';
import type { ConfluenceWorld } from '../confluence/world.js';
import {
  connectScopeDenied,
  gatewayScopeDenied,
  productAccessDenied,
  rateLimited,
  serviceUnavailable,
  unauthorized,
  xsrfFailed,
} from './responses.js';

/**
 * Everything Confluence decides before an endpoint runs, in the order a request meets it:
 * network/host faults → rate limit → who is calling → product access → XSRF → app scope.
 */

/** Emulator-only request header set by the fake Forge bridge: scope failures then answer like the Forge gateway (401). */
export const CALLER_HEADER = 'X-Emulator-Caller';
/** Set by the Connect host on `AP.request` traffic; Connect scope checks apply only to such requests. */
export const CLIENT_KEY_HEADER = 'AP-Client-Key';

const FORM_LIKE = /^(application\/x-www-form-urlencoded|multipart\/form-data|text\/plain)\b/i;
const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export type GuardResult = { response: Response } | { user: EmulatedUser };

/** Faults that apply before Confluence even looks at the request. */
export async function applyFaults(world: ConfluenceWorld): Promise<Response | null> {
  const { faults } = world;
  if (faults.slowMs > 0) await delay(faults.slowMs);
  if (faults.hostDown === 'network') return HttpResponse.error();
  if (faults.hostDown === '503') return serviceUnavailable();
  const limit = faults.rateLimit;
  if (limit) {
    const now = world.now();
    if (limit.untilMs !== undefined && now >= limit.untilMs) {
      faults.rateLimit = null;
    } else {
      const retryAfterSeconds =
        limit.untilMs !== undefined ? Math.max(1, Math.ceil((limit.untilMs - now) / 1000)) : limit.retryAfterSeconds;
      if (limit.times !== undefined) {
        limit.times -= 1;
        if (limit.times <= 0) faults.rateLimit = null;
      }
      return rateLimited({ retryAfterSeconds, resetAtMs: now + retryAfterSeconds * 1000 });
    }
  }
  return null;
}

export function resolveCaller(world: ConfluenceWorld, request: Request): GuardResult {
  const override = request.headers.get(ACCOUNT_ID_HEADER);
  const user = world.user(override ?? world.actingAccountId);
  if (!user) return { response: unauthorized(`Unknown account "${override}" in ${ACCOUNT_ID_HEADER}.`) };
  if (!user.confluenceAccess) return { response: productAccessDenied() };
  return { user };
}

export function checkXsrf(request: Request): Response | null {
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
export function checkScope(world: ConfluenceWorld, request: Request, required: ConnectScope): Response | null {
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
