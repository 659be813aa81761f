import type { ConfluenceClient } from '../../client/index.js';
import { ConfluenceHostError } from '../errors.js';
import { useKit } from '../internal/kit-context.js';

/**
 * The client of the nearest `<ConfluenceProvider>`, for calls no query factory covers. Throws `NO_PROVIDER`
 * outside a provider and `HOST_NOT_READY` while the host is still being detected.
 *
 * @example
 * const client = useConfluenceClient();
 * const onArchive = () => client.request({ method: 'POST', path: '/wiki/rest/api/content/archive', body });
 */
export function useConfluenceClient(): ConfluenceClient {
  const { client } = useKit();
  if (!client) throw new ConfluenceHostError('HOST_NOT_READY', 'Host not ready.');
  return client;
}
