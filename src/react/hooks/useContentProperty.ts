import { useQueryClient } from '@tanstack/react-query';
import { confluencePath, isConfluenceError, type ConfluenceClient } from '../../client/index.js';
import { confluenceQueries, getContentProperty, type ContentProperty } from '../queries/confluence-queries.js';
import { useConfluenceMutation } from './useConfluenceMutation.js';
import { useConfluenceQuery } from './useConfluenceQuery.js';

export type { ContentProperty };

/** A new value, or an updater that derives it from the latest stored one (a merge, so it may be re-applied). */
export type ContentPropertyNext<T> = T | ((current: T | undefined) => T);

type Change<T> = { next: ContentPropertyNext<T> } | { remove: true };

/** How many more times an updater is re-applied to a newer version after a 409. */
const MERGE_RETRIES = 2;

async function write<T>(
  client: ConfluenceClient,
  pageId: string,
  key: string,
  base: ContentProperty<T> | null,
  next: ContentPropertyNext<T>,
) {
  const path = confluencePath`/wiki/api/v2/pages/${pageId}/properties`;
  const merge = typeof next === 'function' ? (next as (current: T | undefined) => T) : undefined;
  for (let attempt = 0; ; attempt++) {
    const value = merge ? merge(base?.value) : (next as T);
    try {
      if (base) {
        const updated = await client.request<ContentProperty<T>>({
          method: 'PUT',
          path: `${path}/${base.id}`,
          body: { key, value, version: { number: base.version.number + 1 } },
        });
        return updated.data;
      }
      const created = await client.request<ContentProperty<T>>({ method: 'POST', path, body: { key, value } });
      return created.data;
    } catch (error) {
      // A 409 is a stale version on PUT, or (on POST) someone else created the key first: the same race.
      if (!isConfluenceError(error) || error.kind !== 'conflict') throw error;
      const latest = await getContentProperty<T>(client, pageId, key).catch(() => undefined);
      // A plain value was chosen against what the user saw: never overwrite a newer one with it.
      if (!merge || attempt >= MERGE_RETRIES || latest === undefined) {
        error.currentVersion ??= latest?.version.number;
        throw error;
      }
      base = latest;
    }
  }
}

/**
 * A page's content property as typed state: read (`null` → `value` undefined when absent), `save`
 * (POST when absent, else PUT with version + 1), `remove`. On a 409 an updater function is re-applied
 * to the latest version (at most twice more); a plain value fails with a `conflict` error instead.
 */
export function useContentProperty<T>(pageId: string, key: string) {
  const queryClient = useQueryClient();
  const options = confluenceQueries.contentProperty<T>(pageId, key);
  const query = useConfluenceQuery({ ...options, enabled: !!(pageId && key) });
  const mutation = useConfluenceMutation<ContentProperty<T> | null, Change<T>>({
    mutationFn: async (client, change) => {
      // Based on what the user saw; fetched only when the read has not settled yet.
      const seen = queryClient.getQueryData<ContentProperty<T> | null>(options.queryKey);
      const base = seen !== undefined ? seen : await getContentProperty<T>(client, pageId, key);
      if ('next' in change) return write(client, pageId, key, base, change.next);
      if (base)
        await client.request({
          method: 'DELETE',
          path: confluencePath`/wiki/api/v2/pages/${pageId}/properties/${base.id}`,
        });
      return null;
    },
    onSuccess: (property) => queryClient.setQueryData(options.queryKey, property),
  });
  return {
    property: query.data,
    value: query.data?.value,
    isPending: query.isPending,
    error: query.error,
    refetch: query.refetch,
    save: (next: ContentPropertyNext<T>) => mutation.mutate({ next }),
    remove: () => mutation.mutate({ remove: true }),
    saving: mutation.isPending,
    saveError: mutation.error,
    /** Clears a conflict and rereads the property, for `<RequestState error={saveError} onReload={reloadLatest}>`. */
    reloadLatest: () => {
      mutation.reset();
      return queryClient.invalidateQueries({ queryKey: options.queryKey });
    },
  };
}
