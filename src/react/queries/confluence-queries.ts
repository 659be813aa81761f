import type { InfiniteData, QueryKey } from '@tanstack/react-query';
import { confluencePath, type ConfluenceClient, type ConfluenceRequest, type Page } from '../../client/index.js';
import {
  taggedKey,
  withConfluenceClient,
  type ConfluenceInfiniteQueryOptions,
  type ConfluenceQueryFn,
  type ConfluenceQueryOptions,
  type CursorPage,
} from './query-options.js';

/** How many results a list or search page asks for unless told otherwise. */
const DEFAULT_PAGE_SIZE = 25;

/** A query function that GETs `path` and resolves with the parsed body. */
export function get<T>(path: string, query?: ConfluenceRequest['query']): ConfluenceQueryFn<T> {
  return async (client, { signal }) => {
    const response = await client.request<T>({ path, query, signal });
    return response.data;
  };
}

/** Options whose query function GETs `path` with the provider's client. */
function getQuery<T>(queryKey: QueryKey, path: string, query?: ConfluenceRequest['query']): ConfluenceQueryOptions<T> {
  return {
    queryKey: taggedKey<T>(queryKey),
    queryFn: withConfluenceClient(get<T>(path, query)),
  };
}

/**
 * Infinite-query options for any cursor-paginated list (v2 lists, v1 search): the first page GETs `path` with
 * `query`, later ones follow `_links.next` verbatim (it already carries the query and the cursor). The client adds
 * `/wiki` when a link omits it, as v1's context-relative links do, so every transport gets the same path.
 *
 * @example
 * const labelled = cursorQuery<Page>(['confluence', 'labelled', label], '/wiki/api/v2/labels/123/pages', { limit: 50 });
 * const pages = useInfiniteQuery(labelled);
 */
export function cursorQuery<T, TPage extends CursorPage<T> = CursorPage<T>>(
  queryKey: QueryKey,
  path: string,
  query?: ConfluenceRequest['query'],
): ConfluenceInfiniteQueryOptions<TPage> {
  return {
    queryKey: taggedKey<InfiniteData<TPage, string>>(queryKey),
    queryFn: withConfluenceClient<TPage, QueryKey, string>((client, context) => {
      const nextPage = context.pageParam;
      if (nextPage) return get<TPage>(nextPage)(client, context);
      return get<TPage>(path, query)(client, context);
    }),
    initialPageParam: '',
    getNextPageParam: (lastPage) => lastPage._links?.next,
  };
}

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
export async function getContentProperty<T>(
  client: ConfluenceClient,
  pageId: string,
  key: string,
  signal?: AbortSignal,
): Promise<ContentProperty<T> | null> {
  const response = await client.request<CursorPage<ContentProperty<T>>>({
    path: confluencePath`/wiki/api/v2/pages/${pageId}/properties`,
    query: { key },
    signal,
  });
  return response.data.results.find((property) => property.key === key) ?? null;
}

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

/**
 * Query-option factories. Each returns plain TanStack options (see `ConfluenceQueryOptions`), so TanStack's own
 * hooks and QueryClient methods take them unchanged inside `<ConfluenceProvider>`. `queryKey`s start with
 * `['confluence', …]` and are stable, so `invalidateQueries({ queryKey: … })` matches them.
 *
 * @example
 * const page = useQuery(confluenceQueries.page(pageId));
 * const title = useQuery({ ...confluenceQueries.page(pageId), select: (p) => p.title });
 * await queryClient.prefetchQuery(confluenceQueries.currentUser());
 */
export const confluenceQueries = {
  currentUser: (): ConfluenceQueryOptions<User> =>
    getQuery(['confluence', 'user', 'current'], '/wiki/rest/api/user/current'),
  /** Goes through the client's batching: page reads in the same tick share one `/pages?id=` call. */
  page: (id: string, bodyFormat?: string): ConfluenceQueryOptions<Page> => ({
    queryKey: taggedKey<Page>(['confluence', 'page', id, bodyFormat]),
    queryFn: withConfluenceClient((client, { signal }) => client.getPage<Page>(id, { signal, bodyFormat })),
  }),
  space: (id: string): ConfluenceQueryOptions<Space> =>
    getQuery(['confluence', 'space', id], confluencePath`/wiki/api/v2/spaces/${id}`),
  pagesInSpace: (spaceId: string, limit = DEFAULT_PAGE_SIZE): ConfluenceInfiniteQueryOptions<CursorPage<Page>> =>
    cursorQuery<Page>(
      ['confluence', 'pages', 'space', spaceId, limit],
      confluencePath`/wiki/api/v2/spaces/${spaceId}/pages`,
      { limit },
    ),
  children: (pageId: string, limit = DEFAULT_PAGE_SIZE): ConfluenceInfiniteQueryOptions<CursorPage<Page>> =>
    cursorQuery<Page>(
      ['confluence', 'pages', 'children', pageId, limit],
      confluencePath`/wiki/api/v2/pages/${pageId}/children`,
      { limit },
    ),
  /**
   * CQL search (v1; v2 has none), for `useInfiniteQuery`: `fetchNextPage()` follows the cursor in `_links.next`.
   * Pages are `SearchPage`s (with `totalSize`). Restricted content is simply absent; invalid CQL is a `bad-request`
   * error. Build `cql` from user input with the `cql` tagged template, which quotes and escapes values.
   */
  search: (
    cql: string,
    { limit = DEFAULT_PAGE_SIZE }: { limit?: number } = {},
  ): ConfluenceInfiniteQueryOptions<SearchPage> =>
    cursorQuery<SearchResult, SearchPage>(['confluence', 'search', cql, limit], '/wiki/rest/api/search', {
      cql,
      limit,
    }),
  /** Resolves `null` when the page has no such property. Not under `['confluence', 'page', id]`, so a page save does not refetch it. */
  contentProperty: <T = unknown>(pageId: string, key: string): ConfluenceQueryOptions<ContentProperty<T> | null> => ({
    queryKey: taggedKey<ContentProperty<T> | null>(['confluence', 'contentProperty', pageId, key]),
    queryFn: withConfluenceClient((client, { signal }) => getContentProperty<T>(client, pageId, key, signal)),
  }),
};
