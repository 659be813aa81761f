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
