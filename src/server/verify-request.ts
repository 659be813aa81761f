import type { JWTPayload } from 'jose';
import { VerificationError } from './errors.js';
import { DEFAULT_BODY_TIMEOUT_MS, DEFAULT_MAX_BODY_BYTES, assertDeclaredLength, readBodyStream } from './http/body.js';
import { getHeader, type RequestLike } from './http/request.js';
import {
  DEVELOPMENT_HOSTS,
  PRODUCTION_HOSTS,
  assertHostAllowlist,
  type HostAllowlist,
} from './lifecycle/host-allowlist.js';
import { lifecycleChangeOf } from './lifecycle/lifecycle-change.js';
import type { LifecyclePayload } from './lifecycle/payload.js';
import { isStorableClientKey } from './tenants/client-key.js';
import {
  checkLifecyclePayload,
  verifyLifecycleToken,
  type VerifyLifecycleOptions,
} from './lifecycle/verify-lifecycle.js';
import { assertRegisteredTimeClaims, checkTimeClaims, deepFreeze } from './jwt/claims.js';
import { extractToken, type TokenSource } from './jwt/extract-token.js';
import { assertHs256Signature, decodeCompactToken, type DecodedToken } from './jwt/hs256.js';
import { resolveTokenPolicy, type TokenPolicy } from './jwt/options.js';
import { CONTEXT_QSH, createQueryStringHash } from './jwt/qsh.js';
import type { ResolvedTenant, TenantDirectory } from './tenants/tenant-directory.js';
import { isActive, type LifecycleChange, type Tenant } from './tenants/types.js';
import { UnreadableTenantRecordError } from './tenants/unreadable-record.js';

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
  /** the site's cloudId, when the tenant's install payload carried one (how Forge Invocation Tokens find the tenant) */
  cloudId?: string;
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
  /**
   * iframe mode only: read the token from `?jwt=` as well as from the Authorization header (default true: Atlassian
   * puts the iframe token into the module URL). Context mode never reads the query: a context token is a bearer
   * token for every context route and belongs in the Authorization header, out of URLs and logs.
   */
  allowQueryToken?: boolean;
}

/**
 * Lifecycle mode verifies a signed install and returns the verified payload WITHOUT storing anything:
 * `createConnectApp` does verify + ordered store write; use this when you own the lifecycle route yourself, and
 * hand the result's `change` to `tenants.applyLifecycleEvent`, which applies it in token order and at most once.
 */
export interface VerifyLifecycleModeOptions extends Omit<VerifyLifecycleOptions, 'allowedHosts'> {
  mode: 'lifecycle';
  /** default: PRODUCTION_HOSTS (`*.atlassian.net`), or DEVELOPMENT_HOSTS (anything) with `development: true` */
  allowedHosts?: HostAllowlist;
  /** the raw body; read from the Request (a clone, once the token verified) when omitted */
  body?: string;
  /** largest body read from the Request, bytes (default 64 KiB); more → 413 PAYLOAD_TOO_LARGE */
  maxBodyBytes?: number;
  /** how long the body may take to arrive, ms (default 10 000); later → 408 PAYLOAD_TIMEOUT */
  bodyTimeoutMs?: number;
}

export type VerifyRequestOptions = VerifySymmetricOptions | VerifyLifecycleModeOptions;

/** What lifecycle mode resolves with: the verified install payload is always there. */
export interface VerifiedLifecycleContext extends VerifiedContext {
  kind: 'lifecycle';
  lifecycle: LifecyclePayload;
  /**
   * The store write this request asks for, with the record of its token: `tenants.applyLifecycleEvent(change)`
   * applies it in the order of the token's `iat` and at most once. The lifecycle JWT does not sign the body, so this
   * record is the replay protection: the same token again with the same body changes nothing (`replayed: true`),
   * with another body it throws 401 `LIFECYCLE_TOKEN_REPLAYED`. Verifying alone records nothing.
   */
  change: LifecycleChange;
}

/**
 * One refusal for "no such tenant" and "bad signature": telling them apart would let anyone probe which clientKeys
 * have the app installed. Which of the two it was is kept as the error's `cause`, for logs only.
 */
function notSignedByTenant(detail: string): VerificationError {
  return new VerificationError('SIGNATURE_INVALID', 'The token signature does not verify for its issuer.', {
    cause: detail,
  });
}

/**
 * A tenant look-up whose record cannot be read (it does not decrypt, or it was rolled back) is answered as an
 * issuer without a record: a 503 for that clientKey alone would tell anyone which clientKeys have records, and its
 * message describes the key configuration. The detail stays on the error as its `cause`, for the server's log.
 */
async function asReadable<Result>(lookup: Promise<Result>): Promise<Result> {
  try {
    return await lookup;
  } catch (error) {
    if (error instanceof UnreadableTenantRecordError) {
      throw new VerificationError('SIGNATURE_INVALID', 'The token signature does not verify for its issuer.', {
        cause: error,
      });
    }
    throw error;
  }
}

