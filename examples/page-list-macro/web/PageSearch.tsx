import { useState, type FormEvent } from 'react';
import { RequestState, confluenceQueries, cql, useConfluenceInfiniteQuery } from 'confluence-iframe-kit/react';

/**
 * Searches the space's pages by title (CQL, v1: v2 has no search). Confluence refuses search to single-space guests
 * (403); RequestState then says their access is limited to one space instead of showing a generic refusal.
 */
export function PageSearch({ spaceKey, onOpen }: { spaceKey: string; onOpen: (id: string) => void }) {
  const [input, setInput] = useState('');
  const [term, setTerm] = useState<string>();
  const results = useConfluenceInfiniteQuery({
    ...confluenceQueries.search(cql`type = page AND space = ${spaceKey} AND title ~ ${term ?? ''}`),
    enabled: term !== undefined,
  });

  function search(event: FormEvent) {
    event.preventDefault();
    setTerm(input.trim());
  }

  return (
    <form className="demo-form" role="search" onSubmit={search}>
      <label htmlFor="page-search-input">Search pages</label>
      <div className="demo-row">
        <input id="page-search-input" value={input} onChange={(event) => setInput(event.target.value)} />
        <button type="submit" className="demo-button" disabled={!input.trim()}>
          Search
        </button>
      </div>
      {term !== undefined && (
        <RequestState query={results}>
          {(data) => {
            const found = data.pages.flatMap((page) => page.results);
            if (found.length === 0) return <p className="demo-muted">No pages match.</p>;
            return (
              <ul className="demo-list" data-testid="search-results">
                {found.map((result) => (
                  <li key={result.content.id}>
                    <button type="button" className="demo-link" onClick={() => onOpen(result.content.id)}>
                      {result.content.title}
                    </button>
                  </li>
                ))}
              </ul>
            );
          }}
        </RequestState>
      )}
    </form>
  );
}
