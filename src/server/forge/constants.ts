/** Where Atlassian publishes the keys that sign Forge Invocation Tokens (Forge Remote essentials). */
export const DEFAULT_FORGE_JWKS_URL = 'https://forge.cdn.prod.atlassian-dev.net/.well-known/jwks.json';

/**
 * The key sets a FIT can be signed with, by Atlassian platform. `staging` is Atlassian's own staging platform
 * (apps registered against it), not an app's STAGING environment: those FITs are signed with the production keys.
 */
export const FORGE_JWKS_URLS = {
  production: DEFAULT_FORGE_JWKS_URL,
  staging: 'https://forge.cdn.stg.atlassian-dev.net/.well-known/jwks.json',
} as const;

/** Which of Atlassian's key sets verifies FITs; chosen by configuration, never by a claim of the token. */
export type ForgeKeyPlatform = keyof typeof FORGE_JWKS_URLS;

/** `icLabel` (Isolated Cloud label): lower-case letters, digits, `_` and `-`, 1 to 50 characters. */
export const IC_LABEL = /^[a-z0-9_-]{1,50}$/;

/** The `iss` of every FIT. */
export const FORGE_INVOCATION_ISSUER = 'forge/invocation-token';

const APP_ARI_PREFIX = 'ari:cloud:ecosystem::app/';

/**
 * The app's ARI, which a FIT carries as `aud` and `app.id`. Accepts the bare id or the ARI itself, because the
 * manifest's `app.id` is the full ARI and people paste it as it is.
 */
export function forgeAppAri(appId: string): string {
  if (typeof appId !== 'string' || appId.trim() === '')
    throw new TypeError('verifyForgeInvocation: appId is required.');
  const id = appId.startsWith(APP_ARI_PREFIX) ? appId.slice(APP_ARI_PREFIX.length) : appId;
  // The ARI is compared as an exact string, so an id that could smuggle a second ARI segment is a config error.
  if (!/^[A-Za-z0-9-]+$/.test(id)) throw new TypeError(`verifyForgeInvocation: "${appId}" is not a Forge app id.`);
  return APP_ARI_PREFIX + id;
}

/** The bare app id of an app ARI. */
export function appIdOf(ari: string): string {
  return ari.slice(APP_ARI_PREFIX.length);
}
