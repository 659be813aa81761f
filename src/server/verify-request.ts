import { decodeJwt, decodeProtectedHeader, jwtVerify, type JWTPayload } from 'jose';
import { VerificationError } from './errors.js';
import { getHeader, type RequestLike } from './http/request.js';
import { DEVELOPMENT_HOSTS, type HostAllowlist } from './lifecycle/host-allowlist.js';
import { isStorableClientKey, type LifecyclePayload } from './lifecycle/payload.js';
import { verifyLifecycleRequest, type VerifyLifecycleOptions } from './lifecycle/verify-lifecycle.js';
import { checkTimeClaims, deepFreeze } from './jwt/claims.js';
import { extractToken, type TokenSource } from './jwt/extract-token.js';
import { fromJoseError } from './jwt/jose-errors.js';
import { resolveTokenPolicy, type TokenPolicy } from './jwt/options.js';
import { CONTEXT_QSH, createQueryStringHash } from './jwt/qsh.js';
import type { ResolvedTenant, TenantDirectory } from './tenants/tenant-directory.js';
import { isActive, type Tenant } from './tenants/types.js';

/**
 * Route modes, chosen per route and never skipped:
 * - `iframe`: module iframes and webhooks; the qsh must be the hash of THIS request.
 * - `context`: calls from the app's own frontend with `AP.context.getToken()`; the qsh must be `context-qsh`.
 */
export type SymmetricRouteMode = 'iframe' | 'context';

export interface VerifiedContext {
  kind: SymmetricRouteMode | 'lifecycle';
  clientKey: string;
  /** the tenant's product baseUrl, as stored at install */
  baseUrl: string;
  /** Atlassian account id of the user (`sub`), when the token names one */
  accountId: string | undefined;
  /** the token's `context` claim (product UI context), `{}` when absent */
  context: Record<string, unknown>;
  claims: JWTPayload;
  tokenSource: TokenSource;
  /** lifecycle mode only: the verified install payload (clientKey, sharedSecret, baseUrl, eventType, …) */
  lifecycle?: LifecyclePayload;
}

export interface VerifySymmetricOptions extends TokenPolicy {
  mode: SymmetricRouteMode;
  tenants: TenantDirectory;
  /** the app's descriptor baseUrl: its path is removed from request paths before hashing */
  appBaseUrl?: string;
}

/**
 * Lifecycle mode verifies a signed install and returns the verified payload WITHOUT storing anything:
 * `createConnectApp` does verify + ordered store write; use this when you own the lifecycle route yourself.
 */
export interface VerifyLifecycleModeOptions extends Omit<VerifyLifecycleOptions, 'allowedHosts'> {
  mode: 'lifecycle';
  /** default: development hosts (anything); pass PRODUCTION_HOSTS in production */
  allowedHosts?: HostAllowlist;
  /** the raw body; read from the Request (a clone) when omitted */
  body?: string;
}

export type VerifyRequestOptions = VerifySymmetricOptions | VerifyLifecycleModeOptions;

/** What lifecycle mode resolves with: the verified install payload is always there. */
export interface VerifiedLifecycleContext extends VerifiedContext {
  kind: 'lifecycle';
  lifecycle: LifecyclePayload;
}

function unverifiedIssuer(token: string): string {
  let payload: JWTPayload;
  try {
    const header = decodeProtectedHeader(token);
    if (header.alg !== 'HS256') {
      throw new VerificationError('ALG_NOT_ALLOWED', 'Only HS256 tokens are accepted on this route.');
    }
    payload = decodeJwt(token);
  } catch (error) {
    throw fromJoseError(error);
  }
  if (typeof payload.iss !== 'string' || payload.iss === '') {
    throw new VerificationError('CLAIM_MISSING', 'The token has no iss claim (the tenant clientKey).');
  }
  // The issuer is still unverified here and goes to the store next: garbage never reaches the database.
  if (!isStorableClientKey(payload.iss)) {
    throw new VerificationError('UNKNOWN_TENANT', 'No installed tenant matches the token issuer.');
  }
  return payload.iss;
}

async function verifyLifecycleMode(
  request: RequestLike,
  options: VerifyLifecycleModeOptions,
): Promise<VerifiedLifecycleContext> {
  let body = options.body;
  if (body === undefined) {
    body = typeof (request as Request).clone === 'function' ? await (request as Request).clone().text() : '';
  }
  const { payload, claims } = await verifyLifecycleRequest(request, body, {
    ...options,
    allowedHosts: options.allowedHosts ?? DEVELOPMENT_HOSTS,
  });
  const tokenSource = getHeader(request, 'authorization') ? 'header' : 'query';
  return { ...contextOf(payload, claims, 'lifecycle', tokenSource), kind: 'lifecycle', lifecycle: payload };
}

/** `tenant`: the stored tenant, or for lifecycle mode the verified install payload (same clientKey and baseUrl). */
function contextOf(
  tenant: Pick<Tenant, 'clientKey' | 'baseUrl'>,
  payload: JWTPayload,
  kind: VerifiedContext['kind'],
  source: TokenSource,
): VerifiedContext {
  const context = payload.context;
  return {
    kind,
    clientKey: tenant.clientKey,
    baseUrl: tenant.baseUrl,
    accountId: typeof payload.sub === 'string' ? payload.sub : undefined,
    context:
      context && typeof context === 'object' && !Array.isArray(context) ? (context as Record<string, unknown>) : {},
    claims: payload,
    tokenSource: source,
  };
}

