import { decodeProtectedHeader, jwtVerify, type JWTPayload } from 'jose';
import { VerificationError } from '../errors.js';
import { getHeader, type RequestLike } from '../http/request.js';
import { checkTimeClaims } from '../jwt/claims.js';
import { fromJoseError } from '../jwt/jose-errors.js';
import { resolveTokenPolicy } from '../jwt/options.js';
import { extractBearerToken } from './bearer-token.js';
import { DEFAULT_FORGE_JWKS_URL, forgeAppAri } from './constants.js';
import { checkForgeClaims, type ForgeInvocation } from './invocation.js';
import { createForgeKeySet, type ForgeKeySet } from './key-set.js';

export interface VerifyForgeInvocationOptions {
  /** the Forge app id, bare (`8f0e…`) or as the manifest's ARI (`ari:cloud:ecosystem::app/8f0e…`) */
  appId: string;
  /** default: Atlassian's Forge JWKS */
  jwksUrl?: string;
  /** used for the JWKS fetch */
  fetch?: typeof fetch;
  /** a key set to use instead of one made from jwksUrl/fetch (shares its cache with whoever else holds it) */
  keySet?: ForgeKeySet;
  /** allowed clock skew for exp / iat / nbf, seconds (default 30, at most 300) */
  clockToleranceSec?: number;
  /** longest accepted exp - iat, seconds (default 3600) */
  maxLifetimeSec?: number;
  /** longest accepted token, characters (default 16384: a FIT carries the module context and can be large) */
  maxTokenLength?: number;
  /** clock, ms since epoch (tests) */
  now?: () => number;
}

export type ForgeInvocationVerifier = (request: RequestLike) => Promise<ForgeInvocation>;

const MAX_CLOCK_TOLERANCE_SEC = 300;

/** Key sets by fetch function and URL, so calling verifyForgeInvocation per request still fetches the JWKS once. */
const sharedKeySets = new WeakMap<typeof fetch, Map<string, ForgeKeySet>>();

function sharedKeySet(url: string, doFetch: typeof fetch): ForgeKeySet {
  let byUrl = sharedKeySets.get(doFetch);
  if (!byUrl) sharedKeySets.set(doFetch, (byUrl = new Map()));
  let keySet = byUrl.get(url);
  if (!keySet) byUrl.set(url, (keySet = createForgeKeySet({ url, fetch: doFetch })));
  return keySet;
}

function optionalHeader(request: RequestLike, name: string): string | undefined {
  const value = getHeader(request, name);
  return value === undefined || value === '' ? undefined : value;
}

/**
 * Builds a verifier for Forge Remote calls (`invokeRemote` from a Forge frontend or function). Configuration
 * errors throw here, at startup, instead of turning every request into a 500.
 */
export function createForgeInvocationVerifier(options: VerifyForgeInvocationOptions): ForgeInvocationVerifier {
  const appAri = forgeAppAri(options.appId);
  const tolerance = options.clockToleranceSec ?? 30;
  if (!Number.isFinite(tolerance) || tolerance < 0 || tolerance > MAX_CLOCK_TOLERANCE_SEC) {
    throw new RangeError(`verifyForgeInvocation: clockToleranceSec must be between 0 and ${MAX_CLOCK_TOLERANCE_SEC}.`);
  }
  const policy = resolveTokenPolicy({
    leewaySeconds: tolerance,
    maxLifetimeSeconds: options.maxLifetimeSec ?? 3600,
    maxTokenLength: options.maxTokenLength ?? 16_384,
    now: options.now,
  });
  const keySet =
    options.keySet ?? sharedKeySet(options.jwksUrl ?? DEFAULT_FORGE_JWKS_URL, options.fetch ?? globalThis.fetch);

  return async (request) => {
    const token = extractBearerToken(request, policy.maxTokenLength);
    let header: ReturnType<typeof decodeProtectedHeader>;
    try {
      header = decodeProtectedHeader(token);
    } catch (error) {
      throw fromJoseError(error);
    }
    // Before any key lookup: `none` and HS256-with-the-public-key never cost a JWKS fetch.
    if (header.alg !== 'RS256')
      throw new VerificationError('ALG_NOT_ALLOWED', 'Only RS256 Forge Invocation Tokens are accepted.');
    const key = await keySet.getKey(header.kid);

    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, key, {
        algorithms: ['RS256'],
        clockTolerance: policy.leewaySeconds,
        currentDate: new Date(policy.now()),
      }));
    } catch (error) {
      throw fromJoseError(error, 'the Forge key');
    }
    checkTimeClaims(payload, policy);
    return {
      ...checkForgeClaims(payload, appAri),
      appSystemToken: optionalHeader(request, 'x-forge-oauth-system'),
      appUserToken: optionalHeader(request, 'x-forge-oauth-user'),
    };
  };
}

/**
 * Verifies a Forge Invocation Token: `Authorization: Bearer` only, RS256 only with a kid from the Forge JWKS,
 * `iss` forge/invocation-token, `aud` exactly the app's ARI, exp + iat required within the clock tolerance.
 * Throws VerificationError (401, or 503 KEY_UNAVAILABLE when the key server cannot be reached).
 */
export async function verifyForgeInvocation(
  request: RequestLike,
  options: VerifyForgeInvocationOptions,
): Promise<ForgeInvocation> {
  return createForgeInvocationVerifier(options)(request);
}
