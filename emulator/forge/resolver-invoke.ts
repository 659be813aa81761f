import type { ConfluenceAnswer } from '../../src/testing/core';
import { serializeAnswer } from '../node/site-answer';
import type { InvokeOutcome } from '../node/forge-resolvers';
import type { LogEntry } from '../ui/request-log';
import type { ResolverProductCall } from './resolver-product-call';

/** What `invoke(functionKey, payload)` of @forge/bridge sends (out/invoke/invoke.js). */
export interface FunctionInvokePayload {
  functionKey?: unknown;
  payload?: unknown;
}

/** Forge's wording when a function fails, as the Custom UI's `invoke` rejects with it. */
const INVOKE_FAILED = 'There was an error invoking the function - ';

/**
 * The page's end of Forge functions: `invoke(key, payload)` goes to the Node half, which runs the manifest function
 * of the calling module; its Confluence calls come back over this page's own event stream and are answered from this
 * page's site (`answer`), as the acting user or as the app. The request log gets a row for the invocation (with its
 * duration, and its error when the function threw) and one per Confluence call it made.
 */
export function createResolverInvoker(options: {
  answer(call: ResolverProductCall): Promise<ConfluenceAnswer>;
  log(entry: LogEntry): void;
}) {
  const session = Array.from(crypto.getRandomValues(new Uint8Array(16)), (byte) =>
    byte.toString(16).padStart(2, '0'),
  ).join('');
  let stream: Promise<void> | undefined;
  let nextId = 1;

  async function answerCall(data: string): Promise<void> {
    const { id, call } = JSON.parse(data) as { id: string; call: ResolverProductCall };
    const answer = await options.answer(call);
    await fetch('/__emulator/forge/resolver-answer', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ id, answer: serializeAnswer(answer) }),
    });
  }

  /** Opened on the first invoke; until it is open (or if it never opens) the Node half's site copy answers. */
  function connect(): Promise<void> {
    stream ??= new Promise<void>((resolve) => {
      const source = new EventSource(`/__emulator/forge/resolver-calls?session=${session}`);
      source.addEventListener('open', () => resolve(), { once: true });
      source.addEventListener('error', () => resolve(), { once: true });
      source.addEventListener('product-call', (event) => {
        // A call this page cannot answer is answered by the Node half's copy of the site once it stops waiting.
        answerCall((event as MessageEvent<string>).data).catch(() => {});
      });
    });
    return stream;
  }

  return async function invokeFunction(
    request: FunctionInvokePayload,
    call: { moduleKey: string; user: string; context: Record<string, unknown> },
  ): Promise<unknown> {
    if (typeof request?.functionKey !== 'string') throw new Error('functionKey must be a string!');
    const functionKey = request.functionKey;
    const row: LogEntry = { id: nextId++, host: 'resolver', method: 'INVOKE', path: functionKey, status: 'pending' };
    const started = performance.now();
    options.log({ ...row });
    let outcome: InvokeOutcome;
    try {
      await connect();
      const res = await fetch('/__emulator/forge/invoke', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ session, functionKey, payload: request.payload, ...call }),
      });
      const body = (await res.json()) as InvokeOutcome & { error?: { message?: string } };
      if (!res.ok) throw new Error(body.error?.message ?? `the emulator answered ${res.status}`);
      outcome = body;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      options.log({ ...row, status: 'failed', ms: Math.round(performance.now() - started), detail: message });
      throw new Error(INVOKE_FAILED + message, { cause: error });
    }
    for (const made of outcome.calls) {
      options.log({
        id: nextId++,
        host: 'resolver',
        via: made.authority === 'app' ? `${functionKey} as app` : functionKey,
        method: made.method,
        path: made.path,
        status: made.status,
        ms: made.ms,
      });
    }
    if (!outcome.ok) {
      options.log({
        ...row,
        status: 'failed',
        ms: outcome.ms,
        detail: outcome.error.message,
        ...(outcome.error.stack ? { stack: outcome.error.stack } : {}),
      });
      throw new Error(INVOKE_FAILED + outcome.error.message);
    }
    options.log({ ...row, status: 200, ms: outcome.ms });
    return outcome.value;
  };
}

export type ResolverInvoker = ReturnType<typeof createResolverInvoker>;
