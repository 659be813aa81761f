import { fault } from './errors/classify.js';
import type { ConfluenceClientOptions, ConnectScope, HttpMethod } from './types.js';

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

/**
 * The descriptor scope check for a client (undefined when `scopes` is not given or the check is 'off'): 'warn' logs
 * each message once, 'error' throws forbidden / app-scope / CONFLUENCE_SCOPE_MISSING before anything is sent.
 * The client only builds it outside production, so production bundles drop this module.
 */
export function scopeChecker({ scopes, scopeCheck = 'warn' }: ConfluenceClientOptions) {
  const warned = new Set<string>();
  return scopes && scopeCheck != 'off'
    ? (r: { method: HttpMethod; path: string }) => {
        const need = missingScope(scopes, r.method, r.path);
        if (!need) return;
        const e = fault('forbidden', r, `needs scope ${need}, missing from the app descriptor`, {
          reason: 'app-scope',
          code: 'CONFLUENCE_SCOPE_MISSING',
        });
        if (scopeCheck == 'error') throw e;
        if (!warned.has(e.message)) (warned.add(e.message), console.warn(e.message));
      }
    : undefined;
}
