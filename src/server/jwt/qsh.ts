import { createHash } from 'node:crypto';
import { createCanonicalRequest } from './canonical-request.js';

export { CONTEXT_QSH } from './context-qsh.js';

/**
 * The Connect query string hash: lower-case hex SHA-256 of the canonical request.
 *
 * @param method HTTP method (any case)
 * @param url request target as received (`/path?query`) or an absolute URL
 * @param appBase the app's descriptor baseUrl (or its path); its path is stripped from the request path
 * @throws VerificationError REQUEST_MALFORMED when the query has malformed percent-encoding or non-UTF-8 bytes
 */
export function createQueryStringHash(method: string, url: string, appBase?: string): string {
  return createHash('sha256')
    .update(createCanonicalRequest(method, url, appBase), 'utf8')
    .digest('hex');
}
