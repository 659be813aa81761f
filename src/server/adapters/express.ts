import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ConnectApp } from '../app/connect-app.js';
import { isVerificationError } from '../errors.js';
import { refusalResponse } from '../http/response.js';
import type { VerifiedContext } from '../verify-request.js';
import { readNodeBody, toIncoming, writeNodeResponse } from './node.js';

// Structural Express types, so the server entry does not depend on @types/express.
type ExpressRequest = IncomingMessage & { originalUrl?: string; body?: unknown };
type ExpressResponse = ServerResponse & { locals?: Record<string, unknown> };
type Next = (error?: unknown) => void;
export type ExpressMiddleware = (req: ExpressRequest, res: ExpressResponse, next: Next) => void;

/**
 * Calls a middleware's `next()` from a promise callback. On plain node:http `next` is the caller's own
 * continuation and may throw synchronously; uncaught in the callback that becomes an unhandled rejection (a crash
 * under Node's default) and a request nobody answers. A throw goes to `next(error)` once, as Express does for a
 * throwing handler.
 */
export function callNext(next: Next, res: ServerResponse): void {
  try {
    next();
  } catch (error) {
    callNextWithError(next, res, error);
  }
}

/** `next(error)`; if the error path throws as well there is nobody left to hand it to, so the request gets a 500. */
export function callNextWithError(next: Next, res: ServerResponse, error: unknown): void {
  try {
    next(error);
  } catch {
    if (res.writableEnded) return;
    if (res.headersSent) res.destroy();
    else res.writeHead(500).end();
  }
}

/** Body for lifecycle routes even when a body parser ran first (it consumed the stream into req.body). */
function bodyReader(req: ExpressRequest): (maxBytes: number) => Promise<string> {
  return async (maxBytes) => {
    if (typeof req.body === 'string') return req.body;
    if (Buffer.isBuffer(req.body)) return req.body.toString('utf8');
    if (req.body && typeof req.body === 'object' && Object.keys(req.body).length > 0) return JSON.stringify(req.body);
    return readNodeBody(req, maxBytes);
  };
}

/** Mounts the app's routes (lifecycle + yours); anything else continues to the next Express handler. */
export function expressMiddleware(app: ConnectApp): ExpressMiddleware {
  return (req, res, next) => {
    // originalUrl, not url: a mounted router rewrites req.url, and the qsh covers the full path.
    app.handle(toIncoming(req, req.originalUrl ?? req.url ?? '/', bodyReader(req))).then(
      (response) => {
        if (response) writeNodeResponse(res, response);
        else callNext(next, res);
      },
      (error: unknown) => callNextWithError(next, res, error),
    );
  };
}

/**
 * Guards your own Express route: verifies the iframe or context JWT and puts the VerifiedContext on
 * `res.locals.connect`; refuses with 401/403 JSON otherwise. Works without any body parser.
 */
export function requireConnectJwt(app: ConnectApp, mode: 'iframe' | 'context'): ExpressMiddleware {
  return (req, res, next) => {
    app
      .verify({ method: req.method ?? 'GET', url: req.originalUrl ?? req.url ?? '/', headers: req.headers }, mode)
      .then(
        (verified: VerifiedContext) => {
          res.locals = res.locals ?? {};
          res.locals.connect = verified;
          callNext(next, res);
        },
        (error: unknown) => {
          if (isVerificationError(error)) writeNodeResponse(res, refusalResponse(error, app.appKey));
          else callNextWithError(next, res, error);
        },
      );
  };
}
