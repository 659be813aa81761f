import type { ConfluenceResponse, HttpMethod, TransportResponse } from '../types.js';
import {
  ConfluenceError,
  type ConfluenceErrorInit,
  type ConfluenceErrorKind,
  type ForbiddenReason,
} from './confluence-error.js';

/**
 * By content type: JSON types are parsed (a failure stays text, which `read` reports); other named types stay as
 * they are. Without a content type (Connect hosts may drop headers) a body that looks like JSON is parsed.
 */
export const parseBody = (b: unknown, ct?: string): unknown => {
  if (typeof b == 'string' && (ct ? /json/i.test(ct) : /^\s*[[{]/.test(b)))
    try {
      return JSON.parse(b);
    } catch {
      /* keep the text */
    }
  return b;
};

// Absurd waits (one partner saw Retry-After = 2^63) are clamped to an hour: still far past the retry cap, so the
// error surfaces at once, and a countdown stays readable.
const MAX_WAIT = 36e5;

/** The first human-readable line of any documented body family (v1, v2, gateway, Jira-style, text, HTML). */
const detail = (b: any): string =>
  String(b?.message ?? b?.errors?.[0]?.title ?? b?.errorMessages?.[0] ?? (typeof b == 'string' ? b : ''))
    .replace(/<[^>]*>|\s+/g, ' ')
    .trim()
    .slice(0, 200);

const kinds: Record<number, ConfluenceErrorKind> = {
  0: 'network',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not-found',
  409: 'conflict',
  410: 'gone',
  412: 'precondition-failed',
  429: 'rate-limited',
};

// Ordered: the more specific causes first (reference B.7, "classification order").
const reasons: [RegExp, ForbiddenReason][] = [
  [/xsrf/i, 'xsrf'],
  [/scope/i, 'app-scope'], // "Request not in an authorized API scope", "missing scope grants", FAILURE_CLIENT_SCOPE_CHECK
  [/use Confluence/i, 'product-access'], // "Current user not permitted to use Confluence"
  [/access rule|blocked/i, 'app-access-rule'],
  [/permi|authori|could not/i, 'user-permission'], // PermissionException, "not permitted", "Could not update Content…"
];

/** Milliseconds to wait from Retry-After (seconds or HTTP date), else X-RateLimit-Reset (ISO 8601); unparseable → undefined. */
export function retryAfter(h: Record<string, string>, now: number): number | undefined {
  const ra = h['retry-after']?.trim();
  // Each header on its own: a garbled Retry-After still leaves X-RateLimit-Reset.
  let at = ra && +ra >= 0 ? now + +ra * 1e3 : Date.parse(ra!);
  if (!(at >= 0)) at = Date.parse(h['x-ratelimit-reset']!);
  return at >= 0 ? Math.min(MAX_WAIT, Math.max(0, at - now)) : undefined;
}

type Req = { method: HttpMethod; path: string };

/**
 * A transport answer as the caller sees it: 2xx → status, headers and the parsed body; anything else throws a
 * ConfluenceError with kind, reason, retry hint and a console-friendly message.
 */
export function read(r: TransportResponse, t: Req, now: number): ConfluenceResponse<any> {
  const s = r.status,
    h = r.headers,
    ok = s > 199 && s < 300,
    ct = h['content-type'];
  // Binary requests (attachment downloads) get their error bodies as bytes too.
  const raw = !ok && r.body instanceof ArrayBuffer ? new TextDecoder().decode(r.body) : r.body;
  const body = parseBody(raw || null, ct);
  if (ok) {
    // A JSON content type with a body that does not parse: the answer is broken (often a login page).
    // parseBody hands the very text back only when JSON.parse failed (a JSON string literal parses to another string).
    if (typeof body == 'string' && body === raw && /json/i.test(ct!))
      throw fault('server', t, `${s} says ${ct} but the body is not JSON`, {
        code: 'CONFLUENCE_BAD_RESPONSE',
        status: s,
        body,
        headers: h,
      });
    return { status: s, headers: h, data: body };
  }
  const text = raw + ' ' + h['x-failure-category'];
  const wait = s == 429 || s == 503 ? retryAfter(h, now) : undefined;
  // A 503 that names a wait is throttling (reference B.7 ordering); without one the server is in trouble.
  const kind = (wait != null && 'rate-limited') || (kinds[s] ?? (s > 399 && s < 500 ? 'bad-request' : 'server'));
  // 403 reasons come from the documented bodies; the gateway (Forge, OAuth) reports a missing scope as 401: the app's fault.
  const reason =
    s == 403
      ? (reasons.find(([re]) => re.test(text))?.[1] ?? 'unknown')
      : s == 401 && /scope/i.test(text)
        ? 'app-scope'
        : undefined;
  const v = /current version(?: is)?:?\s*\[?(\d+)/i.exec(text)?.[1];
  const mayBeRestricted = s == 404 && /\/api\/v2\/|\/content|\/space/.test(t.path);
  const d = detail(body);
  throw fault(
    kind,
    t,
    `${s} ${kind}${reason ? ` (${reason})` : ''}${mayBeRestricted ? ', or no access' : ''}${d && ' - ' + d}${wait != null ? `; retry in ${Math.ceil(wait / 1e3)} s` : ''}`,
    { status: s, body, headers: h, reason, mayBeRestricted, retryAfterMs: wait, currentVersion: v ? +v : undefined },
  );
}

/** An error without (usable) HTTP answer: no host, network down, host-side exception, timeout, broken body, missing scope. */
export const fault = (kind: ConfluenceErrorKind, r: Req, message: string, more?: Partial<ConfluenceErrorInit>) =>
  new ConfluenceError({ kind, method: r.method, path: r.path, message, ...more });
