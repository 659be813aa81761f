import type { HttpMethod, RateLimitInfo } from '../types.js';
import { ConfluenceKitError } from './kit-error.js';

/** What went wrong, in the terms a UI branches on. */
export type ConfluenceErrorKind =
  | 'unauthorized'
  | 'forbidden'
  | 'not-found'
  | 'conflict'
  | 'precondition-failed'
  | 'bad-request'
  | 'gone'
  | 'rate-limited'
  | 'server'
  | 'network'
  | 'timeout'
  | 'host-unavailable';

/**
 * Stable codes: `CONFLUENCE_<KIND>` for each kind, plus the special cases:
 * - `CONFLUENCE_BAD_RESPONSE`: a 2xx whose JSON content type carries no JSON (often a login page);
 * - `CONFLUENCE_BAD_BODY`: the request body cannot be serialised (nothing was sent);
 * - `CONFLUENCE_SCOPE_MISSING`: the descriptor scopes do not cover the request (development check; nothing was sent);
 * - `CONFLUENCE_BODY_WOULD_BE_CLEARED`: `./react`'s page update refused to replace a page body with an empty one.
 */
export type ConfluenceErrorCode =
  | 'CONFLUENCE_UNAUTHORIZED'
  | 'CONFLUENCE_FORBIDDEN'
  | 'CONFLUENCE_NOT_FOUND'
  | 'CONFLUENCE_CONFLICT'
  | 'CONFLUENCE_PRECONDITION_FAILED'
  | 'CONFLUENCE_BAD_REQUEST'
  | 'CONFLUENCE_GONE'
  | 'CONFLUENCE_RATE_LIMITED'
  | 'CONFLUENCE_SERVER'
  | 'CONFLUENCE_NETWORK'
  | 'CONFLUENCE_TIMEOUT'
  | 'CONFLUENCE_HOST_UNAVAILABLE'
  | 'CONFLUENCE_BAD_RESPONSE'
  | 'CONFLUENCE_BAD_BODY'
  | 'CONFLUENCE_SCOPE_MISSING'
  | 'CONFLUENCE_BODY_WOULD_BE_CLEARED';

export type ForbiddenReason =
  'user-permission' | 'app-scope' | 'app-access-rule' | 'product-access' | 'xsrf' | 'unknown';

export interface ConfluenceErrorInit {
  kind: ConfluenceErrorKind;
  message: string;
  method: HttpMethod;
  path: string;
  /** Defaults to CONFLUENCE_<KIND>, e.g. CONFLUENCE_NOT_FOUND. */
  code?: ConfluenceErrorCode;
  status?: number;
  reason?: ForbiddenReason | 'removed-endpoint';
  mayBeRestricted?: boolean;
  body?: unknown;
  detail?: string;
  headers?: Record<string, string>;
  retryAfterMs?: number;
  currentVersion?: number;
  rateLimit?: RateLimitInfo;
  cause?: unknown;
}

/** Query parameters that carry credentials; their values never reach a message. */
const CREDENTIAL_IN_QUERY = /([?&](jwt|token|access_token)=)[^&#]*/gi;

/** `not-found` → `CONFLUENCE_NOT_FOUND`. */
function codeOfKind(kind: ConfluenceErrorKind): ConfluenceErrorCode {
  return ('CONFLUENCE_' + kind.toUpperCase().replace('-', '_')) as ConfluenceErrorCode;
}

/**
 * The one error every client call rejects with (except aborts, which reject with the signal's reason, as fetch
 * does). Branch on `kind` (or the stable `code`); `reason`, `mayBeRestricted` and `retryAfterMs` say what to show.
 */
export class ConfluenceError extends ConfluenceKitError<ConfluenceErrorCode> {
  // `declare`: the constructor assigns every field (in this order), so the emitted class need not define each one
  // as undefined first.
  declare readonly kind: ConfluenceErrorKind;
  /** 0 when there was no HTTP answer. */
  declare status: number;
  /**
   * Why it was refused: on `forbidden` (and the gateway's 401 scope failure, `app-scope`) a `ForbiddenReason`; on
   * `gone` (410) `removed-endpoint`: Confluence has removed the API the request called.
   */
  declare reason?: ForbiddenReason | 'removed-endpoint';
  /** not-found on content: "doesn't exist or you don't have access". */
  declare mayBeRestricted: boolean;
  /** Parsed JSON, or text. */
  declare body: unknown;
  /**
   * Confluence's own words on what was wrong (the body's message or first error title, tags removed, at most 200
   * characters), when the answer had any: for the developer, e.g. why a 400 refused the request.
   */
  declare detail?: string;
  /** Lower-cased response headers, when there was a response. */
  declare headers?: Record<string, string>;
  /** How long Confluence asked to wait before trying again. */
  declare retryAfterMs?: number;
  /** On a version conflict, the version the page has now (when the answer names it). */
  declare currentVersion?: number;
  /** On `rate-limited`: which limit refused (quota, burst or the Forge bridge) and when it resets. */
  declare rateLimit?: RateLimitInfo;
  declare readonly method: HttpMethod;
  declare readonly path: string;

  /** `message` is prefixed with "Confluence METHOD path: " (credentials in the query masked). */
  constructor(init: ConfluenceErrorInit) {
    const maskedPath = init.path.replace(CREDENTIAL_IN_QUERY, '$1***');
    super(init.code ?? codeOfKind(init.kind), `Confluence ${init.method} ${maskedPath}: ${init.message}`, {
      cause: init.cause,
    });
    this.name = 'ConfluenceError';
    this.kind = init.kind;
    this.status = init.status ?? 0;
    this.reason = init.reason;
    this.mayBeRestricted = init.mayBeRestricted ?? false;
    this.body = init.body ?? null;
    this.detail = init.detail;
    this.headers = init.headers;
    this.retryAfterMs = init.retryAfterMs;
    this.currentVersion = init.currentVersion;
    this.rateLimit = init.rateLimit;
    this.method = init.method;
    this.path = init.path;
  }
}

/**
 * Whether `value` is a {@link ConfluenceError}: the narrowing to use before reading `kind`, `status` or `reason`.
 *
 * @example
 * try {
 *   await client.request({ path: confluencePath`/wiki/api/v2/pages/${id}` });
 * } catch (error) {
 *   if (isConfluenceError(error) && error.kind === 'not-found') return null;
 *   throw error;
 * }
 */
export function isConfluenceError(value: unknown): value is ConfluenceError {
  return value instanceof ConfluenceError;
}
