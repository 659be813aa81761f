import { ConfluenceKitError } from '../../client/index.js';

/**
 * Why the backend cannot call Confluence with the authority it asked for. Thrown by `asApp()` / `asUser()` before
 * any request (a configuration or token the app is missing), never for an answer of Confluence: Confluence's
 * refusals stay `ConfluenceError`s with their kind and reason.
 */
export type BackendCallErrorCode =
  /** the app's descriptor scopes (`confluence.scopes`) do not include ACT_AS_USER: Connect refuses the grant */
  | 'ACT_AS_USER_SCOPE_MISSING'
  /** the tenant's install payload carried no `oauthClientId`, so no user token can be asked for */
  | 'OAUTH_CLIENT_ID_MISSING'
  /** `asUser()` without an accountId on a caller that has none (anonymous, app-only) */
  | 'NO_USER'
  /** the tenant is unknown, uninstalled or disabled */
  | 'TENANT_NOT_INSTALLED'
  /** the Forge remote did not receive the token it needs: the manifest's remote must ask for it (`auth.…`) */
  | 'FORGE_TOKEN_MISSING'
  /** Forge Remote acts only as the invoking user: `asUser(otherAccountId)` is not possible there */
  | 'FORGE_OTHER_USER';

export class BackendCallError extends ConfluenceKitError<BackendCallErrorCode> {
  constructor(code: BackendCallErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
    this.name = 'BackendCallError';
  }
}

/** Whether `value` is a `BackendCallError` (the backend's own refusal to make a call, before Confluence is asked). */
export function isBackendCallError(value: unknown): value is BackendCallError {
  return value instanceof BackendCallError;
}
