import type {
  DataTag,
  InfiniteData,
  QueryFunction,
  QueryFunctionContext,
  QueryKey,
  UnusedSkipTokenInfiniteOptions,
  UnusedSkipTokenOptions,
} from '@tanstack/react-query';
import type { ConfluenceClient, ConfluenceError } from '../../client/index.js';
import { confluenceClientFor } from '../internal/client-binding.js';

/** A v2 cursor-paginated list. `_links.next` is the relative URL of the next page, absent on the last. */
export interface CursorPage<T> {
  results: T[];
  _links?: { next?: string; base?: string };
}

/**
 * TanStack query options for a Confluence read: what every `confluenceQueries.*` factory returns. Plain TanStack
 * options (`useQuery`, `useSuspenseQuery`, `useQueries`, `queryClient.fetchQuery`/`prefetchQuery`/`ensureQueryData`
 * take them unchanged inside `<ConfluenceProvider>`), with errors typed `ConfluenceError` and a `queryKey` tagged
 * with the data type, so `queryClient.getQueryData(options.queryKey)` is typed too. Spread them to add `select`,
 * `placeholderData`, `staleTime`, …
 */
export type ConfluenceQueryOptions<
  TQueryFnData,
  TData = TQueryFnData,
  TQueryKey extends QueryKey = QueryKey,
> = UnusedSkipTokenOptions<TQueryFnData, ConfluenceError, TData, TQueryKey> & {
  queryFn: QueryFunction<TQueryFnData, TQueryKey>;
  queryKey: DataTag<TQueryKey, TQueryFnData, ConfluenceError>;
};

/**
 * TanStack infinite-query options for a Confluence cursor list (`useInfiniteQuery`, `useSuspenseInfiniteQuery`,
 * `queryClient.fetchInfiniteQuery`/`prefetchInfiniteQuery`), including `select`. The page param is the next page's
 * relative URL (`''` for the first page).
 */
export type ConfluenceInfiniteQueryOptions<
  TPage,
  TData = InfiniteData<TPage, string>,
  TQueryKey extends QueryKey = QueryKey,
> = UnusedSkipTokenInfiniteOptions<TPage, ConfluenceError, TData, TQueryKey, string> & {
  queryFn: QueryFunction<TPage, TQueryKey, string>;
  queryKey: DataTag<TQueryKey, InfiniteData<TPage, string>, ConfluenceError>;
};

/** Tags a query key with the data it holds, as TanStack's `queryOptions` does (a type-only cast). */
export function taggedKey<TData, TQueryKey extends QueryKey = QueryKey>(
  queryKey: TQueryKey,
): DataTag<TQueryKey, TData, ConfluenceError> {
  return queryKey as DataTag<TQueryKey, TData, ConfluenceError>;
}

/** A query function that also receives the provider's client. */
export type ConfluenceQueryFn<T, TQueryKey extends QueryKey = QueryKey, TPageParam = never> = (
  client: ConfluenceClient,
  context: QueryFunctionContext<TQueryKey, TPageParam>,
) => Promise<T>;

/**
 * Turns a `(client, context)` query function into a TanStack one: the client is the one `<ConfluenceProvider>` bound
 * to the QueryClient that runs the query (TanStack hands that QueryClient to every query function).
 */
export function withConfluenceClient<T, TQueryKey extends QueryKey = QueryKey, TPageParam = never>(
  queryFn: ConfluenceQueryFn<T, TQueryKey, TPageParam>,
): QueryFunction<T, TQueryKey, TPageParam> {
  return async (context) => {
    const client = await confluenceClientFor(context.client);
    return queryFn(client, context);
  };
}

/** `ConfluenceQueryOptions` as written: a `queryFn` that takes the client first. */
export type ConfluenceQueryOptionsInput<TQueryFnData, TData, TQueryKey extends QueryKey> = Omit<
  UnusedSkipTokenOptions<TQueryFnData, ConfluenceError, TData, TQueryKey>,
  'queryFn'
> & {
  queryKey: TQueryKey;
  queryFn: ConfluenceQueryFn<TQueryFnData, TQueryKey>;
};

/**
 * TanStack's `queryOptions` for your own Confluence reads: the `queryFn` gets the provider's client first, and the
 * result works wherever `confluenceQueries.*` do.
 *
 * @example
 * const labels = (pageId: string) =>
 *   confluenceQueryOptions({
 *     queryKey: ['confluence', 'labels', pageId],
 *     queryFn: (client, { signal }) =>
 *       client
 *         .request<CursorPage<{ name: string }>>({ path: confluencePath`/wiki/api/v2/pages/${pageId}/labels`, signal })
 *         .then((response) => response.data.results),
 *   });
 * const { data } = useQuery(labels(pageId));
 */
export function confluenceQueryOptions<TQueryFnData, TData = TQueryFnData, TQueryKey extends QueryKey = QueryKey>(
  options: ConfluenceQueryOptionsInput<TQueryFnData, TData, TQueryKey>,
): ConfluenceQueryOptions<TQueryFnData, TData, TQueryKey> {
  return {
    ...options,
    queryKey: taggedKey<TQueryFnData, TQueryKey>(options.queryKey),
    queryFn: withConfluenceClient(options.queryFn),
  };
}
