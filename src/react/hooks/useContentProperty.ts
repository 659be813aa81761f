import { useQueryClient, type MutateOptions, type UseMutationResult } from '@tanstack/react-query';
import { confluencePath, isConfluenceError, type ConfluenceClient, type ConfluenceError } from '../../client/index.js';
import { confluenceQueries, getContentProperty, type ContentProperty } from '../queries/confluence-queries.js';
import { useConfluenceMutation } from './useConfluenceMutation.js';
import { useConfluenceQuery, type ConfluenceQueryResult } from './useConfluenceQuery.js';

export type { ContentProperty };

/** A new value, or an updater that derives it from the latest stored one (a merge, so it may be re-applied). */
export type ContentPropertyNext<T> = T | ((current: T | undefined) => T);

/** What a content-property mutation does: write `next`, or remove the property. */
export type ContentPropertyChange<T> = { next: ContentPropertyNext<T> } | { remove: true };

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

/** Callbacks for one write or removal, as TanStack's `mutate(variables, { onSuccess, onError, onSettled })`. */
export type ContentPropertyMutateOptions<T> = MutateOptions<
  ContentProperty<T> | null,
  ConfluenceError,
  ContentPropertyChange<T>
>;

/** What `useContentProperty` returns: TanStack's query result for the property, plus its writes. */
export type ContentPropertyResult<T> = ConfluenceQueryResult<ContentProperty<T> | null> & {
  /** The stored value; `undefined` while loading and when the property is absent (`data === null`). */
  value: T | undefined;
  /** Writes `next` (a value, or an updater of the latest value); TanStack's `mutate` with per-call callbacks. */
  mutate(next: ContentPropertyNext<T>, options?: ContentPropertyMutateOptions<T>): void;
  /** `mutate` as a promise of the stored property. */
  mutateAsync(next: ContentPropertyNext<T>, options?: ContentPropertyMutateOptions<T>): Promise<ContentProperty<T>>;
  /** Deletes the property (nothing is sent when it is absent). */
  remove(options?: ContentPropertyMutateOptions<T>): void;
  /** `remove` as a promise. */
  removeAsync(options?: ContentPropertyMutateOptions<T>): Promise<null>;
  /** The state of the last write or removal: `isPending`, `error` (a `ConfluenceError`), `variables`, `reset()`… */
  mutation: UseMutationResult<ContentProperty<T> | null, ConfluenceError, ContentPropertyChange<T>>;
  /** Clears a conflict and rereads the property, for `<RequestState error={mutation.error} onReload={reloadLatest}>`. */
  reloadLatest(): Promise<void>;
};

/**
 * A page's content property as TanStack state: the query (`data` is the property, `null` when absent; `value` its
 * value) and the writes (`mutate`/`mutateAsync` POST when absent, else PUT with version + 1; `remove`/`removeAsync`
 * DELETE), with TanStack's per-call callbacks and the write's state in `mutation`. On a 409 an updater function is
 * re-applied to the latest version (at most twice more); a plain value fails with a `conflict` error instead, so it
 * never overwrites a newer version.
 *
 * @example
 * const tally = useContentProperty<{ count: number }>(pageId, 'tally');
 * const increment = () =>
 *   tally.mutate((current) => ({ count: (current?.count ?? 0) + 1 }), { onSuccess: () => flag({ title: 'Counted' }) });
 * return (
 *   <RequestState query={tally}>
 *     <p>{tally.value?.count ?? 0}</p>
 *     <button onClick={increment} disabled={tally.mutation.isPending}>+1</button>
 *     <RequestState error={tally.mutation.error} onReload={tally.reloadLatest} />
 *   </RequestState>
 * );
 */
export function useContentProperty<T>(pageId: string, key: string): ContentPropertyResult<T> {
  const queryClient = useQueryClient();
  const options = confluenceQueries.contentProperty<T>(pageId, key);
  const query = useConfluenceQuery({ ...options, enabled: Boolean(pageId && key) });
  const mutation = useConfluenceMutation<ContentProperty<T> | null, ContentPropertyChange<T>>({
    mutationFn: async (client, change) => {
      // Based on what the user saw; fetched only when the read has not settled yet.
      const seen = queryClient.getQueryData(options.queryKey);
      const base = seen !== undefined ? seen : await getContentProperty<T>(client, pageId, key);
      if ('next' in change) return write(client, pageId, key, base, change.next);
      if (base) {
        await client.request({
          method: 'DELETE',
          path: confluencePath`/wiki/api/v2/pages/${pageId}/properties/${base.id}`,
        });
      }
      return null;
    },
    onSuccess: (property) => queryClient.setQueryData(options.queryKey, property),
  });
  return {
    ...query,
    value: query.data?.value,
    mutate: (next, callbacks) => mutation.mutate({ next }, callbacks),
    mutateAsync: (next, callbacks) => mutation.mutateAsync({ next }, callbacks) as Promise<ContentProperty<T>>,
    remove: (callbacks) => mutation.mutate({ remove: true }, callbacks),
    removeAsync: (callbacks) => mutation.mutateAsync({ remove: true }, callbacks) as Promise<null>,
    mutation,
    reloadLatest: () => {
      mutation.reset();
      return queryClient.invalidateQueries({ queryKey: options.queryKey });
    },
  };
}
