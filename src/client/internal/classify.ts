import {
  ConfluenceError,
  type ConfluenceErrorInit,
  type ConfluenceErrorKind,
  type ForbiddenReason,
} from '../errors/confluence-error.js';
import type { ConfluenceResponse, HttpMethod, RateLimitInfo, TransportResponse } from '../types.js';

/** The part of a request an error names. */
export interface RequestLine {
  method: HttpMethod;
  path: string;
}

const ONE_SECOND_MS = 1000;
const ONE_HOUR_MS = 60 * 60 * 1000;
/**
 * The longest wait an answer can name: the points quota resets every UTC hour, so no honest wait is longer. Longer
 * ones (Retry-After ≈ 9.2 × 10¹⁸ s has been seen) say nothing usable: the refusal becomes the quota with its reset
 * unknown (src/client/README.md, "Rate limits").
 */
const MAX_WAIT_MS = ONE_HOUR_MS;
const MAX_DETAIL_LENGTH = 200;

const KIND_BY_STATUS: Record<number, ConfluenceErrorKind> = {
  0: 'network',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not-found',
  409: 'conflict',
  410: 'gone',
  412: 'precondition-failed',
  429: 'rate-limited',
};

// Ordered: the more specific causes first (src/client/README.md, "Forbidden reasons").
const FORBIDDEN_REASONS: [RegExp, ForbiddenReason][] = [
  [/xsrf/i, 'xsrf'],
  [/scope/i, 'app-scope'], // "Request not in an authorized API scope", "missing scope grants", FAILURE_CLIENT_SCOPE_CHECK
  [/use Confluence/i, 'product-access'], // "Current user not permitted to use Confluence"
  [/access rule|blocked/i, 'app-access-rule'],
  [/permi|authori|could not/i, 'user-permission'], // PermissionException, "not permitted", "Could not update Content…"
];

