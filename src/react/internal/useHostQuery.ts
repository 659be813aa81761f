import { useQuery, type QueryKey } from '@tanstack/react-query';
import { useKit } from './kit-context.js';

/**
 * Host data (context, macro parameters) as a query: read once the host is ready, then kept (it does
 * not change under an iframe), and not retried (host calls are bounded, so a timeout is the answer).
 */
export function useHostQuery<T, TSelected = T>(
  queryKey: QueryKey,
  queryFn: () => Promise<T>,
  select?: (data: T) => TSelected,
) {
  const { status } = useKit();
  return useQuery({ queryKey, queryFn, select, enabled: status === 'ready', staleTime: Infinity, retry: false });
}
