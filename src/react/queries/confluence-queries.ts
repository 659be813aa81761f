import type { QueryKey } from '@tanstack/react-query';
import type { ConfluenceClient, ConfluenceRequest, Page } from '../../client/index.js';
import { confluencePath as at } from '../deps.js';
import type {
  ConfluenceInfiniteOptions,
  ConfluenceQueryFn,
  ConfluenceQueryOptions,
  CursorPage,
} from '../hooks/useConfluenceQuery.js';

/** A queryFn that GETs `path` and resolves with the parsed body. */
export const get =
  <T>(path: string, query?: ConfluenceRequest['query']): ConfluenceQueryFn<T> =>
  (client, { signal }) =>
    client.request<T>({ path, query, signal }).then((r) => r.data);

/**
 * Options for any cursor-paginated list (v2 lists, v1 search): follows `_links.next` verbatim. The client adds
 * `/wiki` when a link omits it, as v1's context-relative links do, so every transport gets the same path.
 */
export const cursorQuery = <T>(
  queryKey: QueryKey,
  path: string,
  query?: ConfluenceRequest['query'],
): ConfluenceInfiniteOptions<T> => ({
  queryKey,
  // Later pages are `_links.next` as given: it already carries the query and the cursor.
  queryFn: (client, context) =>
    get<CursorPage<T>>(context.pageParam || path, context.pageParam ? undefined : query)(client, context),
  initialPageParam: '',
  getNextPageParam: (last) => last._links?.next,
});

export type { Page };

export interface User {
  accountId: string;
  accountType?: string;
  displayName?: string;
  publicName?: string;
  email?: string;
  type?: string;
  [field: string]: unknown;
}

export interface Space {
  id: string;
  key: string;
  name: string;
  type?: string;
  homepageId?: string;
  [field: string]: unknown;
}

/** A v2 content property: a page's key/value state (macros keep theirs here, on Connect and Forge alike). */
export interface ContentProperty<T = unknown> {
  id: string;
  key: string;
  value: T;
  version: { number: number; createdAt?: string; message?: string; minorEdit?: boolean; authorId?: string };
}

/** The page's property with this key, or `null`: v2 has no get-by-key, so this is the list filtered by `key`. */
export const getContentProperty = <T>(client: ConfluenceClient, pageId: string, key: string, signal?: AbortSignal) =>
  client
    .request<CursorPage<ContentProperty<T>>>({
      path: at`/wiki/api/v2/pages/${pageId}/properties`,
      query: { key },
      signal,
    })
    .then((r) => r.data.results.find((p) => p.key === key) ?? null);

/**
 * One v1 search result (`GET /wiki/rest/api/search`). `title` and `excerpt` are HTML-escaped and carry
 * `@@@hl@@@…@@@endhl@@@` highlight markers: show `content.title` unless you render the markers yourself.
 */
export interface SearchResult {
  content: {
    id: string;
    type: string;
    status: string;
    title: string;
    _links?: { webui?: string; self?: string; tinyui?: string };
    [field: string]: unknown;
  };
  title: string;
  excerpt: string;
  url: string;
  resultGlobalContainer?: { title: string; displayUrl: string };
  lastModified?: string;
  friendlyLastModified?: string;
  entityType?: string;
  [field: string]: unknown;
}

/**
 * A page of v1 search results. `_links.next` is relative to the `/wiki` context path
 * (`/rest/api/search?next=true&cursor=…`), unlike v2's site-relative links; the client puts `/wiki`
 * back, so `cursorQuery` follows both kinds verbatim. `totalSize` is an estimate on Cloud: page on `next`.
 */
export interface SearchPage extends CursorPage<SearchResult> {
  start?: number;
  limit?: number;
  size?: number;
  totalSize?: number;
  cqlQuery?: string;
  _links?: { next?: string; base?: string; context?: string; self?: string };
}

/** Query-option factories; `queryKey`s are stable, so `invalidateQueries({queryKey: …})` matches them. */
export const confluenceQueries = {
  currentUser: (): ConfluenceQueryOptions<User> => ({
    queryKey: ['confluence', 'user', 'current'],
    queryFn: get('/wiki/rest/api/user/current'),
  }),
  /** Goes through the client's batching: page reads in the same tick share one `/pages?id=` call. */
  page: (id: string, bodyFormat?: string): ConfluenceQueryOptions<Page> => ({
    queryKey: ['confluence', 'page', id, bodyFormat],
    queryFn: (client, { signal }) => client.getPage<Page>(id, { signal, bodyFormat }),
  }),
  space: (id: string): ConfluenceQueryOptions<Space> => ({
    queryKey: ['confluence', 'space', id],
    queryFn: get(at`/wiki/api/v2/spaces/${id}`),
  }),
  pagesInSpace: (spaceId: string, limit = 25) =>
    cursorQuery<Page>(['confluence', 'pages', 'space', spaceId, limit], at`/wiki/api/v2/spaces/${spaceId}/pages`, {
      limit,
    }),
  children: (pageId: string, limit = 25) =>
    cursorQuery<Page>(['confluence', 'pages', 'children', pageId, limit], at`/wiki/api/v2/pages/${pageId}/children`, {
      limit,
    }),
  /**
   * CQL search (v1; v2 has none), for `useConfluenceInfiniteQuery`: `fetchNextPage()` follows the cursor in
   * `_links.next`. Restricted content is simply absent; invalid CQL is a `bad-request` error. Build `cql`
   * from user input with the `cql` tagged template, which quotes and escapes values.
   */
  search: (cql: string, { limit = 25 }: { limit?: number } = {}) =>
    cursorQuery<SearchResult>(['confluence', 'search', cql, limit], '/wiki/rest/api/search', { cql, limit }),
  /** Resolves `null` when the page has no such property. Not under `['confluence', 'page', id]`, so a page save does not refetch it. */
  contentProperty: <T = unknown>(pageId: string, key: string): ConfluenceQueryOptions<ContentProperty<T> | null> => ({
    queryKey: ['confluence', 'contentProperty', pageId, key],
    queryFn: (client, { signal }) => getContentProperty<T>(client, pageId, key, signal),
  }),
};
