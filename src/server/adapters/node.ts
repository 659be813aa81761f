import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ConnectApp } from '../app/connect-app.js';
import { VerificationError } from '../errors.js';
import { DEFAULT_BODY_TIMEOUT_MS, assertDeclaredLength, bodyTimedOut, bodyTooLarge } from '../http/body.js';
import type { IncomingRequest } from '../http/incoming.js';
import { jsonResponse, type AppResponse } from '../http/response.js';

export type NodeHandler = (req: IncomingMessage, res: ServerResponse) => void;

/** Reads a body with a size cap and a timeout, so a client that never finishes cannot hold the request open. */
export function readNodeBody(
  req: IncomingMessage,
  maxBytes: number,
  timeoutMs = DEFAULT_BODY_TIMEOUT_MS,
): Promise<string> {
  return new Promise((resolve, reject) => {
    if (req.readableEnded) return resolve('');
    try {
      assertDeclaredLength(req.headers['content-length'], maxBytes);
    } catch (error) {
      return reject(error as Error);
    }
    const chunks: Buffer[] = [];
    let size = 0;
    const timer = setTimeout(() => fail(bodyTimedOut()), timeoutMs);
    const fail = (error: Error) => {
      clearTimeout(timer);
      req.removeAllListeners('data');
      req.resume();
      reject(error);
    };
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) return fail(bodyTooLarge(maxBytes));
      chunks.push(chunk);
    });
    req.on('end', () => {
      clearTimeout(timer);
      resolve(Buffer.concat(chunks).toString('utf8'));
    });
    req.on('error', (error) =>
      fail(new VerificationError('PAYLOAD_INVALID', 'The request body could not be read.', { cause: error })),
    );
  });
}

export function toIncoming(
  req: IncomingMessage,
  url = req.url ?? '/',
  body?: (maxBytes: number) => Promise<string>,
): IncomingRequest {
  return {
    method: req.method ?? 'GET',
    url,
    headers: req.headers,
    text: body ?? ((maxBytes) => readNodeBody(req, maxBytes)),
  };
}

export function writeNodeResponse(res: ServerResponse, response: AppResponse): void {
  const body = response.body ?? '';
  const headers: Record<string, string | number> = { ...response.headers };
  headers['content-length'] = typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength;
  res.writeHead(response.status, headers);
  res.end(body);
}

/** node:http `(req, res)` handler; requests no route matches go to `fallback` (e.g. static files) or get a 404. */
export function createNodeHandler(
  app: ConnectApp,
  options: {
    fallback?: NodeHandler;
    /** how long a request body may take to arrive, ms (default 10 000); later → 408 PAYLOAD_TIMEOUT */
    bodyTimeoutMs?: number;
  } = {},
): NodeHandler {
  const bodyTimeoutMs = options.bodyTimeoutMs ?? DEFAULT_BODY_TIMEOUT_MS;
  return (req, res) => {
    app.handle(toIncoming(req, req.url ?? '/', (maxBytes) => readNodeBody(req, maxBytes, bodyTimeoutMs))).then(
      (response) => {
        if (response) writeNodeResponse(res, response);
        else if (options.fallback) options.fallback(req, res);
        else writeNodeResponse(res, jsonResponse(404, { error: { code: 'NOT_FOUND', message: 'No such route.' } }));
      },
      (error: unknown) => {
        console.error('[confluence-iframe-kit/server]', error);
        if (!res.headersSent)
          writeNodeResponse(
            res,
            jsonResponse(500, { error: { code: 'INTERNAL', message: 'Unexpected server error.' } }),
          );
        else res.destroy();
      },
    );
  };
}
