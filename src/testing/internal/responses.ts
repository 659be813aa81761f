import { HttpResponse } from 'msw';

/**
 * Response builders for the bodies Confluence Cloud actually sends. Every body here is
 * quoted from an observed response or the spec (see the reference notes in
 * docs of the testing kit); where Atlassian publishes nothing, the choice is marked [Inf].
 */

export const STATUS_TEXT: Record<number, string> = {
  200: 'OK',
  201: 'Created',
  202: 'Accepted',
  204: 'No Content',
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  410: 'Gone',
  413: 'Payload Too Large',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  501: 'Not Implemented',
  503: 'Service Unavailable',
};

const JSON_TYPE = 'application/json;charset=UTF-8';
const TEXT_TYPE = 'text/plain;charset=UTF-8';

export function json(status: number, body: unknown, headers: Record<string, string> = {}) {
  return HttpResponse.json(body as object, {
    status,
    statusText: STATUS_TEXT[status] ?? '',
    headers: { 'Content-Type': JSON_TYPE, ...headers },
  });
}

export function text(status: number, body: string, headers: Record<string, string> = {}) {
  return new HttpResponse(body, {
    status,
    statusText: STATUS_TEXT[status] ?? '',
    headers: { 'Content-Type': TEXT_TYPE, ...headers },
  });
}

/** v1 error family: `{statusCode, data:{…}, message, reason}` (observed on Cloud, e.g. the 400 for a missing version). */
export function v1Error(status: number, message: string) {
  return json(status, {
    statusCode: status,
    data: { authorized: false, valid: true, allowedInReadOnlyMode: true, errors: [], successful: false },
    message,
    reason: STATUS_TEXT[status] ?? '',
  });
}

/** v2 error family: `{"errors":[{"status","code","title","detail"}]}` (observed 404, md2conf#113). */
export function v2Error(status: number, code: string, title: string, detail: string | null = null) {
  return json(status, { errors: [{ status, code, title, detail }] });
}

export const v2NotFound = () => v2Error(404, 'NOT_FOUND', 'Not Found');

export const noContent = () => new HttpResponse(null, { status: 204, statusText: STATUS_TEXT[204] });

/** No product access / licence: observed verbatim on Cloud (kovetskiy/mark#493), for v1 and v2 alike. */
export const productAccessDenied = () =>
  json(403, { message: 'Current user not permitted to use Confluence', statusCode: 403 });

/**
 * Connect scope violation. The Connect plugin does `sendError(403, "Request not in an authorized
 * API scope")`; the Cloud body format is unverified, so [Inf] it is sent as plain text.
 */
export const connectScopeDenied = () => text(403, 'Request not in an authorized API scope');

/** Forge / OAuth gateway scope failure (401, not 403), with the header third-party clients key on. */
export const gatewayScopeDenied = () =>
  json(
    401,
    { code: 401, message: 'Unauthorized; scope does not match' },
    { 'X-Failure-Category': 'FAILURE_CLIENT_SCOPE_CHECK' },
  );

/** XSRF protection for form-like content types without `X-Atlassian-Token: no-check` (support KB wording). */
export const xsrfFailed = () => text(403, 'XSRF check failed');

/**
 * App access rule ("data security policy") blocking the app from a space. Atlassian publishes
 * no body for this; [Inf] a 403 in the endpoint's own error family whose text names the cause,
 * so it is distinguishable from a user-permission 403 by matching /app access rule/i.
 */
export const APP_ACCESS_RULE_MESSAGE = 'This app is blocked from accessing this space by an app access rule.';
export const appAccessDeniedV1 = () => v1Error(403, APP_ACCESS_RULE_MESSAGE);
export const appAccessDeniedV2 = () => v2Error(403, 'FORBIDDEN', 'Forbidden', APP_ACCESS_RULE_MESSAGE);

/** Unknown acting user (emulator-specific: a bad `X-Emulator-Account-Id`). Cloud sends plain-text 401s. */
export const unauthorized = (detail: string) => text(401, detail);

/**
 * An operation the emulator does not emulate. Not a Confluence body on purpose: Confluence would answer 404, which an
 * app shows as "not found, or no access" and sends its developer hunting for a permission. The emulator says what it
 * lacks instead, and how to add it.
 */
export function notEmulated(method: string, path: string) {
  return json(501, {
    statusCode: 501,
    notEmulated: true,
    method,
    path,
    message: `Not emulated: the Confluence emulator has no ${method} ${path}. Add it with extraHandlers (msw handlers).`,
  });
}

/**
 * Host down: a bare 503. No Retry-After on purpose: Confluence sends one with a 503 only for
 * resource limits (a throttle), and clients rightly treat that case as rate limiting.
 */
export const serviceUnavailable = () => text(503, 'Service Unavailable');