function unverifiedIssuer(decoded: DecodedToken): string {
  if (decoded.header.alg !== 'HS256') {
    throw new VerificationError('ALG_NOT_ALLOWED', 'Only HS256 tokens are accepted on this route.');
  }
  const issuer = decoded.payload.iss;
  if (typeof issuer !== 'string' || issuer === '') {
    throw new VerificationError('CLAIM_MISSING', 'The token has no iss claim (the tenant clientKey).');
  }
  // The issuer is still unverified here and goes to the store next: garbage never reaches the database.
  if (!isStorableClientKey(issuer)) throw notSignedByTenant('the issuer is not a storable clientKey');
  return issuer;
}

async function verifyLifecycleMode(
  request: RequestLike,
  options: VerifyLifecycleModeOptions,
): Promise<VerifiedLifecycleContext> {
  const lifecycleOptions = {
    ...options,
    allowedHosts: assertHostAllowlist(
      options.allowedHosts ?? (options.development ? DEVELOPMENT_HOSTS : PRODUCTION_HOSTS),
    ),
  };
  // The token first: nothing of the body is read for a request that does not come from Atlassian.
  const { token, claims } = await verifyLifecycleToken(request, lifecycleOptions);
  let body = options.body;
  if (body === undefined) {
    const maxBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
    assertDeclaredLength(getHeader(request, 'content-length'), maxBytes);
    // A clone, so the caller can still read the body; the tee buffers at most what was read here (the cap).
    const stream = typeof (request as Request).clone === 'function' ? (request as Request).clone().body : null;
    body = await readBodyStream(stream, maxBytes, options.bodyTimeoutMs ?? DEFAULT_BODY_TIMEOUT_MS);
  }
  const payload = checkLifecyclePayload(claims, body, lifecycleOptions);
  const { leewaySeconds } = resolveTokenPolicy(options);
  return {
    ...contextOf(payload, claims, 'lifecycle', 'header'),
    kind: 'lifecycle',
    lifecycle: payload,
    change: lifecycleChangeOf(options.event, payload, { token, claims }, body, leewaySeconds),
  };
}

/** `tenant`: the stored tenant, or for lifecycle mode the verified install payload (same clientKey and baseUrl). */
function contextOf(
  tenant: Pick<Tenant, 'clientKey' | 'baseUrl' | 'cloudId'>,
  payload: JWTPayload,
  kind: VerifiedContext['kind'],
  source: TokenSource,
): VerifiedContext {
  const context = payload.context;
  return {
    kind,
    clientKey: tenant.clientKey,
    baseUrl: tenant.baseUrl,
    ...(tenant.cloudId !== undefined ? { cloudId: tenant.cloudId } : {}),
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
 *   as `lifecycle` and the store write as `change`, and stores nothing: hand `change` to
 *   `tenants.applyLifecycleEvent`, whose record of the token refuses a replay (`createConnectApp` does both).
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
 *
 * @example
 * // Your own lifecycle route: verify, then apply the change (in token order, at most once: replays are refused).
 * export async function POST(request: Request): Promise<Response> {
 *   const verified = await verifyRequest(request, { mode: 'lifecycle', event: 'installed', appKey, appBaseUrl, installKeys });
 *   await tenants.applyLifecycleEvent(verified.change);
 *   return new Response(null, { status: 204 });
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
  const allowQuery = options.mode === 'iframe' && options.allowQueryToken !== false;
  const { token, source } = extractToken(request, policy.maxTokenLength, { allowQuery });

  let resolved: ResolvedTenant | undefined;
  let payload: JWTPayload;
  const remembered = await asReadable(options.tenants.recallVerified(token));
  if (remembered) {
    ({ resolved, payload } = remembered);
    // The signature was verified when the token was remembered; the clock has moved since.
    assertRegisteredTimeClaims(payload, policy);
  } else {
    const decoded = decodeCompactToken(token);
    const clientKey = unverifiedIssuer(decoded);
    resolved = await asReadable(options.tenants.resolve(clientKey));
    if (!resolved) throw notSignedByTenant('no tenant is installed under this issuer');
    try {
      assertHs256Signature(decoded, resolved.hmacKey);
    } catch (error) {
      const fresh = await asReadable(options.tenants.reloadAfterBadSignature(resolved));
      if (!fresh) throw notSignedByTenant(error instanceof Error ? error.message : 'bad signature');
      resolved = fresh;
      try {
        assertHs256Signature(decoded, resolved.hmacKey);
      } catch (second) {
        throw notSignedByTenant(second instanceof Error ? second.message : 'bad signature');
      }
    }
    payload = decoded.payload;
    assertRegisteredTimeClaims(payload, policy);
    // Remembered once the signature verifies: a later request with the same token skips only the signature
    // check, never the state, clock and qsh checks below. Frozen, because handlers receive it as `claims`.
    deepFreeze(payload);
    options.tenants.rememberVerified(token, resolved, payload);
  }
  if (!isActive(resolved.tenant)) {
    throw new VerificationError('TENANT_INACTIVE', `The app is ${resolved.tenant.state} for this tenant.`);
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
