import { createContext, useContext, useEffect, useId } from 'react';

/** An error a query under a `<QueryBoundary>` holds while its data stays on screen. */
export interface ReportedError {
  error: unknown;
  retry: () => void;
}

export type ReportError = (id: string, reported: ReportedError | undefined) => void;

/**
 * How suspense queries tell the nearest `<QueryBoundary>` about an error that did not suspend or throw: TanStack
 * throws to the boundary only when there is no data, so a failed refetch would otherwise never show.
 */
export const BoundaryErrorsContext = createContext<ReportError | null>(null);

/** Reports `error` (or its end) to the nearest `<QueryBoundary>`, if any. */
export function useReportToBoundary(error: unknown, retry: () => unknown): void {
  const report = useContext(BoundaryErrorsContext);
  const id = useId();
  useEffect(() => {
    if (!report) return undefined;
    report(id, error ? { error, retry: () => void retry() } : undefined);
    return () => report(id, undefined);
    // `retry` is a new function each render; the error is what matters.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [report, id, error]);
}
