import type { PageContext } from '../host/define-modules';

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

/**
 * Forge's invocation service, played by the emulator's Node half (it holds the FIT signing key): the call goes to
 * the app's remote with a freshly minted Forge Invocation Token for the acting user. The bridge expects
 * `{ success, payload }`; every HTTP status is a success with that status, only "nothing answered" rejects.
 */
export async function invokeRemote(
  payload: RemoteInvokePayload,
  context: PageContext,
  frame: { moduleKey: string; kind: string },
): Promise<{ success: true; payload: RemoteAnswer }> {
  if (typeof payload.path !== 'string' || !payload.path.startsWith('/'))
    throw new Error('invokeRemote: `path` must start with "/".');
  const res = await fetch('/__emulator/forge/invoke-remote', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      user: context.accountId,
      moduleKey: frame.moduleKey,
      // The FIT's module type follows the calling frame (a page module is confluence:spacePage, as getContext says).
      moduleKind: frame.kind,
      context: {
        pageId: context.pageId,
        spaceId: context.spaceId,
        spaceKey: context.spaceKey,
        localId: context.macroId,
      },
      path: payload.path,
      method: payload.method,
      headers: payload.headers ?? {},
      ...(payload.body !== undefined && { body: payload.body }),
    }),
  });
  const answer = (await res.json()) as RemoteAnswer & { error?: { message?: string } };
  if (!res.ok) throw new Error(answer.error?.message ?? `the emulator's invocation service answered ${res.status}`);
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
  const res = await fetch('/__emulator/forge/invoke-remote', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      user: context.accountId,
      remoteKey: payload.remoteKey,
      moduleKey: frame.moduleKey,
      moduleKind: frame.kind,
      context: {
        pageId: context.pageId,
        spaceId: context.spaceId,
        spaceKey: context.spaceKey,
        localId: context.macroId,
      },
      path,
      method: typeof init.method === 'string' ? init.method : 'GET',
      headers,
      ...(typeof init.body === 'string' && { bodyText: init.body }),
    }),
  });
  const answer = (await res.json()) as RemoteAnswer & { error?: { message?: string } };
  if (!res.ok) throw new Error(answer.error?.message ?? `the emulator's invocation service answered ${res.status}`);
  let body: string | null = null;
  if (typeof answer.body === 'string') body = answer.body;
  else if (answer.body !== undefined) body = JSON.stringify(answer.body);
  return { body, headers: answer.headers, status: answer.status, statusText: '', isAttachment: false };
}
