import type { ConnectScope, HttpMethod } from './types';

// Connect scopes are cumulative (each implies those before it); ACT_AS_USER and friends grant no REST level.
const levels = ['READ', 'WRITE', 'DELETE', 'SPACE_ADMIN', 'ADMIN'];

/** The least Connect scope a request needs: by method, raised for admin and space-admin paths. */
export function requiredScope(method: HttpMethod, path: string): ConnectScope {
  const p = path.split('?')[0]!;
  let n = method == 'DELETE' ? 2 : method == 'GET' || method == 'HEAD' ? 0 : 1;
  if (/\/(admin|audit)(\/|$)/.test(p)) n = 4;
  else if (n && /\/spaces?\/[^/]+\/(permissions?|settings|theme|look-and-feel)(\/|$)/.test(p)) n = 3;
  return levels[n] as ConnectScope;
}

/** The needed scope when the descriptor scopes do not cover the request, else undefined. */
export function missingScope(scopes: readonly string[], method: HttpMethod, path: string): ConnectScope | undefined {
  const need = requiredScope(method, path);
  const have = Math.max(-1, ...scopes.map((s) => levels.indexOf(s.toUpperCase())));
  return levels.indexOf(need) > have ? need : undefined;
}
