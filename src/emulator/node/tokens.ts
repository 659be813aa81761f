import { SignJWT } from 'jose';
import { createQueryStringHash } from '../../server/index';
import type { InstallKeys } from './install-keys';

/** What Confluence knows about the installed app: the tenant side of the install handshake. */
export interface EmulatedTenant {
  clientKey: string;
  sharedSecret: string;
  /** The emulated product base URL, e.g. http://localhost:5173/wiki. */
  baseUrl: string;
}

const TOKEN_LIFETIME_S = 15 * 60;

function now(): number {
  return Math.floor(Date.now() / 1000);
}

/** The JWT Confluence appends to a module URL: HS256 with the tenant's shared secret, qsh over that exact URL. */
export async function signIframeToken(
  tenant: EmulatedTenant,
  opts: { url: URL; appBaseUrl: string; accountId: string; context?: Record<string, unknown> },
): Promise<string> {
  const iat = now();
  return new SignJWT({
    qsh: createQueryStringHash('GET', opts.url.toString(), opts.appBaseUrl),
    context: opts.context ?? {},
  })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setIssuer(tenant.clientKey)
    .setSubject(opts.accountId)
    .setAudience(tenant.clientKey)
    .setIssuedAt(iat)
    .setExpirationTime(iat + TOKEN_LIFETIME_S)
    .sign(new TextEncoder().encode(tenant.sharedSecret));
}

/** `AP.context.getToken()`: not bound to a URL, so it carries the fixed `context-qsh`. */
export async function signContextToken(
  tenant: EmulatedTenant,
  opts: { accountId: string; context?: Record<string, unknown> },
): Promise<string> {
  const iat = now();
  return new SignJWT({ qsh: 'context-qsh', context: opts.context ?? {} })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setIssuer(tenant.clientKey)
    .setSubject(opts.accountId)
    .setAudience(tenant.clientKey)
    .setIssuedAt(iat)
    .setExpirationTime(iat + TOKEN_LIFETIME_S)
    .sign(new TextEncoder().encode(tenant.sharedSecret));
}

/** The signed-install JWT: RS256 with the emulator's install key, `aud` = the app's baseUrl. */
export async function signInstallToken(
  keys: InstallKeys,
  opts: { clientKey: string; accountId: string; url: URL; appBaseUrl: string },
): Promise<string> {
  const iat = now();
  return new SignJWT({ qsh: createQueryStringHash('POST', opts.url.toString(), opts.appBaseUrl), context: {} })
    .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: keys.kid })
    .setIssuer(opts.clientKey)
    .setSubject(opts.accountId)
    .setAudience(opts.appBaseUrl)
    .setIssuedAt(iat)
    .setExpirationTime(iat + 3 * 60)
    .sign(keys.privateKey);
}
