import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { readNodeBody } from '../../src/server/internal/index.js';
import type { ConfluenceAnswer, ConfluenceWorld } from '../../src/testing/core';
import { answerResolverProductCall, type ResolverProductCall } from '../forge/resolver-product-call';
import { EMULATED_CLOUD_ID } from '../forge/forge-context';
import { createForgeFunctionBundles, ForgeFunctionBuildError } from './forge-function-bundle';
import type { ForgeManifest } from './forge-manifest';
import { runForgeInvocation, type ForgeProductRequest } from './forge-runtime';
import type { ForgeStorage } from './forge-storage';
import { ACCOUNT_ID, CONTEXT_VALUE } from './forge-invocation';
import { deserializeAnswer, type SerializedAnswer } from './site-answer';

/**
 * Forge functions in the emulator's own process, `forge tunnel`'s job without a site or a deploy: the Custom UI's
 * `invoke(key, payload)` arrives here from the page (POST /__emulator/forge/invoke), runs the manifest function
 * that the calling module's `resolver.function` names (the app's `src/`, bundled by forge-function-bundle.ts) with
 * Forge's request shape, and answers its return value or its error. Its Confluence calls go back to the page that
 * invoked it (an event stream per page, `/__emulator/forge/resolver-calls`), so they are answered from the same site
 * the page shows; with no page listening, this process's copy of the site answers.
 */

/** One Confluence call a function made, for the page's request log. */
export interface ResolverCallRecord {
  method: string;
  path: string;
  status: number | 'failed';
  ms: number;
  /** `user <accountId>` or `app`. */
  authority: string;
}

export type InvokeOutcome =
  | { ok: true; value?: unknown; ms: number; calls: ResolverCallRecord[] }
  | { ok: false; error: { message: string; stack?: string }; ms: number; calls: ResolverCallRecord[] };

/** Forge's limit for a function invoked from Custom UI. */
export const FORGE_FUNCTION_TIMEOUT_MS = 25_000;
/** How long a function's Confluence call waits for the invoking page before this process's site copy answers. */
const PAGE_ANSWER_TIMEOUT_MS = 10_000;
/** Forge's payload limit for an invocation, roughly; a page answer (a list of pages) is well below the second. */
const MAX_INVOKE_BYTES = 5 * 1024 * 1024;
const MAX_ANSWER_BYTES = 16 * 1024 * 1024;
const SESSION = /^[0-9a-f]{32}$/;

/** A request the page should never send: answered 400 with the reason. */
export class ResolverRequestRefused extends Error {}

interface InvokeRequest {
  session?: string;
  functionKey: string;
  payload: unknown;
  moduleKey: string;
  user: string;
  context: Record<string, unknown>;
}

function parseInvoke(input: unknown): InvokeRequest {
  const call = (input ?? {}) as Record<string, unknown>;
  if (typeof call.functionKey !== 'string' || call.functionKey.length === 0 || call.functionKey.length > 256)
    throw new ResolverRequestRefused('functionKey must be a string of 1 to 256 characters');
  if (typeof call.moduleKey !== 'string' || !CONTEXT_VALUE.test(call.moduleKey))
    throw new ResolverRequestRefused('invalid moduleKey');
  if (typeof call.user !== 'string' || !ACCOUNT_ID.test(call.user))
    throw new ResolverRequestRefused('user must be an accountId');
  if (call.session !== undefined && (typeof call.session !== 'string' || !SESSION.test(call.session)))
    throw new ResolverRequestRefused('invalid session');
  const context = call.context;
  if (context !== undefined && (typeof context !== 'object' || context === null || Array.isArray(context)))
    throw new ResolverRequestRefused('context must be an object');
  return {
    ...(typeof call.session === 'string' && { session: call.session }),
    functionKey: call.functionKey,
    payload: call.payload,
    moduleKey: call.moduleKey,
    user: call.user,
    context: (context ?? {}) as Record<string, unknown>,
  };
}

/** The first line of an error and its stack, as the output and the page show them. */
function describe(error: unknown): { message: string; stack?: string } {
  if (error instanceof Error) return { message: error.message, ...(error.stack ? { stack: error.stack } : {}) };
  return { message: String(error) };
}

