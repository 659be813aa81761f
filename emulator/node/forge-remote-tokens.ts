import type { BackendTokens } from './backend-authority';

/**
 * The product tokens Forge hands a remote with each invocation when the manifest's remote asks for them:
 *
 * ```yaml
 * remotes:
 *   - key: my-backend
 *     baseUrl: https://backend.example.com
 *     auth:
 *       appUserToken: { enabled: true }    # → x-forge-oauth-user: acts as the invoking user
 *       appSystemToken: { enabled: true }  # → x-forge-oauth-system: acts as the app
 * ```
 *
 * The remote calls `app.apiBaseUrl` (the emulator's REST API under `/ex/confluence/<cloudId>`) with
 * `Authorization: Bearer <token>`; the emulated site accepts exactly the tokens issued here (site-rest.ts).
 */
export interface RemoteTokenRequest {
  appUserToken: boolean;
  appSystemToken: boolean;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** `auth.appUserToken.enabled` / `auth.appSystemToken.enabled` of a manifest remote (`true` alone counts too). */
export function remoteTokenRequestOf(remote: Record<string, unknown>): RemoteTokenRequest {
  const auth = isRecord(remote.auth) ? remote.auth : {};
  const enabled = (value: unknown) => value === true || (isRecord(value) && value.enabled === true);
  return { appUserToken: enabled(auth.appUserToken), appSystemToken: enabled(auth.appSystemToken) };
}

/**
 * The headers of one invocation: a fresh system token when asked for, and a user token when asked for and the
 * invocation has a user (an anonymous viewer or an app-only invocation gets none, as on Forge).
 */
export function forgeRemoteTokenHeaders(
  request: RemoteTokenRequest | undefined,
  principal: string | null,
  tokens: BackendTokens,
): Record<string, string> {
  const headers: Record<string, string> = {};
  if (request?.appSystemToken) headers['x-forge-oauth-system'] = tokens.issue({ kind: 'app', via: 'forge' }).token;
  if (request?.appUserToken && principal) {
    headers['x-forge-oauth-user'] = tokens.issue({ kind: 'user', via: 'forge', accountId: principal }).token;
  }
  return headers;
}
