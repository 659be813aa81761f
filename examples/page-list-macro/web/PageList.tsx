import { RequestState, confluenceQueries, useConfluenceInfiniteQuery } from 'confluence-iframe-kit/react';

import { DEFAULT_LIMIT } from './macro-params';

/** The space's pages, `pageSize` at a time (the macro's "Number of pages"), following the v2 cursor (`_links.next`) on "Load more". */
export function PageList({
  spaceId,
  pageSize = DEFAULT_LIMIT,
  onOpen,
}: {
  spaceId: string;
  pageSize?: number;
  onOpen: (id: string) => void;
}) {
  const pages = useConfluenceInfiniteQuery(confluenceQueries.pagesInSpace(spaceId, pageSize));
  const all = pages.data?.pages.flatMap((p) => p.results) ?? [];
  // A failed "Load more" keeps the pages already shown; only the next page's error is shown, until it is retried.
  const nextError = pages.isFetchNextPageError && !pages.isFetchingNextPage ? pages.error : undefined;

  return (
    <RequestState query={{ ...pages, error: pages.isFetchNextPageError ? undefined : pages.error }}>
      <ul className="demo-list" data-testid="page-list">
        {all.map((page) => (
          <li key={page.id}>
            <button type="button" className="demo-link" onClick={() => onOpen(page.id)}>
              {page.title}
            </button>
            <span className="demo-muted">v{page.version?.number}</span>
          </li>
        ))}
      </ul>
      {nextError ? (
        <RequestState error={nextError} onRetry={() => void pages.fetchNextPage()} />
      ) : pages.hasNextPage ? (
        <button
          type="button"
          className="demo-button"
          disabled={pages.isFetchingNextPage}
          onClick={() => void pages.fetchNextPage()}
        >
          {pages.isFetchingNextPage ? 'Loading…' : 'Load more'}
        </button>
      ) : (
        <p className="demo-muted">{all.length} pages</p>
      )}
    </RequestState>
  );
}
