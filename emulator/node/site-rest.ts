import type { IncomingMessage, ServerResponse } from 'node:http';
import { decodeJwt, decodeProtectedHeader, jwtVerify } from 'jose';
import { readNodeBody } from '../../src/server/adapters/node.js';
import { createQueryStringHash } from '../../src/server/jwt/qsh.js';
import type { ConfluenceAnswer, ConfluenceWorld } from '../../src/testing/core';
import { describeAuthority, type BackendAuthority, type BackendTokens } from './backend-authority';
import { answerBackendCall, type BackendCall } from './site-answer';
import type { EmulatedTenant } from './tenant';

/** The REST paths the emulated site answers over HTTP for app backends. */
const SITE_REST_PATH = /^\/wiki\/(rest\/api|api\/v2)(\/|$)/;
/**
 * Forge's product API base (`app.apiBaseUrl` of the emulator's FITs: `<emulator>/ex/confluence/<cloudId>`): the same
 * REST paths under it, as `https://api.atlassian.com/ex/confluence/<cloudId>/wiki/…` are on Atlassian's gateway.
 */
const FORGE_API_PREFIX = /^\/ex\/confluence\/[A-Za-z0-9._:-]{1,128}(?=\/wiki\/)/;
/** Request bodies an app backend may send (Confluence's own limit is far higher; a page body fits easily). */
const MAX_BODY_BYTES = 5 * 1024 * 1024;
/** Headers that belong to the backend's HTTP connection, not to the call. */
const CONNECTION_HEADERS = new Set(['host', 'connection', 'keep-alive', 'content-length', 'transfer-encoding']);
/** Headers a caller must never set on the emulated site: they choose the acting user or caller kind in the kit. */
const EMULATOR_HEADER = /^x-emulator-/i;

/** The installed app as the site knows it: its key and the tenant its calls are signed for. */
export interface InstalledApp {
  appKey: string;
  tenant: EmulatedTenant;
  world: ConfluenceWorld;
}

/** Confluence's answer to a call it cannot authenticate (the challenge of the scheme the call tried). */
function unauthorized(res: ServerResponse, message: string, scheme: 'JWT' | 'Bearer' = 'JWT'): void {
  res.statusCode = 401;
  res.setHeader('content-type', 'application/json');
  res.setHeader('www-authenticate', `${scheme} realm="Confluence"`);
  res.end(JSON.stringify({ statusCode: 401, message }));
}

/**
 * Who the call acts as: a Connect JWT (refusal() below) is the app; a bearer token is whatever the site issued it
 * for (a user token of the JWT bearer grant, a Forge system or user token). Answers the reason it failed instead.
 */
async function authorityOf(
  req: IncomingMessage,
  requestUrl: URL,
  app: InstalledApp,
  tokens: BackendTokens | undefined,
): Promise<BackendAuthority | { refused: string; scheme: 'JWT' | 'Bearer' }> {
  const bearer = /^Bearer ([A-Za-z0-9._~+/=-]+)$/.exec(req.headers.authorization ?? '');
  if (bearer?.[1]) {
    const authority = tokens?.authorityOf(bearer[1]);
    return (
      authority ?? { refused: 'The bearer token is not one this site issued, or it has expired', scheme: 'Bearer' }
    );
  }
  const reason = await refusal(req, requestUrl, app);
  return reason ? { refused: reason, scheme: 'JWT' } : { kind: 'app', via: 'connect' };
}

/**
 * Checks a Connect app's own call as Confluence does: `Authorization: JWT <token>`, HS256 with the tenant's shared
 * secret, `iss` = the app key, an `exp`, and a qsh over this request (method, path without the `/wiki` context path,
 * sorted query). Answers the reason it failed, or null.
 */
