import { useContext, useEffect, type ReactNode } from 'react';
import { KitContext } from '../internal/kit-context.js';
import { ViewerContext } from '../internal/viewer.js';
import { StateView, type StateViewProps } from './StateView.js';
import { toViewState } from './toViewState.js';

/** The parts of a TanStack query (or infinite query, or mutation) result RequestState reads. */
export interface RequestLike<T> {
  isPending?: boolean;
  error?: unknown;
  // `| undefined` so that under `exactOptionalPropertyTypes` a result's `data: T | undefined` infers `T`, not
  // `T | undefined`, and the children's `data` stays defined.
  data?: T | undefined;
  refetch?: () => unknown;
  /** Fetching again (a retry of a failed refetch or "Load more"): its old error is not shown meanwhile. */
  isFetching?: boolean;
  /** An infinite query whose "Load more" failed: its retry fetches that page again, not the whole list. */
  isFetchNextPageError?: boolean;
  /** "Load more" under way: a rate-limit wait the client sits out meanwhile shows beside the list. */
  isFetchingNextPage?: boolean;
  fetchNextPage?: () => unknown;
}

export interface RequestStateProps<T> extends Omit<StateViewProps, 'state' | 'inline'> {
  query?: RequestLike<T>;
  /** Overrides `query.error` (e.g. a mutation's error). */
  error?: unknown;
  /** Overrides `query.isPending`. */
  pending?: boolean;
  children?: ReactNode | ((data: T) => ReactNode);
}

function retryFor<T>(query: RequestLike<T> | undefined): (() => void) | undefined {
  if (!query) return undefined;
  const { fetchNextPage, refetch } = query;
  if (query.isFetchNextPageError && fetchNextPage) return () => void fetchNextPage();
  if (refetch) return () => void refetch();
  return undefined;
}

/**
 * Shows the request's state (loading, or one view per error kind) and its children once it has data. When data is
 * already on screen and a refetch, a "Load more" or the `error` you pass fails, the children stay and the error's
 * state shows beside them (an inline `role="alert"`), as TanStack keeps `data` while `error` is set.
 * A rate-limit countdown and the "Try again" action call `onRetry`, which defaults to `query.refetch` (to
 * `query.fetchNextPage` when "Load more" failed).
 * Inside `<ConfluenceProvider>` it knows the viewer: an `unlicensed` viewer sees the licence state instead of the
 * content, an anonymous viewer's refused write says "Sign in to edit", a guest's refusal says their access is
 * limited to one space (see `toViewState`). Until the host has said who is looking, it shows loading.
 *
 * @example
 * function PageTitle({ id }: { id: string }) {
 *   const page = useQuery(confluenceQueries.page(id));
 *   const update = useUpdatePage();
 *   return (
 *     <RequestState query={page} error={update.error} onReload={update.reloadLatest}>
 *       {(p) => <h1>{p.title}</h1>}
 *     </RequestState>
 *   );
 * }
 */
export function RequestState<T>({
  query,
  error: errorProp,
  pending = query?.isPending,
  onRetry,
  children,
  ...view
}: RequestStateProps<T>) {
  const { viewer, known } = useContext(ViewerContext);
  const retry = onRetry ?? retryFor(query);
  const data = query?.data;
  // TanStack keeps a failed refetch's error while it fetches again; the retry is under way, so the error is not shown.
  const retrying = data !== undefined && query?.isFetching === true;
  const error = errorProp ?? (retrying ? undefined : query?.error);
  const render = () => (typeof children === 'function' ? children(data as T) : children);
  // With data the children render, an error or not (it shows beside them).
  const showsData = viewer !== 'unlicensed' && known && data !== undefined;
  const markContentReady = useContext(KitContext)?.markContentReady;
  useEffect(() => {
    if (showsData) markContentReady?.();
  }, [showsData, markContentReady]);
  // Nothing the app shows works for them; saying so beats a half-working screen.
  // Only a state that shows a request: one that shows nothing yet (a mutation's `error` before any save) stays empty.
  const showsRequest = query !== undefined || Boolean(error);
  if (viewer === 'unlicensed' && showsRequest) return <StateView {...view} state={{ kind: 'unlicensed' }} />;
  // What to say depends on who is looking, which the host is still telling.
  if (!known && (Boolean(error) || data !== undefined)) return <StateView {...view} state={{ kind: 'loading' }} />;
  if (error) {
    const hasData = data !== undefined;
    const errorView = <StateView {...view} state={toViewState(error, viewer)} onRetry={retry} inline={hasData} />;
    if (!hasData) return errorView;
    return (
      <>
        {render()}
        {errorView}
      </>
    );
  }
  if (pending) return <StateView {...view} state={{ kind: 'loading' }} />;
  // The list stays while "Load more" runs; the inline view stays empty unless the client waits out a rate limit.
  if (query?.isFetchingNextPage && data !== undefined) {
    return (
      <>
        {render()}
        <StateView {...view} state={{ kind: 'loading' }} inline />
      </>
    );
  }
  return render();
}
