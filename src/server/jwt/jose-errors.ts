import { errors } from 'jose';
import { VerificationError } from '../errors.js';
import { expiredError, notYetValidError } from './claims.js';

/**
 * Maps jose's error classes onto our stable codes; never forwards jose's message verbatim (it may quote input).
 * `signingKey` names the key a bad signature was checked against.
 */
export function fromJoseError(error: unknown, signingKey = 'the tenant key'): VerificationError {
  if (error instanceof VerificationError) return error;
  if (error instanceof errors.JWTExpired) return expiredError();
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.reason === 'missing')
      return new VerificationError('CLAIM_MISSING', `The token has no ${error.claim} claim.`);
    if (error.claim === 'nbf' || error.claim === 'iat') return notYetValidError(error.claim);
    return new VerificationError('TOKEN_MALFORMED', `The token's ${error.claim} claim is invalid.`);
  }
  if (error instanceof errors.JWSSignatureVerificationFailed) {
    return new VerificationError('SIGNATURE_INVALID', `The token signature does not verify with ${signingKey}.`);
  }
  if (error instanceof errors.JOSEAlgNotAllowed) {
    return new VerificationError('ALG_NOT_ALLOWED', 'The token algorithm is not allowed on this route.');
  }
  return new VerificationError('TOKEN_MALFORMED', 'The token could not be decoded.', { cause: error });
}
