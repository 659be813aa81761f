import type { IncomingMessage, ServerResponse } from 'node:http';
import { isVerificationError } from '../errors.js';
import { createForgeInvocationVerifier, type VerifyForgeInvocationOptions } from '../forge/verify-forge-invocation.js';
import { forgeRefusalResponse } from '../http/response.js';
import { callNext, callNextWithError } from './express.js';
import { writeNodeResponse } from './node.js';

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
