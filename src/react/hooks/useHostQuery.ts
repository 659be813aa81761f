import type { QueryKey } from '@tanstack/react-query';
import { useQuery } from '../deps.js';
import { useKit } from '../context.js';

/**
 * Host data (context, macro parameters) as a query: read once the host is ready, then kept (it does
 * not change under an iframe), and not retried (host calls are bounded, so a timeout is the answer).
 */
export const useHostQuery = <T>(queryKey: QueryKey, queryFn: () => Promise<T>) =>
  useQuery({ queryKey, queryFn, enabled: useKit().status == 'ready', staleTime: Infinity, retry: false });
