import type { IncomingMessage, ServerResponse } from 'node:http';
import { isVerificationError, type VerificationError } from '../errors.js';
import { callNext, callNextWithError } from '../adapters/express.js';
import { toWebResponse } from '../adapters/fetch.js';
import { writeNodeResponse } from '../adapters/node.js';
import { refusalWithChallenge, type AppResponse } from '../http/response.js';
import type { ForgeInvocation } from './invocation.js';
import { createForgeInvocationVerifier, type VerifyForgeInvocationOptions } from './verify-forge-invocation.js';

/**
 * 401/503 for a refused Forge call. The challenge is `Bearer` (RFC 6750), not Connect's `JWT`, because that is
 * the scheme the FIT arrives in; the message never contains the token.
 */
export function forgeRefusalResponse(error: VerificationError): AppResponse {
  return refusalWithChallenge(error, 'Bearer realm="forge-remote", error="invalid_token"');
}

export type ForgeRemoteRoute = (request: Request, invocation: ForgeInvocation) => Response | Promise<Response>;

/**
 * `(Request) => Promise<Response>` that verifies the FIT before calling `route`; a refusal never reaches it.
 * Errors thrown by `route` itself propagate: they are the app's, not a verdict on the token.
 */
export function createForgeRemoteHandler(
  options: VerifyForgeInvocationOptions,
  route: ForgeRemoteRoute,
): (request: Request) => Promise<Response> {
  const verify = createForgeInvocationVerifier(options);
  return async (request) => {
    let invocation: ForgeInvocation;
    try {
      invocation = await verify(request);
    } catch (error) {
      if (isVerificationError(error)) return toWebResponse(forgeRefusalResponse(error));
      throw error;
    }
    return route(request, invocation);
  };
}

type NodeNext = (error?: unknown) => void;
export type ForgeRemoteMiddleware = (
  req: IncomingMessage,
  res: ServerResponse & { locals?: Record<string, unknown> },
  next: NodeNext,
) => void;

/**
 * node:http / Express guard: puts the ForgeInvocation on `res.locals.forge` and calls `next()`, or answers the
 * refusal itself. Reads no body, so it works before or after any body parser.
 */
export function requireForgeInvocation(options: VerifyForgeInvocationOptions): ForgeRemoteMiddleware {
  const verify = createForgeInvocationVerifier(options);
  return (req, res, next) => {
    verify({ method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headers }).then(
      (invocation) => {
        res.locals = res.locals ?? {};
        res.locals.forge = invocation;
        // A throwing continuation must not become an unhandled rejection (see callNext).
        callNext(next, res);
      },
      (error: unknown) => {
        if (isVerificationError(error)) writeNodeResponse(res, forgeRefusalResponse(error));
        else callNextWithError(next, res, error);
      },
    );
  };
}
