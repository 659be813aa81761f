import { decodeProtectedHeader, jwtVerify, type JWTPayload } from 'jose';
import { VerificationError, isVerificationError } from '../errors.js';
import { getHeader, type RequestLike } from '../http/request.js';
import { checkTimeClaims, joseClockOptions } from '../jwt/claims.js';
import { fromJoseError } from '../jwt/jose-errors.js';
import { resolveTokenPolicy } from '../jwt/options.js';
import { extractBearerToken } from './bearer-token.js';
import { FORGE_JWKS_URLS, forgeAppAri, type ForgeKeyPlatform } from './constants.js';
import { checkForgeClaims, type ForgeInvocation } from './invocation.js';
import { createForgeKeySet, type ForgeKeySet } from './key-set.js';

export interface VerifyForgeInvocationOptions {
  /** the Forge app id, bare (`8f0e…`) or as the manifest's ARI (`ari:cloud:ecosystem::app/8f0e…`) */
  appId: string;
  /**
   * Which of Atlassian's key sets signs the FITs: `production` (default) or `staging` (Atlassian's staging
   * platform). Configuration only: no claim of a token (`app.apiBaseUrl`, `icLabel`, `app.environment`) ever
   * switches the key set, because a claim is read before its signature is known to be good.
   */
  keyPlatform?: ForgeKeyPlatform;
  /** an explicit JWKS URL instead of `keyPlatform` (a local emulator or a test key server); not both */
  jwksUrl?: string;
  /** used for the JWKS fetch */
  fetch?: typeof fetch;
  /** a key set to use instead of one made from jwksUrl/fetch (shares its cache with whoever else holds it) */
  keySet?: ForgeKeySet;
  /**
   * The app environments (`app.environment.type` of the FIT: `PRODUCTION`, `STAGING`, `DEVELOPMENT`, …) this backend
   * serves, or `'any'`. Every environment of an app shares its app id and Atlassian's signing keys, and whoever can
   * deploy to one (every developer of the app) gets genuine FITs from it; another environment's FIT is 403
   * `FORGE_ENVIRONMENT_NOT_ALLOWED`. Default: `['PRODUCTION']` with Atlassian's keys (`keyPlatform`, or a `keySet`
   * on one of Atlassian's URLs or on none it names); `'any'` with keys of your own (`jwksUrl`, or a `keySet` on
   * another URL: an emulator or a test key server signs only what you mint). `createConnectApp({ development: true })`
   * defaults to `'any'` too.
   */
  environments?: readonly string[] | 'any';
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

/** The JWKS URL, from configuration alone: checked here, at startup. */
function configuredJwksUrl(options: VerifyForgeInvocationOptions): string {
  if (options.jwksUrl !== undefined && options.keyPlatform !== undefined) {
    throw new TypeError('verifyForgeInvocation: pass either jwksUrl or keyPlatform, not both.');
  }
  if (options.jwksUrl !== undefined) return options.jwksUrl;
  const platform = options.keyPlatform ?? 'production';
  if (!Object.hasOwn(FORGE_JWKS_URLS, platform)) {
    throw new TypeError(`verifyForgeInvocation: keyPlatform must be "production" or "staging", not "${platform}".`);
  }
  return FORGE_JWKS_URLS[platform];
}

const ATLASSIAN_JWKS_URLS: readonly string[] = Object.values(FORGE_JWKS_URLS);

/** The environments served, from configuration alone: checked here, at startup (see the option). */
function servedEnvironments(options: VerifyForgeInvocationOptions): readonly string[] | 'any' {
  const configured = options.environments;
  if (configured === undefined) {
    const ownKeys =
      options.jwksUrl !== undefined ||
      (options.keySet?.url !== undefined && !ATLASSIAN_JWKS_URLS.includes(options.keySet.url));
    return ownKeys ? 'any' : ['PRODUCTION'];
  }
  if (configured === 'any') return 'any';
  if (
    !Array.isArray(configured) ||
    configured.length === 0 ||
    !configured.every((type) => typeof type === 'string' && type !== '')
  ) {
    throw new TypeError("verifyForgeInvocation: environments must be 'any' or a non-empty list of environment types.");
  }
  return [...configured];
}

/**
 * An expired FIT answers FORGE_TOKEN_EXPIRED rather than the Connect TOKEN_EXPIRED: `requestRemote` caches FITs,
 * so a frontend that sees this code may ask Forge for a fresh token and retry once. Only reached for a token whose
 * signature verified (jose checks the signature before the clock).
 */
function forgeExpiry(error: VerificationError): VerificationError {
  if (error.code !== 'TOKEN_EXPIRED') return error;
  return new VerificationError(
    'FORGE_TOKEN_EXPIRED',
    'The Forge Invocation Token has expired; retry once with a fresh one.',
    { cause: error },
  );
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
  const keySet = options.keySet ?? sharedKeySet(configuredJwksUrl(options), options.fetch ?? globalThis.fetch);
  const environments = servedEnvironments(options);

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
      ({ payload } = await jwtVerify(token, key, { algorithms: ['RS256'], ...joseClockOptions(policy) }));
    } catch (error) {
      throw forgeExpiry(fromJoseError(error, 'the Forge key'));
    }
    keySet.keyVerified?.(header.kid as string);
    try {
      checkTimeClaims(payload, policy);
    } catch (error) {
      throw isVerificationError(error) ? forgeExpiry(error) : error;
    }
    const invocation = checkForgeClaims(payload, appAri);
    if (environments !== 'any' && !environments.includes(invocation.environment.type)) {
      throw new VerificationError(
        'FORGE_ENVIRONMENT_NOT_ALLOWED',
        'The Forge Invocation Token comes from an environment of the app this backend does not serve.',
      );
    }
    return {
      ...invocation,
      appSystemToken: optionalHeader(request, 'x-forge-oauth-system'),
      appUserToken: optionalHeader(request, 'x-forge-oauth-user'),
    };
  };
}

/**
 * Verifies a Forge Invocation Token: `Authorization: Bearer` only, RS256 only with a kid from the configured Forge
 * JWKS (`keyPlatform` or `jwksUrl`, never a claim), `iss` forge/invocation-token, `aud` exactly the app's ARI,
 * exp + iat required within the clock tolerance, `icLabel` well-formed when present, and the app environment one
 * this backend serves (`environments`: PRODUCTION only by default with Atlassian's keys; 403 otherwise).
 * Throws VerificationError: 401 (an expired but genuine FIT is `FORGE_TOKEN_EXPIRED`, so the frontend may retry
 * once with a fresh one), or 503 KEY_UNAVAILABLE when the key server cannot be reached.
 *
 * @example
 * export async function POST(request: Request): Promise<Response> {
 *   try {
 *     const invocation = await verifyForgeInvocation(request, { appId: process.env.FORGE_APP_ID! });
 *     return Response.json({ site: invocation.cloudId, user: invocation.accountId ?? null });
 *   } catch (error) {
 *     if (isVerificationError(error)) return Response.json({ error: { code: error.code } }, { status: error.status });
 *     throw error;
 *   }
 * }
 */
export async function verifyForgeInvocation(
  request: RequestLike,
  options: VerifyForgeInvocationOptions,
): Promise<ForgeInvocation> {
  return createForgeInvocationVerifier(options)(request);
}
