import type { JWTPayload, JWTVerifyOptions } from 'jose';
import { VerificationError } from '../errors.js';
import type { ResolvedTokenPolicy } from './options.js';

// Every check of a time claim (exp, iat, nbf, the leeway and the lifetime cap) lives in this file, for both the
// HS256 path (node:crypto, hs256.ts) and the RS256 path (jose's jwtVerify, configured by joseClockOptions). The
// errors are the same words whichever of the two found the problem; jose-errors.ts maps jose's onto them.

/** TOKEN_EXPIRED: exp is behind the clock by more than the leeway. */
export function expiredError(): VerificationError {
  return new VerificationError('TOKEN_EXPIRED', 'The token has expired; reload the page to get a new one.');
}

/** TOKEN_NOT_YET_VALID as jose words it: nbf ahead of the clock, or an iat that is not a number. */
export function notYetValidError(claim: 'iat' | 'nbf'): VerificationError {
  return new VerificationError('TOKEN_NOT_YET_VALID', `The token is not valid yet (${claim}).`);
}

/** The clock jose's jwtVerify checks exp and nbf against: the policy's clock and leeway. */
export function joseClockOptions(
  policy: ResolvedTokenPolicy,
): Pick<JWTVerifyOptions, 'clockTolerance' | 'currentDate'> {
  return { clockTolerance: policy.leewaySeconds, currentDate: new Date(policy.now()) };
}

/**
 * The registered time claims as jose checks them on verification (the HS256 path does not go through jose): types,
 * then exp and nbf against the clock.
 */
export function assertRegisteredTimeClaims(payload: JWTPayload, policy: ResolvedTokenPolicy): void {
  const nowSeconds = Math.floor(policy.now() / 1000);
  if (payload.iat !== undefined && typeof payload.iat !== 'number') throw notYetValidError('iat');
  if (payload.nbf !== undefined) {
    if (typeof payload.nbf !== 'number' || payload.nbf > nowSeconds + policy.leewaySeconds) {
      throw notYetValidError('nbf');
    }
  }
  if (payload.exp !== undefined) {
    if (typeof payload.exp !== 'number') {
      throw new VerificationError('TOKEN_MALFORMED', "The token's exp claim is invalid.");
    }
    if (payload.exp <= nowSeconds - policy.leewaySeconds) throw expiredError();
  }
}

/**
 * After the registered checks (jose's or assertRegisteredTimeClaims): exp and iat are required (a token without them
 * would live forever), iat may not be in the future beyond the leeway, and exp - iat may not exceed the lifetime cap.
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
  if (nowSeconds >= exp + policy.leewaySeconds) throw expiredError();
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
