import { SignJWT } from 'jose';
import { CONTEXT_QSH } from '../../server/jwt/context-qsh.js';
import { queryStringHash } from './qsh.js';

interface TenantClaims {
  /** The tenant's shared secret from the install payload (HS256 key). */
  sharedSecret: string;
  /** The tenant's clientKey: `iss` (and `aud`), as Confluence sets them. */
  clientKey: string;
  /** The acting user: `sub`. */
  accountId: string;
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

function sign(claims: Record<string, unknown>, o: TenantClaims): Promise<string> {
  const iat = Math.floor((o.now ?? Date.now)() / 1000);
  return new SignJWT({ ...claims, context: o.context ?? {} })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setIssuer(o.clientKey)
    .setAudience(o.clientKey)
    .setSubject(o.accountId)
    .setIssuedAt(iat)
    .setExpirationTime(iat + (o.expiresInSeconds ?? 900))
    .sign(secretKey(o.sharedSecret));
}

/** An iframe (or server-to-server) JWT: HS256, qsh computed over the exact method + URL. */
export async function mintIframeToken(options: IframeTokenOptions): Promise<string> {
  const qsh = await queryStringHash(options.method ?? 'GET', options.url, options.appBaseUrl);
  return sign({ qsh }, options);
}

/** A context JWT, as `AP.context.getToken()` returns: not bound to a URL, `qsh: "context-qsh"`. */
export function mintContextToken(options: TenantClaims): Promise<string> {
  return sign({ qsh: CONTEXT_QSH }, options);
}
