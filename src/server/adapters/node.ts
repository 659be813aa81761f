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

/**
 * Writes the app's response. Never throws: a failure while writing (node:http refuses a header value with CR/LF or a
 * character outside Latin-1, which a route that puts request data into a header, such as a download's filename,
 * can produce) is answered by `answerWriteFailure`. Thrown from a promise callback it would be an unhandled
 * rejection, and that ends the Node process, every tenant's requests with it.
 */
export function writeNodeResponse(res: ServerResponse, response: AppResponse): void {
  try {
    const body = response.body ?? '';
    const headers: Record<string, string | number> = { ...response.headers };
    headers['content-length'] = typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength;
    res.writeHead(response.status, headers);
    res.end(body);
  } catch (error) {
    answerWriteFailure(res, error);
  }
}

/**
 * What node:http throws carries a `code` (ERR_INVALID_CHAR, ERR_HTTP_INVALID_HEADER_VALUE, …) and may quote the
 * offending value, which came from the request: only the name and code are logged. The app's own errors are logged
 * as they are (their text is the app's), never with the request's URL or headers, where a token travels.
 */
function logWriteFailure(error: unknown): void {
  const code = (error as { code?: unknown } | null)?.code;
  const summary =
    error instanceof Error && typeof code === 'string' ? `${error.name} [${code}]` : (error as Error | string);
  console.error('[confluence-iframe-kit/server] answering a request failed (500, or the connection closed):', summary);
}

/**
 * A request whose answer failed: a 500 when nothing has gone out yet (headers the failed write had already set are
 * dropped first), otherwise the socket is destroyed, since a status line cannot be taken back. Never throws.
 */
export function answerWriteFailure(res: ServerResponse, error: unknown): void {
  logWriteFailure(error);
  try {
    if (res.headersSent || res.writableEnded) {
      res.destroy();
      return;
    }
    for (const name of res.getHeaderNames()) res.removeHeader(name);
    const failure = jsonResponse(500, { error: { code: 'INTERNAL', message: 'Unexpected server error.' } });
    const body = failure.body as string;
    res.writeHead(500, { ...failure.headers, 'content-length': Buffer.byteLength(body) });
    res.end(body);
  } catch {
    res.destroy();
  }
}

/** Runs a node:http handler we did not write (the fallback): a synchronous throw or a rejected promise is a 500. */
function runHandler(handler: NodeHandler, req: IncomingMessage, res: ServerResponse): void {
  try {
    const result: unknown = handler(req, res);
    if (result && typeof (result as PromiseLike<unknown>).then === 'function') {
      (result as PromiseLike<unknown>).then(undefined, (error: unknown) => answerWriteFailure(res, error));
    }
  } catch (error) {
    answerWriteFailure(res, error);
  }
}

/** node:http `(req, res)` handler; requests no route matches go to `fallback` (e.g. static files) or get a 404. */
export function createNodeHandler(
  app: ConnectApp,
  options: {
    /** requests no route matches; a throw (or a rejected promise) is answered 500, never an unhandled rejection */
    fallback?: NodeHandler;
    /** how long a request body may take to arrive, ms (default 10 000); later → 408 PAYLOAD_TIMEOUT */
    bodyTimeoutMs?: number;
  } = {},
): NodeHandler {
  const bodyTimeoutMs = options.bodyTimeoutMs ?? DEFAULT_BODY_TIMEOUT_MS;
  return (req, res) => {
    app
      .handle(toIncoming(req, req.url ?? '/', (maxBytes) => readNodeBody(req, maxBytes, bodyTimeoutMs)))
      .then(
        (response) => {
          if (response) writeNodeResponse(res, response);
          else if (options.fallback) runHandler(options.fallback, req, res);
          else writeNodeResponse(res, jsonResponse(404, { error: { code: 'NOT_FOUND', message: 'No such route.' } }));
        },
        (error: unknown) => answerWriteFailure(res, error),
      )
      // Whatever slipped through the above still ends as an answer, never as an unhandled rejection.
      .catch((error: unknown) => answerWriteFailure(res, error));
  };
}
