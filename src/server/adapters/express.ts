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
    app.handle(toIncoming(req, req.originalUrl ?? req.url ?? '/', bodyReader(req))).then((response) => {
      if (response) writeNodeResponse(res, response);
      else next();
    }, next);
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
          next();
        },
        (error: unknown) => {
          if (isVerificationError(error)) writeNodeResponse(res, refusalResponse(error, app.appKey));
          else next(error);
        },
      );
  };
}
