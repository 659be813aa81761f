import type { InfiniteData, QueryKey, UseQueryOptions } from '@tanstack/react-query';
import { useInfiniteQuery, useQuery, useSuspenseQuery } from '../deps.js';
import type { ConfluenceClient, ConfluenceError } from '../../client/index.js';
import { useConfluenceClient } from '../context.js';

export type ConfluenceQueryFn<T> = (client: ConfluenceClient, context: { signal: AbortSignal }) => Promise<T>;

/** TanStack query options whose `queryFn` also receives the provider's client. */
export type ConfluenceQueryOptions<T, D = T> = Omit<UseQueryOptions<T, ConfluenceError, D>, 'queryFn'> & {
  queryFn: ConfluenceQueryFn<T>;
};

/** A v2 cursor-paginated list. `_links.next` is the relative URL of the next page, absent on the last. */
export interface CursorPage<T> {
  results: T[];
  _links?: { next?: string; base?: string };
}

export interface ConfluenceInfiniteOptions<T> {
  queryKey: QueryKey;
  queryFn: (client: ConfluenceClient, context: { signal: AbortSignal; pageParam: string }) => Promise<CursorPage<T>>;
  initialPageParam: string;
  getNextPageParam: (lastPage: CursorPage<T>) => string | undefined;
  enabled?: boolean;
  staleTime?: number;
  maxPages?: number;
}

const bind =
  <C, T>(client: ConfluenceClient, fn: (client: ConfluenceClient, context: C) => Promise<T>) =>
  (context: C) =>
    fn(client, context);

/** `useQuery` over the provider's client. Errors are typed `ConfluenceError`. */
export function useConfluenceQuery<T, D = T>(options: ConfluenceQueryOptions<T, D>) {
  return useQuery<T, ConfluenceError, D>({ ...options, queryFn: bind(useConfluenceClient(), options.queryFn) });
}

/** `useSuspenseQuery` over the provider's client; pair it with `<QueryBoundary>`. */
export function useConfluenceSuspenseQuery<T, D = T>(options: ConfluenceQueryOptions<T, D>) {
  return useSuspenseQuery<T, ConfluenceError, D>({
    ...(options as any),
    queryFn: bind(useConfluenceClient(), options.queryFn),
  });
}

/** `useInfiniteQuery` for v2 cursor lists: `fetchNextPage()` follows `_links.next`. */
export function useConfluenceInfiniteQuery<T>(options: ConfluenceInfiniteOptions<T>) {
  return useInfiniteQuery<CursorPage<T>, ConfluenceError, InfiniteData<CursorPage<T>, string>, QueryKey, string>({
    ...options,
    queryFn: bind(useConfluenceClient(), options.queryFn),
  });
}