async function refusal(req: IncomingMessage, requestUrl: URL, app: InstalledApp): Promise<string | null> {
  const match = /^JWT ([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)$/.exec(req.headers.authorization ?? '');
  if (!match?.[1]) return 'Authentication required: send Authorization: JWT <token>';
  const token = match[1];
  try {
    if (decodeProtectedHeader(token).alg !== 'HS256') return 'JWT must be HS256';
    if (decodeJwt(token).iss !== app.appKey) return 'JWT iss is not the installed app key';
    const { payload } = await jwtVerify(token, new TextEncoder().encode(app.tenant.sharedSecret), {
      algorithms: ['HS256'],
      requiredClaims: ['exp', 'qsh'],
    });
    const expected = createQueryStringHash(
      req.method ?? 'GET',
      requestUrl.pathname + requestUrl.search,
      app.tenant.baseUrl,
    );
    if (payload.qsh !== expected) return 'JWT qsh does not match the request';
    return null;
  } catch {
    return 'JWT signature or claims are invalid';
  }
}

/** One backend call as the emulator page's request log shows it: sent when it arrives, again when it is answered. */
export interface BackendCallRecord {
  id: number;
  method: string;
  path: string;
  status: number | 'pending';
  ms?: number;
  /**
   * Who it acted as: `as app`, `as user <accountId>` (absent while pending and for a refused call). Named as the
   * request log's `via` (a row's "made by"), which the page shows after the sender: `app backend as user …`.
   */
  via?: string;
}

/**
 * The emulated site's REST API over real HTTP (`/wiki/rest/api/…`, `/wiki/api/v2/…`), for the hosted app's backend.
 * A call is answered from the site's data as the app: as the site admin, bound by the app's descriptor scopes and
 * the site's app access rules. Returns false for any other path. Every call is reported to `onCall` (the page's
 * request log), refused ones included.
 */
export function createSiteRest(options: {
  installedApp: () => Promise<InstalledApp | undefined>;
  onCall?: (record: BackendCallRecord) => void;
  /**
   * An open emulator page answering from its own site data (so the backend and the iframes see one site), or
   * undefined when no page is open: then the Node half's copy of the site answers.
   */
  askPage?: (call: BackendCall) => Promise<ConfluenceAnswer> | undefined;
  /** The bearer tokens the site issued (user tokens of the JWT bearer grant, Forge Remote tokens). */
  tokens?: BackendTokens;
}) {
  const { installedApp } = options;
  const onCall = options.onCall ?? (() => {});
  let nextId = 1;
  return async function serve(req: IncomingMessage, res: ServerResponse, requestUrl: URL): Promise<boolean> {
    const forgeApiPath = FORGE_API_PREFIX.exec(requestUrl.pathname);
    const sitePath = forgeApiPath ? requestUrl.pathname.slice(forgeApiPath[0].length) : requestUrl.pathname;
    if (!SITE_REST_PATH.test(sitePath)) return false;
    const record: BackendCallRecord = {
      id: nextId++,
      method: (req.method ?? 'GET').toUpperCase(),
      path: sitePath + requestUrl.search,
      status: 'pending',
    };
    const started = performance.now();
    onCall({ ...record });
    res.once('finish', () =>
      onCall({ ...record, status: res.statusCode, ms: Math.round(performance.now() - started) }),
    );
    const app = await installedApp();
    if (!app) {
      unauthorized(res, 'No app is installed on this site');
      return true;
    }
    const authority = await authorityOf(req, requestUrl, app, options.tokens);
    if ('refused' in authority) {
      unauthorized(res, authority.refused, authority.scheme);
      return true;
    }
    record.via = describeAuthority(authority);
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(req.headers)) {
      if (typeof value !== 'string' || EMULATOR_HEADER.test(name) || name === 'authorization') continue;
      // This connection's own framing: the call may be answered elsewhere (the emulator page), with its body as text.
      if (CONNECTION_HEADERS.has(name)) continue;
      headers[name] = value;
    }
    const call: BackendCall = { method: record.method, path: record.path, headers, authority };
    if (call.method !== 'GET' && call.method !== 'HEAD') {
      try {
        call.body = await readNodeBody(req, MAX_BODY_BYTES);
      } catch (error) {
        // Too large, or it never arrived: the caller's problem, answered as such.
        res.statusCode = 413;
        res.setHeader('content-type', 'application/json');
        const message = error instanceof Error ? error.message : 'The request body could not be read.';
        res.end(JSON.stringify({ statusCode: 413, message }));
        return true;
      }
    }
    const answer = await (options.askPage?.(call) ??
      answerBackendCall(app.world, call, { appKey: app.appKey, siteBaseUrl: app.tenant.baseUrl }));
    if (answer.status === 0) {
      res.statusCode = 503;
      res.end();
      return true;
    }
    res.statusCode = answer.status;
    for (const [name, value] of Object.entries(answer.headers)) res.setHeader(name, value);
    res.end(typeof answer.body === 'string' ? answer.body : Buffer.from(answer.body));
    return true;
  };
}
