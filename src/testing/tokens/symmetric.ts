import { SignJWT } from 'jose';
import { CONTEXT_QSH } from '../../server/jwt/context-qsh.js';
import { queryStringHash } from './qsh.js';

interface TenantClaims {
  /** The tenant's shared secret from the install payload (HS256 key). */
  sharedSecret: string;
  /** The tenant's clientKey: `iss` (and `aud`), as Confluence sets them. */
  clientKey: string;
  /** The acting user: `sub`. Omit it (or pass `null`) for an anonymous viewer: the token then has no `sub`. */
  accountId?: string | null;
  /** The `context` claim (product UI context). Default `{}`. */
  context?: Record<string, unknown>;
  /** Lifetime in seconds. Default 900 (Atlassian-issued tokens live 15 min). */
  expiresInSeconds?: number;
  /** Clock, epoch ms. */
  now?: () => number;
}

export interface IframeTokenOptions extends TenantClaims {
  /** The request the token authenticates: the module URL Confluence loads, or a URL the app calls with it. */
  url: string;
  method?: string;
  /** The app's descriptor baseUrl: its path is stripped before hashing (spec: "discard the baseUrl"). */
  appBaseUrl?: string;
}

/**
 * Copy into this realm's Uint8Array: under jsdom, TextEncoder returns a Uint8Array from another
 * realm, which jose's `instanceof` check refuses.
 */
const secretKey = (secret: string) => Uint8Array.from(new TextEncoder().encode(secret));

function sign(claims: Record<string, unknown>, options: TenantClaims): Promise<string> {
  const issuedAt = Math.floor((options.now ?? Date.now)() / 1000);
  const token = new SignJWT({ ...claims, context: options.context ?? {} })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setIssuer(options.clientKey)
    .setAudience(options.clientKey)
    .setIssuedAt(issuedAt)
    .setExpirationTime(issuedAt + (options.expiresInSeconds ?? 900));
  // An anonymous viewer has no accountId, and Confluence's tokens for one carry no `sub`.
  if (options.accountId) token.setSubject(options.accountId);
  return token.sign(secretKey(options.sharedSecret));
}

/**
 * An iframe (or server-to-server) JWT: HS256, qsh computed over the exact method + URL, as Confluence signs the
 * URL of a Connect module it loads.
 *
 * @example
 * const url = 'https://app.example.com/macro?pageId=65601';
 * const token = await mintIframeToken({ ...EMULATED_TENANT, accountId: USERS.viewer.accountId, url });
 * await fetch(`${url}&jwt=${token}`);
 */
export async function mintIframeToken(options: IframeTokenOptions): Promise<string> {
  const qsh = await queryStringHash(options.method ?? 'GET', options.url, options.appBaseUrl);
  return sign({ qsh }, options);
}

/**
 * A context JWT, as `AP.context.getToken()` returns: not bound to a URL, `qsh: "context-qsh"`.
 *
 * @example
 * const token = await mintContextToken({ ...EMULATED_TENANT, accountId: USERS.editor.accountId });
 * await fetch('https://app.example.com/api/pages', { headers: { authorization: `JWT ${token}` } });
 */
export function mintContextToken(options: TenantClaims): Promise<string> {
  return sign({ qsh: CONTEXT_QSH }, options);
}
