import { QueryClient, type QueryClientConfig } from '@tanstack/react-query';
import { isConfluenceError } from '../../client/index.js';

/** Errors that are not a `ConfluenceError` (e.g. a throwing `select`) get this many retries. */
const OTHER_ERROR_RETRIES = 1;

/**
 * TanStack's retry policy for Confluence queries. TanStack retries every error 3× by default, so a 403 would reach
 * the screen ~7 s late after four calls. The client already retries what is worth retrying (429, 5xx with
 * Retry-After, network), so a ConfluenceError is never retried again here; other errors get one retry.
 *
 * @example
 * new QueryClient({ defaultOptions: { queries: { retry: confluenceRetry } } });
 */
export function confluenceRetry(failureCount: number, error: unknown): boolean {
  if (isConfluenceError(error)) return false;
  return failureCount < OTHER_ERROR_RETRIES;
}

/**
 * A QueryClient with the Confluence retry policy (`confluenceRetry` for queries, no retries for mutations); your
 * `defaultOptions` win. Create one yourself to prefetch before rendering, and pass it to `<ConfluenceProvider>`.
 *
 * @example
 * const queryClient = createConfluenceQueryClient({ defaultOptions: { queries: { staleTime: 30_000 } } });
 * root.render(<ConfluenceProvider queryClient={queryClient}><App /></ConfluenceProvider>);
 */
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
