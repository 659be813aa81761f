import { useMemo } from '../deps';
import { bounded, notSupported, useKit } from '../context';

/**
 * Returns a function that fetches a fresh context token (Connect `AP.context.getToken()`, or the
 * provider's `getContextToken`). Call it right before each backend request: tokens expire.
 * The function is stable while the provider's value is, so effects can depend on it.
 */
export function useContextToken(): () => Promise<string> {
  const kit = useKit();
  return useMemo(
    () => () => {
      const { getContextToken, ap, timeoutMs } = kit;
      return getContextToken ? getContextToken() : ap?.context ? bounded(ap.context.getToken(), timeoutMs) : notSupported('A context token');
    },
    [kit],
  );
}

/**
 * `fetch` for the app's OWN backend with `Authorization: JWT <context token>`. Uses plain fetch:
 * `AP.request` is only for Atlassian's APIs. On a 401 it gets a fresh token and retries once.
 * Bodies must be re-readable (string, FormData, Blob…) for the retry.
 */
export function useAppFetch(): (input: string | URL, init?: RequestInit) => Promise<Response> {
  const getToken = useContextToken();
  return useMemo(() => {
    const send = async (input: string | URL, init: RequestInit = {}) => {
      const headers = new Headers(init.headers);
      headers.set('Authorization', `JWT ${await getToken()}`);
      return fetch(input, { ...init, headers });
    };
    return async (input, init) => {
      const res = await send(input, init);
      return res.status == 401 ? send(input, init) : res;
    };
  }, [getToken]);
}
