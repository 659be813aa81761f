import { SignJWT, exportJWK, generateKeyPair, type JWK } from 'jose';

export interface ForgeKeyPair {
  kid: string;
  privateKey: CryptoKey;
  publicKey: CryptoKey;
  /** the public half as a JWK (`kty`, `n`, `e`, `kid`, `alg: RS256`, `use: sig`), as the Forge JWKS lists it */
  publicJwk: JWK;
}

/** An RS256 key pair standing in for Forge's FIT signing key. `kid` defaults to a random UUID. */
export async function createForgeKeyPair(kid: string = crypto.randomUUID()): Promise<ForgeKeyPair> {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  const { kty, n, e } = await exportJWK(publicKey);
  return { kid, privateKey, publicKey, publicJwk: { kty, n, e, kid, alg: 'RS256', use: 'sig' } };
}

const APP_ARI_PREFIX = 'ari:cloud:ecosystem::app/';

export interface ForgeInvocationClaims {
  /** bare id or `ari:cloud:ecosystem::app/<id>`; becomes `aud` and `app.id` */
  appId: string;
  /** `principal`; omit (or null) for an app-only invocation */
  accountId?: string | null;
  /** default `ari:cloud:ecosystem::installation/emulated-installation` */
  installationId?: string;
  /** `context.cloudId`, default `emulated-cloud-id` */
  cloudId?: string;
  /** default `https://api.atlassian.com/ex/confluence/<cloudId>` */
  apiBaseUrl?: string;
  /** default `{ type: 'DEVELOPMENT', id: 'ari:cloud:ecosystem::environment/<appId>/emulated' }` */
  environment?: { type: string; id?: string };
  /** default `{ key: 'confluence-macro', type: 'confluence:macro' }` */
  module?: { key: string; type: string };
  /** `app.version`, default `1` */
  version?: string;
  /** `app.license`: `{ isActive: false }` for a user the app's licence is inactive for. Absent by default (a free app). */
  license?: { isActive: boolean };
  /** more `context` members (moduleKey, extension…) */
  context?: Record<string, unknown>;
  /** lifetime in seconds, default 300 */
  expiresInSeconds?: number;
  /** clock, epoch ms */
  now?: () => number;
}

/**
 * A Forge Invocation Token as Forge sends it to a remote: RS256 with `kid`, `iss` forge/invocation-token,
 * `aud` the app ARI, `app` {id, installationId, apiBaseUrl, environment, module, version}, `context` {cloudId…},
 * `principal`, `jti`. For tests of a remote backend; for hostile tokens, build them with jose directly.
 *
 * @example
 * const keyPair = await createForgeKeyPair();
 * const jwks = createForgeJwksServer([keyPair]); // the stand-in for Forge's CDN JWKS
 * const token = await mintForgeInvocationToken({ appId: 'my-app-id', accountId: USERS.editor.accountId }, keyPair);
 * await fetch('http://localhost:3000/remote/pages', { headers: { authorization: `Bearer ${token}` } });
 */
export function mintForgeInvocationToken(
  claims: ForgeInvocationClaims,
  keyPair: Pick<ForgeKeyPair, 'kid' | 'privateKey'>,
): Promise<string> {
  const appAri = claims.appId.startsWith(APP_ARI_PREFIX) ? claims.appId : APP_ARI_PREFIX + claims.appId;
  const cloudId = claims.cloudId ?? 'emulated-cloud-id';
  const iat = Math.floor((claims.now ?? Date.now)() / 1000);
  const payload: Record<string, unknown> = {
    app: {
      id: appAri,
      version: claims.version ?? '1',
      installationId: claims.installationId ?? 'ari:cloud:ecosystem::installation/emulated-installation',
      apiBaseUrl: claims.apiBaseUrl ?? `https://api.atlassian.com/ex/confluence/${cloudId}`,
      environment: claims.environment ?? {
        type: 'DEVELOPMENT',
        id: `ari:cloud:ecosystem::environment/${appAri.slice(APP_ARI_PREFIX.length)}/emulated`,
      },
      module: claims.module ?? { key: 'confluence-macro', type: 'confluence:macro' },
      ...(claims.license ? { license: claims.license } : {}),
    },
    context: { cloudId, ...claims.context },
  };
  if (claims.accountId) payload.principal = claims.accountId;
  return new SignJWT(payload)
    .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: keyPair.kid })
    .setIssuer('forge/invocation-token')
    .setAudience(appAri)
    .setIssuedAt(iat)
    .setNotBefore(iat)
    .setExpirationTime(iat + (claims.expiresInSeconds ?? 300))
    .setJti(crypto.randomUUID())
    .sign(keyPair.privateKey);
}
