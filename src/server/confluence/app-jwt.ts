import { SignJWT } from 'jose';
import { createQueryStringHash } from '../jwt/qsh.js';

/** How long an app-signed request token lives: long enough for one request and its retries' clock skew. */
const APP_TOKEN_LIFETIME_SECONDS = 180;

/**
 * `Authorization: JWT <token>` for a Connect app's own call to its tenant: HS256 with the tenant's shared secret,
 * `iss` the app key, and the qsh of exactly this request (method, path without the site's `/wiki` context path,
 * sorted query), computed by the same canonicaliser that verifies incoming requests.
 *
 * @param path product-relative with its query, e.g. `/wiki/api/v2/pages/1?body-format=storage`
 */
export async function signAppRequest(options: {
  appKey: string;
  sharedSecret: string;
  /** the tenant's product baseUrl (`https://x.atlassian.net/wiki`): its path is not part of the qsh */
  baseUrl: string;
  method: string;
  path: string;
  now?: () => number;
}): Promise<string> {
  const iat = Math.floor((options.now ?? Date.now)() / 1000);
  return new SignJWT({ qsh: createQueryStringHash(options.method, options.path, options.baseUrl) })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setIssuer(options.appKey)
    .setIssuedAt(iat)
    .setExpirationTime(iat + APP_TOKEN_LIFETIME_SECONDS)
    .sign(new TextEncoder().encode(options.sharedSecret));
}
