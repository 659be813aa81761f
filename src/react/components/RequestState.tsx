import type { ReactNode } from 'react';
import { StateView, type StateViewProps } from './StateView.js';
import { toViewState } from './toViewState.js';

/** The parts of a TanStack query (or mutation) result RequestState reads. */
export interface RequestLike<T> {
  isPending?: boolean;
  error?: unknown;
  data?: T;
  refetch?: () => unknown;
}

export interface RequestStateProps<T> extends Omit<StateViewProps, 'state'> {
  query?: RequestLike<T>;
  /** Overrides `query.error` (e.g. a mutation's error). */
  error?: unknown;
  /** Overrides `query.isPending`. */
  pending?: boolean;
  children?: ReactNode | ((data: T) => ReactNode);
}

/**
 * Shows the request's state (loading, or one view per error kind) and its children once it has data.
 * A rate-limit countdown and the "Try again" action call `onRetry`, which defaults to `query.refetch`.
 */
export function RequestState<T>({
  query,
  error = query?.error,
  pending = query?.isPending,
  onRetry,
  children,
  ...view
}: RequestStateProps<T>) {
  const retry = onRetry ?? (query?.refetch && (() => void query.refetch!()));
  if (error) return <StateView {...view} state={toViewState(error)} onRetry={retry} />;
  if (pending) return <StateView {...view} state={{ kind: 'loading' }} />;
  return typeof children == 'function' ? children(query?.data as T) : children;
}
