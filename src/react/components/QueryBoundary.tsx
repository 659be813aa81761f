import { Component, Suspense, useCallback, useContext, useEffect, useState, type ReactNode } from 'react';
import { QueryErrorResetBoundary } from '@tanstack/react-query';
import { BoundaryErrorsContext, type ReportedError } from '../internal/boundary-errors.js';
import { KitContext } from '../internal/kit-context.js';
import { ViewerContext, type ConfluenceViewer } from '../internal/viewer.js';
import { StateView, type StateViewProps } from './StateView.js';
import { toViewState } from './toViewState.js';

interface BoundaryProps {
  onReset: () => void;
  viewer: ConfluenceViewer | undefined;
  view: Omit<StateViewProps, 'state'>;
  children?: ReactNode;
}

interface BoundaryState {
  caught?: { error: unknown };
}

// React only offers error boundaries as class components.
class ErrorBoundary extends Component<BoundaryProps, BoundaryState> {
  override state: BoundaryState = {};

  static getDerivedStateFromError(error: unknown): BoundaryState {
    return { caught: { error } };
  }

  override render() {
    const { caught } = this.state;
    const { view, onReset, viewer, children } = this.props;
    if (!caught) return children;
    const retry = () => {
      onReset();
      this.setState({ caught: undefined });
    };
    // Resetting the boundary only reads again (its queries refetch), so it may stand in for "Reload latest".
    return (
      <StateView
        {...view}
        state={toViewState(caught.error, viewer)}
        onRetry={retry}
        onReload={view.onReload ?? retry}
      />
    );
  }
}

/** Children plus an inline state for each error a suspense query below holds while its data stays on screen. */
function KeptContent({ view, children }: { view: Omit<StateViewProps, 'state'>; children?: ReactNode }) {
  const { viewer } = useContext(ViewerContext);
  const [reported, setReported] = useState<ReadonlyMap<string, ReportedError>>(new Map());
  const report = useCallback((id: string, next: ReportedError | undefined) => {
    setReported((current) => {
      if (!next && !current.has(id)) return current;
      const updated = new Map(current);
      if (next) updated.set(id, next);
      else updated.delete(id);
      return updated;
    });
  }, []);
  return (
    <BoundaryErrorsContext.Provider value={report}>
      {children}
      {[...reported].map(([id, { error, retry }]) => (
        <StateView key={id} {...view} state={toViewState(error, viewer)} onRetry={retry} inline />
      ))}
    </BoundaryErrorsContext.Provider>
  );
}

/** Rendered after the children inside Suspense: it commits only when none of them is suspended, i.e. content shows. */
function ContentShown() {
  const markContentReady = useContext(KitContext)?.markContentReady;
  useEffect(() => markContentReady?.(), [markContentReady]);
  return null;
}

export interface QueryBoundaryProps extends Omit<StateViewProps, 'state' | 'onRetry' | 'inline'> {
  children?: ReactNode;
}

/**
 * Suspense + error boundary for `useConfluenceSuspenseQuery`: shows loading while suspended and the matching state
 * view for a thrown error; "Try again" resets the failed queries and renders again. When a refetch fails while data is
 * on screen, the content stays and the error's state shows beside it (inline, `role="alert"`). Like
 * `<RequestState>`, it shows the licence state to an `unlicensed` viewer and the viewer's own state for a refusal
 * that comes from who they are (anonymous, guest).
 *
 * @example
 * <QueryBoundary>
 *   <PageTitle id={pageId} />
 * </QueryBoundary>
 *
 * function PageTitle({ id }: { id: string }) {
 *   const { data: page } = useConfluenceSuspenseQuery(confluenceQueries.page(id));
 *   return <h1>{page.title}</h1>;
 * }
 */
export function QueryBoundary({ children, ...view }: QueryBoundaryProps) {
  const { viewer, known } = useContext(ViewerContext);
  if (viewer === 'unlicensed') return <StateView {...view} state={{ kind: 'unlicensed' }} />;
  if (!known) return <StateView {...view} state={{ kind: 'loading' }} />;
  return (
    <QueryErrorResetBoundary>
      {({ reset }) => (
        <ErrorBoundary onReset={reset} view={view} viewer={viewer}>
          <KeptContent view={view}>
            <Suspense fallback={<StateView {...view} state={{ kind: 'loading' }} />}>
              {children}
              <ContentShown />
            </Suspense>
          </KeptContent>
        </ErrorBoundary>
      )}
    </QueryErrorResetBoundary>
  );
}
