import type { QueryKey, UseMutationOptions } from '@tanstack/react-query';
import { useMutation, useQueryClient, confluencePath, isConfluenceError } from '../deps';
import type { ConfluenceClient, ConfluenceError, Page } from '../../client/index';
import { useConfluenceClient } from '../context';

export type ConfluenceMutationOptions<T, V> = Omit<UseMutationOptions<T, ConfluenceError, V>, 'mutationFn'> & {
  mutationFn: (client: ConfluenceClient, variables: V) => Promise<T>;
  /** Query keys (prefixes) to invalidate once the mutation succeeds. */
  invalidates?: QueryKey[] | ((data: T, variables: V) => QueryKey[]);
};

/** `useMutation` over the provider's client that invalidates the given queries on success. */
export function useConfluenceMutation<T, V = void>({ mutationFn, invalidates = [], onSuccess, ...options }: ConfluenceMutationOptions<T, V>) {
  const client = useConfluenceClient();
  const queryClient = useQueryClient();
  return useMutation<T, ConfluenceError, V>({
    ...options,
    mutationFn: (variables) => mutationFn(client, variables),
    onSuccess: async (data, variables, ...rest) => {
      const keys = typeof invalidates === 'function' ? invalidates(data, variables) : invalidates;
      await Promise.all(keys.map((queryKey) => queryClient.invalidateQueries({ queryKey })));
      return onSuccess?.(data, variables, ...rest);
    },
  });
}

export interface PageUpdate {
  id: string;
  title: string;
  body: { representation: 'storage' | 'atlas_doc_format' | 'wiki'; value: string };
  /** The version number the edit is based on (the one you read). The update sends this + 1. */
  version: number;
  status?: 'current' | 'draft';
  message?: string;
}

const transient = (e: ConfluenceError) => /OptimisticLockException/.test(JSON.stringify(e.body ?? ''));

async function putPage(client: ConfluenceClient, update: PageUpdate, retried = false): Promise<Page> {
  const { version, message, ...page } = update;
  try {
    const res = await client.request<Page>({
      method: 'PUT',
      path: confluencePath`/wiki/api/v2/pages/${page.id}`,
      body: { status: 'current', ...page, version: { number: version + 1, message } },
    });
    return res.data;
  } catch (e) {
    if (!isConfluenceError(e) || e.kind !== 'conflict') throw e;
    // A lock race between two writes on the server: the same request is safe to send once more.
    if (!retried && transient(e)) return putPage(client, update, true);
    // A real conflict: learn the other version's number for the UI; never resend with a bumped version.
    e.currentVersion ??= await client.getPage<Page>(page.id).then((p) => p.version?.number, () => undefined);
    throw e;
  }
}

/**
 * Updates a page with `version.number = version + 1`. A 409 fails the mutation with a conflict error
 * (`currentVersion` = the other version); `reloadLatest()` clears it and refetches the page so the
 * user can re-apply their edit. Only a transient `OptimisticLockException` 409 is retried (once).
 */
export function useUpdatePage(options?: Omit<ConfluenceMutationOptions<Page, PageUpdate>, 'mutationFn'>) {
  const queryClient = useQueryClient();
  const mutation = useConfluenceMutation<Page, PageUpdate>({
    invalidates: (_, { id }) => [['confluence', 'page', id]],
    ...options,
    mutationFn: putPage,
  });
  const reloadLatest = () => {
    const id = mutation.variables?.id;
    mutation.reset();
    return queryClient.invalidateQueries({ queryKey: ['confluence', 'page', id] });
  };
  return { ...mutation, reloadLatest };
}