export function createForgeResolvers(options: {
  manifest: ForgeManifest;
  storage: ForgeStorage;
  emulatorOrigin: string;
  appId: string;
  /** The installation ARI (`ari:cloud:ecosystem::installation/<uuid>`), as the FITs and the install payload name it. */
  installationId: string;
  /** The site as this process has it: answers a function's calls when no page is listening. */
  world(): Promise<ConfluenceWorld>;
  /** The accountId the function sees for the acting user: null for an anonymous viewer. */
  principalOf(user: string): Promise<string | null>;
  /** Where a function's failure is printed (the emulator's output). */
  output: { error(line: string): void };
}) {
  const { manifest } = options;
  const bundles = createForgeFunctionBundles(manifest.directory);
  const streams = new Map<string, ServerResponse>();
  const pageAnswers = new Map<string, (answer: ConfluenceAnswer | undefined) => void>();
  const installationUuid = options.installationId.slice(options.installationId.lastIndexOf('/') + 1);
  const appUuid = options.appId.slice(options.appId.lastIndexOf('/') + 1);

  /** A function's Confluence call, answered by the invoking page (its site) or else by this process's copy. */
  async function answerProductCall(session: string | undefined, call: ResolverProductCall): Promise<ConfluenceAnswer> {
    const stream = session === undefined ? undefined : streams.get(session);
    if (stream) {
      const id = randomUUID();
      const answer = await new Promise<ConfluenceAnswer | undefined>((resolve) => {
        const timer = setTimeout(() => settle(undefined), PAGE_ANSWER_TIMEOUT_MS);
        function settle(value: ConfluenceAnswer | undefined) {
          clearTimeout(timer);
          pageAnswers.delete(id);
          resolve(value);
        }
        pageAnswers.set(id, settle);
        stream.write(`event: product-call\ndata: ${JSON.stringify({ id, call })}\n\n`);
      });
      if (answer) return answer;
    }
    return answerResolverProductCall(await options.world(), call);
  }

  async function invoke(input: unknown): Promise<InvokeOutcome> {
    const call = parseInvoke(input);
    const started = performance.now();
    const calls: ResolverCallRecord[] = [];
    const elapsed = () => Math.round(performance.now() - started);
    const fail = (error: unknown): InvokeOutcome => ({ ok: false, error: describe(error), ms: elapsed(), calls });

    const functionName = manifest.moduleFunctions.get(call.moduleKey);
    const handlerName = functionName === undefined ? undefined : manifest.functions.get(functionName);
    if (functionName === undefined)
      return fail(
        new Error(
          `module "${call.moduleKey}" has no resolver function in the manifest (give it resolver: { function: <key> })`,
        ),
      );
    if (handlerName === undefined)
      return fail(new Error(`the manifest has no function "${functionName}" (module "${call.moduleKey}" names it)`));

    let handler;
    try {
      handler = await bundles.handler(handlerName);
    } catch (error) {
      const described = describe(error);
      options.output.error(`Forge function "${functionName}" (${handlerName}): ${described.message}`);
      if (error instanceof ForgeFunctionBuildError) return fail(new Error(described.message));
      return fail(error);
    }
    const principal = await options.principalOf(call.user);
    const installContext = `ari:cloud:confluence::site/${EMULATED_CLOUD_ID}`;
    const license = call.context.license;
    const installation = { ari: { installationId: installationUuid }, contexts: [{ cloudId: EMULATED_CLOUD_ID }] };
    const event = {
      call: { functionKey: call.functionKey, payload: call.payload ?? {} },
      context: { ...call.context, cloudId: EMULATED_CLOUD_ID, moduleKey: call.moduleKey, installContext },
    };
    const runtimeContext = {
      ...(principal ? { principal: { accountId: principal } } : {}),
      installContext,
      ...(license !== undefined && { license }),
      installation,
    };
    const product = async (request: ForgeProductRequest): Promise<Response> => {
      const callStarted = performance.now();
      const { authority, ...rest } = request;
      const record: ResolverCallRecord = {
        method: request.method,
        path: request.path,
        status: 'failed',
        ms: 0,
        authority: authority.kind === 'user' ? `user ${authority.accountId}` : 'app',
      };
      calls.push(record);
      try {
        const answer = await answerProductCall(call.session, { authority, ...rest });
        record.status = answer.status === 0 ? 'failed' : answer.status;
        if (answer.status === 0) throw new TypeError('fetch failed: the request never reached Confluence');
        const nullBody = answer.status === 204 || answer.status === 205 || answer.status === 304;
        return new Response(nullBody ? null : answer.body, {
          status: answer.status,
          statusText: answer.statusText,
          headers: answer.headers,
        });
      } finally {
        record.ms = Math.round(performance.now() - callStarted);
      }
    };
    const scope = {
      appContext: {
        appId: appUuid,
        appVersion: '1.0.0',
        environmentId: 'emulated-environment',
        environmentType: 'DEVELOPMENT',
        invocationId: randomUUID(),
        installationId: installationUuid,
        moduleKey: call.moduleKey,
        license,
        installation,
        permissions: { scopes: manifest.scopeNames, external: {} },
      },
      accountId: principal ?? undefined,
      deadline: Date.now() + FORGE_FUNCTION_TIMEOUT_MS,
      product,
      storage: options.storage,
    };
    let timer: ReturnType<typeof setTimeout> | undefined;
    try {
      const value = await Promise.race([
        runForgeInvocation(scope, async () => handler(event, runtimeContext)),
        new Promise<never>((_, reject) => {
          timer = setTimeout(
            () =>
              reject(
                new Error(`the function did not finish within ${FORGE_FUNCTION_TIMEOUT_MS / 1000} s (Forge's limit)`),
              ),
            FORGE_FUNCTION_TIMEOUT_MS,
          );
        }),
      ]);
      // What crosses to the UI is JSON, as on Forge (functions, undefined members and class instances are dropped).
      const text = JSON.stringify(value);
      return { ok: true, ...(text === undefined ? {} : { value: JSON.parse(text) as unknown }), ms: elapsed(), calls };
    } catch (error) {
      const described = describe(error);
      options.output.error(
        `Forge function "${functionName}" failed in invoke("${call.functionKey}") from ${call.moduleKey}: ${described.stack ?? described.message}`,
      );
      return fail(error);
    } finally {
      clearTimeout(timer);
    }
  }

  function sendJson(res: ServerResponse, status: number, body: unknown): void {
    res.statusCode = status;
    res.setHeader('content-type', 'application/json');
    res.setHeader('cache-control', 'no-store');
    res.end(JSON.stringify(body));
  }

  /** JSON from the emulator page only: another site must not run the app's functions as a user. */
  async function readPagePost(req: IncomingMessage, limit: number): Promise<unknown> {
    if (req.method !== 'POST') throw new ResolverRequestRefused('POST only');
    if (!/^application\/json\b/i.test(req.headers['content-type'] ?? ''))
      throw new ResolverRequestRefused('content-type must be application/json');
    if (req.headers.origin !== undefined && req.headers.origin !== options.emulatorOrigin)
      throw new ResolverRequestRefused('only the emulator page may call this');
    try {
      return JSON.parse(await readNodeBody(req, limit)) as unknown;
    } catch {
      throw new ResolverRequestRefused('the body is not JSON');
    }
  }

  /** The page's answer to one of its functions' Confluence calls; the id is a UUID only that page was told. */
  function settleAnswer(input: unknown): boolean {
    const { id, answer } = (input ?? {}) as { id?: unknown; answer?: Partial<SerializedAnswer> };
    const settle = typeof id === 'string' ? pageAnswers.get(id) : undefined;
    if (!settle) return false;
    const answered = deserializeAnswer(answer);
    if (!answered) throw new ResolverRequestRefused('the answer needs status, headers and body');
    settle(answered);
    return true;
  }

  return {
    invoke,
    /**
     * Answers `/__emulator/forge/<route>` when it is one of the resolver routes: `invoke` (POST), `resolver-calls`
     * (the page's event stream, GET `?session=`), `resolver-answer` (POST). False for any other route.
     */
    async handle(req: IncomingMessage, res: ServerResponse, route: string, url: URL): Promise<boolean> {
      try {
        if (route === 'invoke') {
          sendJson(res, 200, await invoke(await readPagePost(req, MAX_INVOKE_BYTES)));
          return true;
        }
        if (route === 'resolver-answer') {
          const settled = settleAnswer(await readPagePost(req, MAX_ANSWER_BYTES));
          if (settled) sendJson(res, 200, { ok: true });
          else
            sendJson(res, 404, { error: { code: 'UNKNOWN_CALL', message: 'no function call waits for this answer' } });
          return true;
        }
        if (route === 'resolver-calls') {
          const session = url.searchParams.get('session') ?? '';
          if (req.method !== 'GET' || !SESSION.test(session)) throw new ResolverRequestRefused('GET ?session=<id>');
          // Same origin only (no CORS header), kept open until the page goes.
          res.statusCode = 200;
          res.setHeader('content-type', 'text/event-stream');
          res.setHeader('cache-control', 'no-store');
          res.flushHeaders();
          res.write(': connected\n\n');
          streams.get(session)?.end();
          streams.set(session, res);
          req.once('close', () => {
            if (streams.get(session) === res) streams.delete(session);
          });
          return true;
        }
      } catch (error) {
        if (!(error instanceof ResolverRequestRefused)) throw error;
        sendJson(res, 400, { error: { code: 'BAD_REQUEST', message: error.message } });
        return true;
      }
      return false;
    },
    async close(): Promise<void> {
      for (const stream of streams.values()) stream.end();
      streams.clear();
      await bundles.close();
    },
  };
}

export type ForgeResolvers = ReturnType<typeof createForgeResolvers>;
