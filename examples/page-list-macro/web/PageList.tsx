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
  // A failed "Load more" keeps the pages already shown: RequestState shows its error beside them, and its
  // "Try again" fetches that page again.
  return (
    <RequestState query={pages}>
      {(data) => {
        const all = data.pages.flatMap((page) => page.results);
        return (
          <>
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
            {pages.isFetchNextPageError ? null : pages.hasNextPage ? (
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
          </>
        );
      }}
    </RequestState>
  );
}
