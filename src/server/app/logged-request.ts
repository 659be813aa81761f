import { getHeader, type RequestLike } from '../http/request.js';

/**
 * A request as the app's hooks (`onRefusal`, `onLifecycle`, `onError`) see it: safe to write to a log. The `jwt`
 * query parameter's value is replaced (a module URL carries the iframe token there), and the headers that carry
 * credentials are left out, so the obvious log line never writes a token.
 */
export interface LoggedRequest {
  method: string;
  /** the request URL with every `jwt` query value replaced by `REDACTED` */
  url: string;
  /** the request headers, lower-cased, without Authorization, Cookie and the Forge OAuth token headers */
  headers: Record<string, string>;
}

/** Headers that carry a credential: a Connect JWT or FIT, a session, the Forge Remote product tokens. */
const CREDENTIAL_HEADERS = new Set([
  'authorization',
  'proxy-authorization',
  'cookie',
  'x-forge-oauth-system',
  'x-forge-oauth-user',
]);

/** `jwt=<anything>` in a query, however its name is percent-encoded or cased. */
const JWT_PARAMETER = /([?&])((?:j|%6a|%4a)(?:w|%77|%57)(?:t|%74|%54))=[^&#]*/gi;

/** The URL with the value of every `jwt` query parameter replaced. */
export function redactUrl(url: string): string {
  return url.replace(JWT_PARAMETER, '$1$2=REDACTED');
}

function headerNames(request: RequestLike): string[] {
  const { headers } = request;
  if (typeof (headers as Headers).forEach === 'function' && typeof (headers as Headers).get === 'function') {
    const names: string[] = [];
    (headers as Headers).forEach((_value, name) => names.push(name));
    return names;
  }
  return Object.keys(headers);
}

/** What a hook gets of a request: see LoggedRequest. */
export function loggedRequest(request: RequestLike): LoggedRequest {
  const headers: Record<string, string> = {};
  for (const name of headerNames(request)) {
    const lower = name.toLowerCase();
    if (CREDENTIAL_HEADERS.has(lower)) continue;
    const value = getHeader(request, name);
    if (value !== undefined) headers[lower] = value;
  }
  return { method: request.method, url: redactUrl(request.url), headers };
}
