/** Where Atlassian publishes the keys that sign Forge Invocation Tokens (Forge Remote essentials). */
export const DEFAULT_FORGE_JWKS_URL = 'https://forge.cdn.prod.atlassian-dev.net/.well-known/jwks.json';

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
