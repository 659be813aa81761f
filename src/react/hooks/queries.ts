import type { QueryKey } from '@tanstack/react-query';
import type { ConfluenceClient, ConfluenceRequest, Page } from '../../client/index';
import { confluencePath as at } from '../deps';
import type { ConfluenceInfiniteOptions, ConfluenceQueryFn, ConfluenceQueryOptions, CursorPage } from './useConfluenceQuery';

/** A queryFn that GETs `path` and resolves with the parsed body. */
export const get =
  <T>(path: string, query?: ConfluenceRequest['query']): ConfluenceQueryFn<T> =>
  (client, { signal }) =>
    client.request<T>({ path, query, signal }).then((r) => r.data);

/** Options for any v2 cursor-paginated list: follows `_links.next` verbatim (the client adds `/wiki` if a host omits it). */
export const cursorQuery = <T>(queryKey: QueryKey, path: string, query?: ConfluenceRequest['query']): ConfluenceInfiniteOptions<T> => ({
  queryKey,
  // Later pages are `_links.next` as given: it already carries the query and the cursor.
  queryFn: (client, context) => get<CursorPage<T>>(context.pageParam || path, context.pageParam ? undefined : query)(client, context),
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
    .request<CursorPage<ContentProperty<T>>>({ path: at`/wiki/api/v2/pages/${pageId}/properties`, query: { key }, signal })
    .then((r) => r.data.results.find((p) => p.key === key) ?? null);

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
    cursorQuery<Page>(['confluence', 'pages', 'space', spaceId, limit], at`/wiki/api/v2/spaces/${spaceId}/pages`, { limit }),
  children: (pageId: string, limit = 25) =>
    cursorQuery<Page>(['confluence', 'pages', 'children', pageId, limit], at`/wiki/api/v2/pages/${pageId}/children`, { limit }),
  /** Resolves `null` when the page has no such property. Not under `['confluence', 'page', id]`, so a page save does not refetch it. */
  contentProperty: <T = unknown>(pageId: string, key: string): ConfluenceQueryOptions<ContentProperty<T> | null> => ({
    queryKey: ['confluence', 'contentProperty', pageId, key],
    queryFn: (client, { signal }) => getContentProperty<T>(client, pageId, key, signal),
  }),
};
