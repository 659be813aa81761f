import type { HttpMethod, TransportResponse } from '../types';
import { ConfluenceError, type ConfluenceErrorKind, type ForbiddenReason } from './confluence-error';

/** Hides credentials a path might carry (Connect iframe URLs and some proxies put `jwt=` in the query). */
export const safePath = (p: string) => p.replace(/([?&](?:jwt|token|access_token)=)[^&#]*/gi, '$1***');

/** JSON when it parses, else the text (plain-text 401s, HTML error pages). */
export const parseBody = (b: unknown): unknown => {
  if (typeof b == 'string' && /^\s*[[{]/.test(b)) try { return JSON.parse(b); } catch { /* not JSON after all: keep the text */ }
  return b;
};

/** The first human-readable line of any of the documented body families (v1, v2, gateway, Jira-style, text, HTML). */
const detail = (b: any): string => {
  const e = b?.errors?.[0];
  const s = typeof b == 'string' ? b : b?.message ?? e?.title ?? e?.detail ?? b?.errorMessages?.[0] ?? '';
  return String(s).replace(/<(style|script)[^]*?<\/\1>|<[^>]*>/gi, ' ').replace(/\s+/g, ' ').trim().slice(0, 200);
};

const kindOf = (s: number): ConfluenceErrorKind =>
  s == 0 ? 'network' : s == 401 ? 'unauthorized' : s == 403 ? 'forbidden' : s == 404 ? 'not-found' : s == 409 ? 'conflict'
  : s == 410 ? 'gone' : s == 412 ? 'precondition-failed' : s == 429 ? 'rate-limited' : s > 399 && s < 500 ? 'bad-request' : 'server';

// Ordered: the more specific causes first (see reference B.7 "classification order").
const reasons: [RegExp, ForbiddenReason][] = [
  [/xsrf/i, 'xsrf'],
  [/authorized API scope|scope (grant|does not match)|SCOPE_CHECK/i, 'app-scope'],
  [/not permitted to use Confluence|product access/i, 'product-access'],
  [/access rule|app (is )?blocked/i, 'app-access-rule'],
  [/permission|not (authori[sz]ed|permitted|allowed)|could not (update|create|delete|view)/i, 'user-permission'],
];

/** Milliseconds to wait from Retry-After (seconds or HTTP date), else X-RateLimit-Reset (ISO 8601). */
export function retryAfter(h: Record<string, string>, now: number): number | undefined {
  const ra = h['retry-after'];
  const at = ra ? (/^\d+$/.test(ra.trim()) ? now + +ra * 1e3 : Date.parse(ra)) : Date.parse(h['x-ratelimit-reset'] ?? '');
  return at === at ? Math.max(0, at - now) : undefined; // NaN check: unparseable headers are ignored
}

/** Turns a non-2xx answer into a ConfluenceError with kind, reason, retry hint and a console-friendly message. */
export function toError(r: TransportResponse, method: HttpMethod, path: string, now: number): ConfluenceError {
  const s = r.status, h = r.headers, body = parseBody(r.body);
  const text = (typeof r.body == 'string' ? r.body : '') + ' ' + (h['x-failure-category'] ?? '');
  let kind = kindOf(s);
  let reason: ForbiddenReason | undefined;
  if (s == 403) reason = reasons.find(([re]) => re.test(text))?.[1] ?? 'unknown';
  // The API gateway (Forge, OAuth) reports a missing scope as 401; it is the app's fault, not the session's.
  else if (s == 401 && /SCOPE_CHECK|scope does not match/i.test(text)) reason = 'app-scope';
  const wait = s == 429 || s == 503 ? retryAfter(h, now) : undefined;
  if (s == 503 && wait !== undefined) kind = 'rate-limited';
  const v = /current version(?: is)?:?\s*\[?(\d+)/i.exec(text);
  const mayBeRestricted = s == 404 && /\/api\/v2\/|\/content|\/space/.test(path);
  const d = detail(body);
  return new ConfluenceError({
    kind, status: s, method, path, body, headers: h, reason, mayBeRestricted, retryAfterMs: wait,
    currentVersion: v ? +v[1]! : undefined,
    message: `Confluence ${method} ${safePath(path)} failed: ${s || ''} ${kind}${reason ? ` (${reason})` : ''}`
      + (mayBeRestricted ? ': it does not exist or you lack access' : '') + (d ? ` - ${d}` : '')
      + (wait !== undefined ? `; retry after ${Math.ceil(wait / 1e3)} s` : ''),
  });
}

/** A fault before any HTTP answer (no host, network down, host-side exception). */
export const fault = (kind: ConfluenceErrorKind, r: { method: HttpMethod; path: string }, msg: string, cause?: unknown) =>
  new ConfluenceError({ kind, method: r.method, path: r.path, cause, message: `Confluence ${r.method} ${safePath(r.path)}: ${msg}` });
