import type { ConfluenceClientOptions, ConnectScope, HttpMethod } from '../types.js';
import { requestError, type RequestLine } from './classify.js';

// Connect scopes are cumulative (each implies those before it); ACT_AS_USER and friends grant no REST level.
const SCOPE_LEVELS: ConnectScope[] = ['READ', 'WRITE', 'DELETE', 'SPACE_ADMIN', 'ADMIN'];

const ADMIN_PATH = /\/(admin|audit)(\/|$)/;
const SPACE_ADMIN_PATH = /\/spaces?\/[^/]+\/(permissions?|settings|theme|look-and-feel)(\/|$)/;

/** The least Connect scope a request needs: by method, raised for admin and space-admin paths. */
export function requiredScope(method: HttpMethod, path: string): ConnectScope {
  const pathOnly = path.split('?')[0] ?? '';
  if (ADMIN_PATH.test(pathOnly)) return 'ADMIN';
  if (method === 'GET' || method === 'HEAD') return 'READ';
  if (SPACE_ADMIN_PATH.test(pathOnly)) return 'SPACE_ADMIN';
  return method === 'DELETE' ? 'DELETE' : 'WRITE';
}

/** The needed scope when the descriptor scopes do not cover the request, else undefined. */
export function missingScope(scopes: readonly string[], method: HttpMethod, path: string): ConnectScope | undefined {
  const needed = requiredScope(method, path);
  const grantedLevels = scopes.map((scope) => SCOPE_LEVELS.indexOf(scope.toUpperCase() as ConnectScope));
  const highestGranted = Math.max(-1, ...grantedLevels);
  return SCOPE_LEVELS.indexOf(needed) > highestGranted ? needed : undefined;
}

/**
 * The descriptor scope check for a client (undefined when `scopes` is not given or the check is 'off'): 'warn' logs
 * each message once, 'error' throws forbidden / app-scope / CONFLUENCE_SCOPE_MISSING before anything is sent.
 * The client only builds it outside production, so production bundles drop this module.
 */
export function scopeChecker({
  scopes,
  scopeCheck = 'warn',
}: ConfluenceClientOptions): ((request: RequestLine) => void) | undefined {
  if (!scopes || scopeCheck === 'off') return undefined;
  const warned = new Set<string>();

  return (request) => {
    const needed = missingScope(scopes, request.method, request.path);
    if (!needed) return;
    const error = requestError('forbidden', request, `needs scope ${needed}, missing from the app descriptor`, {
      reason: 'app-scope',
      code: 'CONFLUENCE_SCOPE_MISSING',
    });
    if (scopeCheck === 'error') throw error;
    if (warned.has(error.message)) return;
    warned.add(error.message);
    console.warn(error.message);
  };
}
