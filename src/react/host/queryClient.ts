import type { QueryClientConfig } from '@tanstack/react-query';
import { QueryClient, isConfluenceError } from '../deps.js';

/**
 * TanStack retries every error 3× by default, so a 403 would reach the screen ~7 s late after four
 * calls. The client already retries what is worth retrying (429, 5xx with Retry-After, network), so a
 * ConfluenceError is never retried again here; other errors (e.g. a throwing `select`) get one retry.
 */
export const confluenceRetry = (failureCount: number, error: unknown): boolean =>
  !isConfluenceError(error) && failureCount < 1;

export function createConfluenceQueryClient(config: QueryClientConfig = {}): QueryClient {
  const { queries, mutations } = config.defaultOptions ?? {};
  return new QueryClient({
    ...config,
    defaultOptions: {
      ...config.defaultOptions,
      queries: { retry: confluenceRetry, ...queries },
      mutations: { retry: false, ...mutations },
    },
  });
}