const CURRENT_VERSION = /current version(?: is)?:?\s*\[?(\d+)/i;
/** Paths whose 404 may mean "exists, but you may not see it" (v2 answers 404 for restricted content). */
const CONTENT_PATH = /\/api\/v2\/|\/content|\/space/;
const JSON_CONTENT_TYPE = /json/i;
const LOOKS_LIKE_JSON = /^\s*[[{]/;
const TAGS_AND_WHITESPACE = /<[^>]*>|\s+/g;
/**
 * `RateLimit-Reason` values that mean the app's points quota is spent: nothing succeeds until the reset. The
 * documented ones (`confluence-quota-global-based`, `confluence-quota-tenant-based`), and the other forms seen in
 * the wild, which name the quota's pool instead (`conf-global-based`, `tenant-app-quota`). Any other reason is a
 * burst limit.
 */
const QUOTA_REASON = /quota|global|tenant/i;
/**
 * The Forge bridge's own limiter rejects with a BridgeAPIError ("… calls are rate limited at 500/25s", or the
 * default "Too many invocations.") before anything leaves the iframe. Its class name does not survive minifying,
 * so the message is what identifies it; the window (seconds) is read from it when present.
 */
const BRIDGE_LIMIT = /rate limited at \d+(?:req)?\/(\d+)s|too many invocations/i;
const DEFAULT_BRIDGE_WINDOW_MS = 25 * ONE_SECOND_MS;

function isSuccess(status: number): boolean {
  return status >= 200 && status < 300;
}

function isClientErrorStatus(status: number): boolean {
  return status >= 400 && status < 500;
}

/**
 * By content type: JSON types are parsed (a failure stays text, which `readResponse` reports); other named types
 * stay as they are. Without a content type (Connect hosts may drop headers) a body that looks like JSON is parsed.
 */
export function parseBody(body: unknown, contentType?: string): unknown {
  if (typeof body !== 'string') return body;
  const wantsJson = contentType ? JSON_CONTENT_TYPE.test(contentType) : LOOKS_LIKE_JSON.test(body);
  if (!wantsJson) return body;
  try {
    return JSON.parse(body);
  } catch {
    return body; // keep the text
  }
}

/** The first human-readable line of any documented body family (v1, v2, gateway, Jira-style, text, HTML). */
function detailOf(body: unknown): string {
  let line: unknown = '';
  if (typeof body === 'string') {
    line = body;
  } else if (body && typeof body === 'object') {
    const known = body as { message?: unknown; errors?: { title?: unknown }[]; errorMessages?: unknown[] };
    line = known.message ?? known.errors?.[0]?.title ?? known.errorMessages?.[0] ?? '';
  }
  return String(line).replace(TAGS_AND_WHITESPACE, ' ').trim().slice(0, MAX_DETAIL_LENGTH);
}

/** An epoch-ms instant from a Retry-After value: delta seconds or an HTTP date; NaN when unparseable. */
function parseRetryAfter(value: string | undefined, now: number): number {
  const trimmed = value?.trim();
  if (!trimmed) return NaN;
  const seconds = Number(trimmed);
  if (seconds >= 0) return now + seconds * ONE_SECOND_MS;
  return Date.parse(trimmed);
}

/**
 * Milliseconds to wait from Retry-After (seconds or HTTP date), else Beta-Retry-After (sent before enforcement, and
 * still on some answers), else X-RateLimit-Reset (ISO 8601); unparseable → undefined; a time past → 0. Not capped:
 * `readResponse` decides what a wait beyond `MAX_WAIT_MS` means.
 */
export function retryAfter(headers: Record<string, string>, now: number): number | undefined {
  // Each header on its own: a garbled Retry-After still leaves the others.
  let waitUntil = parseRetryAfter(headers['retry-after'], now);
  if (!(waitUntil >= 0)) waitUntil = parseRetryAfter(headers['beta-retry-after'], now);
  if (!(waitUntil >= 0)) waitUntil = Date.parse(headers['x-ratelimit-reset'] ?? '');
  if (!(waitUntil >= 0)) return undefined;
  return Math.max(0, waitUntil - now);
}

function reasonOf(status: number, text: string): ForbiddenReason | 'removed-endpoint' | undefined {
  // Confluence answers 410 for the v1 operations it has removed: the app must move to their v2 replacements.
  if (status === 410) return 'removed-endpoint';
  if (status === 403) return FORBIDDEN_REASONS.find(([pattern]) => pattern.test(text))?.[1] ?? 'unknown';
  // The gateway (Forge, OAuth) reports a missing scope as 401: the app's fault, not the user's session.
  if (status === 401 && /scope/i.test(text)) return 'app-scope';
  return undefined;
}

/** The start of the next UTC hour: when the points quota resets if the answer names no time. */
export function nextUtcHour(now: number): number {
  return (Math.floor(now / ONE_HOUR_MS) + 1) * ONE_HOUR_MS;
}

function isThrottled(status: number, wait: number | undefined, limitReason: string | undefined): boolean {
  if (status === 429) return true;
  // A 503 that names a wait or a rate-limit reason is throttling; without either the server is in trouble.
  return status === 503 && (wait !== undefined || limitReason !== undefined);
}

/** Which limit refused a throttled answer, and when it resets (see RateLimitInfo); `wait` within the cap. */
function rateLimitOf(
  limitReason: string | undefined,
  wait: number | undefined,
  now: number,
  waitBeyondCap: boolean,
): RateLimitInfo {
  // A wait no limit could name: the quota, at a reset nobody knows.
  if (waitBeyondCap) return { scope: 'quota', reason: limitReason };
  if (limitReason !== undefined && QUOTA_REASON.test(limitReason)) {
    // The quota resets on the UTC hour; Retry-After (or X-RateLimit-Reset) says exactly when, if present.
    const resetAt = wait === undefined ? nextUtcHour(now) : now + wait;
    return { scope: 'quota', resetAt, reason: limitReason };
  }
  return { scope: 'burst', resetAt: wait === undefined ? undefined : now + wait, reason: limitReason };
}

function kindOf(status: number, throttled: boolean): ConfluenceErrorKind {
  if (throttled) return 'rate-limited';
  const known = KIND_BY_STATUS[status];
  if (known) return known;
  return isClientErrorStatus(status) ? 'bad-request' : 'server';
}

/**
 * A transport answer as the caller sees it: 2xx → status, headers and the parsed body; anything else throws a
 * ConfluenceError with kind, reason, retry hint and a console-friendly message.
 */
export function readResponse(
  answer: TransportResponse,
  request: RequestLine,
  now: number,
): ConfluenceResponse<unknown> {
  const { status, headers } = answer;
  const contentType = headers['content-type'];
  const ok = isSuccess(status);
  // Binary requests (attachment downloads) get their error bodies as bytes too.
  const raw = !ok && answer.body instanceof ArrayBuffer ? new TextDecoder().decode(answer.body) : answer.body;
  const body = parseBody(raw || null, contentType);

  if (ok) {
    // A JSON content type with a body that does not parse: the answer is broken (often a login page).
    // parseBody hands the very text back only when JSON.parse failed (a JSON string literal parses to another string).
    if (typeof body === 'string' && body === raw && JSON_CONTENT_TYPE.test(contentType ?? '')) {
      throw requestError('server', request, `${status} says ${contentType} but the body is not JSON`, {
        code: 'CONFLUENCE_BAD_RESPONSE',
        status,
        body,
        headers,
      });
    }
    return { status, headers, data: body };
  }

  const text = raw + ' ' + headers['x-failure-category'];
  const limitReason = headers['ratelimit-reason'];
  let wait = status === 429 || status === 503 ? retryAfter(headers, now) : undefined;
  const throttled = isThrottled(status, wait, limitReason);
  const waitBeyondCap = wait !== undefined && wait > MAX_WAIT_MS;
  const rateLimit = throttled ? rateLimitOf(limitReason, wait, now, waitBeyondCap) : undefined;
  // A spent quota is refused until its reset, whether or not the answer said so (no wait when nobody knows it).
  if (rateLimit?.scope === 'quota') wait = rateLimit.resetAt === undefined ? undefined : rateLimit.resetAt - now;
  const kind = kindOf(status, throttled);
  const reason = reasonOf(status, text);
  const currentVersion = CURRENT_VERSION.exec(text)?.[1];
  const mayBeRestricted = status === 404 && CONTENT_PATH.test(request.path);

  let message = `${status} ${kind}`;
  if (reason) message += ` (${reason})`;
  if (rateLimit) message += ` (${rateLimit.scope}${limitReason ? ': ' + limitReason : ''})`;
  if (mayBeRestricted) message += ', or no access';
  const detail = detailOf(body);
  if (detail) message += ' - ' + detail;
  if (wait !== undefined) message += `; retry in ${Math.ceil(wait / ONE_SECOND_MS)} s`;

  throw requestError(kind, request, message, {
    status,
    body,
    detail: detail || undefined,
    headers,
    reason,
    mayBeRestricted,
    retryAfterMs: wait,
    currentVersion: currentVersion ? Number(currentVersion) : undefined,
    rateLimit,
  });
}

/** A host fault's text for the console: AP rejects with strings, Errors or plain `{ err, xhr }` objects. */
function describeFault(fault: unknown): string {
  const known = fault as { message?: unknown; err?: unknown } | null | undefined;
  const text = known?.message ?? known?.err;
  if (text !== undefined && text !== null) return String(text);
  if (typeof fault === 'object') return JSON.stringify(fault);
  return String(fault);
}

/**
 * A transport rejection that is not a ConfluenceError: the Forge bridge's own limiter (`rate-limited`, scope
 * `bridge`, waiting out its window), else a host or network failure (`network`).
 */
export function hostFaultError(fault: unknown, request: RequestLine, now: number): ConfluenceError {
  const description = describeFault(fault);
  const bridgeLimit = BRIDGE_LIMIT.exec(description);
  if (bridgeLimit) {
    // The limiter counts from its first call, which the client cannot see: a whole window is the safe wait.
    const windowMs = bridgeLimit[1] ? Number(bridgeLimit[1]) * ONE_SECOND_MS : DEFAULT_BRIDGE_WINDOW_MS;
    return requestError('rate-limited', request, `the Forge bridge refused: ${description}`, {
      retryAfterMs: windowMs,
      rateLimit: { scope: 'bridge', resetAt: now + windowMs },
      cause: fault,
    });
  }
  return requestError('network', request, 'host or network failed: ' + description, { cause: fault });
}

/** An error without (usable) HTTP answer: no host, network down, host-side exception, timeout, broken body, missing scope. */
export function requestError(
  kind: ConfluenceErrorKind,
  request: RequestLine,
  message: string,
  more?: Partial<ConfluenceErrorInit>,
): ConfluenceError {
  return new ConfluenceError({ kind, method: request.method, path: request.path, message, ...more });
}
