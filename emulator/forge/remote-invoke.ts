import type { PageContext, RequestLogEntry } from '../host/define-modules';

/** What `invokeRemote` sends as `invoke` (`invokeType: 'ui-remote-fetch'`): @forge/bridge InvokeEndpointInput. */
export interface RemoteInvokePayload {
  path?: unknown;
  method?: unknown;
  headers?: unknown;
  body?: unknown;
  invokeType?: unknown;
}

export interface RemoteAnswer {
  status: number;
  headers: Record<string, string>;
  body?: unknown;
}

/** Runs one call to the app's remote with its row in the page's request log: pending, then its status. */
export type RemoteCallLog = <Answer>(
  call: { method: string; path: string; remoteKey?: string },
  statusOf: (answer: Answer) => number,
  run: () => Promise<Answer>,
) => Promise<Answer>;

/**
 * The request log's view of invokeRemote/requestRemote: each call is a row marked as a remote call (host `remote`),
 * so the log shows everything the app's front end sends, to Confluence and to its own remote. A call that got no
 * HTTP answer (the remote unreachable, the invocation refused) is a failed row.
 */
export function createRemoteCallLog(onRequest: (entry: RequestLogEntry) => void): RemoteCallLog {
  let nextId = 1;
  return async (call, statusOf, run) => {
    const entry: RequestLogEntry = {
      id: nextId++,
      host: 'remote',
      method: call.method.toUpperCase(),
      path: call.path,
      status: 'pending',
      ...(call.remoteKey !== undefined && { remoteKey: call.remoteKey }),
    };
    const started = performance.now();
    onRequest({ ...entry });
    try {
      const answer = await run();
      onRequest({ ...entry, status: statusOf(answer), ms: Math.round(performance.now() - started) });
      return answer;
    } catch (error) {
      onRequest({ ...entry, status: 'failed', ms: Math.round(performance.now() - started) });
      throw error;
    }
  };
}

/**
 * Forge's invocation service, played by the emulator's Node half (it holds the FIT signing key): the call goes to
 * the app's remote with a freshly minted Forge Invocation Token for the acting user. The bridge expects
 * `{ success, payload }`; every HTTP status is a success with that status, only "nothing answered" rejects.
 */
export async function invokeRemote(
  payload: RemoteInvokePayload,
  context: PageContext,
  frame: { moduleKey: string; kind: string },
  log: RemoteCallLog,
): Promise<{ success: true; payload: RemoteAnswer }> {
  const path = payload.path;
  if (typeof path !== 'string' || !path.startsWith('/')) throw new Error('invokeRemote: `path` must start with "/".');
  const method = typeof payload.method === 'string' ? payload.method : 'GET';
  return log(
    { method, path },
    (answer) => answer.payload.status,
    () => invokeRemoteNow(payload, path, context, frame),
  );
}

/**
 * Asks the Node half to call the app's remote with a fresh FIT for the acting user and the calling frame (the FIT's
 * module type follows the frame: a page module is confluence:spacePage, as getContext says).
 */
async function postInvocation(
  context: PageContext,
  frame: { moduleKey: string; kind: string },
  call: { path: string; method: unknown; headers: unknown; remoteKey?: string; body?: unknown; bodyText?: string },
): Promise<RemoteAnswer> {
  const res = await fetch('/__emulator/forge/invoke-remote', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      user: context.accountId,
      moduleKey: frame.moduleKey,
      moduleKind: frame.kind,
      context: {
        pageId: context.pageId,
        spaceId: context.spaceId,
        spaceKey: context.spaceKey,
        localId: context.macroId,
      },
      ...call,
    }),
  });
  const answer = (await res.json()) as RemoteAnswer & { error?: { message?: string } };
  if (!res.ok) throw new Error(answer.error?.message ?? `the emulator's invocation service answered ${res.status}`);
  return answer;
}

async function invokeRemoteNow(
  payload: RemoteInvokePayload,
  path: string,
  context: PageContext,
  frame: { moduleKey: string; kind: string },
): Promise<{ success: true; payload: RemoteAnswer }> {
  const answer = await postInvocation(context, frame, {
    path,
    method: payload.method,
    headers: payload.headers ?? {},
    ...(payload.body !== undefined && { body: payload.body }),
  });
  return { success: true, payload: answer };
}

/** What `requestRemote(remoteKey, init)` sends as `fetchRemote` (@forge/bridge out/fetch/fetch.js). */
export interface FetchRemotePayload {
  remoteKey?: unknown;
  fetchRequestInit?: { path?: unknown; method?: unknown; body?: unknown; headers?: unknown };
  isMultipartFormData?: unknown;
}

/** What the bridge turns into `new Response(body, { headers, status, statusText })`. */
export interface FetchRemoteAnswer {
  body: string | null;
  headers: Record<string, string>;
  status: number;
  statusText: string;
  isAttachment: false;
}

/**
 * `requestRemote(remoteKey, { path, … })`: the named remote of the manifest, called by the Node half with a fresh
 * Forge Invocation Token, answered as a fetch Response (every HTTP status resolves; only "nothing answered" rejects).
 * The body goes as the bridge serialised it, not re-encoded.
 */
export async function fetchRemote(
  payload: FetchRemotePayload,
  context: PageContext,
  frame: { moduleKey: string; kind: string },
  log: RemoteCallLog,
): Promise<FetchRemoteAnswer> {
  if (typeof payload?.remoteKey !== 'string' || !payload.remoteKey)
    throw new Error('requestRemote: the first argument must be the key of a remote in the manifest.');
  if (payload.isMultipartFormData)
    throw new Error('The Confluence emulator does not send multipart bodies to a remote yet.');
  const init = payload.fetchRequestInit ?? {};
  const path = init.path === undefined ? '/' : init.path;
  if (typeof path !== 'string' || !path.startsWith('/')) throw new Error('requestRemote: `path` must start with "/".');
  const headers: Record<string, string> = {};
  for (const entry of Array.isArray(init.headers) ? (init.headers as unknown[]) : []) {
    if (Array.isArray(entry) && typeof entry[0] === 'string') headers[entry[0]] = String(entry[1]);
  }
  const remoteKey = payload.remoteKey;
  const method = typeof init.method === 'string' ? init.method : 'GET';
  return log(
    { method, path, remoteKey },
    (answer) => answer.status,
    async () => {
      const answer = await postInvocation(context, frame, {
        remoteKey,
        path,
        method,
        headers,
        ...(typeof init.body === 'string' && { bodyText: init.body }),
      });
      let body: string | null = null;
      if (typeof answer.body === 'string') body = answer.body;
      else if (answer.body !== undefined) body = JSON.stringify(answer.body);
      return { body, headers: answer.headers, status: answer.status, statusText: '', isAttachment: false };
    },
  );
}
