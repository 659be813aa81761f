import { decodeProtectedHeader, jwtVerify, type JWTPayload } from 'jose';
import { VerificationError } from '../errors.js';
import type { RequestLike } from '../http/request.js';
import { checkTimeClaims } from '../jwt/claims.js';
import { extractToken } from '../jwt/extract-token.js';
import { fromJoseError } from '../jwt/jose-errors.js';
import { resolveTokenPolicy, type TokenPolicy } from '../jwt/options.js';
import { createQueryStringHash } from '../jwt/qsh.js';
import type { LifecycleEventType } from '../tenants/types.js';
import { isHostAllowed, type HostAllowlist } from './host-allowlist.js';
import type { InstallKeyProvider } from './install-keys.js';
import { assertKeyId } from './kid.js';
import { parseLifecyclePayload, type LifecyclePayload } from './payload.js';

export interface VerifyLifecycleOptions extends TokenPolicy {
  /** the event this route handles; the body's eventType must match */
  event: LifecycleEventType;
  /** the app's baseUrl: install tokens must carry it as `aud` (trailing slash ignored) */
  appBaseUrl: string;
  installKeys: InstallKeyProvider;
  allowedHosts: HostAllowlist;
}

export interface VerifiedLifecycle {
  payload: LifecyclePayload;
  claims: JWTPayload;
}

const withoutTrailingSlash = (value: string) => value.replace(/\/+$/, '');

/**
 * Signed install (RS256 from Atlassian's key server) is the ONLY accepted proof for every lifecycle event: an
 * unsigned or HS256 request never reaches the store, so the 2016 install hijack (overwriting a secret) and the
 * 2021 context-token replay onto lifecycle routes are both impossible.
 */
export async function verifyLifecycleRequest(
  request: RequestLike,
  body: string,
  options: VerifyLifecycleOptions,
): Promise<VerifiedLifecycle> {
  const policy = resolveTokenPolicy(options);
  const { token } = extractToken(request, policy.maxTokenLength);
  let header;
  try {
    header = decodeProtectedHeader(token);
  } catch (error) {
    throw fromJoseError(error);
  }
  if (header.alg !== 'RS256') {
    throw new VerificationError('ALG_NOT_ALLOWED', 'Lifecycle events must be signed installs (RS256).');
  }
  const kid = assertKeyId(header.kid);

  const key = await options.installKeys.getKey(kid);
  let claims: JWTPayload;
  try {
    ({ payload: claims } = await jwtVerify(token, key, {
      algorithms: ['RS256'],
      clockTolerance: policy.leewaySeconds,
      currentDate: new Date(policy.now()),
    }));
  } catch (error) {
    throw fromJoseError(error);
  }
  checkTimeClaims(claims, policy);

  const expectedAud = withoutTrailingSlash(options.appBaseUrl);
  const audiences = typeof claims.aud === 'string' ? [claims.aud] : Array.isArray(claims.aud) ? claims.aud : [];
  if (!audiences.some((aud) => typeof aud === 'string' && withoutTrailingSlash(aud) === expectedAud)) {
    throw new VerificationError('AUDIENCE_MISMATCH', "The install token's aud is not this app's baseUrl.");
  }
  // The body is looked at only once the token is proven to come from Atlassian: unauthenticated junk gets a 401, and
  // a 400 (bad payload, wrong event) is reserved for a signed request that is malformed.
  const payload = parseLifecyclePayload(body);
  if (payload.eventType !== options.event) {
    throw new VerificationError(
      'EVENT_MISMATCH',
      `This route handles ${options.event} events, not ${payload.eventType}.`,
    );
  }
  if (claims.iss !== payload.clientKey) {
    throw new VerificationError('ISSUER_MISMATCH', "The install token's iss does not match the body's clientKey.");
  }
  if (typeof claims.qsh !== 'string' || claims.qsh === '') {
    throw new VerificationError('QSH_MISSING', 'The install token has no qsh claim.');
  }
  if (claims.qsh !== createQueryStringHash(request.method, request.url, options.appBaseUrl)) {
    throw new VerificationError('QSH_MISMATCH', 'The install token was issued for a different request (qsh mismatch).');
  }
  if (!isHostAllowed(new URL(payload.baseUrl).hostname, options.allowedHosts)) {
    throw new VerificationError('HOST_NOT_ALLOWED', 'The product baseUrl host is not allowed for this app.');
  }
  return { payload, claims };
}
