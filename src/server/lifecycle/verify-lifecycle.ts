import { createHash } from 'node:crypto';
import { decodeProtectedHeader, jwtVerify, type JWTPayload } from 'jose';
import { VerificationError } from '../errors.js';
import type { RequestLike } from '../http/request.js';
import { checkTimeClaims, joseClockOptions } from '../jwt/claims.js';
import { extractToken } from '../jwt/extract-token.js';
import { fromJoseError } from '../jwt/jose-errors.js';
import { resolveTokenPolicy, type TokenPolicy } from '../jwt/options.js';
import { createQueryStringHash } from '../jwt/qsh.js';
import type { LifecycleEventType, LifecycleTokenRecord } from '../tenants/types.js';
import { isHostAllowed, type HostAllowlist } from './host-allowlist.js';
import type { InstallKeyProvider } from './install-keys.js';
import { assertKeyId } from './kid.js';
import { parseLifecyclePayload, type LifecyclePayload } from './payload.js';

export interface VerifyLifecycleOptions extends TokenPolicy {
  /** the event this route handles; the body's eventType must match */
  event: LifecycleEventType;
  /** the app's descriptor `key`: the install payload's `key` must be this one */
  appKey: string;
  /** the app's baseUrl: install tokens must carry it as `aud` (trailing slash ignored) */
  appBaseUrl: string;
  installKeys: InstallKeyProvider;
  allowedHosts: HostAllowlist;
  /** development accepts http product baseUrls and any port; otherwise https on the default port only */
  development?: boolean;
}

export interface VerifiedLifecycleToken {
  token: string;
  claims: JWTPayload;
}

export interface VerifiedLifecycle {
  payload: LifecyclePayload;
  claims: JWTPayload;
}

const withoutTrailingSlash = (value: string) => value.replace(/\/+$/, '');

const sha256Hex = (value: string) => createHash('sha256').update(value, 'utf8').digest('hex');

/**
 * Step 1, before any body is read: the token is a signed install (RS256 from Atlassian's key server, the ONLY
 * accepted proof for every lifecycle event), for this app (`aud`) and this request (`qsh`). Unsigned or HS256
 * requests never reach the store, so the 2016 install hijack (overwriting a secret) and the 2021 context-token
 * replay onto lifecycle routes are both impossible.
 */
export async function verifyLifecycleToken(
  request: RequestLike,
  options: Pick<VerifyLifecycleOptions, 'appBaseUrl' | 'installKeys'> & TokenPolicy,
): Promise<VerifiedLifecycleToken> {
  const policy = resolveTokenPolicy(options);
  // Atlassian sends lifecycle tokens in the Authorization header; a URL would put them into access logs.
  const { token } = extractToken(request, policy.maxTokenLength, { allowQuery: false });
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
    ({ payload: claims } = await jwtVerify(token, key, { algorithms: ['RS256'], ...joseClockOptions(policy) }));
  } catch (error) {
    throw fromJoseError(error);
  }
  // The signature verified: this kid is Atlassian's, and its key keeps refreshing whatever strangers send.
  options.installKeys.keyVerified?.(kid);
  checkTimeClaims(claims, policy);

  const expectedAud = withoutTrailingSlash(options.appBaseUrl);
  let audiences: unknown[] = [];
  if (typeof claims.aud === 'string') audiences = [claims.aud];
  else if (Array.isArray(claims.aud)) audiences = claims.aud;
  if (!audiences.some((aud) => typeof aud === 'string' && withoutTrailingSlash(aud) === expectedAud)) {
    throw new VerificationError('AUDIENCE_MISMATCH', "The install token's aud is not this app's baseUrl.");
  }
  if (typeof claims.qsh !== 'string' || claims.qsh === '') {
    throw new VerificationError('QSH_MISSING', 'The install token has no qsh claim.');
  }
  if (claims.qsh !== createQueryStringHash(request.method, request.url, options.appBaseUrl)) {
    throw new VerificationError('QSH_MISMATCH', 'The install token was issued for a different request (qsh mismatch).');
  }
  return { token, claims };
}

/**
 * Step 2, once the token is proven to come from Atlassian: the body. Unauthenticated junk got a 401 in step 1; a
 * 400 (bad payload, wrong event, another app's key) is reserved for a signed request that is malformed.
 */
export function checkLifecyclePayload(
  claims: JWTPayload,
  body: string,
  options: Pick<VerifyLifecycleOptions, 'event' | 'appKey' | 'allowedHosts' | 'development'>,
): LifecyclePayload {
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
  if (payload.key !== options.appKey) {
    throw new VerificationError('APP_KEY_MISMATCH', "The install payload's key is not this app's key.");
  }
  const productUrl = new URL(payload.baseUrl);
  // Production hosts are https on the default port; an http or odd-port baseUrl would end up in frame-ancestors.
  if (!options.development && (productUrl.protocol !== 'https:' || productUrl.port !== '')) {
    throw new VerificationError('HOST_NOT_ALLOWED', 'The product baseUrl must be https on the default port.');
  }
  if (!isHostAllowed(productUrl.hostname, options.allowedHosts)) {
    throw new VerificationError('HOST_NOT_ALLOWED', 'The product baseUrl host is not allowed for this app.');
  }
  return payload;
}

/**
 * What the store keeps of an applied lifecycle token, so the same token cannot apply twice. Kept until the token
 * can no longer verify: `exp` PLUS the clock leeway the verification grants. Kept only until `exp`, a token replayed
 * inside the leeway would find no record and apply again, with whatever body the replayer sends.
 *
 * @param leewaySeconds the leeway `verifyLifecycleToken` accepted the token with (TokenPolicy, default 30)
 */
export function lifecycleTokenRecord(
  token: string,
  body: string,
  claims: JWTPayload,
  leewaySeconds: number,
): LifecycleTokenRecord {
  return { tokenHash: sha256Hex(token), bodyHash: sha256Hex(body), expiresAt: (claims.exp as number) + leewaySeconds };
}

/** Both steps, for a caller that already holds the body. */
export async function verifyLifecycleRequest(
  request: RequestLike,
  body: string,
  options: VerifyLifecycleOptions,
): Promise<VerifiedLifecycle> {
  const { claims } = await verifyLifecycleToken(request, options);
  return { payload: checkLifecyclePayload(claims, body, options), claims };
}
