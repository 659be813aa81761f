import type { JWTPayload } from 'jose';
import { VerificationError } from '../errors.js';
import type { ResolvedTokenPolicy } from './options.js';

/**
 * exp and iat are required (a token without them would live forever), iat may not be in the future beyond the
 * leeway, and exp - iat may not exceed the lifetime cap. jose has already checked exp/nbf against the clock.
 */
export function checkTimeClaims(payload: JWTPayload, policy: ResolvedTokenPolicy): void {
  const { exp, iat } = payload;
  if (typeof exp !== 'number' || !Number.isFinite(exp)) {
    throw new VerificationError('CLAIM_MISSING', 'The token has no numeric exp claim.');
  }
  if (typeof iat !== 'number' || !Number.isFinite(iat)) {
    throw new VerificationError('CLAIM_MISSING', 'The token has no numeric iat claim.');
  }
  const nowSeconds = Math.floor(policy.now() / 1000);
  if (iat > nowSeconds + policy.leewaySeconds) {
    throw new VerificationError('TOKEN_NOT_YET_VALID', 'The token was issued in the future (iat); check the clocks.');
  }
  if (nowSeconds >= exp + policy.leewaySeconds) {
    throw new VerificationError('TOKEN_EXPIRED', 'The token has expired; reload the page to get a new one.');
  }
  if (exp - iat > policy.maxLifetimeSeconds) {
    throw new VerificationError(
      'LIFETIME_TOO_LONG',
      `The token lives longer than ${policy.maxLifetimeSeconds} s (exp - iat).`,
    );
  }
}

/** Verified claims reach handlers as `claims`, and one payload object may be shared between requests. */
export function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
