import {
  ACCOUNT_ID_HEADER,
  answerConfluenceRequest,
  type ConfluenceAnswer,
  type ConfluenceWorld,
} from '../../src/testing/core';
import { CALLER_HEADER } from '../../src/testing/internals';

/**
 * A Confluence call a Forge function made (`asUser().requestConfluence`, `asApp().requestConfluence`), as the Node
 * half passes it to the page that invoked the function. Browser-safe: the page answers it from its own site, and the
 * Node half from its copy when no page is listening.
 */
export interface ResolverProductCall {
  /** `user` acts with that user's permissions; `app` as the app (the site admin, bound by the app's scopes). */
  authority: { kind: 'user'; accountId: string } | { kind: 'app' };
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string;
}

const EMULATOR_HEADER_PREFIX = 'x-emulator-';

/**
 * Answers a function's product call from `world`, through the same REST emulator and gateway rules as the Custom
 * UI's `requestConfluence` (a Forge caller: scopes give the gateway's answers): as the named user, or as the app.
 */
export function answerResolverProductCall(
  world: ConfluenceWorld,
  call: ResolverProductCall,
): Promise<ConfluenceAnswer> {
  const headers: Record<string, string> = {};
  // The emulator's own headers are the emulator's: the app's function cannot choose the caller or the user.
  for (const [name, value] of Object.entries(call.headers)) {
    if (!name.toLowerCase().startsWith(EMULATOR_HEADER_PREFIX)) headers[name] = value;
  }
  headers[CALLER_HEADER] = 'forge';
  const admin = [...world.users.values()].find((user) => user.siteAdmin);
  const actor = call.authority.kind === 'user' ? call.authority.accountId : admin?.accountId;
  if (actor) headers[ACCOUNT_ID_HEADER] = actor;
  return answerConfluenceRequest(world, {
    method: call.method,
    path: call.path,
    headers,
    ...(call.body !== undefined ? { body: call.body } : {}),
  });
}
