import { useCallback } from '../deps';
import { bounded, notSupported, useKit } from '../context';

/**
 * Returns a function that fetches a fresh context token (Connect `AP.context.getToken()`, or the
 * provider's `getContextToken`). Call it right before each backend request: tokens expire.
 */
export function useContextToken(): () => Promise<string> {
  const { getContextToken, ap, timeoutMs } = useKit();
  return useCallback(
    () => (getContextToken ? getContextToken() : ap?.context ? bounded(ap.context.getToken(), timeoutMs) : notSupported('A context token')),
    [getContextToken, ap, timeoutMs],
  );
}

/**
 * `fetch` for the app's OWN backend with `Authorization: JWT <context token>`. Uses plain fetch:
 * `AP.request` is only for Atlassian's APIs. On a 401 it gets a fresh token and retries once.
 * Bodies must be re-readable (string, FormData, Blob…) for the retry.
 */
export function useAppFetch(): (input: string | URL, init?: RequestInit) => Promise<Response> {
  const getToken = useContextToken();
  return useCallback(
    async (input, init = {}) => {
      const send = async () => {
        const headers = new Headers(init.headers);
        headers.set('Authorization', `JWT ${await getToken()}`);
        return fetch(input, { ...init, headers });
      };
      const res = await send();
      return res.status === 401 ? send() : res;
    },
    [getToken],
  );
}
