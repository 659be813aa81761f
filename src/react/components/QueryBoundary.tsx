import type { ReactNode } from 'react';
import { Component, Suspense, QueryErrorResetBoundary } from '../deps.js';
import { StateView, type StateViewProps } from './StateView.js';
import { toViewState } from './toViewState.js';

interface BoundaryProps {
  onReset: () => void;
  view: Omit<StateViewProps, 'state'>;
  children?: ReactNode;
}

// React only offers error boundaries as class components.
class Boundary extends Component<BoundaryProps, { caught?: { error: unknown } }> {
  override state: { caught?: { error: unknown } } = {};
  static getDerivedStateFromError(error: unknown) {
    return { caught: { error } };
  }
  override render() {
    const { caught } = this.state;
    const { view, onReset, children } = this.props;
    if (!caught) return children;
    const retry = () => {
      onReset();
      this.setState({ caught: undefined });
    };
    return <StateView {...view} state={toViewState(caught.error)} onRetry={retry} onReload={view.onReload ?? retry} />;
  }
}

export interface QueryBoundaryProps extends Omit<StateViewProps, 'state' | 'onRetry'> {
  children?: ReactNode;
}

/**
 * Suspense + error boundary for `useConfluenceSuspenseQuery`: shows loading while suspended and the
 * matching state view for a thrown error; "Try again" resets the failed queries and renders again.
 */
export function QueryBoundary({ children, ...view }: QueryBoundaryProps) {
  return (
    <QueryErrorResetBoundary>
      {({ reset }) => (
        <Boundary onReset={reset} view={view}>
          <Suspense fallback={<StateView {...view} state={{ kind: 'loading' }} />}>{children}</Suspense>
        </Boundary>
      )}
    </QueryErrorResetBoundary>
  );
}
