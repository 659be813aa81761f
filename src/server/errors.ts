import { ConfluenceKitError } from '../client/errors/kit-error.js';

/**
 * Every refusal the server layer produces is a VerificationError with a stable `code`.
 * Messages are written for developers and never contain the token, its signing input or a secret.
 */
export type VerificationErrorCode =
  | 'TOKEN_MISSING'
  | 'TOKEN_MALFORMED'
  | 'TOKEN_TOO_LARGE'
  | 'TOKEN_AMBIGUOUS'
  | 'TOKEN_IN_QUERY'
  | 'ALG_NOT_ALLOWED'
  | 'SIGNATURE_INVALID'
  | 'CLAIM_MISSING'
  | 'TOKEN_EXPIRED'
  | 'TOKEN_NOT_YET_VALID'
  | 'LIFETIME_TOO_LONG'
  | 'QSH_MISSING'
  | 'QSH_MISMATCH'
  | 'CONTEXT_QSH_REQUIRED'
  | 'CONTEXT_QSH_NOT_ALLOWED'
  | 'REQUEST_MALFORMED'
  | 'TENANT_INACTIVE'
  | 'NOT_AUTHORIZED'
  | 'AUDIENCE_MISMATCH'
  | 'ISSUER_MISMATCH'
  | 'KID_INVALID'
  | 'KEY_NOT_FOUND'
  | 'KEY_UNAVAILABLE'
  | 'LIFECYCLE_TOKEN_REPLAYED'
  | 'PAYLOAD_INVALID'
  | 'PAYLOAD_TOO_LARGE'
  | 'PAYLOAD_TIMEOUT'
  | 'APP_KEY_MISMATCH'
  | 'EVENT_MISMATCH'
  | 'HOST_NOT_ALLOWED'
  | 'STORE_UNAVAILABLE'
  | 'FORGE_TOKEN_EXPIRED'
  | 'FORGE_SITE_NOT_INSTALLED'
  | 'FORGE_INSTALLATION_MISMATCH'
  | 'FORGE_ENVIRONMENT_NOT_ALLOWED';

/** HTTP status each code answers with: 401 = prove who you are, 403 = known but not allowed, 503 = retry later. */
export const STATUS_BY_CODE: Record<VerificationErrorCode, number> = {
  TOKEN_MISSING: 401,
  TOKEN_MALFORMED: 401,
  TOKEN_TOO_LARGE: 401,
  TOKEN_AMBIGUOUS: 401,
  TOKEN_IN_QUERY: 401,
  ALG_NOT_ALLOWED: 401,
  SIGNATURE_INVALID: 401,
  CLAIM_MISSING: 401,
  TOKEN_EXPIRED: 401,
  TOKEN_NOT_YET_VALID: 401,
  LIFETIME_TOO_LONG: 401,
  QSH_MISSING: 401,
  QSH_MISMATCH: 401,
  CONTEXT_QSH_REQUIRED: 401,
  CONTEXT_QSH_NOT_ALLOWED: 401,
  REQUEST_MALFORMED: 401,
  TENANT_INACTIVE: 403,
  NOT_AUTHORIZED: 403,
  AUDIENCE_MISMATCH: 401,
  ISSUER_MISMATCH: 401,
  KID_INVALID: 401,
  KEY_NOT_FOUND: 401,
  KEY_UNAVAILABLE: 503,
  LIFECYCLE_TOKEN_REPLAYED: 401,
  PAYLOAD_INVALID: 400,
  PAYLOAD_TOO_LARGE: 413,
  PAYLOAD_TIMEOUT: 408,
  APP_KEY_MISMATCH: 400,
  EVENT_MISMATCH: 400,
  HOST_NOT_ALLOWED: 403,
  STORE_UNAVAILABLE: 503,
  // Its own code, not TOKEN_EXPIRED: requestRemote caches FITs, so a frontend may retry once with a fresh one.
  FORGE_TOKEN_EXPIRED: 401,
  // A genuine FIT, but for a site where the Connect app is not installed (or no longer active).
  FORGE_SITE_NOT_INSTALLED: 403,
  // A genuine FIT whose installation is linked to the tenant of another site than the FIT names: served as neither.
  FORGE_INSTALLATION_MISMATCH: 403,
  // A genuine FIT from an environment of the app (DEVELOPMENT, STAGING, …) this backend does not serve.
  FORGE_ENVIRONMENT_NOT_ALLOWED: 403,
};

/**
 * A refused request: a stable `code` to branch on and the HTTP `status` it answers with.
 *
 * @example
 * try {
 *   const verified = await verifyRequest(request, { mode: 'context', tenants });
 * } catch (error) {
 *   if (isVerificationError(error)) return new Response(error.code, { status: error.status });
 *   throw error;
 * }
 */
export class VerificationError extends ConfluenceKitError<VerificationErrorCode> {
  readonly status: number;

  constructor(code: VerificationErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
    this.name = 'VerificationError';
    this.status = STATUS_BY_CODE[code];
  }
}

/** Whether `value` is a refusal from the server layer. */
export function isVerificationError(value: unknown): value is VerificationError {
  return value instanceof VerificationError;
}
