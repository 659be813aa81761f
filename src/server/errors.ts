/**
 * Every refusal the server layer produces is a VerificationError with a stable `code`.
 * Messages are written for developers and never contain the token, its signing input or a secret.
 */
export type VerificationErrorCode =
  | 'TOKEN_MISSING'
  | 'TOKEN_MALFORMED'
  | 'TOKEN_TOO_LARGE'
  | 'TOKEN_AMBIGUOUS'
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
  | 'UNKNOWN_TENANT'
  | 'TENANT_INACTIVE'
  | 'NOT_AUTHORIZED'
  | 'AUDIENCE_MISMATCH'
  | 'ISSUER_MISMATCH'
  | 'KID_INVALID'
  | 'KEY_NOT_FOUND'
  | 'KEY_UNAVAILABLE'
  | 'PAYLOAD_INVALID'
  | 'EVENT_MISMATCH'
  | 'HOST_NOT_ALLOWED'
  | 'STORE_UNAVAILABLE';

/** HTTP status each code answers with: 401 = prove who you are, 403 = known but not allowed, 503 = retry later. */
export const STATUS_BY_CODE: Record<VerificationErrorCode, number> = {
  TOKEN_MISSING: 401,
  TOKEN_MALFORMED: 401,
  TOKEN_TOO_LARGE: 401,
  TOKEN_AMBIGUOUS: 401,
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
  UNKNOWN_TENANT: 401,
  TENANT_INACTIVE: 403,
  NOT_AUTHORIZED: 403,
  AUDIENCE_MISMATCH: 401,
  ISSUER_MISMATCH: 401,
  KID_INVALID: 401,
  KEY_NOT_FOUND: 401,
  KEY_UNAVAILABLE: 503,
  PAYLOAD_INVALID: 400,
  EVENT_MISMATCH: 400,
  HOST_NOT_ALLOWED: 403,
  STORE_UNAVAILABLE: 503,
};

export class VerificationError extends Error {
  override readonly name = 'VerificationError';
  readonly code: VerificationErrorCode;
  readonly status: number;

  constructor(code: VerificationErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.status = STATUS_BY_CODE[code];
  }
}

export function isVerificationError(value: unknown): value is VerificationError {
  return value instanceof VerificationError;
}
