import { createConfluenceClient, type ConfluenceClient, type Transport } from '../../src/client/index';
import { createConnectTransport } from '../../src/client/transports/connect';
import type { StateKind, ViewState } from '../../src/react/components/messages';
import type { ConfluenceViewer } from '../../src/react/internal/viewer';
import {
  ACCOUNT_ID_HEADER,
  PAGES,
  SPACES,
  answerConfluenceRequest,
  createFakeAP,
  createWorld,
  type ConfluenceWorld,
} from '../../src/testing/core';

/**
 * Every state `RequestState` (and the provider around it) can show, each produced the way an app meets it: a real
 * request through the kit's own client to a testing-kit world set up for that case, so the error on screen is the
 * `ConfluenceError` the client really builds from the emulated site's real answer.
 */

/** What a state's request runs against: a fresh emulated site, and clients the way an app holds them. */
export interface GallerySite {
  world: ConfluenceWorld;
  /** The kit's client over Connect's `AP.request` (the testing kit's fake AP), retries off: the first answer shows. */
  connect: ConfluenceClient;
  /** The kit's client over a plain browser session (no app headers: no app scopes, no XSRF token). */
  session: ConfluenceClient;
  /** A client over a transport of your own (a proxy's answer, a missing host). */
  over(transport: Transport, options?: { timeoutMs?: number }): ConfluenceClient;
}

/** How a state comes about: still waiting, a view the provider shows itself, or a request that fails. */
export type GallerySource =
  { pending: true } | { view: ViewState } | { request: (site: GallerySite) => Promise<unknown> };

export interface GalleryState {
  /** Stable id: the card's `data-state-id`. */
  id: string;
  title: string;
  /** What makes it happen, in a sentence. */
  cause: string;
  /** The view it renders (`data-kind` of the state view). */
  kind: StateKind;
  /** The forbidden reason it renders (`data-reason`), when there is one. */
  reason?: string;
  /** Who is looking, as `<ConfluenceProvider>` reads it from the host (a licensed user when absent). */
  viewer?: ConfluenceViewer;
  source: GallerySource;
}

/** The client's timeout in the timeout state: far below the slow host's delay. */
const SHORT_TIMEOUT_MS = 300;
/** The slow host's delay in the timeout state. */
const SLOW_HOST_MS = 60_000;
/** Retry-After of the burst refusal: long enough to read the countdown. */
const BURST_RETRY_AFTER_SECONDS = 30;
/** A page id no seed uses. */
const MISSING_PAGE_ID = '999999';

const pagePath = (id: string) => `/wiki/api/v2/pages/${id}`;

function renameGettingStarted(client: ConfluenceClient, version: number) {
  return client.request({
    method: 'PUT',
    path: pagePath(PAGES.gettingStarted),
    body: { id: PAGES.gettingStarted, status: 'current', title: 'Renamed', version: { number: version } },
  });
}

/**
 * THE list of states: the gallery renders one card per entry, in this order, and its browser test checks each
 * card shows its `kind` (and `reason`). Add a state here and nowhere else.
 */
