import { useMemo } from 'react';
// Internal, not public API: the client's abort race, so useAppFetch settles aborts the same way the client does.
import { guard } from '../../client/internal/guard.js';
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

function forgeFetch(bridge: ForgeBridge & Required<Pick<ForgeBridge, 'invokeRemote'>>) {
  return async (input: string | URL, init: RequestInit = {}): Promise<Response> => {
    const method = (init.method ?? 'GET').toUpperCase();
    if (!REMOTE_METHODS.has(method)) throw unsupported(`The method ${method}`);
    const headers: Record<string, string> = {};
    new Headers(init.headers).forEach((value, name) => {
      // Forge sets authorization (the FIT) itself; the app's value would only be dropped or, worse, confused with it.
      if (name !== 'authorization') headers[name] = value;
    });
    const body = remoteBody(init.body);
    // As fetch: the request is checked first, then an already aborted signal rejects before anything is sent.
    const { signal } = init;
    if (signal?.aborted) throw signal.reason;
    // invokeRemote takes no signal, so an abort cannot stop the call; like fetch, the caller still stops waiting (the
    // client's guard: rejects with the abort reason at once, drops the late answer, removes its listener on settle).
    const result = await guard(
      bounded(
        bridge.invokeRemote({ path: remotePath(input), method: method as RemoteMethod, headers, body }),
        REMOTE_TIMEOUT_MS,
      ),
      signal ?? undefined,
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
 * - Forge: the bridge's `invokeRemote` to the module's remote endpoint, which adds the Forge Invocation Token;
 *   only the URL's path + query is used, bodies must be JSON strings, and the answer comes back as a `Response`.
 *   `init.signal` works as with fetch (rejects with its reason); the bridge cannot cancel, so the backend may
 *   still receive a request aborted after it was sent.
 * Relative URLs (`/api/items`) are the portable form: a Connect iframe is served from the app's origin.
 *
 * @example
 * const appFetch = useAppFetch();
 * const response = await appFetch('/api/reviews', { method: 'POST', body: JSON.stringify({ pageId }) });
 */
export function useAppFetch(): (input: string | URL, init?: RequestInit) => Promise<Response> {
  const getToken = useContextToken();
  const { host, bridge } = useKit();
  return useMemo(() => {
    // No 401 retry on Forge: every invokeRemote carries a freshly minted FIT, so a 401 is not a stale token.
    if (host === 'forge' && bridge?.invokeRemote) {
      return forgeFetch(bridge as ForgeBridge & Required<Pick<ForgeBridge, 'invokeRemote'>>);
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
  }, [getToken, host, bridge]);
}
