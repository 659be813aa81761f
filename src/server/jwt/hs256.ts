import { createHmac, timingSafeEqual, type KeyObject } from 'node:crypto';
import type { JWTPayload } from 'jose';
import { VerificationError } from '../errors.js';

/**
 * HS256 on node:crypto. jose verifies HMAC through WebCrypto, which is asynchronous and costs more than the rest of
 * a request when every request brings a new token; `createHmac` is synchronous and several times faster. The checks
 * are jose's (header, signature, then the registered time claims in claims.ts), in the same order and with the same
 * codes, and `timingSafeEqual` keeps the comparison constant-time. RS256 and JWKS stay with jose.
 */
export interface DecodedToken {
  header: Record<string, unknown>;
  payload: JWTPayload;
  /** `<header>.<payload>`, the bytes the signature covers */
  signingInput: string;
  signature: string;
}

const SHA256_BYTES = 32;

function parseSegment(segment: string, what: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
  } catch {
    throw new VerificationError('TOKEN_MALFORMED', `The token ${what} is not base64url JSON.`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new VerificationError('TOKEN_MALFORMED', `The token ${what} is not a JSON object.`);
  }
  return value as Record<string, unknown>;
}

/** Decodes a compact JWS (already matched against COMPACT_JWS) without trusting anything in it. */
export function decodeCompactToken(token: string): DecodedToken {
  const firstDot = token.indexOf('.');
  const secondDot = token.indexOf('.', firstDot + 1);
  const headerSegment = token.slice(0, firstDot);
  const payloadSegment = token.slice(firstDot + 1, secondDot);
  const header = parseSegment(headerSegment, 'header');
  // jose refuses any `crit` it does not implement; nothing here implements one.
  if (header.crit !== undefined) {
    throw new VerificationError('TOKEN_MALFORMED', 'The token header has an unsupported crit parameter.');
  }
  return {
    header,
    payload: parseSegment(payloadSegment, 'payload') as JWTPayload,
    signingInput: token.slice(0, secondDot),
    signature: token.slice(secondDot + 1),
  };
}

/** Throws SIGNATURE_INVALID unless the HS256 signature of `decoded` verifies with `key`. */
export function assertHs256Signature(decoded: DecodedToken, key: KeyObject): void {
  const expected = createHmac('sha256', key).update(decoded.signingInput, 'utf8').digest();
  const given = Buffer.from(decoded.signature, 'base64url');
  // base64url decoding is lenient: only the canonical encoding of the exact MAC is accepted.
  if (
    given.length !== SHA256_BYTES ||
    !timingSafeEqual(given, expected) ||
    given.toString('base64url') !== decoded.signature
  ) {
    throw new VerificationError('SIGNATURE_INVALID', 'The token signature does not verify with the tenant key.');
  }
}
