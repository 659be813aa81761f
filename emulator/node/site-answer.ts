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
import { CLIENT_KEY_HEADER, v1Space } from '../../src/testing/internals';

/** A backend call as the Node half passes it on: the request minus its authorization and the emulator's headers. */
export interface BackendCall {
  method: string;
  /** Path and query as sent, e.g. `/wiki/rest/api/space?limit=5`. */
  path: string;
  headers: Record<string, string>;
  body?: string;
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
 * `GET /wiki/rest/api/space` (v1), which the testing kit's handlers do not answer: the spaces the app may see (all
 * but those an app access rule blocks), in Confluence's v1 list shape.
 */
function spaceList(world: ConfluenceWorld, siteBaseUrl: string): ConfluenceAnswer {
  const spaces = [...world.spaces.values()].filter((space) => !world.app.blockedSpaceIds.includes(space.id));
  return {
    status: 200,
    statusText: 'OK',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      results: spaces.map((space) => v1Space(space, siteBaseUrl)),
      start: 0,
      limit: spaces.length,
      size: spaces.length,
      _links: { base: siteBaseUrl, context: '/wiki' },
    }),
  };
}

/** Answers an authenticated backend call from `world`, as the app `appKey` (its key marks the call as a Connect app's). */
export function answerBackendCall(
  world: ConfluenceWorld,
  call: BackendCall,
  app: { appKey: string; siteBaseUrl: string },
): Promise<ConfluenceAnswer> {
  if (call.method === 'GET' && call.path.split('?')[0] === '/wiki/rest/api/space') {
    return Promise.resolve(spaceList(world, app.siteBaseUrl));
  }
  const headers = { ...call.headers };
  const admin = [...world.users.values()].find((user) => user.siteAdmin) ?? world.user(world.actingAccountId);
  if (admin) headers[ACCOUNT_ID_HEADER] = admin.accountId;
  headers[CLIENT_KEY_HEADER] = app.appKey;
  return answerConfluenceRequest(world, {
    method: call.method,
    path: call.path,
    headers,
    ...(call.body !== undefined ? { body: call.body } : {}),
  });
}

/** For the trip page → Node half. */
export function serializeAnswer(answer: ConfluenceAnswer): SerializedAnswer {
  if (typeof answer.body === 'string') return { ...answer, body: answer.body };
  let binary = '';
  for (const byte of new Uint8Array(answer.body)) binary += String.fromCharCode(byte);
  return { ...answer, body: btoa(binary), base64: true };
}