export const GALLERY_STATES: GalleryState[] = [
  {
    id: 'loading',
    title: 'Loading',
    cause: 'The first answer has not arrived yet.',
    kind: 'loading',
    source: { pending: true },
  },
  {
    id: 'connecting',
    title: 'Connecting',
    cause: 'ConfluenceProvider is waiting for the host (all.js or the Forge bridge) to be ready.',
    kind: 'connecting',
    source: { view: { kind: 'connecting' } },
  },
  {
    id: 'outside',
    title: 'Outside Confluence',
    cause: 'The app was opened outside a Confluence iframe.',
    kind: 'outside',
    source: { view: { kind: 'outside' } },
  },
  {
    id: 'unauthorized',
    title: 'Unauthorized',
    cause: 'Confluence answers 401: the session (or its token) is no longer valid.',
    kind: 'unauthorized',
    source: {
      request: ({ world }) =>
        createConfluenceClient({
          retry: false,
          transport: {
            kind: 'fetch',
            // The emulated site answers an account it does not know with the plain-text 401 Cloud sends.
            send: (request) =>
              answerConfluenceRequest(world, {
                method: request.method,
                path: request.path,
                headers: { ...request.headers, [ACCOUNT_ID_HEADER]: 'expired-session' },
              }),
          },
        }).request({ path: pagePath(PAGES.gettingStarted) }),
    },
  },
  {
    id: 'forbidden-user-permission',
    title: 'Forbidden: the user may not',
    cause: 'A viewer saves a page they may only read.',
    kind: 'forbidden',
    reason: 'user-permission',
    source: {
      request: ({ world, connect }) => {
        world.actAs('viewer');
        return connect.request({
          method: 'PUT',
          path: `/wiki/rest/api/content/${PAGES.gettingStarted}`,
          body: { type: 'page', title: 'Renamed', version: { number: 8 } },
        });
      },
    },
  },
  {
    id: 'forbidden-app-scope',
    title: 'Forbidden: app scope',
    cause: "The app's descriptor scopes do not cover the call (a write with READ only).",
    kind: 'forbidden',
    reason: 'app-scope',
    source: {
      request: ({ world, connect }) => {
        world.setScopes(['READ']);
        return renameGettingStarted(connect, 99);
      },
    },
  },
  {
    id: 'forbidden-app-access-rule',
    title: 'Forbidden: app access rule',
    cause: 'An admin blocked the app from the space the page is in.',
    kind: 'forbidden',
    reason: 'app-access-rule',
    source: {
      request: ({ world, connect }) => {
        const blockedPage = [...world.pages.values()].find((page) => page.spaceId === SPACES.people.id);
        return connect.request({ path: pagePath(blockedPage?.id ?? MISSING_PAGE_ID) });
      },
    },
  },
  {
    id: 'forbidden-product-access',
    title: 'Forbidden: no Confluence access',
    cause: 'The user has no product access to Confluence on this site.',
    kind: 'forbidden',
    reason: 'product-access',
    source: {
      request: ({ world, connect }) => {
        world.actAs('noAccess');
        return connect.request({ path: pagePath(PAGES.gettingStarted) });
      },
    },
  },
  {
    id: 'forbidden-xsrf',
    title: 'Forbidden: XSRF check',
    cause:
      'A form-encoded write from a browser session without X-Atlassian-Token: no-check (AP.request never meets it).',
    kind: 'forbidden',
    reason: 'xsrf',
    source: {
      request: ({ session }) =>
        session.request({
          method: 'PUT',
          path: `/wiki/rest/api/content/${PAGES.gettingStarted}`,
          // A hand-built form body: the client adds the token only to the FormData it sends.
          headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
          body: 'title=Renamed',
        }),
    },
  },
  {
    id: 'forbidden-unknown',
    title: 'Forbidden: no reason given',
    cause: 'A 403 whose body names no reason (a proxy or gateway in between).',
    kind: 'forbidden',
    reason: 'unknown',
    source: {
      request: ({ over }) =>
        over({
          kind: 'fetch',
          send: async () => ({
            status: 403,
            statusText: 'Forbidden',
            headers: { 'content-type': 'text/html' },
            body: '<html><body><h1>403</h1></body></html>',
          }),
        }).request({ path: pagePath(PAGES.gettingStarted) }),
    },
  },
  {
    id: 'not-found',
    title: 'Not found',
    cause: 'The page does not exist, or the user may not see it (v2 answers 404 for both).',
    kind: 'not-found',
    source: { request: ({ connect }) => connect.request({ path: pagePath(MISSING_PAGE_ID) }) },
  },
  {
    id: 'conflict',
    title: 'Version conflict',
    cause: 'Someone else saved the page first: the save names a version that is no longer next.',
    kind: 'conflict',
    source: { request: ({ connect }) => renameGettingStarted(connect, 2) },
  },
  {
    id: 'rate-limited-burst',
    title: 'Rate limited (burst)',
    cause: `A burst limit answers 429 with Retry-After ${BURST_RETRY_AFTER_SECONDS} s: the view counts down, then retries.`,
    kind: 'rate-limited',
    source: {
      request: ({ world, connect }) => {
        world.quota.burstLimit({ retryAfterSeconds: BURST_RETRY_AFTER_SECONDS });
        return connect.request({ path: pagePath(PAGES.gettingStarted) });
      },
    },
  },
  {
    id: 'quota',
    title: 'Quota spent',
    cause: "The app's hourly points quota is spent (RateLimit-Reason: confluence-quota-tenant-based).",
    kind: 'quota',
    source: {
      request: ({ world, connect }) => {
        world.quota.exhaust();
        return connect.request({ path: pagePath(PAGES.gettingStarted) });
      },
    },
  },
  {
    id: 'unavailable-network',
    title: 'Unavailable: network',
    cause: 'The request never reached Confluence (network failure).',
    kind: 'unavailable',
    source: {
      request: ({ world, connect }) => {
        world.setFaults({ hostDown: 'network' });
        return connect.request({ path: pagePath(PAGES.gettingStarted) });
      },
    },
  },
  {
    id: 'unavailable-timeout',
    title: 'Unavailable: timeout',
    cause: "Confluence did not answer within the client's timeout.",
    kind: 'unavailable',
    source: {
      request: ({ world, over }) => {
        world.setFaults({ slowMs: SLOW_HOST_MS });
        return over(createConnectTransport({ AP: createFakeAP(world) }), { timeoutMs: SHORT_TIMEOUT_MS }).request({
          path: pagePath(PAGES.gettingStarted),
        });
      },
    },
  },
  {
    id: 'outside-no-host',
    title: 'Outside Confluence: no host',
    cause: 'A request finds no AP.request: the page is not inside a Confluence iframe. Nothing to retry.',
    kind: 'outside',
    source: {
      // The gallery page has no global AP, as a page opened outside Confluence.
      request: ({ over }) => over(createConnectTransport()).request({ path: pagePath(PAGES.gettingStarted) }),
    },
  },
  {
    id: 'bad-request',
    title: 'Bad request',
    cause:
      "Confluence answers 400: the app's request is invalid (here, CQL that does not parse). Confluence's words are error.detail, and the console in development.",
    kind: 'bad-request',
    source: {
      request: ({ connect }) => connect.request({ path: '/wiki/rest/api/search', query: { cql: 'label = ' } }),
    },
  },
  {
    id: 'gone',
    title: 'Gone: a removed Confluence API',
    cause:
      'Confluence answers 410 for a v1 operation it has removed (GET /wiki/rest/api/space): only an app update helps.',
    kind: 'gone',
    reason: 'removed-endpoint',
    source: {
      request: ({ world, connect }) => {
        // The site answers removed v1 operations as Confluence's gateway does (the testing kit's V1_REMOVALS).
        world.setV1Removals('enforce');
        return connect.request({ path: '/wiki/rest/api/space' });
      },
    },
  },
  {
    id: 'error',
    title: 'Something went wrong',
    cause: 'Confluence answers 503 without a wait: a server failure, not a rate limit.',
    kind: 'error',
    source: {
      request: ({ world, connect }) => {
        world.setFaults({ hostDown: '503' });
        return connect.request({ path: pagePath(PAGES.gettingStarted) });
      },
    },
  },
  // ── Users apps forget: each refusal is the one the emulated site gives that user; the card's viewer is the one
  // `<ConfluenceProvider>` would read from the host, so the view says who they are rather than a generic refusal.
  {
    id: 'guest',
    title: 'Guest outside their space',
    cause: 'A single-space guest runs a CQL search: Confluence refuses search to guests (403).',
    kind: 'guest',
    reason: 'user-permission',
    viewer: 'guest',
    source: {
      request: ({ world, connect }) => {
        world.actAs('guest');
        return connect.request({ path: '/wiki/rest/api/search', query: { cql: 'type=page' } });
      },
    },
  },
  {
    id: 'anonymous',
    title: 'Anonymous write',
    cause: 'An anonymous viewer of a public space saves a page: Confluence refuses every write without an account.',
    kind: 'anonymous',
    viewer: 'anonymous',
    source: {
      request: ({ world, connect }) => {
        world.actAs('anonymous');
        return renameGettingStarted(connect, 8);
      },
    },
  },
  {
    id: 'unlicensed',
    title: 'Unlicensed',
    cause: "The app's licence is inactive for this user (Connect's lic=none, Forge's license.isActive false).",
    kind: 'unlicensed',
    // Confluence answers them as anyone else: the licence is the app's business, so no request fails.
    source: { view: { kind: 'unlicensed' } },
  },
];

/** A fresh emulated site for one state, so no state's setup leaks into another. */
export function createGallerySite(): GallerySite {
  const world = createWorld();
  const over: GallerySite['over'] = (transport, options = {}) =>
    createConfluenceClient({ transport, retry: false, ...options });
  return {
    world,
    connect: over(createConnectTransport({ AP: createFakeAP(world) })),
    session: over({
      kind: 'fetch',
      async send(request) {
        const headers: Record<string, string> = { ...request.headers };
        if (request.contentType) headers['Content-Type'] = request.contentType;
        const body = request.body instanceof Blob ? await request.body.arrayBuffer() : request.body;
        return answerConfluenceRequest(world, { method: request.method, path: request.path, headers, body });
      },
    }),
    over,
  };
}