/**
 * Verifies the Connect JWT of one request and says who sent it. Route modes:
 * - `iframe`: module iframes and webhooks. HS256 with the tenant's shared secret; the qsh must be the hash of THIS
 *   request (method, path, query).
 * - `context`: calls from the app's own frontend with `AP.context.getToken()`; the qsh must be `context-qsh`.
 * - `lifecycle`: a signed install (RS256 from Atlassian's key server); resolves with the verified install payload
 *   as `lifecycle` and stores nothing (`createConnectApp` does verify + ordered store write).
 *
 * Every token needs `exp` and `iat` (leeway and lifetime cap from `TokenPolicy`). Refusals throw a
 * `VerificationError` whose `status` is the HTTP answer; messages never contain the token.
 *
 * @example
 * const tenants = new TenantDirectory(await openTenantStore(process.env.DATABASE_URL!, secretBox));
 * export async function GET(request: Request): Promise<Response> {
 *   try {
 *     const verified = await verifyRequest(request, { mode: 'context', tenants });
 *     return Response.json({ clientKey: verified.clientKey, accountId: verified.accountId });
 *   } catch (error) {
 *     if (isVerificationError(error)) return Response.json({ code: error.code }, { status: error.status });
 *     throw error;
 *   }
 * }
 */
export function verifyRequest(request: RequestLike, options: VerifySymmetricOptions): Promise<VerifiedContext>;
export function verifyRequest(
  request: RequestLike,
  options: VerifyLifecycleModeOptions,
): Promise<VerifiedLifecycleContext>;
export function verifyRequest(request: RequestLike, options: VerifyRequestOptions): Promise<VerifiedContext>;
export function verifyRequest(request: RequestLike, options: VerifyRequestOptions): Promise<VerifiedContext> {
  if (options.mode === 'lifecycle') return verifyLifecycleMode(request, options);
  return verifySymmetric(request, options);
}

async function verifySymmetric(request: RequestLike, options: VerifySymmetricOptions): Promise<VerifiedContext> {
  const policy = resolveTokenPolicy(options);
  const { token, source } = extractToken(request, policy.maxTokenLength);

  let resolved: ResolvedTenant | undefined;
  let payload: JWTPayload;
  const remembered = await options.tenants.recallVerified(token);
  if (remembered) {
    ({ resolved, payload } = remembered);
  } else {
    const clientKey = unverifiedIssuer(token);
    resolved = await options.tenants.resolve(clientKey);
    if (!resolved) throw new VerificationError('UNKNOWN_TENANT', 'No installed tenant matches the token issuer.');
    const verify = (key: CryptoKey) =>
      jwtVerify(token, key, {
        algorithms: ['HS256'],
        clockTolerance: policy.leewaySeconds,
        currentDate: new Date(policy.now()),
      });
    try {
      ({ payload } = await verify(resolved.hmacKey));
    } catch (error) {
      const refusal = fromJoseError(error);
      const fresh =
        refusal.code === 'SIGNATURE_INVALID' ? await options.tenants.reloadAfterBadSignature(resolved) : undefined;
      if (!fresh) throw refusal;
      resolved = fresh;
      try {
        ({ payload } = await verify(resolved.hmacKey));
      } catch (second) {
        throw fromJoseError(second);
      }
    }
    // Remembered once the signature verifies: a later request with the same token skips only the signature
    // check, never the state, clock and qsh checks below. Frozen, because handlers receive it as `claims`.
    deepFreeze(payload);
    options.tenants.rememberVerified(token, resolved, payload);
  }
  if (!isActive(resolved.tenant)) {
    throw new VerificationError('TENANT_INACTIVE', `The app is ${resolved.tenant.state} for this tenant.`);
  }
  // jose checked exp/nbf when the signature was verified; a remembered token needs the clock checks again.
  if (remembered && typeof payload.nbf === 'number' && payload.nbf > policy.now() / 1000 + policy.leewaySeconds) {
    throw new VerificationError('TOKEN_NOT_YET_VALID', 'The token is not valid yet (nbf).');
  }
  checkTimeClaims(payload, policy);

  const qsh = payload.qsh;
  if (typeof qsh !== 'string' || qsh === '') {
    throw new VerificationError('QSH_MISSING', 'The token has no qsh claim.');
  }
  if (options.mode === 'context') {
    if (qsh !== CONTEXT_QSH) {
      throw new VerificationError(
        'CONTEXT_QSH_REQUIRED',
        'This route accepts only context tokens (qsh "context-qsh").',
      );
    }
  } else if (qsh === CONTEXT_QSH) {
    throw new VerificationError('CONTEXT_QSH_NOT_ALLOWED', 'A context token cannot open an iframe or webhook route.');
  } else if (qsh !== createQueryStringHash(request.method, request.url, options.appBaseUrl)) {
    throw new VerificationError('QSH_MISMATCH', 'The token was issued for a different request (qsh mismatch).');
  }
  return contextOf(resolved.tenant, payload, options.mode, source);
}
