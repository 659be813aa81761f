import { v1Error } from '../internal/responses.js';

/**
 * Confluence's v1 REST removals, as the emulated site answers them. Atlassian deprecated the v1 operations that have
 * a v2 equivalent from 1 March 2023 (CHANGE-864, RFC-19); their answers carried `Deprecation` and
 * `Warning: 299 - "Deprecated API, will be removed on …"`. Since mid-2025 removed operations answer **410 Gone**
 * through the OAuth gateway, with a v1 body whose message is
 * `com.atlassian.confluence.api.service.exceptions.GoneException: This deprecated endpoint has been removed.`
 * (observed for `GET /rest/api/space`, atlassian-python-api#1560, July 2025).
 *
 * Honesty about the dates: Atlassian publishes no per-operation removal calendar. `removedOn` is the first day of
 * the month this repository's platform notes (platform-2026.md, "v1 REST removals") give for the operation's
 * family: the space family from July 2025 (observed), `content/{id}` by June 2026, the rest "broadly from August
 * 2026". Each entry says which. Whether Connect-JWT and Forge `requestConfluence` calls get the 410 too is not
 * publicly known, which is why answering 410 is a world option (`v1Removals`, default `'warn'`).
 *
 * Not deprecated, so never listed: CQL search (`/rest/api/search`, no v2 equivalent) and `user/current`, the two v1
 * reads the kit's own client makes.
 */

/** One removed (or to-be-removed) v1 operation. */
export interface V1Removal {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** The path under `/wiki`, with `:name` for a path segment, e.g. `/rest/api/space/:spaceKey`. */
  path: string;
  /** The day it answers 410 from (UTC, `yyyy-mm-dd`). */
  removedOn: string;
  /** What to call instead, when v2 has it. */
  replacement?: string;
  /** Where the date comes from. */
  dateSource: 'observed' | 'family approximation';
}

/** `Deprecation` start for every entry: the v1 deprecation notice of 1 March 2023 (CHANGE-864). */
export const V1_DEPRECATED_ON = '2023-03-01';

const SPACE_FAMILY = '2025-07-01';
const CONTENT_BY_ID = '2026-06-01';
const BROADLY = '2026-08-01';

/**
 * The v1 operations Atlassian has removed or announced for removal, each with the day it answers 410 Gone and where
 * that date comes from. The world answers them per its `v1Removals` mode: `Deprecation` / `Warning` headers
 * (`'warn'`), or 410 from that day on (`'enforce'`).
 *
 * @example
 * const removed = V1_REMOVALS.filter((removal) => removal.removedOn <= '2026-12-01');
 */
export const V1_REMOVALS: readonly V1Removal[] = [
  // The space family: GET /rest/api/space answered 410 through the gateway by 23 July 2025 (observed); the rest of
  // the family is dated with it.
  {
    method: 'GET',
    path: '/rest/api/space',
    removedOn: SPACE_FAMILY,
    replacement: 'GET /wiki/api/v2/spaces',
    dateSource: 'observed',
  },
  {
    method: 'GET',
    path: '/rest/api/space/:spaceKey',
    removedOn: SPACE_FAMILY,
    replacement: 'GET /wiki/api/v2/spaces?keys={spaceKey}',
    dateSource: 'family approximation',
  },
  {
    method: 'GET',
    path: '/rest/api/space/:spaceKey/content',
    removedOn: SPACE_FAMILY,
    replacement: 'GET /wiki/api/v2/spaces/{id}/pages',
    dateSource: 'family approximation',
  },
  {
    method: 'GET',
    path: '/rest/api/space/:spaceKey/content/:type',
    removedOn: SPACE_FAMILY,
    replacement: 'GET /wiki/api/v2/spaces/{id}/pages',
    dateSource: 'family approximation',
  },
  // content/{id}: "by June 2026".
  {
    method: 'GET',
    path: '/rest/api/content/:id',
    removedOn: CONTENT_BY_ID,
    replacement: 'GET /wiki/api/v2/pages/{id}',
    dateSource: 'family approximation',
  },
  {
    method: 'PUT',
    path: '/rest/api/content/:id',
    removedOn: CONTENT_BY_ID,
    replacement: 'PUT /wiki/api/v2/pages/{id}',
    dateSource: 'family approximation',
  },
  {
    method: 'DELETE',
    path: '/rest/api/content/:id',
    removedOn: CONTENT_BY_ID,
    replacement: 'DELETE /wiki/api/v2/pages/{id}',
    dateSource: 'family approximation',
  },
  // The rest: "broadly from August 2026". `/rest/api/content` 410s were reported in May 2026 (veryfront-code#1787).
  {
    method: 'GET',
    path: '/rest/api/content',
    removedOn: BROADLY,
    replacement: 'GET /wiki/api/v2/pages?title=…&space-id=…',
    dateSource: 'family approximation',
  },
  {
    method: 'POST',
    path: '/rest/api/content',
    removedOn: BROADLY,
    replacement: 'POST /wiki/api/v2/pages',
    dateSource: 'family approximation',
  },
  {
    method: 'GET',
    path: '/rest/api/content/:id/child',
    removedOn: BROADLY,
    replacement: 'GET /wiki/api/v2/pages/{id}/children',
    dateSource: 'family approximation',
  },
  {
    method: 'GET',
    path: '/rest/api/content/:id/child/:type',
    removedOn: BROADLY,
    replacement: 'GET /wiki/api/v2/pages/{id}/children',
    dateSource: 'family approximation',
  },
  { method: 'GET', path: '/rest/api/content/:id/descendant', removedOn: BROADLY, dateSource: 'family approximation' },
  {
    method: 'GET',
    path: '/rest/api/content/:id/version',
    removedOn: BROADLY,
    replacement: 'GET /wiki/api/v2/pages/{id}/versions',
    dateSource: 'family approximation',
  },
  {
    method: 'GET',
    path: '/rest/api/content/:id/label',
    removedOn: BROADLY,
    replacement: 'GET /wiki/api/v2/pages/{id}/labels',
    dateSource: 'family approximation',
  },
  {
    method: 'GET',
    path: '/rest/api/content/:id/property',
    removedOn: BROADLY,
    replacement: 'GET /wiki/api/v2/pages/{id}/properties',
    dateSource: 'family approximation',
  },
  {
    method: 'POST',
    path: '/rest/api/content/:id/property',
    removedOn: BROADLY,
    replacement: 'POST /wiki/api/v2/pages/{id}/properties',
    dateSource: 'family approximation',
  },
  {
    method: 'GET',
    path: '/rest/api/content/:id/property/:key',
    removedOn: BROADLY,
    replacement: 'GET /wiki/api/v2/pages/{id}/properties?key={key}',
    dateSource: 'family approximation',
  },
  {
    method: 'PUT',
    path: '/rest/api/content/:id/property/:key',
    removedOn: BROADLY,
    replacement: 'PUT /wiki/api/v2/pages/{id}/properties/{property-id}',
    dateSource: 'family approximation',
  },
  {
    method: 'DELETE',
    path: '/rest/api/content/:id/property/:key',
    removedOn: BROADLY,
    replacement: 'DELETE /wiki/api/v2/pages/{id}/properties/{property-id}',
    dateSource: 'family approximation',
  },
];

