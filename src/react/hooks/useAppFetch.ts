import { useMemo } from 'react';
// Internal, not public API: the client's abort race, so useAppFetch settles aborts the same way the client does.
import { guard } from '../../client/internal/guard.js';
import { hostFaultError } from '../../client/internal/classify.js';
import { ConfluenceHostError } from '../errors.js';
import type { ForgeBridge } from '../host/ForgeBridge.js';
import { bounded, notSupported } from '../internal/host-calls.js';
import { useKit } from '../internal/kit-context.js';

/**
 * Returns a function that fetches a fresh context token (Connect `AP.context.getToken()`, or the
 * provider's `getContextToken`). Call it right before each backend request: tokens expire.
 * The function is stable while the provider's value is, so effects can depend on it.
 *
 * @example
 * const getToken = useContextToken();
 * await fetch('/api/me', { headers: { Authorization: `JWT ${await getToken()}` } });
 */
export function useContextToken(): () => Promise<string> {
  const kit = useKit();
  return useMemo(
    () => () => {
      const { getContextToken, ap, timeoutMs } = kit;
      if (getContextToken) return getContextToken();
      if (ap?.context) return bounded(ap.context.getToken(), timeoutMs);
      return notSupported('A context token');
    },
    [kit],
  );
}

type RemoteMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
const REMOTE_METHODS = new Set<string>(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']);
/** Forge's remote timeout for UI invocations is 25 s; the bridge itself never gives up, so this bounds the wait. */
const REMOTE_TIMEOUT_MS = 30_000;
const NULL_BODY_STATUS = new Set([101, 103, 204, 205, 304]);
const LOWEST_HTTP_STATUS = 200;
const HIGHEST_HTTP_STATUS = 599;
const UNAUTHORIZED = 401;
/**
 * `requestRemote` caches Forge Invocation Tokens, so one can expire on the way: the kit's server answers that 401 with
 * this code (any other 401 is a real refusal: every call carries a token Forge minted, so it is not retried).
 */
const FORGE_TOKEN_EXPIRED = 'FORGE_TOKEN_EXPIRED';

type AppFetch = (input: string | URL, init?: RequestInit) => Promise<Response>;

function unsupported(what: string): ConfluenceHostError {
  return new ConfluenceHostError('NOT_SUPPORTED', `${what}: not available through Forge invokeRemote.`);
}

/** Path + query of the URL: on Forge the origin is always the manifest remote's baseUrl. */
function remotePath(input: string | URL): string {
  const url = new URL(String(input), 'https://remote.invalid/');
  return url.pathname + url.search;
}

/** invokeRemote carries JSON, so only a JSON string body (or none) goes through unchanged. */
function remoteBody(body: BodyInit | null | undefined): unknown {
  if (body === null || body === undefined) return undefined;
  if (typeof body !== 'string') throw unsupported('A non-JSON request body');
  try {
    return JSON.parse(body);
  } catch {
    throw unsupported('A non-JSON request body');
  }
}

/** The app's headers without `authorization`: Forge sets that (the FIT) itself; the app's value would be confused with it. */
function remoteHeaders(init: RequestInit): Record<string, string> {
  const headers: Record<string, string> = {};
  new Headers(init.headers).forEach((value, name) => {
    if (name !== 'authorization') headers[name] = value;
  });
  return headers;
}

/**
 * Waits for a bridge call the way fetch would: the bridge takes no signal, so an abort cannot stop the call, but the
 * caller stops waiting (the client's guard: rejects with the abort reason at once, drops the late answer). The
 * bridge's own limiter (500 calls in 25 s) becomes the client's `rate-limited` error with `rateLimit.scope: 'bridge'`,
 * as for Confluence requests; anything else rejects as it came.
 */
async function bridgeCall<T>(call: () => Promise<T>, method: string, path: string, signal?: AbortSignal | null) {
  // As fetch: an already aborted signal rejects before anything is sent.
  if (signal?.aborted) throw signal.reason;
  try {
    return await guard(bounded(call(), REMOTE_TIMEOUT_MS), signal ?? undefined);
  } catch (fault) {
    if (signal?.aborted) throw fault;
    const classified = hostFaultError(fault, { method: method as RemoteMethod, path }, Date.now());
    throw classified.kind === 'rate-limited' ? classified : fault;
  }
}

/** Whether a 401 is the kit server's "your cached FIT expired" (worth one more try), not a refusal. */
async function isExpiredToken(response: Response): Promise<boolean> {
  if (response.status !== UNAUTHORIZED) return false;
  try {
    const body = (await response.clone().json()) as { error?: { code?: unknown } } | null;
    return body?.error?.code === FORGE_TOKEN_EXPIRED;
  } catch {
    return false;
  }
}

/** Sends once, and once more when the backend says the FIT had expired. */
function retryingExpiredToken(send: AppFetch): AppFetch {
  return async (input, init) => {
    const response = await send(input, init);
    if (await isExpiredToken(response)) return send(input, init);
    return response;
  };
}

/** Forge Remote from the frontend (`@forge/bridge` 7.2 `requestRemote`): fetch-shaped, any body fetch takes. */
function requestRemoteFetch(bridge: ForgeBridge & Required<Pick<ForgeBridge, 'requestRemote'>>, remoteKey: string) {
  return async (input: string | URL, init: RequestInit = {}): Promise<Response> => {
    const method = (init.method ?? 'GET').toUpperCase();
    const path = remotePath(input);
    const { signal, ...rest } = init;
    const request = { ...rest, method, path, headers: remoteHeaders(init) };
    return bridgeCall(() => bridge.requestRemote(remoteKey, request), method, path, signal);
  };
}

function invokeRemoteFetch(bridge: ForgeBridge & Required<Pick<ForgeBridge, 'invokeRemote'>>) {
  return async (input: string | URL, init: RequestInit = {}): Promise<Response> => {
    const method = (init.method ?? 'GET').toUpperCase();
    if (!REMOTE_METHODS.has(method)) throw unsupported(`The method ${method}`);
    const headers = remoteHeaders(init);
    const body = remoteBody(init.body);
    const path = remotePath(input);
    const result = await bridgeCall(
      () => bridge.invokeRemote({ path, method: method as RemoteMethod, headers, body }),
      method,
      path,
      init.signal,
    );
    const isHttpStatus =
      typeof result?.status === 'number' && result.status >= LOWEST_HTTP_STATUS && result.status <= HIGHEST_HTTP_STATUS;
    if (!isHttpStatus) {
      // What fetch does when no HTTP answer arrived.
      throw new TypeError('Failed to fetch: invokeRemote returned no HTTP status.');
    }
    const responseHeaders = new Headers();
    for (const [name, value] of Object.entries(result.headers ?? {})) {
      responseHeaders.set(name, Array.isArray(value) ? value.join(', ') : String(value));
    }
    let text: string | null = null;
    if (result.body !== undefined && !NULL_BODY_STATUS.has(result.status)) {
      text = typeof result.body === 'string' ? result.body : JSON.stringify(result.body);
      if (typeof result.body !== 'string' && !responseHeaders.has('content-type')) {
        responseHeaders.set('content-type', 'application/json');
      }
    }
    return new Response(text, { status: result.status, headers: responseHeaders });
  };
}

/**
 * `fetch` for the app's OWN backend, the same code on both hosts:
 * - Connect: plain fetch with `Authorization: JWT <context token>` (`AP.request` is only for Atlassian's APIs);
 *   on a 401 it gets a fresh token and retries once. Bodies must be re-readable (string, FormData, Blob…).
 * - Forge: with `<ConfluenceProvider forgeRemoteKey>` and a bridge that has it (`@forge/bridge` 7.2),
 *   `requestRemote(forgeRemoteKey, …)` (Forge Remote from the frontend: any body fetch takes); otherwise the module's
 *   remote endpoint through `invokeRemote` (bodies must be JSON strings). Forge adds the Forge Invocation Token;
 *   only the URL's path + query is used, and the answer comes back as a `Response`. A 401 whose body has
 *   `error.code: "FORGE_TOKEN_EXPIRED"` (the kit's server, for a cached token that expired) is sent once more; any
 *   other 401 is an answer. The bridge's own limit (500 calls in 25 s) rejects with a `rate-limited`
 *   `ConfluenceError` (`rateLimit.scope: 'bridge'`). `init.signal` works as with fetch (rejects with its reason);
 *   the bridge cannot cancel, so the backend may still receive a request aborted after it was sent.
 * Relative URLs (`/api/items`) are the portable form: a Connect iframe is served from the app's origin.
 *
 * @example
 * const appFetch = useAppFetch();
 * const response = await appFetch('/api/reviews', { method: 'POST', body: JSON.stringify({ pageId }) });
 */
export function useAppFetch(): AppFetch {
  const getToken = useContextToken();
  const { host, bridge, forgeRemoteKey } = useKit();
  return useMemo(() => {
    if (host === 'forge' && bridge?.requestRemote && forgeRemoteKey) {
      const requestRemote = bridge as ForgeBridge & Required<Pick<ForgeBridge, 'requestRemote'>>;
      return retryingExpiredToken(requestRemoteFetch(requestRemote, forgeRemoteKey));
    }
    if (host === 'forge' && bridge?.invokeRemote) {
      const invokeRemote = bridge as ForgeBridge & Required<Pick<ForgeBridge, 'invokeRemote'>>;
      return retryingExpiredToken(invokeRemoteFetch(invokeRemote));
    }
    const send = async (input: string | URL, init: RequestInit = {}) => {
      const headers = new Headers(init.headers);
      headers.set('Authorization', `JWT ${await getToken()}`);
      return fetch(input, { ...init, headers });
    };
    return async (input, init) => {
      const response = await send(input, init);
      if (response.status === UNAUTHORIZED) return send(input, init);
      return response;
    };
  }, [getToken, host, bridge, forgeRemoteKey]);
}
