import { useMutation, useQueryClient, type QueryKey, type UseMutationOptions } from '@tanstack/react-query';
import {
  ConfluenceError,
  confluencePath,
  isConfluenceError,
  type ConfluenceClient,
  type Page,
} from '../../client/index.js';
import { useConfluenceClient } from './useConfluenceClient.js';

export type ConfluenceMutationOptions<T, V> = Omit<UseMutationOptions<T, ConfluenceError, V>, 'mutationFn'> & {
  mutationFn: (client: ConfluenceClient, variables: V) => Promise<T>;
  /** Query keys (prefixes) to invalidate once the mutation succeeds. */
  invalidates?: QueryKey[] | ((data: T, variables: V) => QueryKey[]);
};

/**
 * `useMutation` over the provider's client that invalidates the given queries on success.
 *
 * @example
 * const addLabel = useConfluenceMutation({
 *   mutationFn: (client, label: string) =>
 *     client.request({ method: 'POST', path: confluencePath`/wiki/rest/api/content/${pageId}/label`, body: [{ name: label }] }),
 *   invalidates: [['confluence', 'labels', pageId]],
 * });
 */
export function useConfluenceMutation<T, V = void>({
  mutationFn,
  invalidates = [],
  onSuccess,
  ...options
}: ConfluenceMutationOptions<T, V>) {
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

export type PageBodyRepresentation = 'storage' | 'atlas_doc_format' | 'wiki';

export interface PageUpdate {
  id: string;
  title: string;
  /**
   * The new body. Leave it out to change only the title (or status): the stored body is read and sent back as it
   * is, so it is never lost. A page read without `body-format` has no body, so passing `p.body?.storage?.value ?? ''`
   * would clear it: an empty body is refused unless `clearBody` is set.
   */
  body?: { representation: PageBodyRepresentation; value: string };
  /** The version number the edit is based on (the one you read). The update sends this + 1. */
  version: number;
  status?: 'current' | 'draft';
  message?: string;
  /** Set when an empty `body` is meant to clear a page that has content. */
  clearBody?: boolean;
}

/** The error code of an update refused before sending because it would have cleared the page's body. */
export const BODY_WOULD_BE_CLEARED = 'CONFLUENCE_BODY_WOULD_BE_CLEARED';

const isTransientLockConflict = (error: ConfluenceError) =>
  /OptimisticLockException/.test(JSON.stringify(error.body ?? ''));

function pagePath(id: string) {
  return confluencePath`/wiki/api/v2/pages/${id}`;
}

function storedBodyValue(page: Page, representation: PageBodyRepresentation): string {
  const bodies = page.body as Record<string, { value?: unknown } | undefined> | undefined;
  const value = bodies?.[representation]?.value;
  return typeof value === 'string' ? value : '';
}

function conflictWith(update: PageUpdate, currentVersion: number | undefined): ConfluenceError {
  return new ConfluenceError({
    kind: 'conflict',
    code: 'CONFLUENCE_CONFLICT',
    status: 409,
    method: 'PUT',
    path: pagePath(update.id),
    message: `the page changed since version ${update.version} was read (now version ${currentVersion})`,
    currentVersion,
  });
}

/**
 * The body to send. Without one, the stored body goes back unchanged (a title-only edit); an empty one over a page
 * that has content is refused here, before anything is sent, unless the caller asked to clear it.
 */
async function bodyToSend(client: ConfluenceClient, update: PageUpdate): Promise<NonNullable<PageUpdate['body']>> {
  const wantsEmptyBody = update.body !== undefined && update.body.value.trim() === '';
  if (update.body && (!wantsEmptyBody || update.clearBody)) return update.body;

  const representation = update.body?.representation ?? 'storage';
  // The client's page read: batched with any other page reads of the same tick.
  const stored = await client.getPage<Page>(update.id, { bodyFormat: representation });
  const storedVersion = stored.version?.number;
  // Sending the stored body of a newer version would overwrite that version's other changes with ours.
  if (storedVersion !== undefined && storedVersion !== update.version) throw conflictWith(update, storedVersion);
  const storedValue = storedBodyValue(stored, representation);
  if (wantsEmptyBody && storedValue.trim() !== '') {
    throw new ConfluenceError({
      kind: 'bad-request',
      code: BODY_WOULD_BE_CLEARED,
      method: 'PUT',
      path: pagePath(update.id),
      message:
        'refused to replace the page body with an empty one (nothing was sent). Leave `body` out to change only the ' +
        'title, or pass `clearBody: true` to clear it on purpose.',
    });
  }
  return { representation, value: storedValue };
}

async function putPage(client: ConfluenceClient, update: PageUpdate, isRetry = false): Promise<Page> {
  const { version, message, clearBody: _clearBody, ...page } = update;
  try {
    const body = await bodyToSend(client, update);
    const response = await client.request<Page>({
      method: 'PUT',
      path: pagePath(page.id),
      body: { status: 'current', ...page, body, version: { number: version + 1, message } },
    });
    return response.data;
  } catch (error) {
    if (!isConfluenceError(error) || error.kind !== 'conflict') throw error;
    // A lock race between two writes on the server: the same request is safe to send once more.
    if (!isRetry && isTransientLockConflict(error)) return putPage(client, update, true);
    // A real conflict: learn the other version's number for the UI; never resend with a bumped version.
    error.currentVersion ??= await client.getPage<Page>(page.id).then(
      (current) => current.version?.number,
      () => undefined,
    );
    throw error;
  }
}

/**
 * Updates a page with `version.number = version + 1`. A 409 fails the mutation with a conflict error
 * (`currentVersion` = the other version); `reloadLatest()` clears it and refetches the page so the
 * user can re-apply their edit. Only a transient `OptimisticLockException` 409 is retried (once).
 *
 * The page body is never lost: leave `body` out to change only the title (the stored body is sent back), and an
 * empty `body` over a page with content fails with code `CONFLUENCE_BODY_WOULD_BE_CLEARED` before anything is sent,
 * unless `clearBody: true` says it is meant.
 *
 * @example
 * const update = useUpdatePage();
 * update.mutate({ id: page.id, title: `${page.title} (reviewed)`, version: page.version!.number });
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
