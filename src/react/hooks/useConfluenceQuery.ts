import {
  useInfiniteQuery,
  useQuery,
  useSuspenseQuery,
  type InfiniteData,
  type QueryKey,
  type UseInfiniteQueryOptions,
  type UseInfiniteQueryResult,
  type UseQueryOptions,
  type UseQueryResult,
  type UseSuspenseQueryOptions,
  type UseSuspenseQueryResult,
} from '@tanstack/react-query';
import type { ConfluenceError } from '../../client/index.js';
import { useReportToBoundary } from '../internal/boundary-errors.js';
import { useConfluenceClient } from './useConfluenceClient.js';

/** What `useConfluenceQuery` returns: TanStack's `UseQueryResult` with errors typed `ConfluenceError`. */
export type ConfluenceQueryResult<TData> = UseQueryResult<TData, ConfluenceError>;
/** What `useConfluenceSuspenseQuery` returns. */
export type ConfluenceSuspenseQueryResult<TData> = UseSuspenseQueryResult<TData, ConfluenceError>;
/** What `useConfluenceInfiniteQuery` returns. */
export type ConfluenceInfiniteQueryResult<TPage, TData = InfiniteData<TPage, string>> = UseInfiniteQueryResult<
  TData,
  ConfluenceError
>;

/**
 * `useQuery` for Confluence reads: the same options and result (errors typed `ConfluenceError`), and it throws
 * `NO_PROVIDER` / `HOST_NOT_READY` during render when used outside a ready `<ConfluenceProvider>` rather than
 * leaving the query pending. TanStack's own `useQuery(confluenceQueries.page(id))` works too.
 *
 * @example
 * function PageTitle({ id }: { id: string }) {
 *   const page = useConfluenceQuery(confluenceQueries.page(id));
 *   return <RequestState query={page}>{(p) => <h1>{p.title}</h1>}</RequestState>;
 * }
 */
export function useConfluenceQuery<TQueryFnData, TData = TQueryFnData, TQueryKey extends QueryKey = QueryKey>(
  options: UseQueryOptions<TQueryFnData, ConfluenceError, TData, TQueryKey>,
): ConfluenceQueryResult<TData> {
  useConfluenceClient();
  return useQuery(options);
}

/**
 * `useSuspenseQuery` for Confluence reads; pair it with `<QueryBoundary>`. `data` is always defined. A refetch that
 * fails while data is on screen is shown by the boundary beside the content.
 *
 * @example
 * const { data: page } = useConfluenceSuspenseQuery(confluenceQueries.page(id));
 */
export function useConfluenceSuspenseQuery<TQueryFnData, TData = TQueryFnData, TQueryKey extends QueryKey = QueryKey>(
  options: UseSuspenseQueryOptions<TQueryFnData, ConfluenceError, TData, TQueryKey>,
): ConfluenceSuspenseQueryResult<TData> {
  useConfluenceClient();
  const result = useSuspenseQuery(options);
  // A failed refetch keeps `data` and does not throw: tell the nearest <QueryBoundary>, which shows it inline.
  useReportToBoundary(result.error, result.refetch);
  return result;
}

/**
 * `useInfiniteQuery` for Confluence cursor lists (`confluenceQueries.search`, `.children`, `.pagesInSpace`,
 * `cursorQuery`): `fetchNextPage()` follows `_links.next`.
 *
 * @example
 * const results = useConfluenceInfiniteQuery(confluenceQueries.search(cql`label = ${label}`));
 * const rows = results.data?.pages.flatMap((page) => page.results) ?? [];
 */
export function useConfluenceInfiniteQuery<
  TPage,
  TData = InfiniteData<TPage, string>,
  TQueryKey extends QueryKey = QueryKey,
>(
  options: UseInfiniteQueryOptions<TPage, ConfluenceError, TData, TQueryKey, string>,
): ConfluenceInfiniteQueryResult<TPage, TData> {
  useConfluenceClient();
  return useInfiniteQuery(options);
}