/**
 * How the world answers the listed operations. `'warn'` (the default): as before, with `Deprecation` and `Warning`
 * headers naming the removal date. `'enforce'`: 410 Gone from `removedOn` (by the world's clock), the headers before.
 */
export type V1RemovalMode = 'enforce' | 'warn';

export const DEFAULT_V1_REMOVAL_MODE: V1RemovalMode = 'warn';

/** The observed 410 message (atlassian-python-api#1560). */
export const GONE_MESSAGE =
  'com.atlassian.confluence.api.service.exceptions.GoneException: This deprecated endpoint has been removed.';

const matchers = V1_REMOVALS.map((removal) => ({
  removal,
  pattern: new RegExp(`^/wiki${removal.path.replace(/:[A-Za-z]+/g, '[^/]+')}/?$`),
}));

/** The listed operation a request names, if any. */
export function findV1Removal(method: string, pathname: string): V1Removal | undefined {
  const upper = method.toUpperCase();
  return matchers.find(({ removal, pattern }) => removal.method === upper && pattern.test(pathname))?.removal;
}

/** Midnight UTC of a `yyyy-mm-dd` day, epoch ms. */
const dayStart = (day: string) => Date.parse(`${day}T00:00:00Z`);

/** Whether the world answers this operation 410 now. */
export function isRemoved(removal: V1Removal, mode: V1RemovalMode, now: number): boolean {
  return mode === 'enforce' && now >= dayStart(removal.removedOn);
}

/** The observed HTTP-date form of the Warning text: `Mon, 2 Dec 2024 00:00:00 GMT` (no leading zero on the day). */
function warningDate(day: string): string {
  return new Date(dayStart(day)).toUTCString().replace(/, 0(\d) /, ', $1 ');
}

/**
 * The headers a deprecated operation's answer carries: `Warning: 299 - "Deprecated API, will be removed on …"`
 * (observed wording) and `Deprecation` in RFC 9745's form (`@<epoch seconds>` of the deprecation notice) [Inf: the
 * value Confluence sent is not on record, only the header's presence].
 */
export function deprecationHeaders(removal: V1Removal): Record<string, string> {
  return {
    Deprecation: `@${dayStart(V1_DEPRECATED_ON) / 1000}`,
    Warning: `299 - "Deprecated API, will be removed on ${warningDate(removal.removedOn)}"`,
  };
}

/** Confluence's 410 for a removed v1 operation: the v1 error family with the observed GoneException message. */
export function goneResponse(): Response {
  return v1Error(410, GONE_MESSAGE);
}

/** A copy of `response` with the deprecation headers added (a fault's or a network error's answer is left alone). */
export function withDeprecationHeaders(response: Response, removal: V1Removal): Response {
  if (response.type === 'error') return response;
  const marked = new Response(response.body, {
    status: response.status,
    statusText: response.statusText,
    headers: response.headers,
  });
  for (const [name, value] of Object.entries(deprecationHeaders(removal))) marked.headers.set(name, value);
  return marked;
}
