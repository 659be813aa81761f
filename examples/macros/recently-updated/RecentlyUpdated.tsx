import {
  RequestState,
  confluenceQueries,
  cql,
  useConfluenceContext,
  useConfluenceInfiniteQuery,
} from 'confluence-iframe-kit/react';

/** How many results one request asks for; "Load more" fetches the next page of this size. */
export const RECENTLY_UPDATED_PAGE_SIZE = 10;

/**
 * "Recently updated in this space": the pages of the space the macro sits in, newest change first.
 *
 * The space comes from the host's context (Connect `AP.context`, Forge `view.getContext()`), so the same macro
 * works wherever it is placed without a parameter.
 */
export function RecentlyUpdated() {
  const context = useConfluenceContext();
  return (
    <RequestState query={context}>
      {(info) => {
        const spaceKey = info.space?.key;
        // Without a space key there is nothing to list: say so instead of searching the whole site.
        if (!spaceKey) return <p>Not inside a space.</p>;
        return <RecentlyUpdatedList spaceKey={spaceKey} />;
      }}
    </RequestState>
  );
}

/** The search itself, mounted only once the space key is known so the query never runs without it. */
export function RecentlyUpdatedList({ spaceKey }: { spaceKey: string }) {
  // The cql template quotes the key as a CQL value, so a key can never widen the query.
  const search = useConfluenceInfiniteQuery(
    confluenceQueries.search(cql`type = page AND space = ${spaceKey} ORDER BY lastmodified DESC`, {
      limit: RECENTLY_UPDATED_PAGE_SIZE,
    }),
  );
  // RequestState shows loading and refusals (a guest may not search: the forbidden state). Once results are on
  // screen, a failed "Load more" shows beside them instead of replacing the list.
  return (
    <RequestState query={search}>
      {(data) => {
        const results = data.pages.flatMap((page) => page.results);
        if (results.length === 0) return <p>Nothing has been updated in this space yet.</p>;
        return (
          <>
            <ul aria-label="Recently updated">
              {results.map((result) => (
                // content.title is plain text; the result's own title is HTML-escaped with highlight markers.
                <li key={result.content.id}>
                  <span>{result.content.title}</span>{' '}
                  <time dateTime={result.lastModified}>{result.friendlyLastModified}</time>
                </li>
              ))}
            </ul>
            {/* Page on _links.next (hasNextPage), never on totalSize: Cloud's totalSize is an estimate. */}
            {search.hasNextPage && (
              <button type="button" disabled={search.isFetchingNextPage} onClick={() => search.fetchNextPage()}>
                {search.isFetchingNextPage ? 'Loading…' : 'Load more'}
              </button>
            )}
          </>
        );
      }}
    </RequestState>
  );
}
