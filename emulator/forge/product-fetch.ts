import { ACCOUNT_ID_HEADER, type ConfluenceAnswer, type ConfluenceRequestInit } from '../../src/testing/core';
import { CALLER_HEADER } from '../../src/testing/internals';
import type { RequestLogEntry } from '../host/define-modules';

/** What `@forge/bridge`'s `requestConfluence` sends as `fetchProduct` (see out/fetch/fetch.js). */
interface FetchProductPayload {
  product?: string;
  restPath?: string;
  fetchRequestInit?: { method?: string; body?: string | null; headers?: [string, string][] };
  isMultipartFormData?: boolean;
}

/** What the bridge turns into `new Response(body, { headers, status, statusText })`. */
export interface FetchProductAnswer {
  body: string | null;
  headers: Record<string, string>;
  status: number;
  statusText: string;
  isAttachment: false;
}

// Forge's `requestConfluence` resolves a normal Response whose headers are readable, the rate-limit ones included
// (`RateLimit-Reason`, `Retry-After`, `X-RateLimit-*`, `Beta-RateLimit*`): the kit's client needs them to tell a
// spent quota (pause everything until the reset) from a burst limit. So every header the site sent goes through.
const EMULATOR_HEADER_PREFIX = 'x-emulator-';
const NULL_BODY_STATUS = new Set([204, 205, 304]);

export interface ProductFetchEnvironment {
  accountId(): string;
  answer(request: ConfluenceRequestInit): Promise<ConfluenceAnswer>;
  onRequest(entry: RequestLogEntry): void;
}

/**
 * `fetchProduct` → the same REST emulator the Connect mode uses, as the acting user and as a Forge caller (the
 * gateway's answers for scopes). Every HTTP status resolves, as on Forge; a request that never reached the
 * product rejects, which the bridge's caller sees as a failed fetch.
 */
export function createProductFetch(env: ProductFetchEnvironment) {
  let nextId = 1;
  return async function fetchProduct(payload: FetchProductPayload): Promise<FetchProductAnswer> {
    if (payload?.product !== 'confluence')
      throw new Error(`The Confluence emulator has no ${String(payload?.product)} API.`);
    const path = payload.restPath;
    if (typeof path !== 'string' || !path.startsWith('/'))
      throw new Error('requestConfluence: the path must start with "/" (e.g. /wiki/api/v2/pages).');
    if (payload.isMultipartFormData)
      throw new Error('The Confluence emulator does not accept multipart bodies through the Forge bridge yet.');
    const init = payload.fetchRequestInit ?? {};
    const given = new Headers();
    for (const entry of Array.isArray(init.headers) ? init.headers : []) {
      if (Array.isArray(entry) && typeof entry[0] === 'string') given.append(entry[0], String(entry[1]));
    }
    // The emulator's own headers are the emulator's: whatever the app sent under those names (in any case) goes,
    // or "x-emulator-caller: user" would join ours as "user, forge" and switch off the Forge caller's checks.
    for (const name of [...given.keys()]) if (name.startsWith(EMULATOR_HEADER_PREFIX)) given.delete(name);
    given.set(CALLER_HEADER, 'forge');
    given.set(ACCOUNT_ID_HEADER, env.accountId());
    const headers = Object.fromEntries(given);
    const method = (init.method ?? 'GET').toUpperCase();
    const entry: RequestLogEntry = { id: nextId++, method, path, status: 'pending' };
    const started = performance.now();
    env.onRequest({ ...entry });
    const answer = await env.answer({ method, path, headers, body: init.body ?? undefined });
    env.onRequest({
      ...entry,
      status: answer.status === 0 ? 'failed' : answer.status,
      ms: Math.round(performance.now() - started),
    });
    if (answer.status === 0) throw new Error('Failed to fetch: the request never reached Confluence.');
    const body = NULL_BODY_STATUS.has(answer.status) || typeof answer.body !== 'string' ? null : answer.body;
    return {
      body,
      headers: { ...answer.headers },
      status: answer.status,
      statusText: answer.statusText,
      isAttachment: false,
    };
  };
}
