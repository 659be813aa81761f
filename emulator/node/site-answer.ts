/**
 * How the emulated site answers the hosted app's backend (REST over HTTP, already authenticated as the app): as the
 * app, that is as the site admin bound by the app's scopes and the site's app access rules. Browser-safe on purpose:
 * the Node half answers with it when no emulator page is open, and an open page answers with it from its own site
 * data, so the backend and the iframes see one site.
 */
import {
  ACCOUNT_ID_HEADER,
  answerConfluenceRequest,
  type ConfluenceAnswer,
  type ConfluenceWorld,
} from '../../src/testing/core';
import { CALLER_HEADER, CLIENT_KEY_HEADER } from '../../src/testing/internals';
import type { BackendAuthority } from './backend-authority';

/** A backend call as the Node half passes it on: the request minus its authorization and the emulator's headers. */
export interface BackendCall {
  method: string;
  /** Path and query as sent, e.g. `/wiki/rest/api/space?limit=5`. */
  path: string;
  headers: Record<string, string>;
  body?: string;
  /** Who the call acts as (site-rest.ts decided it from the Authorization header); default the Connect app. */
  authority?: BackendAuthority;
}

/** An answer that crosses JSON (page → Node half): a binary body travels as base64. */
export interface SerializedAnswer {
  status: number;
  statusText: string;
  headers: Record<string, string>;
  body: string;
  base64?: boolean;
}

/**
 * Answers an authenticated backend call from `world`: as the app (`appKey` marks the call as a Connect app's, so its
 * scopes and access rules apply; the site admin's permissions), or as the user of a user token, with that user's
 * permissions (product access, restrictions, space permissions) and still within the app's scopes.
 */
export function answerBackendCall(
  world: ConfluenceWorld,
  call: BackendCall,
  app: { appKey: string; siteBaseUrl: string },
): Promise<ConfluenceAnswer> {
  const headers = { ...call.headers };
  const authority = call.authority ?? { kind: 'app', via: 'connect' };
  if (authority.kind === 'user') {
    headers[ACCOUNT_ID_HEADER] = authority.accountId;
  } else {
    const admin = [...world.users.values()].find((user) => user.siteAdmin) ?? world.user(world.actingAccountId);
    if (admin) headers[ACCOUNT_ID_HEADER] = admin.accountId;
  }
  // Either way the app's call: Connect's scope refusals for a Connect app, the gateway's for a Forge one.
  if (authority.via === 'forge') headers[CALLER_HEADER] = 'forge';
  else headers[CLIENT_KEY_HEADER] = app.appKey;
  return answerConfluenceRequest(world, {
    method: call.method,
    path: call.path,
    headers,
    ...(call.body !== undefined ? { body: call.body } : {}),
  });
}

/** An HTTP header name (RFC 9110 token) and a value with no line break: what may be handed on as a header. */
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,256}$/;

/**
 * The page's serialised answer back as an answer, or undefined when it lacks a status, headers or body. The page is
 * trusted no further than the shape: headers that could not be sent as such are dropped.
 */
export function deserializeAnswer(answer: Partial<SerializedAnswer> | undefined): ConfluenceAnswer | undefined {
  if (
    !answer ||
    typeof answer.status !== 'number' ||
    typeof answer.body !== 'string' ||
    typeof answer.headers !== 'object' ||
    answer.headers === null
  ) {
    return undefined;
  }
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(answer.headers)) {
    if (HEADER_NAME.test(name) && typeof value === 'string' && !/[\r\n]/.test(value)) headers[name] = value;
  }
  const body = answer.base64 ? Uint8Array.from(atob(answer.body), (char) => char.charCodeAt(0)).buffer : answer.body;
  return {
    status: answer.status,
    statusText: typeof answer.statusText === 'string' ? answer.statusText : '',
    headers,
    body,
  };
}

/** For the trip page → Node half. */
export function serializeAnswer(answer: ConfluenceAnswer): SerializedAnswer {
  if (typeof answer.body === 'string') return { ...answer, body: answer.body };
  let binary = '';
  for (const byte of new Uint8Array(answer.body)) binary += String.fromCharCode(byte);
  return { ...answer, body: btoa(binary), base64: true };
}
