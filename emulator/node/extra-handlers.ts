import type { IncomingMessage } from 'node:http';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { getResponse, type RequestHandler } from 'msw';
import { readNodeBody } from '../../src/server/internal/index.js';
import type { ConfluenceAnswer } from '../../src/testing/core';

/**
 * `emulate --handlers ./file.js`: msw handlers of the developer's own for endpoints the emulated site lacks. They
 * answer before the site (as the testing kit's `extraHandlers` do), in this Node process: the page sends its
 * iframes' requests here first (POST /__emulator/extra-handler), the app backend's calls are tried here first.
 */

/** One request as the page or the backend hands it over: method, site path (`/wiki/…`), headers, a text body. */
export interface ExtraHandlerRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string;
}

/** A mistake in the handlers file: one line for the command to print, naming the file. */
export class ExtraHandlersError extends Error {}

/** The handlers exported by `file` (an ES module): its default export or its `handlers` export, an array. */
export async function loadExtraHandlers(file: string): Promise<RequestHandler[]> {
  const resolved = path.resolve(file);
  let exported: { default?: unknown; handlers?: unknown };
  try {
    exported = (await import(pathToFileURL(resolved).href)) as typeof exported;
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new ExtraHandlersError(`--handlers: cannot load ${file} (${reason})`, { cause: error });
  }
  const handlers = Array.isArray(exported.default) ? exported.default : exported.handlers;
  if (!Array.isArray(handlers)) {
    throw new ExtraHandlersError(`--handlers: ${file} exports no array of msw handlers (default or "handlers")`);
  }
  // Duck-typed: the app's msw copy may not be the emulator's, and msw 2 handlers of either copy answer alike.
  if (!handlers.every((handler) => typeof (handler as Partial<RequestHandler> | null)?.run === 'function')) {
    throw new ExtraHandlersError(`--handlers: ${file} exports something that is not an msw handler`);
  }
  return handlers as RequestHandler[];
}

/** The handlers' answer to `request` on the site at `siteOrigin`, or undefined when none of them answers it. */
export async function answerWithExtraHandlers(
  handlers: readonly RequestHandler[],
  siteOrigin: string,
  request: ExtraHandlerRequest,
): Promise<ConfluenceAnswer | undefined> {
  if (handlers.length === 0) return undefined;
  const method = request.method.toUpperCase();
  const hasBody = request.body !== undefined && method !== 'GET' && method !== 'HEAD';
  const response = await getResponse(
    [...handlers],
    new Request(new URL(request.path, siteOrigin), {
      method,
      headers: request.headers,
      ...(hasBody ? { body: request.body } : {}),
    }),
  );
  if (!response) return undefined;
  // msw's HttpResponse.error(): a network failure, as the site's own `hostDown: 'network'` fault reports it.
  if (response.type === 'error') return { status: 0, statusText: 'error', headers: {}, body: '' };
  return {
    status: response.status,
    statusText: response.statusText,
    headers: Object.fromEntries(response.headers),
    body: await response.text(),
  };
}

/** The largest request body the page hands over for the handlers (AP.request bodies are far smaller). */
const MAX_BODY_BYTES = 1024 * 1024;

/**
 * `POST /__emulator/extra-handler`: the page's request, answered by the handlers (`{ answer }`) or left to the page's
 * site (`{ answer: null }`). JSON from the emulator page only.
 */
export async function answerExtraHandlerRequest(
  req: IncomingMessage,
  handlers: readonly RequestHandler[],
  emulatorOrigin: string,
): Promise<{ status: number; body: unknown }> {
  const refuse = (status: number, code: string, message: string) => ({ status, body: { error: { code, message } } });
  if (req.method !== 'POST') return refuse(405, 'METHOD_NOT_ALLOWED', 'POST only');
  if (!/^application\/json\b/i.test(req.headers['content-type'] ?? ''))
    return refuse(400, 'BAD_REQUEST', 'content-type must be application/json');
  if (req.headers.origin !== undefined && req.headers.origin !== emulatorOrigin)
    return refuse(403, 'FOREIGN_ORIGIN', 'only the emulator page may ask the handlers');
  let input: Partial<ExtraHandlerRequest>;
  try {
    input = JSON.parse(await readNodeBody(req, MAX_BODY_BYTES)) as Partial<ExtraHandlerRequest>;
  } catch {
    return refuse(400, 'BAD_REQUEST', 'the body is not JSON');
  }
  const { method, path: sitePath, headers, body } = input;
  if (
    typeof method !== 'string' ||
    typeof sitePath !== 'string' ||
    !sitePath.startsWith('/') ||
    typeof headers !== 'object' ||
    headers === null ||
    !Object.values(headers).every((value) => typeof value === 'string') ||
    (body !== undefined && typeof body !== 'string')
  ) {
    return refuse(400, 'BAD_REQUEST', 'the request needs method, path (from /), string headers and a text body');
  }
  let answer: ConfluenceAnswer | undefined;
  try {
    answer = await answerWithExtraHandlers(handlers, emulatorOrigin, { method, path: sitePath, headers, body });
  } catch (error) {
    // A handler that throws is the developer's bug: said plainly, as a 500 of the site would be.
    const message = error instanceof Error ? error.message : String(error);
    return {
      status: 200,
      body: {
        answer: { status: 500, statusText: 'Internal Server Error', headers: {}, body: `--handlers: ${message}` },
      },
    };
  }
  return { status: 200, body: { answer: answer ?? null } };
}
